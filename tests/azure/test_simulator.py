"""The simulator's own checks, which the adapter and gateway tests rely on."""

from __future__ import annotations

from typing import Any

import aiohttp
from simulator import AzureSimulator

CHAT = "/openai/deployments/gpt4o-prod-eu/chat/completions"


async def post(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    async with session.post(url, json=body or {}, headers=headers or {}) as response:
        return response.status, await response.json()


async def test_missing_or_unknown_api_version_is_400_before_credentials(
    sim: AzureSimulator, session: aiohttp.ClientSession
) -> None:
    missing = await post(session, sim.endpoint + CHAT)
    unknown = await post(session, sim.endpoint + CHAT + "?api-version=2023-01-01")

    assert missing == (
        400,
        {
            "error": {
                "code": "BadRequest",
                "message": "Missing required query parameter 'api-version'.",
            }
        },
    )
    assert unknown == (
        400,
        {"error": {"code": "BadRequest", "message": "API version not supported"}},
    )


async def test_calls_without_a_known_credential_are_401(
    sim: AzureSimulator, session: aiohttp.ClientSession
) -> None:
    url = sim.endpoint + CHAT + "?api-version=2024-10-21"

    none = await post(session, url)
    made_up = await post(session, url, {"authorization": "Bearer not-issued"})
    bad_key = await post(session, url, {"api-key": "nope"})

    assert [none[0], made_up[0], bad_key[0]] == [401, 401, 401]
    assert none[1]["error"]["message"].startswith("Unauthorized. Access token is")
    assert bad_key[1]["error"]["message"].startswith("Access denied due to invalid")


async def test_unknown_deployment_is_deployment_not_found_after_auth(
    sim: AzureSimulator, session: aiohttp.ClientSession
) -> None:
    url = sim.endpoint + "/openai/deployments/nope/embeddings?api-version=2024-10-21"

    status, body = await post(session, url, {"api-key": sim.config.api_keys[0]})

    assert status == 404
    assert body["error"]["code"] == "DeploymentNotFound"
    assert sim.requests[0].path == "/openai/deployments/nope/embeddings"
    assert sim.requests[0].query == {"api-version": "2024-10-21"}
    assert sim.requests[0].headers["api-key"] == sim.config.api_keys[0]


async def test_token_endpoint_checks_tenant_client_and_secret(
    sim: AzureSimulator, session: aiohttp.ClientSession
) -> None:
    config = sim.config
    form = {
        "grant_type": "client_credentials",
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "scope": config.scope,
    }
    token_url = f"{sim.authority}/{config.tenant_id}/oauth2/v2.0/token"

    async with session.post(token_url, data=form) as ok:
        issued = await ok.json()
    async with session.post(token_url, data={**form, "client_secret": "x"}) as bad:
        refused = await bad.json()
    async with session.post(f"{sim.authority}/other/oauth2/v2.0/token", data=form) as t:
        tenant = await t.json()

    assert ok.status == 200 and issued["token_type"] == "Bearer"
    assert issued["access_token"] in sim.issued_tokens
    assert (bad.status, refused["error"]) == (401, "invalid_client")
    assert (t.status, tenant["error"]) == (400, "invalid_request")
    assert sim.token_endpoint_calls == 3


async def test_discovery_document_points_back_at_the_simulator(
    sim: AzureSimulator, session: aiohttp.ClientSession
) -> None:
    tenant = sim.config.tenant_id
    url = f"{sim.authority}/{tenant}/v2.0/.well-known/openid-configuration"

    async with session.get(url) as response:
        document = await response.json()

    assert document["token_endpoint"] == f"{sim.authority}/{tenant}/oauth2/v2.0/token"
    assert document["issuer"] == f"{sim.authority}/{tenant}/v2.0"


async def test_stream_options_are_refused_on_api_versions_before_2024_09(
    session: aiohttp.ClientSession, sim: AzureSimulator
) -> None:
    sim.config.api_versions = ("2024-06-01", "2024-10-21")
    body = {"stream": True, "stream_options": {"include_usage": True}}
    key = {"api-key": sim.config.api_keys[0]}

    old = await post(
        session, sim.endpoint + CHAT + "?api-version=2024-06-01", key, body
    )

    assert old[0] == 400
    assert old[1]["error"]["message"] == (
        "Unrecognized request argument supplied: stream_options"
    )
