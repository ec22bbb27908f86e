"""The monitoring role against the emulator: alarms derived from the resources that exist,
their SNS topic, the dashboard built from the same definitions, idempotence and check mode,
alarms removed with their resource, and bad input refused before any AWS call."""

from __future__ import annotations

import json

import pytest

from tests.integration.ansible_runner import run_playbook

TEST_INVENTORY = "tests/integration/inventory"
STACK = "sample"  # tests/integration/inventory/group_vars/all/stack.yml
EMAILS = ["ops@example.com", "oncall@example.org"]
MONITORING_VARS = {"monitoring_alarm_emails": EMAILS, "test_output_vars": ["network_outputs", "monitoring_outputs"]}
WEB_METRICS = {("AWS/EC2", "StatusCheckFailed"), ("AWS/EC2", "CPUUtilization"),
               ("CWAgent", "mem_used_percent"), ("CWAgent", "disk_used_percent")}
ALB_METRICS = {"UnHealthyHostCount", "HTTPCode_ELB_5XX_Count", "TargetResponseTime"}
DB_METRICS = {"CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections"}
CACHE_METRICS = {"EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "CurrConnections"}
DB_ID = f"{STACK}-db"
CACHE_ID = f"{STACK}-cache"


def monitoring(aws_env, check=False, extra=None):
    return run_playbook("monitoring.yml", aws_env, inventory=TEST_INVENTORY, check=check,
                        extra_vars={**MONITORING_VARS, **(extra or {})}, args=("--tags", "monitoring"))


def alarms(aws):
    pages = aws("cloudwatch").get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{STACK}-alarm-")
    return {a["AlarmName"]: a for page in pages for a in page["MetricAlarms"]}


def by_resource(found, dimension):
    """{resource id: {metric names}} of the alarms with that dimension."""
    grouped = {}
    for alarm in found.values():
        dims = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
        if dimension in dims:
            grouped.setdefault(dims[dimension], set()).add((alarm["Namespace"], alarm["MetricName"]))
    return grouped


@pytest.fixture(scope="module")
def stack(emulator, aws_env, aws):
    """A fresh emulator with the network converged, plus an RDS instance and a replication group
    made with boto3 (their roles are not needed to prove the alarms follow them)."""
    emulator.reset()
    network = run_playbook("network.yml", aws_env, inventory=TEST_INVENTORY, args=("--tags", "network"))
    assert network.rc == 0, network.stdout[-4000:]
    tags = [{"Key": "Stack", "Value": STACK}]
    aws("rds").create_db_instance(DBInstanceIdentifier=DB_ID, Engine="mysql", DBInstanceClass="db.t3.micro",
                                  AllocatedStorage=20, MasterUsername="admin",
                                  MasterUserPassword="not-a-secret-1", Tags=tags)
    # Another stack's database must not be watched.
    aws("rds").create_db_instance(DBInstanceIdentifier="other-db", Engine="mysql", DBInstanceClass="db.t3.micro",
                                  AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-secret-1",
                                  Tags=[{"Key": "Stack", "Value": "other"}])
    aws("elasticache").create_replication_group(
        ReplicationGroupId=CACHE_ID, ReplicationGroupDescription="cache", Engine="redis",
        CacheNodeType="cache.t3.micro", ReplicasPerNodeGroup=1, Tags=tags)
    return network.outputs["network_outputs"]


@pytest.fixture(scope="module")
def converged(stack, aws_env):
    result = monitoring(aws_env)
    assert result.rc == 0, result.stdout[-4000:]
    return result


def test_converge_changes_and_publishes_outputs(converged):
    assert converged.changed > 0
    outputs = converged.outputs["monitoring_outputs"]
    assert outputs["topic_name"] == f"{STACK}-alarms"
    assert outputs["topic_arn"].endswith(f":{STACK}-alarms")
    assert outputs["dashboard_name"] == STACK
    assert outputs["dashboard_url"] == ("https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home"
                                        f"?region=ap-northeast-2#dashboards/dashboard/{STACK}")


def test_lookup_publishes_the_same_outputs_and_only_reads(converged, aws_env, recording):
    with recording() as rec:
        found = run_playbook("monitoring_lookup.yml", aws_env, inventory=TEST_INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.changed == 0, found.changed_tasks()
    published = converged.outputs["monitoring_outputs"]
    assert found.outputs["monitoring_outputs"] == {**published, "alarm_names": sorted(published["alarm_names"])}
    assert rec.writes() == {}


def test_lookup_of_a_stack_without_monitoring_publishes_empty_outputs_and_the_names(converged, aws_env):
    found = run_playbook("monitoring_lookup.yml", aws_env, inventory=TEST_INVENTORY, extra_vars={"stack_name": "other"})
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["monitoring_outputs"] == {
        "topic_arn": "", "topic_name": "other-alarms", "alarm_prefix": "other-alarm-", "alarm_names": [],
        "dashboard_name": "other", "dashboard_url": ""}


def test_topic_has_the_email_subscriptions(converged, aws):
    arn = converged.outputs["monitoring_outputs"]["topic_arn"]
    subs = aws("sns").list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert sorted((s["Protocol"], s["Endpoint"]) for s in subs) == sorted(("email", e) for e in EMAILS)


def test_every_resource_has_its_alarms_with_actions_to_the_topic(converged, stack, aws):
    found = alarms(aws)
    topic = converged.outputs["monitoring_outputs"]["topic_arn"]
    web = by_resource(found, "InstanceId")
    assert set(web) == set(stack["web_instance_ids"])
    assert all(metrics == WEB_METRICS for metrics in web.values())
    alb_dimension = stack["alb_arn"].split(":loadbalancer/")[1]
    assert {m for _, m in by_resource(found, "LoadBalancer")[alb_dimension]} == ALB_METRICS
    unhealthy = next(a for a in found.values() if a["MetricName"] == "UnHealthyHostCount")
    assert {d["Name"]: d["Value"] for d in unhealthy["Dimensions"]}["TargetGroup"] == \
        stack["target_group_arn"].split(":")[-1]
    assert by_resource(found, "DBInstanceIdentifier") == {DB_ID: {("AWS/RDS", m) for m in DB_METRICS}}
    assert by_resource(found, "CacheClusterId") == {
        f"{CACHE_ID}-00{n}": {("AWS/ElastiCache", m) for m in CACHE_METRICS} for n in (1, 2)}
    assert len(found) == 4 * len(stack["web_instance_ids"]) + 3 + 4 + 4 * 2
    for alarm in found.values():
        assert alarm["AlarmActions"] == [topic], alarm["AlarmName"]
        assert alarm["OKActions"] == [topic], alarm["AlarmName"]
        assert alarm["ActionsEnabled"] is True
    cpu = found[f"{STACK}-alarm-web-cpu-{stack['web_instance_ids'][0]}"]
    assert (cpu["ComparisonOperator"], cpu["Threshold"], cpu["Period"], cpu["EvaluationPeriods"], cpu["Statistic"]) == \
        ("GreaterThanThreshold", 80.0, 300, 2, "Average")
    liveness = found[f"{STACK}-alarm-web-status-check-{stack['web_instance_ids'][0]}"]
    assert liveness["TreatMissingData"] == "breaching"


def dashboard_widgets(aws):
    body = json.loads(aws("cloudwatch").get_dashboard(DashboardName=STACK)["DashboardBody"])
    return {w["properties"]["title"]: w for w in body["widgets"]}


def names_in(widget):
    return {part for row in widget["properties"]["metrics"] for part in row if isinstance(part, str)}


def test_dashboard_has_a_widget_per_concern_naming_the_real_ids(converged, stack, aws):
    widgets = dashboard_widgets(aws)
    assert list(widgets) == ["Liveness: status checks failed", "CPU utilisation (%)", "Memory used (%)",
                             "Root disk used (%)", "Network in / out (bytes)", "Load balancer requests and errors",
                             "RDS database", "ElastiCache", f"Alarms of {STACK}"]
    for title in ("Liveness: status checks failed", "CPU utilisation (%)", "Memory used (%)", "Root disk used (%)",
                  "Network in / out (bytes)"):
        assert set(stack["web_instance_ids"]) <= names_in(widgets[title]), title
    assert {"NetworkIn", "NetworkOut"} <= names_in(widgets["Network in / out (bytes)"])
    assert stack["alb_arn"].split(":loadbalancer/")[1] in names_in(widgets["Load balancer requests and errors"])
    assert {"RequestCount", "HTTPCode_ELB_5XX_Count"} <= names_in(widgets["Load balancer requests and errors"])
    assert DB_ID in names_in(widgets["RDS database"])
    assert {f"{CACHE_ID}-001", f"{CACHE_ID}-002"} <= names_in(widgets["ElastiCache"])
    alarm_arns = {a["AlarmArn"] for a in alarms(aws).values()}
    assert set(widgets[f"Alarms of {STACK}"]["properties"]["alarms"]) == alarm_arns


def test_second_run_changes_nothing_and_reads_the_alarms_once(converged, aws_env, recording):
    with recording() as rec:
        again = monitoring(aws_env)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    # One read of every alarm (the module runs for none of them: each run of it reads its alarm twice).
    assert rec.summary()["by_call"].get("monitoring:DescribeAlarms") == 1, rec.summary()["by_call"]
    assert "monitoring:PutMetricAlarm" not in rec.summary()["by_call"]
    # The topic is listed, then read once (sns_topic_info lists it again); sns_topic does not run: it would list
    # every topic of the region three more times.
    assert rec.summary()["by_call"].get("sns:ListTopics") == 2, rec.summary()["by_call"]


def test_check_mode_on_the_converged_stack_reports_no_change(converged, aws_env):
    check = monitoring(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()


ALARM_TASK = "aws_intro.stack.monitoring : Create or update the alarms (actions to the topic on ALARM and OK)"
# What an alarm is made of: everything DescribeAlarms returns but its state and timestamps.
ALARM_SETTINGS = ("AlarmName", "AlarmArn", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
                  "InsufficientDataActions", "MetricName", "Namespace", "Statistic", "Dimensions", "Period",
                  "EvaluationPeriods", "Threshold", "ComparisonOperator", "TreatMissingData")


def alarm_settings(aws):
    return {name: {key: alarm.get(key) for key in ALARM_SETTINGS} for name, alarm in alarms(aws).items()}


def test_a_deleted_alarm_is_reported_by_check_mode_then_made_again(converged, stack, aws_env, aws, recording):
    """Out-of-band change of tests/integration/drift.py: one of the stack's alarms deleted by hand."""
    before = alarm_settings(aws)
    deleted = f"{STACK}-alarm-web-cpu-{stack['web_instance_ids'][0]}"
    assert deleted in before
    aws("cloudwatch").delete_alarms(AlarmNames=[deleted])
    assert set(alarms(aws)) == set(before) - {deleted}
    with recording() as rec:
        check = monitoring(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed_tasks() == [ALARM_TASK], check.changed_tasks()
    assert f"changed: [localhost] => (item={deleted})" in check.stdout, check.stdout[-4000:]
    assert rec.writes() == {}, "check mode must not change anything"
    assert deleted not in alarms(aws)
    with recording() as rec:
        repair = monitoring(aws_env)
    assert repair.rc == 0, repair.stdout[-4000:]
    assert repair.changed_tasks() == [ALARM_TASK], repair.changed_tasks()
    assert rec.writes() == {"monitoring:PutMetricAlarm": 1}, rec.writes()
    assert alarm_settings(aws) == before


TOPIC_TASK = ("aws_intro.stack.monitoring : SNS topic of the alarms with an email subscription per "
              "monitoring_alarm_emails")


def topic_state(aws, arn):
    sns = aws("sns")
    return ({(s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]},
            {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]})


def test_a_changed_topic_is_reported_by_check_mode_then_put_back(converged, aws_env, aws, recording):
    """Out-of-band changes of the topic: a subscription added and a tag removed by hand."""
    arn = converged.outputs["monitoring_outputs"]["topic_arn"]
    before = topic_state(aws, arn)
    assert before[0] == {("email", email) for email in EMAILS}
    assert "Stack" in before[1]
    aws("sns").subscribe(TopicArn=arn, Protocol="email", Endpoint="intruder@example.net")
    aws("sns").untag_resource(ResourceArn=arn, TagKeys=["Stack"])
    with recording() as rec:
        check = monitoring(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed_tasks() == [TOPIC_TASK], check.changed_tasks()
    assert rec.writes() == {}, "check mode must not change anything"
    with recording() as rec:
        repair = monitoring(aws_env)
    assert repair.rc == 0, repair.stdout[-4000:]
    assert repair.changed_tasks() == [TOPIC_TASK], repair.changed_tasks()
    assert rec.writes() == {"sns:Unsubscribe": 1, "sns:TagResource": 1}, rec.writes()
    assert topic_state(aws, arn) == before
    assert monitoring(aws_env).changed == 0


def test_outputs_of_the_other_roles_are_used_when_set(converged, aws_env, aws):
    """database_outputs / cache_outputs name the resources instead of the tag lookup."""
    result = monitoring(aws_env, check=True, extra={
        "database_outputs": {"instance_id": "other-db"}, "cache_outputs": {"replication_group_id": CACHE_ID}})
    assert result.rc == 0, result.stdout[-4000:]
    names = result.outputs["monitoring_outputs"]["alarm_names"]
    assert f"{STACK}-alarm-db-cpu-other-db" in names
    assert f"{STACK}-alarm-db-cpu-{DB_ID}" not in names
    assert f"{STACK}-alarm-cache-evictions-{CACHE_ID}-001" in names


def test_outputs_with_their_status_are_not_read_again(converged, aws_env, recording):
    """Outputs published in the same play carry the status (and the cache's nodes): the role reads neither again."""
    with recording() as rec:
        result = monitoring(aws_env, check=True, extra={
            "database_outputs": {"instance_id": "other-db", "status": "available"},
            "cache_outputs": {"replication_group_id": "other-cache", "status": "available",
                              "member_clusters": ["other-cache-001", "other-cache-002"]}})
    assert result.rc == 0, result.stdout[-4000:]
    calls = rec.summary()["by_call"]
    assert not [c for c in calls if c.startswith("elasticache:") or c == "rds:DescribeDBInstances"], calls
    names = result.outputs["monitoring_outputs"]["alarm_names"]
    assert f"{STACK}-alarm-db-cpu-other-db" in names
    assert f"{STACK}-alarm-cache-evictions-other-cache-002" in names
    assert not [n for n in names if n.endswith((DB_ID, f"{CACHE_ID}-001"))], names
    # A resource its outputs call absent gets no alarms (as when read and not found).
    gone = monitoring(aws_env, check=True, extra={
        "database_outputs": {"instance_id": DB_ID, "status": "absent"},
        "cache_outputs": {"replication_group_id": CACHE_ID, "status": "deleting",
                          "member_clusters": [f"{CACHE_ID}-001"]}})
    assert gone.rc == 0, gone.stdout[-4000:]
    names = gone.outputs["monitoring_outputs"]["alarm_names"]
    assert not [n for n in names if "-alarm-db-" in n or "-alarm-cache-" in n], names


def test_removing_resources_removes_their_alarms_and_widgets(converged, stack, aws_env, aws):
    aws("rds").delete_db_instance(DBInstanceIdentifier=DB_ID, SkipFinalSnapshot=True)
    aws("elasticache").delete_replication_group(ReplicationGroupId=CACHE_ID)
    check = monitoring(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed > 0  # check mode predicts the deletions
    result = monitoring(aws_env)
    assert result.rc == 0, result.stdout[-4000:]
    found = alarms(aws)
    assert by_resource(found, "DBInstanceIdentifier") == {}
    assert by_resource(found, "CacheClusterId") == {}
    assert set(by_resource(found, "InstanceId")) == set(stack["web_instance_ids"])
    assert len(found) == 4 * len(stack["web_instance_ids"]) + 3
    widgets = dashboard_widgets(aws)
    assert "RDS database" not in widgets
    assert "ElastiCache" not in widgets
    assert monitoring(aws_env).changed == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param({"monitoring_alarm_emails": ["ops@example.com", "not-an-address"]},
                     "monitoring_alarm_emails: 'not-an-address' is not an email address", id="email"),
        pytest.param({"monitoring_alarm_overrides": {"web_cpu": {"threshold": 150}}},
                     "monitoring_alarm_overrides.web_cpu.threshold must be a number from 0 to 100", id="threshold"),
        pytest.param({"monitoring_alarm_overrides": {"db_connections": {"comparison_operator": "BiggerThan"}}},
                     "monitoring_alarm_overrides.db_connections.comparison_operator must be one of", id="operator"),
        pytest.param({"monitoring_alarm_overrides": {"web_cpuu": {"threshold": 50}}},
                     "monitoring_alarm_overrides.web_cpuu: alarms are", id="unknown-alarm"),
        pytest.param({"monitoring_alarm_period": 45}, "monitoring_alarm_period must be 10, 30 or a multiple of 60",
                     id="period"),
    ],
)
def test_bad_input_fails_before_any_aws_call_naming_the_variable(stack, aws_env, recording, extra, message):
    with recording() as rec:
        result = monitoring(aws_env, extra=extra)
    assert result.rc != 0
    assert message in result.stdout, result.stdout[-3000:]
    assert rec.summary()["total"] == 0, rec.summary()
