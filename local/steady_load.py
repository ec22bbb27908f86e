"""A steady, bounded load on the site while a deploy runs: what a visitor would have seen.

    with SteadyLoad("https://127.0.0.1:PORT/", ca_file=".demo/ca/ca.crt") as load:
        ...  # the deploy
    print(load.summary())

Requests go out at a fixed rate (20 per second by default) from a small pool of threads, each with its own
connection, until the block ends or `limit_seconds` pass (the load stops by itself). Each answer is kept
with the host and revision the fixture app's page names (`host=... revision=...`).
"""

from __future__ import annotations

import http.client
import itertools
import re
import ssl
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

_PAGE = re.compile(r"host=(?P<host>\S+) revision=(?P<revision>\S+)")


@dataclass(frozen=True)
class Answer:
    sent: float  # seconds since the load started
    seconds: float
    status: int | None  # None: no HTTP answer (connection refused, reset, timed out)
    error: str = ""
    host: str = ""
    revision: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class Summary:
    requests: int
    failed: list[Answer]
    longest_gap: float  # the longest time without a successful answer, in seconds
    hosts: dict[str, int] = field(default_factory=dict)  # successful answers per host
    revisions: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (f"{self.requests} requests, {len(self.failed)} failed, longest gap {self.longest_gap:.2f} s, "
                f"by host {self.hosts}, by revision {self.revisions}")


class SteadyLoad:
    def __init__(self, url: str, rate: float = 20.0, limit_seconds: float = 1800.0, ca_file: str | None = None,
                 timeout: float = 10.0, workers: int = 8) -> None:
        self.url = urllib.parse.urlsplit(url)
        self.interval = 1.0 / rate
        self.limit_seconds = limit_seconds
        self.timeout = timeout
        self.context = ssl.create_default_context(cafile=ca_file) if self.url.scheme == "https" else None
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0

    def __enter__(self) -> SteadyLoad:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _run(self) -> None:
        sent = 0
        while not self._stop.is_set():
            due = self._started + sent * self.interval
            if due - self._started > self.limit_seconds:
                return
            self._stop.wait(max(0.0, due - time.monotonic()))
            if self._stop.is_set():
                return
            self._pool.submit(self._request)
            sent += 1

    def _connection(self) -> http.client.HTTPConnection:
        host, port = self.url.hostname or "127.0.0.1", self.url.port
        if self.context is not None:
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self.context)
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def _request(self) -> None:
        start = time.monotonic()
        connection = self._connection()
        try:
            connection.request("GET", self.url.path or "/")
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            page = _PAGE.search(body)
            answer = Answer(start - self._started, time.monotonic() - start, response.status,
                            "" if response.status == 200 else body[:200],
                            page["host"] if page else "", page["revision"] if page else "")
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(start - self._started, time.monotonic() - start, None, f"{type(error).__name__}: {error}")
        finally:
            connection.close()
        with self._lock:
            self.answers.append(answer)

    def summary(self, since: float = 0.0, until: float | None = None) -> Summary:
        """The answers to the requests sent between `since` and `until` (seconds since the start)."""
        with self._lock:
            answers = sorted((a for a in self.answers if a.sent >= since and (until is None or a.sent <= until)),
                             key=lambda a: a.sent)
        done = sorted(a.sent + a.seconds for a in answers if a.ok)
        edges = [answers[0].sent, *done, max(a.sent + a.seconds for a in answers)] if answers else []
        hosts: dict[str, int] = {}
        revisions: dict[str, int] = {}
        for answer in answers:
            if answer.ok:
                hosts[answer.host] = hosts.get(answer.host, 0) + 1
                revisions[answer.revision] = revisions.get(answer.revision, 0) + 1
        return Summary(requests=len(answers), failed=[a for a in answers if not a.ok],
                       longest_gap=max((b - a for a, b in itertools.pairwise(edges)), default=0.0),
                       hosts=hosts, revisions=revisions)

    def now(self) -> float:
        """Seconds since the load started (to mark a moment for summary())."""
        return time.monotonic() - self._started
