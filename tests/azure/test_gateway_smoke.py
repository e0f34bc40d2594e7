"""The Azure adapter behind the real gateway: one call in on each inbound shape.

The full AZ-001 and AZ-003 cases through the gateway live with the gateway's tests;
this proves the simulator and the runtime helper work for them.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp
from gateway_support import gateway_settings, runtime_trusting
from simulator import AzureSimulator

from support.gateway_runner import running_gateway

HI = {"messages": [{"role": "user", "content": "hi"}]}
INBOUND = "inbound-caller-token-5a5a5a"


async def test_gateway_calls_azure_with_its_own_entra_token_on_both_inbound_shapes(
    tmp_path: Path, sim: AzureSimulator
) -> None:
    settings = gateway_settings(
        tmp_path,
        sim,
        [{"alias": "chat", "upstream": "aoai", "upstream_model": "gpt4o-prod-eu"}],
    )

    async with (
        running_gateway(settings, runtime_trusting(sim)) as gateway,
        aiohttp.ClientSession() as client,
    ):
        openai_route = await client.post(
            f"{gateway.url}/v1/chat/completions",
            json={"model": "chat", **HI},
            headers={"authorization": f"Bearer {INBOUND}"},
        )
        azure_route = await client.post(
            f"{gateway.url}/openai/deployments/chat/chat/completions"
            "?api-version=2024-10-21",
            json=HI,
            headers={"api-key": INBOUND},
        )
        answers = [await openai_route.json(), await azure_route.json()]

    assert [openai_route.status, azure_route.status] == [200, 200]
    assert [a["id"] for a in answers] == ["chatcmpl-SIM", "chatcmpl-SIM"]
    assert sim.token_endpoint_calls == 1
    (token,) = sim.issued_tokens
    for recorded in sim.requests:
        assert recorded.path == "/openai/deployments/gpt4o-prod-eu/chat/completions"
        assert recorded.headers["authorization"] == f"Bearer {token}"
        assert "api-key" not in recorded.headers
        assert "model" not in recorded.body
        assert not any(INBOUND in value for value in recorded.headers.values())
