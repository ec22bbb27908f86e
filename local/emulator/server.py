"""Start and stop a moto server on 127.0.0.1 for a test run or the demo.

Library use::

    with MotoServer() as moto:
        subprocess.run([...], env={**os.environ, **moto.environ()})

Command line (the Makefile uses these)::

    python -m local.emulator.server run -- ansible-playbook ...   # free port, stopped after
    python -m local.emulator.server start --state-dir .demo        # stays up (the demo)
    python -m local.emulator.server stop --state-dir .demo
    python -m local.emulator.server env --state-dir .demo          # shell exports
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_REGION = "ap-northeast-2"
AMIS_PATH = Path(__file__).with_name("amis.json")


def free_port(avoid: Collection[int] = ()) -> int:
    """Ask the kernel for a free TCP port on the loopback address, none of `avoid`.

    `avoid`: ports chosen before and not bound yet (the bastion's and the load balancer stand-in's are bound by Docker
    much later). The kernel may hand a port out again once the socket that asked for it is closed: measured here, 1 in
    2,000 consecutive calls gave the same port twice, and a benchmark's stand-in then could not bind its port. A port
    of `avoid` is kept bound while the kernel is asked again, so it cannot come back."""
    held = []
    try:
        while True:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(sock)
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
            if port not in avoid:
                return port
    finally:
        for sock in held:
            sock.close()


REPO_ROOT = Path(__file__).resolve().parents[2]


def server_command(port: int) -> list[str]:
    """moto server with the test-only fixes of local/emulator/layer.py, on this interpreter."""
    return [sys.executable, "-m", "local.emulator.layer", "-H", HOST, "-p", str(port)]


class MotoServer:
    """A moto server process bound to 127.0.0.1 on a port of its own."""

    def __init__(self, port: int | None = None, workdir: str | None = None, env: dict | None = None,
                 bastion_port: int | None = None):
        self.port = port or free_port()
        self.workdir = workdir or tempfile.mkdtemp(prefix="moto-")
        # The loopback port the local bastion container publishes its SSH on (local/ec2.yml).
        self.bastion_port = bastion_port or free_port(avoid={self.port})
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def environ(self, region: str = DEFAULT_REGION) -> dict:
        """Environment that points boto3, the modules and the aws_ec2 inventory at this server."""
        return environ_for(self.url, region, self.workdir, self.bastion_port)

    def start(self, timeout: float = 30.0) -> "MotoServer":
        env = {
            **os.environ,
            "MOTO_RECORDER_FILEPATH": str(Path(self.workdir) / "recording.jsonl"),
            # Certificates turn ISSUED after this many seconds (ACM DNS validation).
            "MOTO_ACM_VALIDATION_WAIT": os.environ.get("MOTO_ACM_VALIDATION_WAIT", "2"),
            # Every AWS account has the AWS managed policies (CloudWatchAgentServerPolicy, which the
            # storage role attaches for cloudwatch_agent); moto has them only when asked (about 2 s
            # more for the first IAM call after a start or reset).
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
            # Test-only AMI catalogue: the real names and owners of Debian 12 (136693071363,
            # wiki.debian.org/Cloud/AmazonEC2Image) and Amazon Linux 2023 (137112412989),
            # which moto's own catalogue lacks (it has no Debian images).
            "MOTO_AMIS_PATH": str(AMIS_PATH),
            # A deregistered load balancer target drains this many seconds at most (AWS: the target
            # group's deregistration delay, 300 s by default) before it is unused (local/emulator/layer.py).
            "LAYER_ELBV2_DRAINING_SECONDS": os.environ.get("LAYER_ELBV2_DRAINING_SECONDS", "3"),
            # A registered instance target is healthy when an HTTP check of its private address on the
            # group's path and port passes (AWS: the target group's health check); a result is kept this
            # many seconds (the check's interval here; 0 keeps moto's "every target healthy").
            "LAYER_ELBV2_HEALTH_CHECK_SECONDS": os.environ.get("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "2"),
            # `make demo`'s load balancer stand-in (local/alb.yml): HAProxy's runtime API, through which the
            # emulator gives it the target groups' targets and reads their health (local/emulator/layer.py).
            "LAYER_ELBV2_STANDIN_SOCKET": str(Path(self.workdir).resolve() / "alb" / "run" / "admin.sock"),
            # IAM is eventually consistent: EC2 refuses a new instance profile this many seconds.
            "LAYER_IAM_PROPAGATION_SECONDS": os.environ.get("LAYER_IAM_PROPAGATION_SECONDS", "3"),
            # A Route 53 change reads PENDING this many seconds before INSYNC (GetChange).
            "LAYER_ROUTE53_PENDING_SECONDS": os.environ.get("LAYER_ROUTE53_PENDING_SECONDS", "2"),
            # A certificate ACM just reported ISSUED is CertificateNotFound to ELBv2 this many seconds.
            "LAYER_ACM_ATTACH_SECONDS": os.environ.get("LAYER_ACM_ATTACH_SECONDS", "3"),
            # ACM refuses to delete a certificate this many seconds after its last listener is gone.
            "LAYER_ACM_RELEASE_SECONDS": os.environ.get("LAYER_ACM_RELEASE_SECONDS", "3"),
            # This share of the signed calls is throttled (each service's own error; botocore and AWSRetry retry).
            "LAYER_THROTTLE_SHARE": os.environ.get("LAYER_THROTTLE_SHARE", "0.02"),
            "LAYER_THROTTLE_SEED": os.environ.get("LAYER_THROTTLE_SEED", "0"),
            **self.extra_env,
        }
        log = open(Path(self.workdir) / "moto.log", "ab")  # noqa: SIM115 - closed with the process
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            server_command(self.port),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
            env=env,
            start_new_session=True,
        )
        wait_until_ready(self.url, timeout, self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def reset(self) -> None:
        """Forget every resource (moto's /moto-api/reset)."""
        post(f"{self.url}/moto-api/reset")

    def __enter__(self) -> "MotoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def environ_for(url: str, region: str = DEFAULT_REGION, local_dir: str | None = None,
                bastion_port: int | None = None) -> dict:
    """The emulator's address for boto3, the modules and the inventory; and for the local layer
    (inventories/local, local/), where the stack's private key lives, the bastion's SSH port and the
    load balancer stand-in's port."""
    local = {}
    if local_dir:
        # The load balancer stand-in's loopback port (local/alb.yml): its HTTP and HTTPS listeners.
        taken = {urllib.parse.urlsplit(url).port, bastion_port} - {None}
        local = {"AWS_INTRO_LOCAL_DIR": str(Path(local_dir).resolve()),
                 "AWS_INTRO_SITE_PORT": str(_kept_port(local_dir, "site", avoid=taken))}
    if bastion_port:
        local["AWS_INTRO_BASTION_PORT"] = str(bastion_port)
    return {
        **local,
        "AWS_ENDPOINT_URL": url,
        # amazon.aws reads AWS_URL as the fallback of endpoint_url; botocore reads AWS_ENDPOINT_URL.
        "AWS_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
    }


def post(url: str) -> bytes:
    request = urllib.request.Request(url, data=b"", method="POST")  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read()


def wait_until_ready(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=2):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"moto_server at {url} did not answer within {timeout} s")


def _state(state_dir: str) -> tuple[Path, Path]:
    path = Path(state_dir)
    return path / "moto.pid", path / "moto.port"


def _kept_port(state_dir: str, name: str, avoid: Collection[int] = ()) -> int:
    """A loopback port of the demo's: chosen once, kept in the state directory (NAME.port), none of `avoid` and
    none of the ports kept there already (the server's, the bastion's, the load balancer stand-in's)."""
    path = Path(state_dir) / f"{name}.port"
    if not path.exists():
        Path(state_dir).mkdir(parents=True, exist_ok=True)
        path.write_text(str(free_port(avoid={*avoid, *_kept_ports(state_dir)})))
    return int(path.read_text())


def _kept_ports(state_dir: str) -> set[int]:
    """The ports kept in the state directory (NAME.port)."""
    return {int(text) for text in (p.read_text().strip() for p in Path(state_dir).glob("*.port")) if text.isdigit()}


def _bastion_port(state_dir: str) -> int:
    """The demo bastion's loopback SSH port (local/ec2.yml)."""
    return _kept_port(state_dir, "bastion")


def start_detached(state_dir: str, port: int | None) -> str:
    """Start a long-lived server for the demo, or reuse the one already running."""
    pid_file, port_file = _state(state_dir)
    if pid_file.exists() and port_file.exists():
        url = f"http://{HOST}:{port_file.read_text().strip()}"
        try:
            os.kill(int(pid_file.read_text()), 0)
            # A TCP connect, not wait_until_ready: its /moto-api/data.json dumps the whole state,
            # which takes seconds once a stack exists, and a slow answer must not start a second server.
            with socket.create_connection((HOST, int(port_file.read_text())), timeout=5):
                return url
        except (OSError, ValueError):
            pass
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    port = port or free_port(avoid=_kept_ports(state_dir))
    server = MotoServer(port=port, workdir=str(Path(state_dir).resolve())).start()
    pid_file.write_text(str(server.process.pid))
    port_file.write_text(str(server.port))
    return server.url


def stop_detached(state_dir: str) -> bool:
    pid_file, port_file = _state(state_dir)
    if not pid_file.exists():
        return False
    with contextlib.suppress(OSError, ValueError):
        os.killpg(int(pid_file.read_text()), signal.SIGTERM)
    pid_file.unlink(missing_ok=True)
    port_file.unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.emulator.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="start on a free port, run a command with the env set, stop")
    run.add_argument("command", nargs=argparse.REMAINDER)
    for name in ("start", "stop", "env"):
        p = sub.add_parser(name)
        p.add_argument("--state-dir", default=".demo")
        if name == "start":
            p.add_argument("--port", type=int, default=None)
    for p in (run, *sub.choices.values()):
        if not any(a.dest == "region" for a in p._actions):
            p.add_argument("--region", default=os.environ.get("STACK_REGION", DEFAULT_REGION))
    args = parser.parse_args(argv)

    if args.action == "run":
        command = [c for c in args.command if c != "--"]
        if not command:
            parser.error("run needs a command after --")
        with MotoServer() as moto:
            print(f"emulator: moto server on {moto.url}", file=sys.stderr)
            return subprocess.call(command, env={**os.environ, **moto.environ(args.region)})
    if args.action == "start":
        url = start_detached(args.state_dir, args.port)
        print(f"emulator: moto server on {url}", file=sys.stderr)
        return 0
    if args.action == "stop":
        print("emulator: stopped" if stop_detached(args.state_dir) else "emulator: not running",
              file=sys.stderr)
        return 0
    _, port_file = _state(args.state_dir)
    if not port_file.exists():
        print("emulator: not running (make demo starts it)", file=sys.stderr)
        return 1
    url = f"http://{HOST}:{port_file.read_text().strip()}"
    for key, value in environ_for(url, args.region, args.state_dir, _bastion_port(args.state_dir)).items():
        print(f"export {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
