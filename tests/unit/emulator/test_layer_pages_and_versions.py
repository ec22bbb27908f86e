"""local/emulator/layer.py in-process (moto's mock_aws): engine versions read back with their patch level,
and the first pages SSM DescribeParameters (filtered) and IAM ListAccessKeys answer empty, as AWS may."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from local.emulator import layer


@pytest.fixture
def fixed(monkeypatch):
    """The layer's fixes that these tests exercise, undone after each test."""
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse
    from moto.iam.responses import IamResponse
    from moto.ssm.responses import SimpleSystemManagerResponse

    for cls, name in ((ElastiCacheBackend, "create_replication_group"), (ElastiCacheBackend, "describe_cache_clusters"),
                      (ElastiCacheBackend, "delete_replication_group"),
                      (ElastiCacheResponse, "modify_replication_group"),
                      (SimpleSystemManagerResponse, "describe_parameters"), (IamResponse, "list_access_keys")):
        monkeypatch.setattr(cls, name, getattr(cls, name))
    layer.fix_elasticache_replication_group_members()
    layer.fix_elasticache_engine_patch_versions()
    layer.fix_ssm_describe_parameters_best_effort_pages()
    layer.fix_iam_list_access_keys_best_effort_pages()


@pytest.mark.parametrize(
    ("engine", "requested", "reported"),
    [
        ("redis", "7.1", "7.1.0"), ("redis", "7.0", "7.0.7"), ("redis", "6.2", "6.2.6"), ("redis", "6.x", "6.2.6"),
        ("redis", "5.0.6", "5.0.6"), ("redis", None, "7.1.0"), (None, "7.1", "7.1.0"), ("valkey", "7.2", "7.2.6"),
        ("valkey", "8.0", "8.0.1"), ("valkey", None, "8.1.1"), ("redis", "9.9", "9.9.0"),
    ],
)
def test_reported_version(engine, requested, reported):
    assert layer.elasticache_reported_version(engine, requested) == reported


def member_version(client, group_id):
    group = client.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0]
    return {client.describe_cache_clusters(CacheClusterId=m)["CacheClusters"][0]["EngineVersion"]
            for m in group["MemberClusters"]}


@mock_aws
def test_a_group_reads_back_the_patch_level_after_create_and_upgrade(fixed):
    client = boto3.client("elasticache", region_name="ap-northeast-2")
    client.create_replication_group(ReplicationGroupId="v", ReplicationGroupDescription="d", Engine="redis",
                                    EngineVersion="7.0", CacheNodeType="cache.t3.micro", ReplicasPerNodeGroup=1)
    assert member_version(client, "v") == {"7.0.7"}
    client.modify_replication_group(ReplicationGroupId="v", EngineVersion="7.1", ApplyImmediately=True)
    assert member_version(client, "v") == {"7.1.0"}


@mock_aws
def test_a_filtered_describe_parameters_in_a_busy_account_answers_an_empty_first_page(fixed):
    ssm = boto3.client("ssm", region_name="ap-northeast-2")
    name_filter = [{"Key": "Name", "Option": "Equals", "Values": ["/a/two"]}]
    for name in ("/a/one", "/a/two"):
        ssm.put_parameter(Name=name, Value="v", Type="String")
    # A small account is answered on the first page (community.aws.ssm_parameter's waiter reads only that one).
    small = ssm.describe_parameters(ParameterFilters=name_filter)
    assert ([p["Name"] for p in small["Parameters"]], small.get("NextToken")) == (["/a/two"], None)
    for n in range(layer.SSM_PAGE_MAX - 1):
        ssm.put_parameter(Name=f"/filler/{n}", Value="v", Type="String")
    first = ssm.describe_parameters(ParameterFilters=name_filter)
    assert first["Parameters"] == []
    second = ssm.describe_parameters(ParameterFilters=name_filter, NextToken=first["NextToken"])
    assert [p["Name"] for p in second["Parameters"]] == ["/a/two"]
    paged = ssm.get_paginator("describe_parameters").paginate(ParameterFilters=name_filter).build_full_result()
    assert [p["Name"] for p in paged["Parameters"]] == ["/a/two"]
    assert len(ssm.describe_parameters()["Parameters"]) == 10  # without a filter, as moto answers (a page of 10)


@mock_aws
def test_a_bad_filter_still_fails_on_the_first_page(fixed):
    ssm = boto3.client("ssm", region_name="ap-northeast-2")
    with pytest.raises(ssm.exceptions.ClientError, match="ValidationException"):
        ssm.describe_parameters(ParameterFilters=[{"Key": "Nonsense", "Values": ["x"]}])


@mock_aws
def test_list_access_keys_answers_an_empty_truncated_first_page(fixed):
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="u")
    assert iam.list_access_keys(UserName="u")["AccessKeyMetadata"] == []  # no key: one plain page
    key = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    first = iam.list_access_keys(UserName="u")
    assert (first["AccessKeyMetadata"], first["IsTruncated"]) == ([], True)
    rest = iam.list_access_keys(UserName="u", Marker=first["Marker"])
    assert [k["AccessKeyId"] for k in rest["AccessKeyMetadata"]] == [key]
    paged = iam.get_paginator("list_access_keys").paginate(UserName="u").build_full_result()
    assert [k["AccessKeyId"] for k in paged["AccessKeyMetadata"]] == [key]


@mock_aws
def test_option_groups_listed_by_engine_answer_a_list_even_an_empty_one(monkeypatch):
    from moto.rds.models import RDSBackend

    monkeypatch.setattr(RDSBackend, "describe_option_groups", RDSBackend.describe_option_groups)
    layer.fix_rds_describe_option_groups_by_engine()
    rds = boto3.client("rds", region_name="ap-northeast-2")
    assert rds.describe_option_groups(EngineName="mysql", MajorEngineVersion="8.0")["OptionGroupsList"] == []
    rds.create_option_group(OptionGroupName="g", EngineName="mysql", MajorEngineVersion="8.0",
                            OptionGroupDescription="d")
    listed = rds.describe_option_groups(EngineName="mysql", MajorEngineVersion="8.0")["OptionGroupsList"]
    assert [g["OptionGroupName"] for g in listed] == ["g"]
    with pytest.raises(rds.exceptions.OptionGroupNotFoundFault):
        rds.describe_option_groups(OptionGroupName="missing")


class Zone:
    """A hosted zone example.com in moto in-process: one change at a time, and its record sets as listed."""

    def __init__(self):
        self.route53 = boto3.client("route53", region_name="us-east-1")
        self.id = self.route53.create_hosted_zone(Name="example.com", CallerReference="1")["HostedZone"]["Id"]

    def change(self, action, record_set):
        self.route53.change_resource_record_sets(HostedZoneId=self.id, ChangeBatch={"Changes": [
            {"Action": action, "ResourceRecordSet": record_set}]})

    def listed(self):
        return self.route53.list_resource_record_sets(HostedZoneId=self.id)["ResourceRecordSets"]


@pytest.fixture
def zone(monkeypatch):
    """The zone, with the layer's Route 53 fixes applied (undone after the test)."""
    from moto.route53.models import RecordSet, Route53Backend

    monkeypatch.setattr(RecordSet, "__init__", RecordSet.__init__)
    monkeypatch.setattr(Route53Backend, "change_resource_record_sets", Route53Backend.change_resource_record_sets)
    layer.fix_route53_alias_dns_name_as_aws_stores_it()
    layer.fix_route53_create_refused_only_for_the_same_name_and_type()
    with mock_aws():
        yield Zone()


def test_an_alias_targets_dns_name_reads_back_in_lower_case_with_a_final_dot(zone):
    sent = {"Sample-ALB-1.ap-northeast-2.elb.amazonaws.com": "sample-alb-1.ap-northeast-2.elb.amazonaws.com.",
            "two.elb.amazonaws.com.": "two.elb.amazonaws.com."}
    for number, name in enumerate(sent):
        zone.change("UPSERT", {"Name": f"r{number}.example.com", "Type": "A", "AliasTarget": {
            "HostedZoneId": "ZWKZPGTI48KDX", "DNSName": name, "EvaluateTargetHealth": True}})
    listed = zone.listed()
    assert [r["AliasTarget"]["DNSName"] for r in listed if r["Type"] == "A"] == list(sent.values())
    assert {r["Type"] for r in listed if "AliasTarget" not in r} == {"NS", "SOA"}


def test_a_record_set_deleted_then_created_again_is_created(zone):
    from botocore.exceptions import ClientError

    mx = {"Name": "mail.example.com.", "Type": "MX", "TTL": 300, "ResourceRecords": [{"Value": "10 mx.example.net"}]}
    txt = {"Name": "mail.example.com.", "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": '"v=spf1 ~all"'}]}
    zone.change("CREATE", mx)
    zone.change("CREATE", txt)
    zone.change("DELETE", mx)
    zone.change("CREATE", mx)  # moto alone: "... but it already exists" (the TXT sorts after it)
    held = sorted((r["Name"], r["Type"]) for r in zone.listed() if r["Type"] in ("MX", "TXT"))
    assert held == [("mail.example.com.", "MX"), ("mail.example.com.", "TXT")]
    with pytest.raises(ClientError, match="but it already exists"):
        zone.change("CREATE", {**mx, "Name": "MAIL.example.com"})
