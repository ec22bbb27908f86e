"""Integration tests: the collection's playbooks against moto server over HTTP.

One emulator serves the whole session; each test module resets it before building what it needs.
"""

from __future__ import annotations

import boto3
import pytest

from local.emulator.layer import SSM_PAGE_MAX
from local.emulator.recorder import Recording
from local.emulator.server import DEFAULT_REGION, MotoServer
from tests.integration.stack_network import build_network


@pytest.fixture(scope="session")
def emulator():
    with MotoServer() as server:
        yield server


@pytest.fixture(scope="session")
def aws_env(emulator):
    return emulator.environ(DEFAULT_REGION)


@pytest.fixture(scope="session")
def aws(emulator):
    """aws("ec2") -> a boto3 client on the emulator, in the stack's region."""

    def client(service: str, region: str = DEFAULT_REGION):
        return boto3.client(service, endpoint_url=emulator.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106

    return client


@pytest.fixture
def recording(emulator):
    """with recording() as rec: ...; rec.summary() -> the AWS calls made inside the block."""
    return lambda: Recording(emulator.url)


@pytest.fixture(scope="module")
def network(emulator, aws):
    """An emptied emulator with the stack's network built by boto3 (for roles that only look it up)."""
    emulator.reset()
    return build_network(aws)


@pytest.fixture
def busy_parameter_store(aws):
    """More parameters in the region than one DescribeParameters page, removed afterwards: the emulator then
    answers a filtered DescribeParameters with an empty first page and a NextToken, as AWS may (layer.py)."""
    ssm = aws("ssm")
    names = [f"/busy-account/parameter-{n:03d}" for n in range(SSM_PAGE_MAX + 1)]
    for name in names:
        ssm.put_parameter(Name=name, Value="filler", Type="String")
    yield names
    for start in range(0, len(names), 10):  # DeleteParameters takes 10 names at most
        ssm.delete_parameters(Names=names[start:start + 10])


# Longest first: make integration hands each worker one file at a time in the order collected here
# (--no-loadscope-reorder; xdist's default orders files by their number of tests), so the files that
# take longest start first and none of them starts last and stretches the run. By the per-file
# seconds of a whole run (printed below); a file not listed comes after these, in its usual order.
SLOWEST_FIRST = ("test_site.py", "test_network_inputs.py", "test_dns.py", "test_teardown.py", "test_interrupted.py",
                 "test_network.py", "test_storage.py", "test_database.py", "test_monitoring.py", "test_cache.py",
                 "test_mail.py")


def pytest_collection_modifyitems(items):
    rank = {name: index for index, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests keep their order


# Where CI's time goes, file by file: the sum of each file's setup, call and teardown times, and the
# worker that ran it (xdist sends every report to the controller, which prints this once).
_FILE_SECONDS: dict[str, list] = {}


def pytest_runtest_logreport(report):
    file_seconds = _FILE_SECONDS.setdefault(report.nodeid.split("::")[0], [0.0, ""])
    file_seconds[0] += report.duration
    gateway = getattr(getattr(report, "node", None), "gateway", None)
    file_seconds[1] = gateway.id if gateway else ""


def pytest_terminal_summary(terminalreporter):
    if not _FILE_SECONDS:
        return
    terminalreporter.section("seconds per test file (setup + call + teardown)")
    for path, (seconds, worker) in sorted(_FILE_SECONDS.items(), key=lambda item: -item[1][0]):
        terminalreporter.write_line(f"{seconds:8.0f} s  {worker:5}  {path}")
