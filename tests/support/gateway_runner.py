"""Run the real gateway (uvicorn + the ASGI app) inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from lockgate.config.settings import Settings
from lockgate.gateway.app import GatewayApp
from lockgate.gateway.runtime import Runtime, RuntimeFactory, start_runtime
from lockgate.store.ledger import read_records
from support.ports import free_port


@dataclass
class RunningGateway:
    url: str
    settings: Settings
    runtime: Runtime

    def ledger(self) -> list[dict[str, Any]]:
        """Every ledger record so far, newest first, after a flush."""
        assert self.runtime.ledger.flush()
        return read_records(self.settings.server.ledger_path, last=1000)


def settings_for(
    tmp_path: Path,
    upstreams: list[dict[str, Any]],
    models: list[dict[str, Any]],
    **server: Any,
) -> Settings:
    return Settings.model_validate(
        {
            "server": {
                "host": "127.0.0.1",
                "port": free_port(),
                "auth": "none",
                "ledger_path": str(tmp_path / "ledger.sqlite3"),
                **server,
            },
            "upstreams": upstreams,
            "models": models,
        }
    )


@asynccontextmanager
async def running_gateway(
    settings: Settings, runtime_factory: RuntimeFactory = start_runtime
) -> AsyncIterator[RunningGateway]:
    holder: list[Runtime] = []

    async def factory(s: Settings) -> Runtime:
        runtime = await runtime_factory(s)
        holder.append(runtime)
        return runtime

    tls = settings.server.tls
    config = uvicorn.Config(
        GatewayApp(settings, factory),
        host=settings.server.host,
        port=settings.server.port,
        http="httptools",
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
    )
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if not server.started:
        raise RuntimeError("the gateway did not start")

    scheme = "https" if tls else "http"
    try:
        yield RunningGateway(
            f"{scheme}://127.0.0.1:{settings.server.port}", settings, holder[0]
        )
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
