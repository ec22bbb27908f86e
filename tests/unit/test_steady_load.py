"""local/steady_load.py: a steady, bounded load and what it reports (answers, failures, the longest gap),
against an HTTP server on the loopback address whose answers a test changes."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from local.steady_load import SteadyLoad


class Site(http.server.BaseHTTPRequestHandler):
    code = 200
    host = "ip-10-0-1-5"

    def do_GET(self):
        body = f"mysql_visits=1 redis_visits=1 host={Site.host} revision=r1\n".encode()
        self.send_response(Site.code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Site.code, Site.host = 200, "ip-10-0-1-5"
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_requests_go_out_at_the_rate_and_name_the_host_and_revision(site):
    with SteadyLoad(site, rate=50) as load:
        time.sleep(1.0)
    summary = load.summary()
    assert 45 <= summary.requests <= 55, summary
    assert summary.failed == []
    assert summary.hosts == {"ip-10-0-1-5": summary.requests}
    assert summary.revisions == {"r1": summary.requests}
    assert summary.longest_gap < 0.2


def test_failed_answers_are_counted_and_make_the_gap(site):
    with SteadyLoad(site, rate=50) as load:
        time.sleep(0.3)
        Site.code = 502
        time.sleep(0.5)
        Site.code = 200
        time.sleep(0.3)
    summary = load.summary()
    assert 20 <= len(summary.failed) <= 30, summary
    assert {answer.status for answer in summary.failed} == {502}
    assert 0.45 <= summary.longest_gap <= 0.7, summary


def test_a_refused_connection_is_a_failure_with_no_status(site):
    with SteadyLoad("http://127.0.0.1:9/", rate=20) as load:  # the discard port: nothing listens here
        time.sleep(0.3)
    summary = load.summary()
    assert summary.requests > 0
    assert [answer.status for answer in summary.failed] == [None] * summary.requests
    assert "ConnectionRefusedError" in summary.failed[0].error


def test_the_load_stops_by_itself_at_its_limit(site):
    load = SteadyLoad(site, rate=20, limit_seconds=0.5)
    with load:
        time.sleep(1.2)
    assert 9 <= load.summary().requests <= 12


def test_a_summary_covers_the_requests_sent_in_its_window(site):
    with SteadyLoad(site, rate=40) as load:
        time.sleep(0.5)
        middle = load.now()
        Site.host = "ip-10-0-2-7"
        time.sleep(0.5)
    assert set(load.summary(until=middle - 0.05).hosts) == {"ip-10-0-1-5"}
    assert set(load.summary(since=middle + 0.05).hosts) == {"ip-10-0-2-7"}
