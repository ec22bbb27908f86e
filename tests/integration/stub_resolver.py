"""A DNS resolver stand-in on 127.0.0.1 for the dns role's delegation check (its
dns_delegation_resolvers and dns_delegation_resolver_port point at it): it answers NS queries with
the name servers it was given for a name, NXDOMAIN for any other name, and records the queries.

    with StubResolver({"aws-intro-sample.com": ["ns-1.awsdns-01.com"]}) as stub:
        run_playbook(..., extra_vars={"dns_delegation_resolvers": ["127.0.0.1"],
                                      "dns_delegation_resolver_port": stub.port})

Needs dnspython (requirements.txt), as community.general.dig does.
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class StubResolver:
    def __init__(self, name_servers: dict[str, list[str]]):
        self.name_servers = {name.rstrip(".").lower(): values for name, values in name_servers.items()}
        self.queries: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def answer(self, wire: bytes) -> bytes:
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.queries.append((name, dns.rdatatype.to_text(question.rdtype)))
        values = self.name_servers.get(name)
        if values is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.NS and values:
            response.answer.append(dns.rrset.from_text(question.name, 300, "IN", "NS", *[f"{v}." for v in values]))
        return response.to_wire()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self._sock.sendto(self.answer(wire), peer)

    def __enter__(self) -> StubResolver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
