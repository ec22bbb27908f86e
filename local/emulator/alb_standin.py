"""The local stand-in for an Application Load Balancer's data plane, as the emulator drives it.

`make demo` runs HAProxy in a container (local/alb.yml) with one backend per target group, named after
the group, and no server in it. The emulator is its control plane, as ELB's is on AWS: when a target is
registered, HAProxy gets a server for it (down until its health checks pass, as a new target is
``initial`` and receives no request); when a target is deregistered, HAProxy stops sending it new
requests (``draining``) and, after the deregistration delay, forgets it (``unused``). DescribeTargetHealth
reports what HAProxy's health checks found. Everything goes through HAProxy's runtime API on a Unix socket
(HAProxy 2.6 management guide, section 9.3: add server, enable health, set server ... health / state,
del server, show stat).
"""

from __future__ import annotations

import csv
import io
import socket
from dataclasses import dataclass


class StandInError(Exception):
    """The runtime API refused a command or could not be reached."""


@dataclass(frozen=True)
class ServerState:
    """A server of a backend as `show stat` gives it."""

    name: str
    address: str  # "10.0.1.5:3000"
    status: str  # UP, "UP 1/3" (going down), DOWN, "DOWN 1/3" (going up), DRAIN, MAINT, NOLB
    check_status: str  # INI, L7OK, L7STS, L4CON, L4TOUT, L7TOUT, SOCKERR, ... ("" when checks are off)
    check_code: str  # the HTTP status of the last L7 check


@dataclass(frozen=True)
class HealthCheck:
    """How HAProxy checks a target: the target group's health check settings (its path, matcher and
    timeout are the backend's, in the stand-in's configuration)."""

    port: int
    interval_seconds: float
    healthy_threshold: int
    unhealthy_threshold: int


class RuntimeApi:
    """HAProxy's runtime API on a Unix socket: one connection per batch of commands."""

    def __init__(self, path: str, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout

    def run(self, *commands: str) -> str:
        """Send the commands in one session (`;`-separated: HAProxy runs them in order, nothing between)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(self.timeout)
            try:
                connection.connect(self.path)
                connection.sendall(("; ".join(commands) + "\n").encode())
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
            except OSError as error:
                raise StandInError(f"HAProxy's runtime API at {self.path}: {error}") from error
        return b"".join(chunks).decode()

    def servers(self, backend: str) -> dict[str, ServerState] | None:
        """The backend's servers by name; None when HAProxy has no such backend."""
        rows = csv.DictReader(io.StringIO(self.run("show stat").lstrip("# ")))
        found: dict[str, ServerState] | None = None
        for row in rows:
            if row.get("pxname") != backend:
                continue
            found = found if found is not None else {}
            if row["svname"] not in ("FRONTEND", "BACKEND"):
                found[row["svname"]] = ServerState(row["svname"], row.get("addr", ""), row["status"],
                                                   row.get("check_status", ""), row.get("check_code", ""))
        return found

    def add(self, backend: str, name: str, address: str, port: int, check: HealthCheck) -> None:
        """A new server that gets no request until `rise` checks in a row pass (AWS: ``initial``)."""
        server = f"{backend}/{name}"
        out = self.run(f"add server {server} {address}:{port} check port {check.port}"
                       f" inter {int(check.interval_seconds * 1000)} rise {check.healthy_threshold}"
                       f" fall {check.unhealthy_threshold}",
                       # Added servers are in maintenance; enabled, a server starts up. Forced down in the
                       # same session, it takes no request before its checks pass.
                       f"enable server {server}", f"set server {server} health down", f"enable health {server}")
        if "New server registered" not in out:
            raise StandInError(f"add server {server}: {out.strip()}")

    def restart(self, backend: str, name: str) -> None:
        """A draining or removed server's target registered again: it takes requests once its checks pass."""
        self.run(f"set server {backend}/{name} state ready", f"set server {backend}/{name} health down")

    def drain(self, backend: str, name: str) -> None:
        """No new request to the server; those in flight finish (AWS: ``draining``)."""
        self.run(f"set server {backend}/{name} state drain")

    def remove(self, backend: str, name: str) -> None:
        """The server is forgotten (AWS: ``unused``). HAProxy deletes only a server in maintenance with no
        connection left: until then it stays in maintenance, and a later call deletes it."""
        self.run(f"set server {backend}/{name} state maint", f"del server {backend}/{name}")


def target_health(server: ServerState | None, deciding: bool = False) -> tuple[str, str | None, str | None]:
    """(State, Reason, Description) as DescribeTargetHealth gives them, for a registered target's server.

    ELBv2 API Reference, TargetHealth: ``initial`` (Elb.InitialHealthChecking) until the first health
    checks decide, ``healthy``, ``unhealthy`` with Target.ResponseCodeMismatch, Target.Timeout or
    Target.FailedHealthChecks. ``deciding``: the target is new (registered, not healthy since) and fewer
    than UnhealthyThresholdCount check intervals have passed, so failed checks cannot have decided yet
    (ALB user guide, "Health checks for your target groups": a target becomes unhealthy after
    UnhealthyThresholdCount consecutive failed checks); HAProxy, which starts the server down, cannot tell.
    """
    if server is None:
        return "initial", "Elb.RegistrationInProgress", "Target registration is in progress"
    if server.status.startswith("UP"):  # "UP 1/3": a check failed, not enough to take it out yet
        return "healthy", None, None
    if server.status.startswith("DOWN") and (deciding or server.check_status in ("", "INI", "L7OK")):
        return "initial", "Elb.InitialHealthChecking", "Initial health checks in progress"
    if server.check_status == "L7STS":
        return ("unhealthy", "Target.ResponseCodeMismatch",
                f"Health checks failed with these codes: [{server.check_code}]")
    if server.check_status.endswith("TOUT"):
        return "unhealthy", "Target.Timeout", "Request timed out"
    return "unhealthy", "Target.FailedHealthChecks", "Health checks failed"
