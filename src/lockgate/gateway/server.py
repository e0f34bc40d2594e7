"""Run the gateway under uvicorn with uvloop and httptools."""

from __future__ import annotations

import uvicorn

from lockgate.config.settings import Settings
from lockgate.gateway.app import GatewayApp
from lockgate.gateway.runtime import start_runtime


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    server = settings.server
    tls = server.tls
    return uvicorn.Config(
        GatewayApp(settings, start_runtime),
        host=server.host,
        port=server.port,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        access_log=False,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        date_header=False,
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
        timeout_graceful_shutdown=10,
        limit_concurrency=server.max_concurrent_connections,
    )


def run(settings: Settings) -> None:
    uvicorn.Server(uvicorn_config(settings)).run()
