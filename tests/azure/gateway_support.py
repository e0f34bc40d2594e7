"""Run the real gateway against the Azure simulator.

The gateway's runtime trusts the system's CA store by default, which does not know
the simulator's test CA; :func:`runtime_trusting` gives it the simulator's CA, to pass
to ``support.gateway_runner.running_gateway``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from simulator import AzureSimulator

from lockgate.config.settings import Settings
from lockgate.gateway.runtime import RuntimeFactory, start_runtime
from support.gateway_runner import settings_for


def runtime_trusting(sim: AzureSimulator) -> RuntimeFactory:
    """``start_runtime`` with upstream and Entra traffic trusting ``sim``'s CA."""
    return functools.partial(start_runtime, ssl_context=sim.ssl_context())


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
