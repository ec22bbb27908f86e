"""`ansible-playbook site.yml` from the repository root against the emulator: the cloud play
makes the web instances, the real aws_ec2 inventory finds them, a container stands in for each,
and the hosts play reaches them through the docker connection. Limited to the network tag so
the host roles (tested in molecule) stay out of this test."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.integration.ansible_runner import run_playbook


def docker_engine() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def stack_containers() -> list[dict]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", "label=aws_intro.stack=sample", "--format", "{{json .}}"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return [json.loads(line) for line in out.splitlines()]


def remove_stack_containers() -> None:
    names = [c["Names"] for c in stack_containers()]
    if names:
        subprocess.run(["docker", "rm", "-f", *names], capture_output=True, check=True, timeout=120)


pytestmark = pytest.mark.skipif(not docker_engine(), reason="no Docker engine (make integration starts one)")


@pytest.fixture(scope="module")
def site(emulator, aws_env):
    emulator.reset()
    remove_stack_containers()
    first = run_playbook("site.yml", aws_env, args=("--tags", "network"))
    yield first
    remove_stack_containers()


def test_site_builds_the_network_and_reaches_every_web_host(site):
    assert site.rc == 0, site.stdout[-4000:]
    web_hosts = sorted(h for h in site.recap if h.startswith("i-"))
    assert len(web_hosts) == 2, site.recap
    for host in web_hosts:
        assert site.count("failed", host) == 0
        assert site.count("unreachable", host) == 0
        assert site.count("ok", host) >= 1  # facts were gathered over the docker connection
    running = {c["Names"]: c["State"] for c in stack_containers()}
    assert running == dict.fromkeys(web_hosts, "running")


def test_site_second_run_changes_nothing(site, aws_env):
    again = run_playbook("site.yml", aws_env, args=("--tags", "network"))
    assert again.rc == 0, again.stdout[-4000:]
    assert {host: again.count("changed", host) for host in again.recap} == dict.fromkeys(again.recap, 0)
