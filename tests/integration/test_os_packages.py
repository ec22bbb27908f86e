"""The internal role os_packages (the package install of the nginx, ruby and rails_app roles) on two of its
three paths, each in a Debian 12 container of its own.

apt (test_os_packages_apt): the container as its image left it, without apt's package lists. Proved: check
mode downloads the lists (apt cannot predict without them) and predicts the install, as a change; the converge
installs; a second run and check mode change nothing. os_packages_changed follows.

yum, Amazon Linux 2 (test_os_packages_yum), without Amazon Linux 2: no AL2 image is available offline. The
container gets stub rpm, yum and amazon-linux-extras (tests/integration/amazon2_stubs) that log their argv and
keep a package list; git is installed and the topic python3.8 enabled beforehand. Proved: check mode runs
neither yum nor `amazon-linux-extras enable` and reports what yum would install, as a change; the converge
enables only the topic not yet enabled and installs only the missing packages; a second run and check mode on
the converged host change nothing and run neither again.

dnf (Amazon Linux 2023) is untested: no image offline."""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path

import pytest

from tests.integration.ansible_runner import run_playbook

IMAGE = "aws-intro/debian12-systemd:latest"  # tests/docker/build-base-image.sh
HOST = "os-packages-yum-stub"  # container names are global to the engine
APT_HOST = "os-packages-apt"
STUBS = Path(__file__).resolve().parent / "amazon2_stubs"
STATE = "/var/lib/amazon2-stub"


def image_exists() -> bool:
    try:
        return subprocess.run(["docker", "image", "inspect", IMAGE], capture_output=True, timeout=60,
                              check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not image_exists(), reason=f"no Docker engine or no {IMAGE} (make docker)")


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120, check=True).stdout


@contextlib.contextmanager
def container(name: str):
    """A container of IMAGE named `name` (an old one of that name removed first), removed afterwards."""
    subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=120, check=False)
    docker("run", "-d", "--name", name, "--label", "aws_intro.stack=os-packages", "--entrypoint", "sleep",
           IMAGE, "infinity")
    try:
        yield name
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def host():
    with container(HOST):
        for stub in ("rpm", "yum", "amazon-linux-extras"):
            docker("cp", str(STUBS / stub), f"{HOST}:/usr/local/bin/{stub}")
        docker("exec", HOST, "sh", "-c", f"mkdir -p {STATE} && echo git > {STATE}/installed"
                                         f" && echo python3.8 > {STATE}/enabled && : > {STATE}/calls.log")
        yield HOST


@pytest.fixture(scope="module")
def apt_host():
    with container(APT_HOST):
        yield APT_HOST


def calls(host: str) -> list[str]:
    return docker("exec", host, "cat", f"{STATE}/calls.log").splitlines()


def changes(host: str) -> list[str]:
    """The calls that change the host: yum and amazon-linux-extras enable."""
    return [call for call in calls(host) if call.startswith(("yum ", "amazon-linux-extras enable"))]


def play(host: str, check: bool = False, playbook: str = "os_packages.yml"):
    result = run_playbook(playbook, {}, check=check, inventory=f"{host},",
                          extra_vars={"ansible_connection": "community.docker.docker",
                                      "ansible_python_interpreter": "/usr/bin/python3"})
    assert result.rc == 0, result.stdout
    return result


def returned(result) -> list[str]:
    return re.findall(r'msg: os_packages_changed=(\w+)', result.stdout)


def test_os_packages_apt(apt_host):
    docker("exec", apt_host, "sh", "-c", "rm -rf /var/lib/apt/lists/* && ! command -v hello")
    predicted = play(apt_host, check=True, playbook="os_packages_apt.yml")
    assert predicted.changed_tasks() == [
        "aws_intro.stack.os_packages : Download apt's package lists on a host that has none (in check mode too)",
        "aws_intro.stack.os_packages : Install the packages (Debian family, apt)"], predicted.stdout
    assert returned(predicted) == ["True"], predicted.stdout
    docker("exec", apt_host, "sh", "-c", "! command -v hello")

    converged = play(apt_host, playbook="os_packages_apt.yml")
    assert converged.changed_tasks() == ["aws_intro.stack.os_packages : Install the packages (Debian family, apt)"]
    assert returned(converged) == ["True"], converged.stdout
    docker("exec", apt_host, "hello")

    for check in (False, True):
        again = play(apt_host, check=check, playbook="os_packages_apt.yml")
        assert again.count("changed", apt_host) == 0, again.changed_tasks()
        assert returned(again) == ["False"], again.stdout


def test_os_packages_yum(host):
    predicted = play(host, check=True)
    assert re.findall(r"yum would install: (.*)'", predicted.stdout) == ["nginx acl"], predicted.stdout
    # The command module skips the enable in check mode (not reported); the prediction is the change.
    assert predicted.changed_tasks() == ["aws_intro.stack.os_packages : Predict the yum install (check mode)"]
    assert changes(host) == [], "check mode ran yum or enabled a topic"
    assert calls(host) == ["amazon-linux-extras list", "rpm -q --queryformat %{NAME}\\n git nginx acl"]
    assert returned(predicted) == ["True"], predicted.stdout

    converged = play(host)
    assert converged.count("changed", host) == 2, converged.changed_tasks()
    assert changes(host) == ["amazon-linux-extras enable nginx1", "yum install -y nginx acl"]
    assert returned(converged) == ["True"], converged.stdout

    again = play(host)
    assert again.count("changed", host) == 0, again.changed_tasks()
    assert returned(again) == ["False"], again.stdout
    checked = play(host, check=True)
    assert checked.count("changed", host) == 0, checked.changed_tasks()
    assert "yum would install" not in checked.stdout
    assert len(changes(host)) == 2, "the second run or check mode ran yum or enabled a topic"
