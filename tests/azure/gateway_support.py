"""Run the real gateway against the Azure simulator.

The gateway's own runtime opens an aiohttp session with the system's CA store, which
does not know the simulator's test CA. :func:`runtime_trusting` builds the same
runtime with a session that trusts it, to pass to
``support.gateway_runner.running_gateway``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from simulator import AzureSimulator

from lockgate.config.settings import Settings
from lockgate.gateway.pipeline import Pipeline
from lockgate.gateway.registry import Registry
from lockgate.gateway.runtime import Runtime, RuntimeFactory
from lockgate.store.ledger import Ledger
from lockgate.upstreams.factory import build_upstream
from support.gateway_runner import settings_for


def runtime_trusting(sim: AzureSimulator) -> RuntimeFactory:
    """Like ``start_runtime``, with upstream and Entra traffic trusting ``sim``."""

    async def start(settings: Settings) -> Runtime:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=sim.ssl_context())
        )
        registry = Registry(settings, lambda u: build_upstream(u, session))
        ledger = Ledger(settings.server.ledger_path)
        return Runtime(Pipeline(registry, ledger), ledger, session)

    return start


def entra_upstream(sim: AzureSimulator, name: str = "aoai") -> dict[str, Any]:
    """An ``azure_openai`` upstream entry with Entra client-secret auth on ``sim``."""
    return {
        "name": name,
        "kind": "azure_openai",
        "endpoint": sim.endpoint,
        "api_version": "2024-10-21",
        "auth": {
            "mode": "entra_client_secret",
            "tenant_id": sim.config.tenant_id,
            "client_id": sim.config.client_id,
            "client_secret": sim.config.client_secret,
            "authority_host": sim.authority,
        },
    }


def gateway_settings(
    tmp_path: Path, sim: AzureSimulator, models: list[dict[str, Any]]
) -> Settings:
    return settings_for(tmp_path, upstreams=[entra_upstream(sim)], models=models)
