"""What a running gateway holds: HTTP sessions, adapters, the pipeline, the ledger."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from lockgate.config.settings import Settings
from lockgate.gateway.pipeline import Pipeline
from lockgate.gateway.registry import Registry
from lockgate.store.ledger import Ledger
from lockgate.upstreams.factory import build_upstream


@dataclass(slots=True)
class Runtime:
    pipeline: Pipeline
    ledger: Ledger
    session: aiohttp.ClientSession

    async def close(self) -> None:
        for upstream in self.pipeline.registry.upstreams.values():
            await upstream.close()
        await self.session.close()
        self.ledger.close()


RuntimeFactory = Callable[[Settings], Awaitable[Runtime]]


async def start_runtime(
    settings: Settings, ssl_context: ssl.SSLContext | None = None
) -> Runtime:
    """Open the shared HTTP session and build every upstream adapter.

    ``ssl_context`` replaces the system's certificate store for upstream calls, for
    upstreams whose certificates come from a private CA.
    """
    ledger = Ledger(settings.server.ledger_path)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=sum(u.max_connections for u in settings.upstreams),
            ttl_dns_cache=60,
            ssl=ssl_context if ssl_context is not None else True,
        ),
        auto_decompress=True,
    )
    try:
        registry = Registry(settings, lambda u: build_upstream(u, session))
    except BaseException:
        await session.close()
        ledger.close()
        raise
    return Runtime(Pipeline(registry, ledger), ledger, session)
