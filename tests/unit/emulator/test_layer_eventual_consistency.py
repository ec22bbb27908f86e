"""local/emulator/layer.py in-process (moto's mock_aws): IAM instance profiles EC2 does not know yet, Route 53 changes
PENDING before INSYNC, and certificates the load balancer does not find just after ACM issued them."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local.emulator import layer

REGION = "ap-northeast-2"
DELAY = 0.6


def error(call) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


@pytest.fixture
def aws(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield


@pytest.fixture
def propagation(monkeypatch):
    import moto.ec2.models.iam_instance_profile as association_models
    import moto.ec2.responses.instances as instance_responses
    import moto.ec2.utils as ec2_utils
    from moto.iam.models import IAMBackend

    for module in (ec2_utils, association_models, instance_responses):
        monkeypatch.setattr(module, "filter_iam_instance_profiles", module.filter_iam_instance_profiles)
    for name in ("create_instance_profile", "add_role_to_instance_profile"):
        monkeypatch.setattr(IAMBackend, name, getattr(IAMBackend, name))
    monkeypatch.setenv("LAYER_IAM_PROPAGATION_SECONDS", str(DELAY))
    layer.fix_instance_profile_propagation()


def new_profile(iam, name: str = "web") -> str:
    iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    arn = iam.create_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Arn"]
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return arn


def image(ec2) -> str:
    return ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


def test_a_new_instance_profile_is_refused_by_associate_then_accepted(aws, propagation):
    iam, ec2 = boto3.client("iam"), boto3.client("ec2", region_name=REGION)
    instance = ec2.run_instances(ImageId=image(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    arn = new_profile(iam)
    code, message = error(lambda: ec2.associate_iam_instance_profile(
        IamInstanceProfile={"Arn": arn}, InstanceId=instance))
    assert code == "InvalidParameterValue"
    assert message == f"Value ({arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN"
    time.sleep(DELAY + 0.1)
    ec2.associate_iam_instance_profile(IamInstanceProfile={"Arn": arn}, InstanceId=instance)


def test_a_new_instance_profile_is_refused_by_run_instances_and_replace(aws, propagation):
    iam, ec2 = boto3.client("iam"), boto3.client("ec2", region_name=REGION)
    ami = image(ec2)  # before the profile: moto's first DescribeImages is slow
    new_profile(iam, "old")
    time.sleep(DELAY + 0.1)
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1,
                                 IamInstanceProfile={"Name": "old"})["Instances"][0]["InstanceId"]
    new_profile(iam, "new")
    assert error(lambda: ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1,
                                           IamInstanceProfile={"Name": "new"}))[1].endswith(
        "for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
    association = ec2.describe_iam_instance_profile_associations()["IamInstanceProfileAssociations"][0]
    assert association["InstanceId"] == instance
    assert error(lambda: ec2.replace_iam_instance_profile_association(
        IamInstanceProfile={"Name": "new"}, AssociationId=association["AssociationId"]))[0] == "InvalidParameterValue"
    time.sleep(DELAY + 0.1)
    ec2.replace_iam_instance_profile_association(IamInstanceProfile={"Name": "new"},
                                                 AssociationId=association["AssociationId"])


@pytest.fixture
def pending(monkeypatch):
    from moto.route53.responses import Route53

    for name in ("change_resource_record_sets", "create_hosted_zone", "get_change"):
        monkeypatch.setattr(Route53, name, getattr(Route53, name))
    monkeypatch.setenv("LAYER_ROUTE53_PENDING_SECONDS", str(DELAY))
    layer.fix_route53_changes_pending()


def test_route53_changes_are_pending_then_insync(aws, pending):
    route53 = boto3.client("route53")
    created = route53.create_hosted_zone(Name="example.com", CallerReference="1")
    assert created["ChangeInfo"]["Status"] == "PENDING"
    change = route53.change_resource_record_sets(
        HostedZoneId=created["HostedZone"]["Id"],
        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
            "Name": "www.example.com", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]}}]},
    )["ChangeInfo"]
    assert change["Status"] == "PENDING"
    assert change["Id"] != created["ChangeInfo"]["Id"]
    assert route53.get_change(Id=change["Id"])["ChangeInfo"] | {"SubmittedAt": None} == {
        "Id": change["Id"], "Status": "PENDING", "SubmittedAt": None}
    time.sleep(DELAY + 0.1)
    assert route53.get_change(Id=change["Id"])["ChangeInfo"]["Status"] == "INSYNC"
    assert route53.get_change(Id=created["ChangeInfo"]["Id"])["ChangeInfo"]["Status"] == "INSYNC"


def certificate_fix(monkeypatch, seconds: float) -> None:
    from moto import settings
    from moto.acm.models import CertBundle
    from moto.elbv2.models import ELBv2Backend

    monkeypatch.setattr(CertBundle, "check", CertBundle.check)
    for name in ("create_listener", "modify_listener", "add_listener_certificates"):
        monkeypatch.setattr(ELBv2Backend, name, getattr(ELBv2Backend, name))
    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", 0)
    monkeypatch.setenv("LAYER_ACM_ATTACH_SECONDS", str(seconds))
    layer.fix_certificate_not_attachable_just_after_issue()


@pytest.fixture
def fresh_certificates(monkeypatch):
    certificate_fix(monkeypatch, DELAY)


def load_balancer(ec2, elb) -> tuple[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")
               ["Subnet"]["SubnetId"] for i, z in ((0, "a"), (1, "b"))]
    alb = elb.create_load_balancer(Name="alb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    group = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    return alb, group["TargetGroupArn"]


def issued(acm, domain: str) -> str:
    arn = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    time.sleep(0.05)  # moto: ISSUED once more than ACM_VALIDATION_WAIT (0) seconds went by
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"
    return arn


def test_a_just_issued_certificate_is_not_found_by_the_load_balancer_a_while(aws, fresh_certificates):
    ec2, elb, acm = (boto3.client(s, region_name=REGION) for s in ("ec2", "elbv2", "acm"))
    alb, group = load_balancer(ec2, elb)
    first = issued(acm, "example.com")
    https = {"LoadBalancerArn": alb, "Protocol": "HTTPS", "Port": 443,
             "DefaultActions": [{"Type": "forward", "TargetGroupArn": group}]}
    assert error(lambda: elb.create_listener(**https, Certificates=[{"CertificateArn": first}])) == (
        "CertificateNotFound", f"Certificate '{first}' not found")
    time.sleep(DELAY + 0.1)
    listener = elb.create_listener(**https, Certificates=[{"CertificateArn": first}])["Listeners"][0]["ListenerArn"]

    second = issued(acm, "www.example.com")
    assert error(lambda: elb.modify_listener(ListenerArn=listener, Certificates=[{"CertificateArn": second}]))[0] == (
        "CertificateNotFound")
    assert error(lambda: elb.add_listener_certificates(ListenerArn=listener,
                                                       Certificates=[{"CertificateArn": second}]))[0] == (
        "CertificateNotFound")
    time.sleep(DELAY + 0.1)
    elb.add_listener_certificates(ListenerArn=listener, Certificates=[{"CertificateArn": second}])
    elb.modify_listener(ListenerArn=listener, Certificates=[{"CertificateArn": second}])


def test_without_a_delay_the_certificate_is_attachable_at_once(aws, monkeypatch):
    certificate_fix(monkeypatch, 0)
    ec2, elb, acm = (boto3.client(s, region_name=REGION) for s in ("ec2", "elbv2", "acm"))
    alb, group = load_balancer(ec2, elb)
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTPS", Port=443, Certificates=[
        {"CertificateArn": issued(acm, "example.com")}], DefaultActions=[{"Type": "forward", "TargetGroupArn": group}])


@pytest.fixture
def certificates_in_use(monkeypatch):
    from moto.acm.models import AWSCertificateManagerBackend
    from moto.elbv2.models import ELBv2Backend

    backend = AWSCertificateManagerBackend
    monkeypatch.setattr(backend, "delete_certificate", backend.delete_certificate)
    for name in ("delete_listener", "delete_load_balancer"):
        monkeypatch.setattr(ELBv2Backend, name, getattr(ELBv2Backend, name))
    certificate_fix(monkeypatch, 0)
    monkeypatch.setenv("LAYER_ACM_RELEASE_SECONDS", str(DELAY))
    layer.fix_certificate_in_use_by_after_listener_deletion()
    layer.fix_delete_certificate_in_use()


def test_a_certificate_in_use_is_not_deleted_until_a_while_after_its_listener_goes(aws, certificates_in_use):
    ec2, elb, acm = (boto3.client(s, region_name=REGION) for s in ("ec2", "elbv2", "acm"))
    alb, group = load_balancer(ec2, elb)
    arn = issued(acm, "example.com")
    unused = issued(acm, "www.example.com")
    listener = elb.create_listener(LoadBalancerArn=alb, Protocol="HTTPS", Port=443,
                                   Certificates=[{"CertificateArn": arn}],
                                   DefaultActions=[{"Type": "forward", "TargetGroupArn": group}])["Listeners"][0]
    acm.delete_certificate(CertificateArn=unused)  # no user: deleted at once

    code, message = error(lambda: acm.delete_certificate(CertificateArn=arn))
    assert code == "ResourceInUseException"
    assert message == "The certificate is in use by another Amazon Web Services service in the caller's account."
    elb.delete_listener(ListenerArn=listener["ListenerArn"])
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == []
    assert error(lambda: acm.delete_certificate(CertificateArn=arn))[0] == "ResourceInUseException"
    time.sleep(DELAY + 0.1)
    acm.delete_certificate(CertificateArn=arn)
    assert arn not in [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]]
