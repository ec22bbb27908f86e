"""accelerators/aws_intro_botocore_cache.py: boto3 sessions made one after another in one Python (as the modules of a
play are under Mitogen) parse each service model once, botocore is not imported before something asks for it, and
clients made from the shared model work (moto in-process).

Each case runs in a Python of its own: the venv made by `make setup` installs the accelerator in every interpreter
(its .pth file), this test's included, so a case starts with it off (AWS_INTRO_BOTOCORE_CACHE=0) and installs the
module from the checkout itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ACCELERATORS = Path(__file__).resolve().parents[3] / "accelerators"

PRELUDE = f"""
import json, os, sys
sys.path.insert(0, {str(ACCELERATORS)!r})
os.environ["AWS_INTRO_BOTOCORE_CACHE"] = os.environ["CASE_CACHE"]
import aws_intro_botocore_cache as cache
cache.install()
imported_early = "botocore" in sys.modules
import boto3
import botocore.loaders

parsed = []  # the JSON files botocore has read and parsed, as <service>/<file name>
load_file = botocore.loaders.JSONFileLoader.load_file
def counting(self, file_path):
    data = load_file(self, file_path)
    if data is not None:  # None: not in this search path
        parsed.append(os.path.basename(os.path.dirname(os.path.dirname(file_path))) + "/" + os.path.basename(file_path))
    return data
botocore.loaders.JSONFileLoader.load_file = counting

def ec2_models():
    return sum(1 for name in parsed if name == "ec2/service-2")

def client():
    session = boto3.session.Session(region_name="ap-northeast-2", aws_access_key_id="testing",
                                    aws_secret_access_key="testing")
    return session.client("ec2")
"""


def run_case(body: str, cache: str = "1") -> dict:
    env = {**os.environ, "AWS_INTRO_BOTOCORE_CACHE": "0", "CASE_CACHE": cache}
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(body)], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_botocore_is_not_imported_until_asked_for():
    result = run_case("print(json.dumps({'early': imported_early}))")
    assert result == {"early": False}


def test_sessions_of_one_process_parse_the_ec2_model_once():
    result = run_case("""
        first = client(); after_first = len(parsed)
        second = client(); third = client()
        print(json.dumps({"first": after_first, "more": len(parsed) - after_first,
                          "ec2_models": ec2_models()}))
    """)
    assert result["first"] > 0
    assert result["more"] == 0
    assert result["ec2_models"] == 1


def test_without_the_accelerator_each_session_parses_it_again():
    result = run_case("""
        client(); client(); client()
        print(json.dumps({"ec2_models": ec2_models()}))
    """, cache="0")
    assert result["ec2_models"] == 3


def test_another_data_path_has_a_cache_of_its_own(tmp_path):
    result = run_case(f"""
        default = botocore.loaders.create_loader()
        other = botocore.loaders.create_loader({str(tmp_path)!r})
        default_again = botocore.loaders.create_loader()
        default.load_service_model("ec2", "service-2"); by_default = ec2_models()
        other.load_service_model("ec2", "service-2"); by_other = ec2_models() - by_default
        default_again.load_service_model("ec2", "service-2"); by_default_again = ec2_models() - by_default - by_other
        print(json.dumps({{"by_default": by_default, "by_other": by_other, "by_default_again": by_default_again,
                          "shared": default._cache is default_again._cache,
                          "apart": default._cache is not other._cache}}))
    """)
    assert result == {"by_default": 1, "by_other": 1, "by_default_again": 0, "shared": True, "apart": True}


def test_clients_made_from_the_shared_model_work():
    pytest.importorskip("moto")
    result = run_case("""
        from moto import mock_aws
        with mock_aws():
            first, second = client(), client()
            made = first.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
            found = [vpc["VpcId"] for vpc in second.describe_vpcs()["Vpcs"]]
        model = lambda made_by: made_by.meta.service_model._service_description
        print(json.dumps({"made": made, "found": found, "one_model": model(first) is model(second)}))
    """)
    assert result["made"] in result["found"]
    assert result["one_model"] is True


def test_write_pth_installs_the_module_and_its_import(tmp_path):
    sys.path.insert(0, str(ACCELERATORS))
    try:
        import aws_intro_botocore_cache as cache
    finally:
        sys.path.remove(str(ACCELERATORS))
    pth = cache.write_pth(tmp_path)
    assert pth.read_text(encoding="utf-8") == "import aws_intro_botocore_cache; aws_intro_botocore_cache.install()\n"
    copied = (tmp_path / "aws_intro_botocore_cache.py").read_bytes()
    assert copied == (ACCELERATORS / "aws_intro_botocore_cache.py").read_bytes()
