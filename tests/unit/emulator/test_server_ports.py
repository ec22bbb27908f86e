"""local/emulator/server.py: the loopback ports one emulator hands out (its own, the bastion's, the load balancer
stand-in's) are distinct even when the kernel gives the same free port twice, as it did here once in 2,000 calls."""

from __future__ import annotations

import pytest

from local.emulator import server


class Kernel:
    """socket.socket for free_port: bind(port 0) gets the next port of a script, and a bound port is not given out
    again while its socket is open (as the kernel does)."""

    def __init__(self, ports):
        self.ports = list(ports)
        self.bound: set[int] = set()

    def socket(self, *_args):
        kernel = self

        class Socket:
            port = None

            def bind(self, _address):
                self.port = next(p for p in kernel.ports if p not in kernel.bound)
                kernel.ports.remove(self.port)
                kernel.bound.add(self.port)

            def getsockname(self):
                return ("127.0.0.1", self.port)

            def close(self):
                kernel.bound.discard(self.port)

        return Socket()


@pytest.fixture
def kernel(monkeypatch):
    def install(*ports):
        fake = Kernel(ports)
        monkeypatch.setattr(server.socket, "socket", fake.socket)
        return fake

    return install


def test_free_port_asks_again_for_a_port_to_avoid_and_releases_every_socket(kernel):
    fake = kernel(40000, 40000, 40001)
    assert server.free_port(avoid={40000}) == 40001
    assert fake.bound == set()


def test_the_server_the_bastion_and_the_site_get_three_ports_when_the_kernel_repeats_itself(kernel, tmp_path):
    kernel(41000, 41000, 41000, 41001, 41001, 41002)
    moto = server.MotoServer(workdir=str(tmp_path))
    env = moto.environ()
    ports = [moto.port, moto.bastion_port, int(env["AWS_INTRO_SITE_PORT"])]
    assert ports == [41000, 41001, 41002]


def test_a_demo_port_is_none_of_the_ports_kept_already(kernel, tmp_path):
    (tmp_path / "moto.port").write_text("42000")
    (tmp_path / "bastion.port").write_text("42001\n")
    kernel(42000, 42001, 42002)
    assert server._kept_port(str(tmp_path), "site") == 42002
    assert (tmp_path / "site.port").read_text() == "42002"
    assert server._kept_port(str(tmp_path), "site") == 42002  # kept: not asked again
