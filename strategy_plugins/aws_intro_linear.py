# Copyright: (c) 2026, aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checkout's strategy: Ansible's ``linear``, run by Mitogen for Ansible when installed.

ansible.cfg puts this directory on the strategy path; ``ANSIBLE_STRATEGY=aws_intro_linear`` (what
``make integration`` sets) then runs Mitogen's ``mitogen_linear`` when the
``mitogen`` package is in the same Python as Ansible (requirements-test.txt pins it) and the stock
``linear`` strategy otherwise. Mitogen keeps one Python interpreter per host instead of starting one
per task: measured on 2 cores against the emulator, the storage role's tests ran 1.6 times faster
with the same results. The plays do not depend on it.
"""

from __future__ import annotations

try:
    from ansible_mitogen.plugins.strategy.mitogen_linear import StrategyModule
except ImportError:  # Mitogen not installed: Ansible's own strategy, same plays, same results.
    from ansible.plugins.strategy.linear import StrategyModule

__all__ = ["StrategyModule"]
