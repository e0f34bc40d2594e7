"""Known-answer cases AZ-001, AZ-003 and STR-001 through the real gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from gateway_support import entra_upstream, runtime_trusting
from simulator import (
    AzureSimulator,
    FakeClock,
    JsonReply,
    SimulatorConfig,
    SseReply,
    azure_simulator,
)

from support.gateway_runner import RunningGateway, running_gateway, settings_for

TOKEN_APP_CRM = "lockgate-token-app-crm-0001"
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture
async def strict_sim() -> AsyncIterator[AzureSimulator]:
    """AZ-001's resource: key authentication disabled, api-key refused with 403."""
    config = SimulatorConfig(reject_api_key=True)
    async with azure_simulator(config, FakeClock()) as simulator:
        yield simulator


@pytest.fixture
async def gateway(
    tmp_path: Path, strict_sim: AzureSimulator
) -> AsyncIterator[RunningGateway]:
    settings = settings_for(
        tmp_path,
        upstreams=[entra_upstream(strict_sim)],
        models=[
            {"alias": "chat", "upstream": "aoai", "upstream_model": "gpt4o-prod-eu"},
            {
                "alias": "embed",
                "upstream": "aoai",
                "upstream_model": "te3-small",
                "operations": ["embeddings"],
            },
            {
                "alias": "chat-prod",
                "upstream": "aoai",
                "upstream_model": "gpt4o-prod-eu",
                "api_versions": ["2024-10-21", "2025-04-01-preview"],
            },
            {"alias": "gpt-4o", "upstream": "aoai", "upstream_model": "gpt4o-prod-eu"},
        ],
    )
    async with running_gateway(settings, runtime_trusting(strict_sim)) as running:
        yield running


async def send(
    gateway: RunningGateway, path: str, body: dict[str, Any], **headers: str
) -> tuple[int, bytes]:
    async with (
        aiohttp.ClientSession() as client,
        client.post(gateway.url + path, json=body, headers=headers) as response,
    ):
        return response.status, await response.read()


async def test_az001_entra_token_is_used_for_every_call_and_api_key_never(
    gateway: RunningGateway,
    strict_sim: AzureSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_API_KEY", "azkey_0000000000000000000000000000fake")
    bearer = {"authorization": f"Bearer {TOKEN_APP_CRM}"}

    statuses = [
        (
            await send(
                gateway,
                "/v1/chat/completions",
                {"model": "chat", "messages": HI},
                **bearer,
            )
        )[0],
        (
            await send(
                gateway,
                "/v1/chat/completions",
                {"model": "chat", "stream": True, "messages": HI},
                **bearer,
            )
        )[0],
        (
            await send(
                gateway,
                "/v1/embeddings",
                {"model": "embed", "input": "hello"},
                **bearer,
            )
        )[0],
        (
            await send(
                gateway,
                "/openai/deployments/chat/chat/completions?api-version=2024-10-21",
                {"messages": HI},
                **{"api-key": TOKEN_APP_CRM},
            )
        )[0],
    ]

    assert statuses == [200, 200, 200, 200]
    assert strict_sim.token_endpoint_calls == 1
    (token,) = strict_sim.issued_tokens
    assert len(strict_sim.requests) == 4
    for recorded in strict_sim.requests:
        assert recorded.headers["authorization"] == f"Bearer {token}"
        assert "api-key" not in recorded.headers
        assert TOKEN_APP_CRM not in orjson.dumps(recorded.headers).decode()


async def test_az003_deployment_alias_maps_to_the_upstream_deployment(
    gateway: RunningGateway, strict_sim: AzureSimulator
) -> None:
    upstream_answer = {
        "id": "chatcmpl-AZ3",
        "object": "chat.completion",
        "created": 1767225600,
        "model": "gpt-4o-2024-11-20",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello!"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 8, "completion_tokens": 2, "total_tokens": 10},
    }
    strict_sim.script("gpt4o-prod-eu", "chat", JsonReply(upstream_answer))

    status, raw = await send(
        gateway,
        "/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21",
        {"messages": HI, "max_tokens": 20},
        **{"api-key": TOKEN_APP_CRM},
    )

    assert status == 200
    assert orjson.loads(raw) == upstream_answer
    [recorded] = strict_sim.requests
    assert recorded.path == "/openai/deployments/gpt4o-prod-eu/chat/completions"
    assert recorded.query == {"api-version": "2024-10-21"}
    assert "api-key" not in recorded.headers
    assert TOKEN_APP_CRM not in orjson.dumps(recorded.headers).decode()


async def test_az003_unknown_deployment_is_a_404_naming_only_what_was_asked(
    gateway: RunningGateway, strict_sim: AzureSimulator
) -> None:
    status, raw = await send(
        gateway,
        "/openai/deployments/nope/chat/completions?api-version=2024-10-21",
        {"messages": HI},
        **{"api-key": TOKEN_APP_CRM},
    )

    assert status == 404
    error = orjson.loads(raw)["error"]
    assert error["code"] == "DeploymentNotFound"
    assert "'nope'" in error["message"]
    for configured in ("chat-prod", "gpt4o-prod-eu", "te3-small", "embed"):
        assert configured not in error["message"]
    assert strict_sim.requests == []


async def test_az003_missing_api_version_is_a_400_saying_which_are_accepted(
    gateway: RunningGateway, strict_sim: AzureSimulator
) -> None:
    status, raw = await send(
        gateway,
        "/openai/deployments/chat-prod/chat/completions",
        {"messages": HI},
        **{"api-key": TOKEN_APP_CRM},
    )

    assert status == 400
    error = orjson.loads(raw)["error"]
    assert error["code"] == "missing_api_version"
    assert "2024-10-21, 2025-04-01-preview" in error["message"]
    assert strict_sim.requests == []


STR001_UPSTREAM: list[Any] = [
    {
        "choices": [],
        "created": 0,
        "id": "",
        "model": "",
        "object": "",
        "prompt_filter_results": [
            {
                "prompt_index": 0,
                "content_filter_results": {
                    "hate": {"filtered": False, "severity": "safe"},
                    "self_harm": {"filtered": False, "severity": "safe"},
                    "sexual": {"filtered": False, "severity": "safe"},
                    "violence": {"filtered": False, "severity": "safe"},
                },
            }
        ],
    },
    {
        "choices": [
            {
                "content_filter_results": {},
                "delta": {"content": "", "refusal": None, "role": "assistant"},
                "finish_reason": None,
                "index": 0,
                "logprobs": None,
            }
        ],
        "created": 1767225600,
        "id": "chatcmpl-AZ1",
        "model": "gpt-4o-2024-11-20",
        "object": "chat.completion.chunk",
        "system_fingerprint": "fp_az",
    },
    {
        "choices": [{"delta": {"content": "Hello"}, "finish_reason": None, "index": 0}],
        "created": 1767225600,
        "id": "chatcmpl-AZ1",
        "model": "gpt-4o-2024-11-20",
        "object": "chat.completion.chunk",
    },
    {
        "choices": [
            {"delta": {"content": " there"}, "finish_reason": None, "index": 0}
        ],
        "created": 1767225600,
        "id": "chatcmpl-AZ1",
        "model": "gpt-4o-2024-11-20",
        "object": "chat.completion.chunk",
    },
    {
        "choices": [
            {
                "content_filter_offsets": {
                    "check_offset": 0,
                    "start_offset": 0,
                    "end_offset": 11,
                },
                "content_filter_results": {
                    "hate": {"filtered": False, "severity": "safe"}
                },
                "finish_reason": None,
                "index": 0,
            }
        ],
        "created": 0,
        "id": "",
        "model": "",
        "object": "",
    },
    {
        "choices": [{"delta": {}, "finish_reason": "stop", "index": 0}],
        "created": 1767225600,
        "id": "chatcmpl-AZ1",
        "model": "gpt-4o-2024-11-20",
        "object": "chat.completion.chunk",
    },
    {
        "choices": [],
        "created": 1767225600,
        "id": "chatcmpl-AZ1",
        "model": "gpt-4o-2024-11-20",
        "object": "chat.completion.chunk",
        "usage": {"prompt_tokens": 19, "completion_tokens": 2, "total_tokens": 21},
    },
    "[DONE]",
]
STR001_REQUEST = {
    "stream": True,
    "stream_options": {"include_usage": True},
    "messages": [{"role": "user", "content": "Say hello there."}],
}


def sse_events(raw: bytes) -> list[Any]:
    return [
        block[6:] if block[6:] == "[DONE]" else orjson.loads(block[6:])
        for block in raw.decode().split("\n\n")
        if block.startswith("data: ")
    ]


async def test_str001_openai_route_drops_azure_bookkeeping_chunks(
    gateway: RunningGateway, strict_sim: AzureSimulator
) -> None:
    strict_sim.script("gpt4o-prod-eu", "chat", SseReply(STR001_UPSTREAM))

    status, raw = await send(
        gateway, "/v1/chat/completions", {"model": "gpt-4o", **STR001_REQUEST}
    )

    assert status == 200
    events = sse_events(raw)
    assert events == [*STR001_UPSTREAM[1:4], *STR001_UPSTREAM[5:]]
    assert [e["choices"][0]["delta"] for e in events[:4]] == [
        {"content": "", "refusal": None, "role": "assistant"},
        {"content": "Hello"},
        {"content": " there"},
        {},
    ]
    assert events[3]["choices"][0]["finish_reason"] == "stop"
    assert all(e["id"] == "chatcmpl-AZ1" for e in events[:-1])
    [record] = gateway.ledger()
    assert (record["input_tokens"], record["output_tokens"]) == (19, 2)
    assert record["usage_estimated"] == 0


async def test_str001_azure_route_forwards_the_same_chunks_unchanged(
    gateway: RunningGateway, strict_sim: AzureSimulator
) -> None:
    strict_sim.script("gpt4o-prod-eu", "chat", SseReply(STR001_UPSTREAM))

    status, raw = await send(
        gateway,
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        STR001_REQUEST,
    )

    assert status == 200
    assert sse_events(raw) == STR001_UPSTREAM


async def test_a_deployment_name_with_an_encoded_slash_reaches_its_alias(
    tmp_path: Path, strict_sim: AzureSimulator
) -> None:
    settings = settings_for(
        tmp_path,
        upstreams=[entra_upstream(strict_sim)],
        models=[
            {
                "alias": "team/chat",
                "upstream": "aoai",
                "upstream_model": "gpt4o-prod-eu",
            }
        ],
    )
    async with running_gateway(settings, runtime_trusting(strict_sim)) as gateway:
        status, _ = await send(
            gateway,
            "/openai/deployments/team%2Fchat/chat/completions?api-version=2024-10-21",
            {"messages": HI},
        )

    assert status == 200
    assert (
        strict_sim.requests[0].path
        == "/openai/deployments/gpt4o-prod-eu/chat/completions"
    )
