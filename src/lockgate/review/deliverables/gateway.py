"""What the gateway's own settings add to the deliverables.

The settings model grows while the gateway is built (apps, agents, grants,
approvals, DLP, telemetry). This view reads the sections that exist and reports a
missing section as "not configured" rather than failing, so the review works with
any settings version.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .facts import Principal


class GatewayView:
    """Read-only view of gateway settings for the deliverable builders."""

    def __init__(self, settings: Any | None, source: str = "lockgate.yaml") -> None:
        self._settings = settings
        self._source = source

    @property
    def present(self) -> bool:
        return self._settings is not None

    def _section(self, name: str) -> list[Any]:
        value = getattr(self._settings, name, None) if self._settings else None
        return list(value) if isinstance(value, list | tuple) else []

    def upstream_kinds(self) -> set[str]:
        return {str(getattr(u, "kind", "")) for u in self._section("upstreams")}

    def principals(self) -> list[Principal]:
        """The gateway itself (per upstream credential) and its apps and agents."""
        found = [self._upstream_principal(u) for u in self._section("upstreams")]
        for kind, section in (("gateway app", "apps"), ("gateway agent", "agents")):
            for item in self._section(section):
                found.append(self._client_principal(item, kind))
        return found

    def _upstream_principal(self, upstream: Any) -> Principal:
        kind = str(getattr(upstream, "kind", "unknown"))
        auth = getattr(upstream, "auth", None)
        mode = str(getattr(auth, "mode", ""))
        static = mode == "key" or getattr(upstream, "api_key", None) is not None
        credential = {
            "bedrock_converse": "AWS credential chain",
            "azure_openai": f"Azure {mode or 'auth'}",
        }.get(kind, "API key" if static else "no credential")
        return Principal(
            name=f"lockgate -> {getattr(upstream, 'name', '?')}",
            kind="gateway upstream credential",
            platform="gateway",
            permissions=tuple(self._models_of(str(getattr(upstream, "name", "")))),
            scope=(credential,),
            static_keys=static,
            location=self._source,
        )

    def _models_of(self, upstream: str) -> list[str]:
        return sorted(
            f"{getattr(m, 'alias', '?')} ({', '.join(getattr(m, 'operations', []))})"
            for m in self._section("models")
            if getattr(m, "upstream", None) == upstream
        )

    def _client_principal(self, item: Any, kind: str) -> Principal:
        models = getattr(item, "models", None) or ["all models"]
        return Principal(
            name=str(getattr(item, "name", getattr(item, "id", "?"))),
            kind=kind,
            platform="gateway",
            permissions=tuple(str(m) for m in models),
            scope=(),
            static_keys=False,
            location=self._source,
        )

    def just_in_time(self) -> tuple[str, ...]:
        return tuple(str(g) for g in self._section("grants"))

    def human_approval(self) -> tuple[str, ...]:
        return tuple(str(a) for a in self._section("approvals"))

    def destinations(self) -> tuple[str, ...]:
        """Hosts the gateway may send model traffic to."""
        hosts = []
        for upstream in self._section("upstreams"):
            url = getattr(upstream, "base_url", None) or getattr(
                upstream, "endpoint", None
            )
            url = url or getattr(upstream, "endpoint_url", None)
            region = getattr(upstream, "region", None)
            if url:
                hosts.append(urlsplit(str(url)).hostname or str(url))
            elif region:
                hosts.append(f"bedrock-runtime.{region}.amazonaws.com")
        hosts += [str(d) for d in self._section("destinations")]
        return tuple(sorted(set(hosts)))

    def dlp_rules(self) -> tuple[str, ...]:
        return tuple(str(rule) for rule in self._section("dlp"))

    def telemetry(self) -> tuple[str, ...]:
        telemetry = (
            getattr(self._settings, "telemetry", None) if self._settings else None
        )
        return (str(telemetry),) if telemetry is not None else ()

    def readiness_url(self) -> str | None:
        server = getattr(self._settings, "server", None) if self._settings else None
        if server is None:
            return None
        scheme = "https" if getattr(server, "tls", None) else "http"
        return f"{scheme}://{server.host}:{server.port}/readyz"
