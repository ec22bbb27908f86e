"""playbooks/report.yml against the emulator: on an empty account and on a partial stack every part is
reported absent rather than failing; on the whole stack (one converge of playbooks/cloud.yml) the report
names the ids AWS holds, the diagram has a box per web instance, no secret appears anywhere, the run only
reads AWS, and a second run changes nothing. Bad input fails before any AWS call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.diagram import parse, resources
from tests.integration.ansible_runner import run_playbook
from tests.integration.stack_network import build_network

TEST_INVENTORY = "tests/integration/inventory"
STACK = "sample"  # inventories/local/group_vars/all/stack.yml
PARTS = ["network", "storage", "database", "cache", "dns", "mail", "monitoring"]
READS = ("Describe", "Get", "List", "GET", "HEAD")


def report(aws_env, report_dir: Path, *args: str, **extra):
    return run_playbook("playbooks/report.yml", aws_env, inventory=TEST_INVENTORY, args=args,
                        extra_vars={"report_dir": str(report_dir), **extra})


def files(report_dir: Path) -> tuple[str, str]:
    return ((report_dir / f"{STACK}-report.md").read_text(), (report_dir / f"{STACK}-diagram.svg").read_text())


def parts(markdown: str) -> dict[str, str]:
    """{part: 'present' or '*absent*'} from the report's Parts table."""
    return dict(re.findall(r"^\| (\w+) \| (present|\*absent\*) \|", markdown, re.MULTILINE))


def boxes(svg: str) -> dict[str, list[str]]:
    return resources(parse(svg))


def only_reads(recording) -> list[str]:
    """The calls of a recording that are not reads (should be none)."""
    return [c for c in recording.summary()["by_call"] if not c.split(":", 1)[1].startswith(READS)]


# The empty and partial accounts come first: the whole stack's module fixture resets the emulator
# and converges once, for every test after them.
def test_empty_account_reports_every_part_absent(emulator, aws_env, recording, tmp_path):
    emulator.reset()
    with recording() as rec:
        result = report(aws_env, tmp_path)
    assert result.rc == 0, result.stdout[-4000:]
    assert only_reads(rec) == []
    markdown, svg = files(tmp_path)
    assert parts(markdown) == dict.fromkeys(PARTS, "*absent*")
    assert "*none: nothing of the stack was found*" in markdown
    assert boxes(svg) == {}
    assert f"Nothing of stack {STACK} was found." in svg


def test_partial_stack_reports_what_exists(emulator, aws_env, aws, tmp_path):
    emulator.reset()
    network = build_network(aws)  # a VPC, subnets, groups and the private zone; no instance, no ALB
    result = report(aws_env, tmp_path)
    assert result.rc == 0, result.stdout[-4000:]
    markdown, svg = files(tmp_path)
    assert parts(markdown) == {**dict.fromkeys(PARTS, "*absent*"), "network": "present"}
    assert network["vpc_id"] in markdown
    assert "Load balancer: *absent*." in markdown
    drawn = boxes(svg)
    assert set(drawn) == {"vpc", "subnet", "zone"}
    assert drawn["vpc"] == [network["vpc_id"]]
    assert sorted(drawn["subnet"]) == sorted(network["public_subnet_ids"] + network["private_subnet_ids"])


def test_bad_input_fails_before_any_aws_call(aws_env, recording, tmp_path):
    with recording() as rec:
        result = report(aws_env, tmp_path, report_markdown_file="../escape.md")
    assert result.rc != 0
    assert "report_markdown_file must be a file name" in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


@pytest.fixture(scope="module")
def stack(emulator, aws_env):
    """A fresh emulator with the whole cloud play converged (about 3 minutes)."""
    emulator.reset()
    result = run_playbook("playbooks/cloud.yml", aws_env, inventory=TEST_INVENTORY)
    assert result.rc == 0, result.stdout[-4000:]
    return result


@pytest.fixture(scope="module")
def reported(stack, aws_env, tmp_path_factory):
    """The first report of the converged stack, run with -v (its output is checked for secrets)."""
    report_dir = tmp_path_factory.mktemp("report")
    result = report(aws_env, report_dir, "-v")
    assert result.rc == 0, result.stdout[-4000:]
    return result, report_dir


def test_first_run_writes_the_two_files(reported):
    result, report_dir = reported
    assert result.changed == 3, result.changed_tasks()  # the directory and the two files
    markdown, _svg = files(report_dir)
    assert f"![Diagram of stack {STACK}]({STACK}-diagram.svg)" in markdown
    assert parts(markdown) == dict.fromkeys(PARTS, "present")


def test_report_names_what_aws_holds(reported, aws):
    _result, report_dir = reported
    markdown, _svg = files(report_dir)
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [f"{STACK}-vpc"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    alb = aws("elbv2").describe_load_balancers(Names=[f"{STACK}-alb"])["LoadBalancers"][0]
    db = aws("rds").describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"][0]
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{STACK}-cache")["ReplicationGroups"][0]
    buckets = [b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(f"{STACK}-")]
    certificates = [c["CertificateArn"] for c in aws("acm").list_certificates()["CertificateSummaryList"]]
    zones = [z["Id"].split("/")[-1] for z in aws("route53").list_hosted_zones()["HostedZones"]]
    topic = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":{STACK}-alarms")]
    expected = {
        "VPC id": vpc,
        "load balancer DNS name": alb["DNSName"],
        "load balancer ARN": alb["LoadBalancerArn"],
        "RDS endpoint": db["Endpoint"]["Address"],
        "RDS ARN": db["DBInstanceArn"],
        "Redis primary endpoint": group["NodeGroups"][0]["PrimaryEndpoint"]["Address"],
        "Redis reader endpoint": group["NodeGroups"][0]["ReaderEndpoint"]["Address"],
        "SNS topic": topic[0],
        "site URL": "https://aws-intro-sample.com",  # stack_domain of the local inventory
        "dashboard": "#dashboards/dashboard/sample",
    }
    expected.update({f"subnet {s}": s for s in subnets})
    expected.update({f"bucket {b}": b for b in buckets})
    expected.update({f"certificate {c}": c for c in certificates})
    expected.update({f"zone {z}": z for z in zones})
    expected.update({f"web instance {i}": i for i in web_instance_ids(aws)})
    missing = {what: value for what, value in expected.items() if value not in markdown}
    assert missing == {}
    assert len(buckets) == 1
    assert f"nodes ({len(group['MemberClusters'])})" in markdown
    alarms = aws("cloudwatch").describe_alarms(AlarmNamePrefix=f"{STACK}-alarm-")["MetricAlarms"]
    assert alarms
    assert all(f"`{a['AlarmName']}`" in markdown for a in alarms)


def web_instance_ids(aws) -> list[str]:
    reservations = aws("ec2").describe_instances(Filters=[
        {"Name": "tag:Stack", "Values": [STACK]}, {"Name": "tag:Role", "Values": ["web"]},
        {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
    return sorted(i["InstanceId"] for r in reservations for i in r["Instances"])


def test_diagram_has_a_box_per_web_instance(reported, aws):
    _result, report_dir = reported
    _markdown, svg = files(report_dir)
    drawn = boxes(svg)
    web = web_instance_ids(aws)
    assert len(web) == 2
    assert sorted(drawn["web-instance"]) == web
    assert set(drawn) == {"users", "zone", "certificate", "vpc", "subnet", "alb", "target-group", "web-instance",
                          "database", "cache", "bucket", "mail", "monitoring"}  # no bastion in this stack
    assert drawn["database"] == [f"{STACK}-db"]
    assert drawn["cache"] == [f"{STACK}-cache"]


def test_no_secret_in_the_report_or_the_output(reported, aws):
    result, report_dir = reported
    markdown, svg = files(report_dir)
    pages = aws("ssm").get_paginator("get_parameters_by_path").paginate(
        Path=f"/{STACK}", Recursive=True, WithDecryption=True)
    secrets = {p["Name"]: p["Value"] for page in pages for p in page["Parameters"] if p["Type"] == "SecureString"}
    # database master and app passwords, the SMTP user's access key id and password
    assert len(secrets) >= 4, sorted(secrets)
    for name, value in secrets.items():
        assert len(value) >= 8
        assert value not in markdown, name
        assert value not in svg, name
        assert value not in result.stdout, name
        assert f"`{name}`" in markdown  # the parameter's name is shown instead


def test_second_run_only_reads_and_changes_nothing(reported, aws_env, recording):
    _first, report_dir = reported
    before = files(report_dir)
    with recording() as rec:
        again = report(aws_env, report_dir)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    assert files(report_dir) == before
    assert only_reads(rec) == []
