"""Servers on loopback for the probe tests: DNS (dnspython), TLS, HTTP, bare TCP.

Every server binds to a 127.0.0.x address, answers only from its own table and
stops when its context exits; nothing here sends a packet anywhere else.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import threading
from collections.abc import Iterator

import dns.flags
import dns.message
import dns.rcode
import dns.rrset


@contextlib.contextmanager
def dns_server(records: dict[str, str], silent: bool = False) -> Iterator[int]:
    """A UDP DNS server answering A queries from ``records``; yields its port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            if not silent:
                sock.sendto(_answer(data, records), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        sock.close()


def _answer(data: bytes, records: dict[str, str]) -> bytes:
    query = dns.message.from_wire(data)
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    question = query.question[0]
    name = question.name.to_text().rstrip(".")
    if name not in records:
        response.set_rcode(dns.rcode.NXDOMAIN)
    elif question.rdtype == dns.rdatatype.A:
        response.answer.append(
            dns.rrset.from_text(question.name, 60, "IN", "A", records[name])
        )
    return response.to_wire()


class _Ready(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = b"ready" if self.status == 200 else b"not ready"
        self.send_response(self.status if self.path == "/readyz" else 404)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextlib.contextmanager
def https_server(
    context: ssl.SSLContext | None, status: int = 200, host: str = "127.0.0.1"
) -> Iterator[int]:
    """An HTTP(S) server answering ``GET /readyz`` with ``status``; yields its port."""
    handler = type("Ready", (_Ready,), {"status": status})
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.timeout = 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def tcp_listener(host: str, port: int = 0) -> Iterator[int]:
    """A bare TCP listener (the kernel accepts; nobody reads); yields its port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, port))
        sock.listen(8)
        yield sock.getsockname()[1]
