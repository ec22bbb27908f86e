"""Count the AWS API calls of a run with moto's recorder.

    with Recording(url) as rec:
        run_the_playbook()
    print(rec.summary())   # {"total": 57, "by_call": {"ec2:DescribeVpcs": 6, ...}}

Command line::

    python -m local.emulator.recorder --url http://127.0.0.1:PORT -- ansible-playbook ...

The server must be started with MOTO_RECORDER_FILEPATH writable (MotoServer does that);
recording is switched on and off through /moto-api/recorder/*.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

from local.emulator.server import post

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")


def call_name(entry: dict) -> str:
    """`service:Action` of one recorded request (query, JSON and REST protocols)."""
    headers = {k.lower(): v for k, v in entry.get("headers", {}).items()}
    match = _SCOPE.search(headers.get("authorization", ""))
    service = match.group(1) if match else "unknown"
    target = headers.get("x-amz-target")
    if target:
        return f"{service}:{target.rsplit('.', 1)[-1]}"
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    if "Action=" in body:
        action = urllib.parse.parse_qs(body).get("Action", ["?"])[0]
        return f"{service}:{action}"
    query = urllib.parse.urlparse(entry.get("url", "")).query
    action = urllib.parse.parse_qs(query).get("Action")
    if action:
        return f"{service}:{action[0]}"
    path = urllib.parse.urlparse(entry.get("url", "")).path
    return f"{service}:{entry.get('method', '?')} {path}"


# Calls that only read: the query/JSON actions Describe*, Get*, List*, Head* and the S3 REST reads.
READS = ("Describe", "Get", "List", "Head", "GET", "HEAD")


def is_read(call: str) -> bool:
    """Whether a `service:Action` name only reads."""
    return call.split(":", 1)[1].startswith(READS)


def summarise(lines: list[str]) -> dict:
    calls = collections.Counter(call_name(json.loads(line)) for line in lines if line.strip())
    return {"total": sum(calls.values()), "by_call": dict(calls.most_common())}


class Recording:
    """Record the calls made while the block runs."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.lines: list[str] = []

    def __enter__(self) -> "Recording":
        post(f"{self.url}/moto-api/recorder/reset-recording")
        post(f"{self.url}/moto-api/recorder/start-recording")
        return self

    def __exit__(self, *exc) -> None:
        post(f"{self.url}/moto-api/recorder/stop-recording")
        with urllib.request.urlopen(f"{self.url}/moto-api/recorder/download-recording",  # noqa: S310
                                    timeout=30) as response:
            self.lines = response.read().decode().splitlines()

    def summary(self) -> dict:
        return summarise(self.lines)

    def writes(self) -> dict:
        """{call: count} of the recorded calls that may change something (every call that is not a read)."""
        return {call: n for call, n in self.summary()["by_call"].items() if not is_read(call)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.emulator.recorder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("AWS_ENDPOINT_URL"))
    parser.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = [c for c in args.command if c != "--"]
    if not args.url or not command:
        parser.error("needs --url (or AWS_ENDPOINT_URL) and a command after --")
    with Recording(args.url) as rec:
        rc = subprocess.call(command)
    summary = rec.summary()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2)
    print(f"aws api calls: {summary['total']}", file=sys.stderr)
    for name, count in summary["by_call"].items():
        print(f"  {count:5d}  {name}", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
