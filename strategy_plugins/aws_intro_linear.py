# Copyright: (c) 2026, aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checkout's strategy: Ansible's ``linear``, run by Mitogen for Ansible when installed.

ansible.cfg puts this directory on the strategy path; ``ANSIBLE_STRATEGY=aws_intro_linear`` (what
``make integration`` sets) then runs Mitogen's ``mitogen_linear`` when the
``mitogen`` package is in the same Python as Ansible (requirements-test.txt pins it) and the stock
``linear`` strategy otherwise. Mitogen keeps one Python interpreter per host instead of starting one
per task: measured on 2 cores against the emulator, the storage role's tests ran 1.6 times faster
with the same results. The plays do not depend on it.

Under Mitogen it also lists the installed collections once per play instead of once per module task.
Mitogen 0.3.54 (``ansible_mitogen.planner.invoke``) calls ``_load_collections`` for each collection module it
has not planned before in the current process, and that lists every installed collection
(``ansible.collections.list.list_collection_dirs``: each one's ``meta/runtime.yml`` parsed again). Its plan cache
lives in the task's worker process, which Ansible forks anew for every task, so it is empty each time: with the
``ansible`` package's collections that is about 0.25 s per module task, 23 s of a 50 s no-op cloud play on 2 cores.
Here the list is made once in the controller before the play's workers fork, and each worker adds the same
paths Mitogen's own function adds. A collection installed in the middle of a play is found from the next play.
``AWS_INTRO_MITOGEN_COLLECTIONS_ONCE=0`` keeps Mitogen's own (``python -m tests.benchmarks.run listing`` compares).

Under Mitogen it also lets a collection module run as an ``async`` task. Mitogen 0.3.54 runs an async job in a child
it forks from a clean process, imports what its plan lists (``NewStyleRunner._setup_imports``), then detaches the child
from the controller (``econtext.detach()``). Its plan lists ``ansible.module_utils`` imports alone, so the first import
of a collection's module_utils happens after the detach, asks the controller for the module, and waits forever (the
job never finishes: ``async_status`` polls until its retries run out). Here the plan of an async collection module also
lists the ``ansible_collections`` modules it imports, directly or through them, so the child imports them before it
detaches, as it does the ``ansible.module_utils`` ones.
"""

from __future__ import annotations

import os

try:
    import ansible_mitogen.planner as mitogen_planner
    from ansible_mitogen.plugins.strategy.mitogen_linear import StrategyModule as _Linear
except ImportError:  # Mitogen not installed: Ansible's own strategy, same plays, same results.
    from ansible.plugins.strategy.linear import StrategyModule
else:
    from ansible.collections.list import list_collection_dirs
    from mitogen.imports import codeobj_imports

    MITOGENS_OWN = mitogen_planner._load_collections
    MITOGENS_MODULE_MAP = mitogen_planner.NewStylePlanner.get_module_map
    COLLECTIONS = "ansible_collections"

    def collection_imports(module_path, roots):
        """The ``ansible_collections`` modules a module file imports (absolute or relative imports, at the top or
        inside functions), directly or through one another, found as files under the collection roots (the
        directories that hold ``ansible_collections``)."""

        def source_of(name):
            relative = os.path.join(*name.split("."))
            for root in roots:
                for path in (os.path.join(root, relative, "__init__.py"), os.path.join(root, relative + ".py")):
                    if os.path.isfile(path):
                        return path
            return None

        found, seen, queue = [], set(), [(module_path, None)]
        while queue:
            path, package = queue.pop(0)
            with open(path, "rb") as source:
                code = compile(source.read(), path, "exec")
            for level, name, fromlist in codeobj_imports(code):
                if level:
                    if package is None:
                        continue
                    base = package.rsplit(".", level - 1)[0]
                    name = f"{base}.{name}" if name else base
                if not name.startswith(COLLECTIONS + "."):
                    continue
                for candidate in [name, *(f"{name}.{leaf}" for leaf in fromlist)]:
                    if candidate in seen:
                        continue
                    seen.add(candidate)
                    path = source_of(candidate)
                    if path:
                        found.append(candidate)
                        is_package = path.endswith("__init__.py")
                        queue.append((path, candidate if is_package else candidate.rpartition(".")[0]))
        return found

    def collection_roots():
        """The directories that hold an ``ansible_collections`` directory with an installed collection."""
        return sorted({os.path.dirname(os.path.dirname(os.path.dirname(path.decode("utf-8"))))
                       for path in list_collection_dirs()})

    def get_module_map(self):
        """Mitogen's plan of a module's imports; for an async task, with the collection modules it imports."""
        module_map = MITOGENS_MODULE_MAP(self)
        if self._inv.wrap_async and self._inv.module_path and COLLECTIONS not in module_map:
            builtin = list(module_map["builtin"])
            extra = [name for name in collection_imports(self._inv.module_path, collection_roots())
                     if name not in builtin]
            # The marker key keeps a second call from scanning again; the runner reads `builtin` and `custom` alone.
            self._module_map = module_map = dict(module_map, builtin=builtin + extra, **{COLLECTIONS: extra})
        return module_map

    def collection_dirs_listed_once():
        """A stand-in for Mitogen's ``_load_collections`` that lists the collections now, once."""
        paths = frozenset(path.decode("utf-8") for path in list_collection_dirs())

        def _load_collections(invocation):
            invocation._extra_sys_paths.update(paths)

        return _load_collections

    class StrategyModule(_Linear):
        def run(self, iterator, play_context):
            once = os.environ.get("AWS_INTRO_MITOGEN_COLLECTIONS_ONCE", "1") != "0"
            mitogen_planner._load_collections = collection_dirs_listed_once() if once else MITOGENS_OWN
            mitogen_planner.NewStylePlanner.get_module_map = get_module_map
            return super().run(iterator, play_context)


__all__ = ["StrategyModule"]
