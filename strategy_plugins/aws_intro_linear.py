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

    MITOGENS_OWN = mitogen_planner._load_collections

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
            return super().run(iterator, play_context)


__all__ = ["StrategyModule"]
