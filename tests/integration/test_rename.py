"""A resource renamed in its own role is the resource the report names and the teardown deletes: the report
reads every name from the owner role's <role>_outputs (here monitoring_outputs.topic_name) and rebuilds none
of them, and the teardown is the owner role itself with monitoring_state absent."""

from __future__ import annotations

from tests.integration.ansible_runner import run_playbook
from tests.integration.report_files import PARTS, STACK, TEST_INVENTORY, files, parts, report
from tests.integration.stack_network import build_network

RENAMED = {"monitoring_topic_name": f"{STACK}-pager"}


def test_a_topic_renamed_in_its_role_is_named_by_the_report_and_deleted_by_the_teardown(
        emulator, aws_env, aws, tmp_path):
    emulator.reset()
    build_network(aws)  # the monitoring role looks the network up; boto3 makes it in a second
    built = run_playbook("monitoring.yml", aws_env, inventory=TEST_INVENTORY, args=("--tags", "monitoring"),
                         extra_vars={**RENAMED, "test_output_vars": ["monitoring_outputs"]})
    assert built.rc == 0, built.stdout[-4000:]
    topic_arn = built.outputs["monitoring_outputs"]["topic_arn"]
    assert topic_arn.endswith(f":{STACK}-pager")
    assert aws("sns").list_topics()["Topics"] == [{"TopicArn": topic_arn}]

    result = report(aws_env, tmp_path, **RENAMED)
    assert result.rc == 0, result.stdout[-4000:]
    markdown, _svg = files(tmp_path)
    # The renamed topic is found and named; the rest of the report is what the same stack reports anyway.
    assert f"topic `{STACK}-pager`" in markdown
    assert f"alarms notify the SNS topic `{topic_arn}`" in markdown
    assert f"{STACK}-alarms" not in markdown
    assert f"alarm_prefix: {STACK}-alarm-" in markdown
    assert f"dashboard_name: {STACK}" in markdown
    assert parts(markdown) == {**dict.fromkeys(PARTS, "*absent*"), "network": "present", "monitoring": "present"}

    torn = run_playbook("playbooks/teardown.yml", aws_env, inventory=TEST_INVENTORY, args=("--tags", "monitoring"),
                        extra_vars={**RENAMED, "stack_name": STACK, "teardown_confirm": STACK})
    assert torn.rc == 0, torn.stdout[-4000:]
    assert f"Delete the SNS topic and its subscriptions, {STACK}-pager" in torn.stdout
    assert aws("sns").list_topics()["Topics"] == []
