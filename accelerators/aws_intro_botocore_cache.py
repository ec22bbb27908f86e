"""One botocore model cache per Python process: an accelerator of the checkout's venv (`make setup` installs it).

Every amazon.aws and community.aws module makes a boto3 Session of its own, and each new Session makes a new botocore
Loader, which reads and parses the service's model again: building an EC2 client takes about 190 ms on the 2-core
machine this was measured on, 20 ms once the model is parsed. Under Mitogen for Ansible (the checkout's
`aws_intro_linear` strategy) the modules of a play run one after another in one long-lived interpreter, so the models
need parsing once per run, not once per task. botocore already keeps what a Loader has loaded (its `instance_cache`:
models, endpoints, partitions, paginators, waiters) for the clients of one session, and never changes it; this module
gives every Loader with the same search paths the same cache.

`python accelerators/aws_intro_botocore_cache.py` (run by `make setup` with the venv's Python) copies it into the
venv's site-packages with a `.pth` file that imports it in every Python the venv starts, the modules' interpreter
included. So it must cost nothing where botocore is not used: it patches `botocore.loaders` only once something
imports it (a meta path hook). `AWS_INTRO_BOTOCORE_CACHE=0` turns it off. Without it (stock `linear`, where each
module is a process of its own, or a venv made by hand) the modules run as before, only slower.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import shutil
import sys
import sysconfig
from pathlib import Path

TARGET = "botocore.loaders"
# (search paths, file loader class, extras types) -> the dict every such Loader uses as its `_cache`.
SHARED: dict[tuple, dict] = {}


def share_caches(loaders) -> None:
    """Make each new `loaders.Loader` use the cache of the Loaders made before it with the same search paths."""
    loader_class = loaders.Loader
    if getattr(loader_class, "_aws_intro_shared_cache", False):
        return
    original_init = loader_class.__init__

    @functools.wraps(original_init)
    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        key = (tuple(self.search_paths), type(self.file_loader).__qualname__, tuple(self.extras_types))
        self._cache = SHARED.setdefault(key, {})

    loader_class.__init__ = __init__
    loader_class._aws_intro_shared_cache = True


class PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds `botocore.loaders` where the path finder would, and patches it once it has run."""

    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            share_caches(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)

        spec.loader.exec_module = exec_and_patch
        return spec


def install() -> None:
    """Share the caches now if botocore.loaders is imported already, else as soon as it is."""
    if os.environ.get("AWS_INTRO_BOTOCORE_CACHE", "1") == "0":
        return
    if TARGET in sys.modules:
        share_caches(sys.modules[TARGET])
    elif not any(isinstance(finder, PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, PatchOnImport())


def write_pth(site_packages: Path | None = None) -> Path:
    """Copy this module into site-packages (the running Python's unless given) with the `.pth` file that imports it."""
    site_packages = Path(site_packages or sysconfig.get_paths()["purelib"])
    name = Path(__file__).stem
    shutil.copyfile(__file__, site_packages / f"{name}.py")
    pth = site_packages / f"{name}.pth"
    pth.write_text(f"import {name}; {name}.install()\n", encoding="utf-8")
    return pth


if __name__ == "__main__":
    print(f"botocore model cache: {write_pth()}")
