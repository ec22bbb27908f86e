"""A rolling redeploy of four web hosts under a steady load through the load balancer's stand-in: no request
fails, every host serves before and after, and only the new revision at the end.

`make load-test`, not part of `make test`: a first deploy of four web hosts on this 2-core machine takes
longer than CI's 90 minutes leave (tests/integration/test_site.py does the same with two hosts in every run,
and a revision that does not boot). Its own emulator and containers, removed before and after; the
figures also come from `python -m tests.benchmarks.run redeploy`.
"""

from __future__ import annotations

import time

import pytest

from local.emulator.server import MotoServer
from local.steady_load import SteadyLoad
from tests.benchmarks.run import REGION, STANDINS, playbook, remove_containers

WEB_HOSTS = 4


@pytest.fixture(scope="module")
def stack():
    """The stack with four web hosts deployed (all at once: nothing served yet)."""
    remove_containers()
    with MotoServer() as moto:
        playbook(moto, "playbooks/cloud.yml", "-e", f"network_web_instance_count={WEB_HOSTS}")
        playbook(moto, *STANDINS)
        playbook(moto, "playbooks/hosts.yml")
        yield moto
    remove_containers()


def test_four_hosts_roll_to_a_new_revision_with_no_failed_request(stack):
    env = stack.environ(REGION)
    site = f"https://127.0.0.1:{env['AWS_INTRO_SITE_PORT']}/"
    with SteadyLoad(site, ca_file=f"{stack.workdir}/ca/ca.crt") as load:
        time.sleep(5)
        start = load.now()
        deploy = playbook(stack, "local/redeploy.yml", "-e", "demo_revision=four-hosts")
        end = load.now()
        time.sleep(5)
    summary = load.summary()
    print(f"{WEB_HOSTS} web hosts, redeploy {deploy['wall_s']} s: {summary}")
    assert summary.failed == [], summary.failed[:5]
    before, after = load.summary(until=start), load.summary(since=end)
    assert len(before.hosts) == WEB_HOSTS, before
    assert set(before.revisions) == {"fixture-1"}, before
    assert (set(after.hosts), set(after.revisions)) == (set(before.hosts), {"four-hosts"}), after
    assert sorted(n > 0 for host, n in deploy["changed"].items() if host.startswith("i-")) == [True] * WEB_HOSTS
