"""local/emulator/layer.py's throttling, on an in-process moto server: each service answers its own throttling error
in its protocol's format (as botocore parses it), /moto-api/ is never throttled, the share is seeded, and moto's
recorder does not record a throttled call."""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from local.emulator import layer
from local.emulator.server import free_port, post

REGION = "ap-northeast-2"
NO_RETRY = Config(retries={"mode": "standard", "max_attempts": 1})


def server(monkeypatch, share: str, seed: str = "0"):  # type: ignore[no-untyped-def]
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    monkeypatch.setattr(DomainDispatcherApplication, "__call__", DomainDispatcherApplication.__call__)
    monkeypatch.setenv("LAYER_THROTTLE_SHARE", share)
    monkeypatch.setenv("LAYER_THROTTLE_SEED", seed)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    layer.fix_throttling()
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    return moto, f"http://127.0.0.1:{port}"


@pytest.fixture
def always(monkeypatch):
    moto, url = server(monkeypatch, "1")
    yield url
    moto.stop()


def client(url: str, service: str, config: Config = NO_RETRY):  # type: ignore[no-untyped-def]
    return boto3.client(service, region_name=REGION, endpoint_url=url, config=config)


CALLS = [
    ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded", 503),
    ("iam", lambda c: c.list_roles(), "Throttling", 400),
    ("rds", lambda c: c.describe_db_instances(), "Throttling", 400),
    ("elasticache", lambda c: c.describe_replication_groups(), "Throttling", 400),
    ("elbv2", lambda c: c.describe_load_balancers(), "Throttling", 400),
    ("ses", lambda c: c.list_identities(), "Throttling", 400),
    ("acm", lambda c: c.list_certificates(), "ThrottlingException", 400),
    ("ssm", lambda c: c.describe_parameters(), "ThrottlingException", 400),
    ("route53domains", lambda c: c.list_domains(), "ThrottlingException", 400),
    ("cloudwatch", lambda c: c.list_dashboards(), "Throttling", 400),
    ("sesv2", lambda c: c.get_account(), "TooManyRequestsException", 429),
    ("route53", lambda c: c.list_hosted_zones(), "Throttling", 400),
    ("route53", lambda c: c.change_resource_record_sets(HostedZoneId="Z1", ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.example.com", "Type": "A", "TTL": 60,
                                                   "ResourceRecords": [{"Value": "192.0.2.1"}]}}]}),
     "PriorRequestNotComplete", 400),
    ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
    ("s3", lambda c: c.put_object(Bucket="b", Key="k", Body=b"x" * 2048), "SlowDown", 503),
]


@pytest.mark.parametrize(("service", "call", "code", "status"), CALLS,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CALLS)])
def test_each_service_answers_its_own_throttling_error(always, service, call, code, status):
    with pytest.raises(ClientError) as raised:
        call(client(always, service))
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_botocore_retries_a_throttled_call_and_the_recorder_sees_only_the_calls_that_happened(monkeypatch, tmp_path):
    from moto.moto_api import recorder

    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording.jsonl"))  # read once, at import
    moto, url = server(monkeypatch, "0.3", seed="7")
    try:
        post(f"{url}/moto-api/recorder/reset-recording")
        post(f"{url}/moto-api/recorder/start-recording")
        iam = client(url, "iam", Config(retries={"mode": "legacy", "max_attempts": 20}))
        throttled = []
        iam.meta.events.register("needs-retry.iam", lambda response, **_: throttled.append(
            response and response[1].get("Error", {}).get("Code")))
        for _ in range(20):
            iam.list_roles()
        post(f"{url}/moto-api/recorder/stop-recording")
        with urllib.request.urlopen(f"{url}/moto-api/recorder/download-recording", timeout=10) as answer:  # noqa: S310
            recorded = [json.loads(line) for line in answer.read().decode().splitlines() if line.strip()]
    finally:
        moto.stop()
    assert throttled.count("Throttling") >= 1  # some were throttled (seeded: the same ones every run)
    assert len(recorded) == 20  # a throttled attempt never reached moto


def test_unsigned_and_moto_api_requests_are_never_throttled(always):
    with urllib.request.urlopen(f"{always}/moto-api/data.json", timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
    post(f"{always}/moto-api/reset")


def test_the_share_is_seeded():
    def draws(seed: int) -> list[bool]:
        import random

        chance = random.Random(seed)  # noqa: S311
        return [chance.random() < 0.02 for _ in range(1000)]

    assert draws(0) == draws(0)
    assert 5 <= sum(draws(0)) <= 40
