"""The shared known-answer cases, and Azure upstream settings aimed at the simulator."""

from __future__ import annotations

from typing import Any

import yaml
from simulator import AzureSimulator

from lockgate.config.settings import (
    AzureEntraAuth,
    AzureKeyAuth,
    AzureOpenAIUpstream,
    TimeoutSettings,
)
from shared_data import shared_dir


def case(case_id: str) -> dict[str, Any]:
    """One case of the shared gateway-cases.yaml, by id."""
    path = shared_dir() / "cases" / "gateway-cases.yaml"
    with path.open(encoding="utf-8") as handle:
        for document in yaml.safe_load_all(handle):
            if document and document.get("id") == case_id:
                return dict(document)
    raise KeyError(case_id)


def entra_settings(
    sim: AzureSimulator, *, endpoint: str | None = None, **timeouts: float
) -> AzureOpenAIUpstream:
    """Entra client-secret auth against the simulator's token endpoint."""
    auth = AzureEntraAuth(
        mode="entra_client_secret",
        tenant_id=sim.config.tenant_id,
        client_id=sim.config.client_id,
        client_secret=sim.config.client_secret,
        authority_host=sim.authority,
    )
    return _settings(endpoint or sim.endpoint, auth, timeouts)


def key_settings(
    sim: AzureSimulator, *, endpoint: str | None = None, **timeouts: float
) -> AzureOpenAIUpstream:
    auth = AzureKeyAuth(mode="key", api_key=sim.config.api_keys[0])
    return _settings(endpoint or sim.endpoint, auth, timeouts)


def _settings(
    endpoint: str, auth: AzureEntraAuth | AzureKeyAuth, timeouts: dict[str, float]
) -> AzureOpenAIUpstream:
    return AzureOpenAIUpstream(
        kind="azure_openai",
        name="aoai",
        endpoint=endpoint,
        api_version="2024-10-21",
        auth=auth,
        timeouts=TimeoutSettings(**timeouts),
    )
