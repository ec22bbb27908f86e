"""playbooks/report.yml against the emulator: on an empty account and on a partial stack every part is
reported absent rather than failing; bad input fails before any AWS call. The report of the whole stack
(what AWS holds, a box per instance, no secret, a second run only reads) is tested on `make demo`'s stack,
in test_site.py."""

from __future__ import annotations

from tests.integration.report_files import PARTS, STACK, boxes, files, only_reads, parts, report
from tests.integration.stack_network import build_network


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
