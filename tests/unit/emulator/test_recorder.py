"""How the API-call counter names recorded requests of each AWS protocol."""

from __future__ import annotations

import base64
import json

import pytest

from local.emulator.recorder import call_name, summarise

AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261125/ap-northeast-2/{}/aws4_request, SignedHeaders=host"


def entry(service: str, body: str = "", *, encoded: bool = False, url: str = "/", method: str = "POST",
          target: str | None = None) -> dict:
    headers = {"Authorization": AUTH.format(service)}
    if target:
        headers["X-Amz-Target"] = target
    if encoded:
        body = base64.b64encode(body.encode()).decode()
    return {"headers": headers, "method": method, "url": f"http://127.0.0.1:5000{url}",
            "body": body, "body_encoded": encoded}


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        (entry("ec2", "Action=DescribeVpcs&Version=2016-11-15"), "ec2:DescribeVpcs"),
        (entry("ec2", "Action=RunInstances&Version=2016-11-15", encoded=True), "ec2:RunInstances"),
        (entry("logs", "{}", target="Logs_20140328.DescribeLogGroups"), "logs:DescribeLogGroups"),
        (entry("ssm", "{}", target="AmazonSSM.PutParameter"), "ssm:PutParameter"),
        (entry("route53", url="/2013-04-01/hostedzone", method="GET"), "route53:GET /2013-04-01/hostedzone"),
        (entry("sts", url="/?Action=GetCallerIdentity&Version=2011-06-15", method="GET"), "sts:GetCallerIdentity"),
        ({"headers": {}, "method": "GET", "url": "http://127.0.0.1:5000/bucket", "body": ""}, "unknown:GET /bucket"),
    ],
)
def test_call_name(recorded, expected):
    assert call_name(recorded) == expected


def test_summarise_counts_per_call_most_first():
    lines = [json.dumps(entry("ec2", "Action=DescribeVpcs")) for _ in range(3)]
    lines += [json.dumps(entry("ec2", "Action=CreateVpc")), ""]
    assert summarise(lines) == {"total": 4, "by_call": {"ec2:DescribeVpcs": 3, "ec2:CreateVpc": 1}}
