"""Live probes (``lockgate review --probe``): what this machine actually sees.

For every model endpoint the gateway settings or the infrastructure name, the
probes check that its name resolves to private addresses only, that TLS verifies,
and that no public address of it can be reached (from an AI subnet none should be).
They also ask the gateway's readiness endpoint. Nothing else is contacted: targets
come only from :func:`plan_targets`, every step has a timeout, and the resolver and
the connector are passed in, so tests point them at servers on loopback.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

import dns.exception
import dns.resolver

from lockgate.review.model import Inventory

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 3.0
DEFAULT_BUDGET_S = 60.0
READINESS_PATH = "/readyz"


class ProbeFailure(Exception):
    """A probe step failed; the message says what and why (no secrets)."""


class Resolver(Protocol):
    def resolve(self, host: str, timeout: float) -> list[str]:
        """Every A and AAAA address of ``host``; raise ProbeFailure when none."""
        ...


class Connector(Protocol):
    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        """An open TCP connection; raise OSError when it cannot be made."""
        ...


class DnsResolver:
    """dnspython, against given name servers (tests) or the system's (default)."""

    def __init__(self, nameservers: list[str] | None = None, port: int = 53) -> None:
        self._resolver = dns.resolver.Resolver(configure=nameservers is None)
        if nameservers is not None:
            self._resolver.nameservers = nameservers
        self._resolver.port = port

    def resolve(self, host: str, timeout: float) -> list[str]:
        addresses: list[str] = []
        failure: dns.exception.DNSException | None = None
        for kind in ("A", "AAAA"):
            try:
                answer = self._resolver.resolve(host, kind, lifetime=timeout)
            except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
                continue
            except dns.exception.DNSException as error:
                failure = error
                continue
            addresses += [str(record) for record in answer]
        if addresses:
            return addresses
        if failure is not None:
            raise ProbeFailure(f"lookup of '{host}' failed: {failure}")
        raise ProbeFailure(f"'{host}' has no A or AAAA record")


class SocketConnector:
    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((address, port), timeout=timeout)


def is_private_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    """A host to probe; ``kind`` is ``model`` or ``gateway``."""

    host: str
    port: int = 443
    kind: str = "model"
    tls: bool = True
    path: str = READINESS_PATH
    source: str = ""


@dataclass(frozen=True, slots=True)
class ProbeResult:
    probe: str  # dns | tls | public_egress | readiness
    target: str
    outcome: str  # pass | fail | error
    detail: str
    addresses: tuple[str, ...] = ()
    elapsed_ms: float = 0.0


@dataclass(slots=True)
class Prober:
    """Runs the probes for a list of targets, each step bounded by ``timeout``."""

    resolver: Resolver
    connector: Connector = field(default_factory=SocketConnector)
    # Learns a name's public addresses (e.g. a public DNS server), so the egress
    # probe can try them even where the name resolves privately.
    public_resolver: Resolver | None = None
    tls_context: ssl.SSLContext | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    budget: float = DEFAULT_BUDGET_S
    is_private: Callable[[str], bool] = is_private_address
    clock: Callable[[], float] = time.monotonic

    def run(self, targets: Iterable[ProbeTarget]) -> list[ProbeResult]:
        """Probe each target in turn until the time budget is spent."""
        results: list[ProbeResult] = []
        deadline = self.clock() + self.budget
        for target in targets:
            if self.clock() >= deadline:
                results.append(self._skipped(target))
                continue
            results += self._probe(target)
        return results

    def _skipped(self, target: ProbeTarget) -> ProbeResult:
        detail = (
            f"not probed: the probe time budget of {self.budget:g} s was spent; "
            "raise it or probe fewer hosts"
        )
        return ProbeResult("dns", f"{target.host}:{target.port}", "error", detail)

    def _probe(self, target: ProbeTarget) -> list[ProbeResult]:
        addresses, result = self._resolve(target)
        results = [result]
        if not addresses:
            return results

        if target.kind == "gateway":
            return [*results, self._timed("readiness", target, addresses, self._ready)]
        if target.tls:
            results.append(self._timed("tls", target, addresses, self._tls))
        results.append(self._timed("public_egress", target, addresses, self._egress))
        return results

    def _resolve(self, target: ProbeTarget) -> tuple[list[str], ProbeResult]:
        start = self.clock()
        try:
            addresses = _literal(target.host) or self.resolver.resolve(
                target.host, self.timeout
            )
        except ProbeFailure as error:
            return [], self._result("dns", target, "error", str(error), [], start)

        public = [a for a in addresses if not self.is_private(a)]
        if public and target.kind == "model":
            detail = f"resolves to public address(es) {', '.join(public)}"
            return addresses, self._result(
                "dns", target, "fail", detail, addresses, start
            )
        detail = "resolves to private address(es) only"
        return addresses, self._result("dns", target, "pass", detail, addresses, start)

    def _timed(
        self,
        probe: str,
        target: ProbeTarget,
        addresses: list[str],
        step: Callable[[ProbeTarget, list[str]], tuple[str, str]],
    ) -> ProbeResult:
        start = self.clock()
        try:
            outcome, detail = step(target, addresses)
        except (OSError, ProbeFailure, http.client.HTTPException) as error:
            outcome, detail = "error", _describe(error)
        return self._result(probe, target, outcome, detail, addresses, start)

    def _result(
        self,
        probe: str,
        target: ProbeTarget,
        outcome: str,
        detail: str,
        addresses: list[str],
        start: float,
    ) -> ProbeResult:
        elapsed = round((self.clock() - start) * 1000, 1)
        name = f"{target.host}:{target.port}"
        logger.debug("probe %s %s: %s", probe, name, outcome)
        return ProbeResult(probe, name, outcome, detail, tuple(addresses), elapsed)

    def _tls(self, target: ProbeTarget, addresses: list[str]) -> tuple[str, str]:
        context = self.tls_context or ssl.create_default_context()
        raw = self.connector.connect(addresses[0], target.port, self.timeout)
        try:
            with context.wrap_socket(raw, server_hostname=target.host) as wrapped:
                return "pass", f"verified, {wrapped.version()}"
        except ssl.SSLError as error:
            return "fail", f"TLS to '{target.host}' did not verify: {error.reason}"
        finally:
            raw.close()

    def _egress(self, target: ProbeTarget, addresses: list[str]) -> tuple[str, str]:
        public = [a for a in addresses if not self.is_private(a)]
        if self.public_resolver is not None:
            found = self.public_resolver.resolve(target.host, self.timeout)
            public += [a for a in found if not self.is_private(a) and a not in public]
        if not public and self.public_resolver is None:
            return "pass", (
                "resolves privately here, so no public address to try; give a "
                "public resolver to test that the public endpoint is blocked"
            )
        if not public:
            return "pass", "no public address to reach"
        reachable = [a for a in public if self._reachable(a, target.port)]
        if reachable:
            return "fail", f"public address(es) {', '.join(reachable)} reachable"
        return "pass", f"public address(es) {', '.join(public)} not reachable"

    def _reachable(self, address: str, port: int) -> bool:
        try:
            self.connector.connect(address, port, self.timeout).close()
        except OSError:
            return False
        return True

    def _ready(self, target: ProbeTarget, addresses: list[str]) -> tuple[str, str]:
        raw = self.connector.connect(addresses[0], target.port, self.timeout)
        if target.tls:
            context = self.tls_context or ssl.create_default_context()
            raw = context.wrap_socket(raw, server_hostname=target.host)
        try:
            status = _http_get(raw, target.host, target.path)
        finally:
            raw.close()
        outcome = "pass" if status == 200 else "fail"
        return outcome, f"GET {target.path} answered {status}"


def _http_get(sock: socket.socket, host: str, path: str) -> int:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    sock.sendall(request.encode("ascii"))
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status


def _literal(host: str) -> list[str]:
    if host == "localhost":
        return ["127.0.0.1"]
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return []


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return f"{type(error).__name__}: {error}"


def target_from_url(url: str, kind: str, source: str) -> ProbeTarget | None:
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    tls = parts.scheme != "http"
    port = parts.port or (443 if tls else 80)
    return ProbeTarget(parts.hostname, port, kind, tls, source=source)


def plan_targets(settings: object | None, inventory: Inventory) -> list[ProbeTarget]:
    """Hosts the gateway settings or the infrastructure name, and nothing else."""
    targets: list[ProbeTarget] = []
    for upstream in getattr(settings, "upstreams", None) or []:
        url = _upstream_url(upstream)
        target = target_from_url(url, "model", "lockgate.yaml") if url else None
        if target is not None:
            targets.append(target)
    targets += _infrastructure_targets(inventory)

    server = getattr(settings, "server", None)
    if server is not None:
        tls = getattr(server, "tls", None) is not None
        targets.append(
            ProbeTarget(
                str(server.host), int(server.port), "gateway", tls, source="server"
            )
        )
    unique = {(t.host, t.port, t.kind): t for t in targets}
    return sorted(unique.values(), key=lambda t: (t.kind, t.host, t.port))


def _upstream_url(upstream: object) -> str | None:
    for key in ("endpoint_url", "endpoint", "base_url"):
        value = getattr(upstream, key, None)
        if value:
            return str(value)
    region = getattr(upstream, "region", None)
    return f"https://bedrock-runtime.{region}.amazonaws.com" if region else None


def _infrastructure_targets(inventory: Inventory) -> list[ProbeTarget]:
    targets = []
    for account in inventory.resources:
        if account.type.lower() not in _AI_ACCOUNT_TYPES:
            continue
        subdomain = account.get("custom_subdomain_name")
        if not isinstance(subdomain, str) or "${" in subdomain or "[" in subdomain:
            continue
        kind = str(account.get("kind") or "").lower()
        zone = "openai.azure.com" if kind == "openai" else "cognitiveservices.azure.com"
        targets.append(ProbeTarget(f"{subdomain}.{zone}", source=str(account.location)))
    return targets


_AI_ACCOUNT_TYPES = frozenset(
    {
        "azurerm_cognitive_account",
        "azurerm_ai_services",
        "microsoft.cognitiveservices/accounts",
    }
)
