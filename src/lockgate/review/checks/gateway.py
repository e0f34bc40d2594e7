"""Checks of the gateway's own configuration (``lockgate.yaml``).

The settings object carries no line numbers, so these findings have no location;
the resource is named by its place in the file (``server``, ``upstreams[name]``).

The gateway has no settings yet for token lifetimes, agent owners, approval rules,
destinations, DLP, telemetry or budgets, so nothing here checks them.
"""

from __future__ import annotations

import ipaddress
from typing import TypeVar
from urllib.parse import urlsplit

from lockgate.config.settings import (
    AzureKeyAuth,
    AzureOpenAIUpstream,
    BedrockUpstream,
    OpenAICompatibleUpstream,
)
from lockgate.review.model import Finding, Status

from .support import Check, CheckContext, finding

_U = TypeVar("_U")
_PRIVATE_SUFFIXES = (".vpce.amazonaws.com", ".privatelink.openai.azure.com")


def _host_kind(url: str) -> tuple[str, str]:
    """(host, one of 'loopback', 'private', 'public') for a URL."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return host, "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        private = host.endswith(_PRIVATE_SUFFIXES)
        return host, "private" if private else "public"
    if address.is_loopback:
        return host, "loopback"
    return host, "private" if address.is_private else "public"


def _where(name: str) -> str:
    return f"upstreams[{name}]"


def _upstreams_of(context: CheckContext, kind: type[_U]) -> list[_U]:
    """The gateway's upstreams of ``kind``; none when no gateway is reviewed."""
    if context.gateway is None:
        return []
    return [u for u in context.gateway.upstreams if isinstance(u, kind)]


def plain_http(context: CheckContext) -> list[Finding]:
    """LG-GW-001: upstreams off loopback use HTTPS."""
    if context.gateway is None:
        return []
    findings = []
    for upstream in context.gateway.upstreams:
        url = _url_of(upstream)
        if url is None:
            continue
        host, kind = _host_kind(url)
        scheme = urlsplit(url).scheme.lower()
        if scheme == "http" and kind != "loopback":
            status, message = Status.FAIL, f"calls {host} over plain http"
        else:
            status, message = Status.PASS, f"calls {host} over {scheme}"
        findings.append(
            _gateway("LG-GW-001", status, _where(upstream.name), message, url)
        )
    return findings


def _url_of(
    upstream: OpenAICompatibleUpstream | AzureOpenAIUpstream | BedrockUpstream,
) -> str | None:
    if isinstance(upstream, OpenAICompatibleUpstream):
        return upstream.base_url
    if isinstance(upstream, AzureOpenAIUpstream):
        return upstream.endpoint
    return upstream.endpoint_url


def _gateway(
    check_id: str, status: Status, where: str, message: str, seen: str
) -> Finding:
    result = finding(check_id, status, f"{where}: {message}", evidence=[seen])
    result.resource = where
    return result


def bedrock_private(context: CheckContext) -> list[Finding]:
    """LG-GW-002: Bedrock upstreams override the endpoint to a private one."""
    findings = []
    for upstream in _upstreams_of(context, BedrockUpstream):
        url = upstream.endpoint_url
        if url is None:
            status = Status.FAIL
            message = (
                f"has no endpoint_url, so it calls the public endpoint "
                f"bedrock-runtime.{upstream.region}.amazonaws.com"
            )
            seen = "endpoint_url not set"
        else:
            host, kind = _host_kind(url)
            status = Status.FAIL if kind == "public" else Status.PASS
            message = f"calls {host} ({kind})"
            seen = f"endpoint_url = {url}"
        findings.append(
            _gateway("LG-GW-002", status, _where(upstream.name), message, seen)
        )
    return findings


def azure_private(context: CheckContext) -> list[Finding]:
    """LG-GW-003: Azure OpenAI upstreams resolve to a private endpoint."""
    findings = []
    for upstream in _upstreams_of(context, AzureOpenAIUpstream):
        host, kind = _host_kind(upstream.endpoint)
        if kind == "public":
            status = Status.UNRESOLVED
            message = (
                f"calls {host}, which is private only if DNS resolves it through "
                "privatelink; run 'lockgate doctor' to show it"
            )
        else:
            status, message = Status.PASS, f"calls {host} ({kind})"
        findings.append(
            _gateway(
                "LG-GW-003", status, _where(upstream.name), message, upstream.endpoint
            )
        )
    return findings


def azure_entra(context: CheckContext) -> list[Finding]:
    """LG-GW-004: Azure OpenAI upstreams authenticate with Entra ID, not keys."""
    findings = []
    for upstream in _upstreams_of(context, AzureOpenAIUpstream):
        mode = upstream.auth.mode
        key = isinstance(upstream.auth, AzureKeyAuth)
        findings.append(
            _gateway(
                "LG-GW-004",
                Status.FAIL if key else Status.PASS,
                _where(upstream.name),
                "authenticates with a resource key" if key else f"uses {mode}",
                f"auth.mode = {mode}",
            )
        )
    return findings


def caller_auth(context: CheckContext) -> list[Finding]:
    """LG-GW-005: callers of the gateway authenticate."""
    if context.gateway is None:
        return []
    server = context.gateway.server
    if server.auth == "none":
        return [
            _gateway(
                "LG-GW-005",
                Status.FAIL,
                "server",
                f"callers are not authenticated (auth: none on {server.host})",
                "server.auth = none",
            )
        ]
    return [
        _gateway(
            "LG-GW-005", Status.PASS, "server", "callers authenticate", server.auth
        )
    ]


def listener_tls(context: CheckContext) -> list[Finding]:
    """LG-GW-006: a listener off loopback serves TLS."""
    if context.gateway is None:
        return []
    server = context.gateway.server
    if server.tls is not None:
        message, status = f"serves TLS on {server.host}", Status.PASS
    elif server.is_loopback():
        message, status = f"listens on loopback {server.host} without TLS", Status.PASS
    else:
        message, status = f"listens on {server.host} without TLS", Status.FAIL
    return [
        _gateway(
            "LG-GW-006",
            status,
            "server",
            message,
            f"server.host = {server.host}, tls {'set' if server.tls else 'not set'}",
        )
    ]


CHECKS: tuple[Check, ...] = (
    plain_http,
    bedrock_private,
    azure_private,
    azure_entra,
    caller_auth,
    listener_tls,
)
