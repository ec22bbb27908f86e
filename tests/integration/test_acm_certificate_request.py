"""aws_intro.stack.acm_certificate_request against the emulator: check mode predicts, the real run
requests and validates in the zone, both again change nothing; tags; new names mean a new
certificate; deletion refused while in use. The emulator issues certificates after
MOTO_ACM_VALIDATION_WAIT seconds (local/emulator/server.py sets 2)."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
DOMAIN = "certs.example"
NAME_TAG = "test-site"
PLAYBOOK = "acm_certificate_request.yml"


@pytest.fixture(scope="module")
def zone_id(emulator, aws):
    emulator.reset()
    zone = aws("route53").create_hosted_zone(Name=DOMAIN, CallerReference="acm-test")
    return zone["HostedZone"]["Id"].split("/")[-1]


def _run(aws_env, check=False, **test_vars):
    variables = {"test_domain_name": DOMAIN, "test_name_tag": NAME_TAG,
                 **{f"test_{key}": value for key, value in test_vars.items()}}
    result = run_playbook(PLAYBOOK, aws_env, extra_vars=variables, check=check, inventory=INVENTORY)
    return result


def _ok(result):
    assert result.rc == 0, result.stdout[-4000:]
    return result.outputs["test_result"]


def _certificates(aws):
    acm = aws("acm")
    return [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
            for c in acm.list_certificates()["CertificateSummaryList"]]


def _cnames(aws, zone_id):
    records = aws("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(r["Name"], r["ResourceRecords"][0]["Value"]) for r in records if r["Type"] == "CNAME"}


@pytest.fixture(scope="module")
def issued(zone_id, aws_env, aws):
    """The four runs of one request: check, real, check, real."""
    args = {"subject_alternative_names": [f"www.{DOMAIN}", f"*.{DOMAIN}"], "validation_zone_id": zone_id,
            "wait": True, "wait_timeout": 120, "tags": {"Stack": "test"}}
    runs = {}
    runs["check"] = _ok(_run(aws_env, check=True, **args))
    runs["certificates_after_check"] = _certificates(aws)
    runs["cnames_after_check"] = _cnames(aws, zone_id)
    runs["real"] = _ok(_run(aws_env, **args))
    runs["check_again"] = _ok(_run(aws_env, check=True, **args))
    runs["real_again"] = _ok(_run(aws_env, **args))
    return runs


def test_check_mode_predicts_a_request_and_makes_none(issued):
    assert issued["check"]["changed"] is True
    assert issued["check"]["certificate"]["certificate_arn"] is None
    assert issued["check"]["certificate"]["status"] == "PENDING_VALIDATION"
    assert issued["check"]["certificate"]["subject_alternative_names"] == sorted(
        [DOMAIN, f"www.{DOMAIN}", f"*.{DOMAIN}"])
    assert issued["certificates_after_check"] == []
    assert issued["cnames_after_check"] == set()


def test_real_run_requests_validates_in_the_zone_and_waits_for_issue(issued, aws, zone_id):
    result = issued["real"]
    assert result["changed"] is True
    assert result["validation_records_changed"] is True
    certificate = result["certificate"]
    assert certificate["status"] == "ISSUED"
    [stored] = _certificates(aws)
    assert stored["CertificateArn"] == certificate["certificate_arn"]
    assert sorted(stored["SubjectAlternativeNames"]) == sorted([DOMAIN, f"www.{DOMAIN}", f"*.{DOMAIN}"])
    assert stored["Status"] == "ISSUED"
    tags = aws("acm").list_tags_for_certificate(CertificateArn=stored["CertificateArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Name": NAME_TAG, "Stack": "test"}
    # Every validation record ACM asks for is in the zone, exactly once (apex and wildcard share one).
    wanted = {(o["ResourceRecord"]["Name"], o["ResourceRecord"]["Value"]) for o in stored["DomainValidationOptions"]}
    assert _cnames(aws, zone_id) == wanted
    assert {(r["name"], r["value"]) for r in certificate["validation_records"]} == wanted
    assert len(certificate["validation_records"]) == 2


def test_same_request_again_changes_nothing(issued):
    assert issued["check_again"]["changed"] is False, issued["check_again"]
    assert issued["real_again"]["changed"] is False, issued["real_again"]
    assert issued["real_again"]["certificate"]["certificate_arn"] == issued["real"]["certificate"]["certificate_arn"]
    assert issued["check_again"]["certificate"]["certificate_arn"] == issued["real"]["certificate"]["certificate_arn"]


def test_tags_change_in_place(issued, aws_env, aws):
    arn = issued["real"]["certificate"]["certificate_arn"]
    args = {"subject_alternative_names": [f"www.{DOMAIN}", f"*.{DOMAIN}"], "tags": {"Owner": "web"}}
    check = _ok(_run(aws_env, check=True, **args))
    assert check["changed"] is True
    assert check["certificate"]["tags"] == {"Name": NAME_TAG, "Owner": "web"}
    real = _ok(_run(aws_env, **args))
    assert real["changed"] is True
    assert real["certificate"]["certificate_arn"] == arn
    tags = aws("acm").list_tags_for_certificate(CertificateArn=arn)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Name": NAME_TAG, "Owner": "web"}
    assert _ok(_run(aws_env, **args))["changed"] is False


def test_other_names_are_another_certificate(issued, aws_env, aws):
    result = _ok(_run(aws_env, subject_alternative_names=[f"api.{DOMAIN}"]))
    assert result["changed"] is True
    assert result["certificate"]["certificate_arn"] != issued["real"]["certificate"]["certificate_arn"]
    assert result["certificate"]["status"] == "PENDING_VALIDATION"  # not waited for
    assert len(_certificates(aws)) == 2
    assert _ok(_run(aws_env, subject_alternative_names=[f"api.{DOMAIN}"], state="absent"))["changed"] is True
    assert len(_certificates(aws)) == 1


def test_validation_records_outside_the_zone_fail_clearly(issued, aws_env, aws):
    other = aws("route53").create_hosted_zone(Name="elsewhere.example", CallerReference="acm-other")
    result = _run(aws_env, validation_zone_id=other["HostedZone"]["Id"].split("/")[-1],
                  subject_alternative_names=[f"www.{DOMAIN}", f"*.{DOMAIN}"])
    assert result.rc != 0
    assert "outside zone elsewhere.example" in result.stdout


def test_deletion_is_refused_while_in_use_then_done(issued, aws_env, aws):
    arn = issued["real"]["certificate"]["certificate_arn"]
    args = {"subject_alternative_names": [f"www.{DOMAIN}", f"*.{DOMAIN}"], "state": "absent"}
    ec2, elb = aws("ec2"), aws("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"ap-northeast-2{z}")[
        "Subnet"]["SubnetId"] for i, z in ((0, "a"), (1, "b"))]
    alb = elb.create_load_balancer(Name="acm-test", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    listener = elb.create_listener(
        LoadBalancerArn=alb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": arn}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}])
    refused = _run(aws_env, **args)
    assert refused.rc != 0
    assert "in use" in refused.stdout
    assert arn in refused.stdout
    assert aws("acm").describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"

    elb.delete_listener(ListenerArn=listener["Listeners"][0]["ListenerArn"])
    assert _ok(_run(aws_env, check=True, **args))["changed"] is True
    assert [c["CertificateArn"] for c in _certificates(aws)] == [arn]
    assert _ok(_run(aws_env, **args))["changed"] is True
    assert _certificates(aws) == []
    assert _ok(_run(aws_env, check=True, **args))["changed"] is False
    assert _ok(_run(aws_env, **args))["changed"] is False
