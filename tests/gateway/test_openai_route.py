"""The OpenAI route against a scripted OpenAI-compatible upstream.

Known-answer cases STR-005 (usage in the last chunk), STR-007 (client hang-up) and
EGR-001 (fields that try to choose the destination), and the bad-input contract.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from support.gateway_runner import RunningGateway, running_gateway, settings_for
from support.openai_upstream import Reply, ScriptedUpstream
from support.ports import free_port

USAGE_TAIL: list[Any] = [
    {
        "id": "cmpl-9",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": "oss-20b",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    },
    {
        "id": "cmpl-9",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": "oss-20b",
        "choices": [],
        "usage": {
            "prompt_tokens": 12,
            "completion_tokens": 340,
            "total_tokens": 352,
            "completion_tokens_details": {"reasoning_tokens": 290},
        },
    },
    "[DONE]",
]
CONTENT = {
    "id": "cmpl-9",
    "object": "chat.completion.chunk",
    "created": 1767225600,
    "model": "oss-20b",
    "choices": [{"index": 0, "delta": {"content": "DNS maps names."}}],
}


@pytest.fixture
async def gateway(
    tmp_path: Path, upstream: ScriptedUpstream
) -> AsyncIterator[RunningGateway]:
    settings = settings_for(
        tmp_path,
        upstreams=[
            {"name": "vllm", "kind": "openai_compatible", "base_url": upstream.url},
            {
                "name": "llamacpp",
                "kind": "openai_compatible",
                "base_url": upstream.url,
                "honours_include_usage": False,
                "timeouts": {"read_s": 1.0, "idle_s": 0.5},
            },
        ],
        models=[
            {"alias": "oss-20b", "upstream": "vllm", "upstream_model": "oss-20b"},
            {"alias": "local-gemma", "upstream": "llamacpp", "upstream_model": "gemma"},
            {"alias": "chat-small", "upstream": "vllm", "upstream_model": "chat-small"},
        ],
        max_body_bytes=2048,
    )
    async with running_gateway(settings) as running:
        yield running


async def post(
    gateway: RunningGateway,
    body: Any,
    *,
    path: str = "/v1/chat/completions",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            gateway.url + path,
            data=data,
            headers={"content-type": "application/json", **(headers or {})},
        ) as response,
    ):
        return response.status, await response.read()


def sse_events(raw: bytes) -> list[Any]:
    events: list[Any] = []
    for block in raw.decode().split("\n\n"):
        if block.startswith("data: "):
            payload = block[len("data: ") :]
            events.append(payload if payload == "[DONE]" else orjson.loads(payload))
    return events


def chat(model: str, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [{"role": "user", "content": "Explain DNS."}],
        **extra,
    }


# STR-005: usage only in the last chunk


async def test_usage_is_requested_upstream_but_not_shown_when_client_did_not_ask(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(sse=[CONTENT, *USAGE_TAIL]))

    status, raw = await post(gateway, chat("oss-20b", stream=True))

    assert status == 200
    assert upstream.calls[0].body["stream_options"] == {"include_usage": True}
    events = sse_events(raw)
    assert not any("usage" in e for e in events if isinstance(e, dict))
    assert events[-1] == "[DONE]"
    [record] = gateway.ledger()
    assert (record["input_tokens"], record["output_tokens"]) == (12, 340)
    assert record["reasoning_tokens"] == 290
    assert record["usage_estimated"] == 0


async def test_usage_chunk_is_forwarded_exactly_once_when_client_asked(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(sse=[CONTENT, *USAGE_TAIL]))

    body = chat("oss-20b", stream=True, stream_options={"include_usage": True})
    status, raw = await post(gateway, body)

    assert status == 200
    usage_chunks = [e for e in sse_events(raw) if isinstance(e, dict) and "usage" in e]
    assert usage_chunks == [USAGE_TAIL[1]]
    [record] = gateway.ledger()
    assert (record["input_tokens"], record["output_tokens"]) == (12, 340)
    assert record["usage_estimated"] == 0


async def test_usage_is_estimated_and_not_invented_when_upstream_ignores_the_flag(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    tail = [
        {
            "id": "cmpl-10",
            "object": "chat.completion.chunk",
            "created": 1767225600,
            "model": "local-gemma",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        },
        "[DONE]",
    ]
    upstream.queue(Reply(sse=[{**CONTENT, "id": "cmpl-10"}, *tail]))

    body = chat("local-gemma", stream=True, stream_options={"include_usage": True})
    status, raw = await post(gateway, body)

    assert status == 200
    # The client's own stream_options pass through; lockgate adds nothing for an
    # upstream known to ignore them.
    assert upstream.calls[0].body["stream_options"] == {"include_usage": True}
    assert not any("usage" in e for e in sse_events(raw) if isinstance(e, dict))
    [record] = gateway.ledger()
    assert record["usage_estimated"] == 1
    assert record["output_tokens"] > 0
    assert record["input_tokens"] > 0


# STR-007: the client hangs up mid-stream


async def test_client_hang_up_cancels_upstream_and_settles_estimated_usage(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(sse=[CONTENT, CONTENT, CONTENT], endless=True))
    body = chat("chat-small", stream=True, max_tokens=1000)

    async with aiohttp.ClientSession() as session:
        response = await session.post(
            gateway.url + "/v1/chat/completions",
            data=orjson.dumps(body),
            headers={"content-type": "application/json"},
        )
        for _ in range(3):
            await response.content.readuntil(b"\n\n")
        response.close()
        closed_at = time.monotonic()

    for _ in range(100):
        if upstream.calls[0].cancelled_at is not None:
            break
        await asyncio.sleep(0.01)
    cancelled_at = upstream.calls[0].cancelled_at
    assert cancelled_at is not None
    assert cancelled_at - closed_at < 1.0

    records = gateway.ledger()
    assert len(records) == 1
    assert records[0]["outcome"] == "client_cancelled"
    assert records[0]["usage_estimated"] == 1
    assert records[0]["output_tokens"] >= 3
    assert records[0]["input_tokens"] > 0


# EGR-001: fields that try to choose where the call goes

BODY_VARIANTS = [
    {"api_base": "http://169.254.169.254/latest/meta-data/"},
    {"base_url": "http://169.254.169.254/latest/meta-data/"},
    {"api_key": "attacker-supplied"},
    {"azure_endpoint": "https://collector.attacker.example"},
    {"aws_bedrock_runtime_endpoint": "http://10.0.0.1"},
    {"aws_region_name": "us-west-2"},
    {"custom_llm_provider": "openai"},
    {"extra_headers": {"Host": "169.254.169.254"}},
]


@pytest.mark.parametrize("variant", BODY_VARIANTS, ids=lambda v: next(iter(v)))
async def test_body_fields_cannot_choose_the_destination(
    gateway: RunningGateway, upstream: ScriptedUpstream, variant: dict[str, Any]
) -> None:
    field = next(iter(variant))

    status, raw = await post(gateway, {**chat("chat-small"), **variant})

    assert status == 400
    error = orjson.loads(raw)["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] == field
    assert "cannot choose the destination" in error["message"]
    assert upstream.calls == []
    [record] = gateway.ledger()
    assert (record["outcome"], record["status"]) == ("refused", 400)
    assert record["error_code"] == "forbidden_field"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-Host": "169.254.169.254"},
        {"X-Upstream-Base-Url": "http://169.254.169.254/"},
    ],
)
async def test_headers_are_ignored_for_routing(
    gateway: RunningGateway, upstream: ScriptedUpstream, headers: dict[str, str]
) -> None:
    status, _ = await post(gateway, chat("chat-small"), headers=headers)

    assert status == 200
    assert len(upstream.calls) == 1
    assert upstream.calls[0].path == "/v1/chat/completions"
    assert "X-Upstream-Base-Url" not in upstream.calls[0].headers
    assert "169.254.169.254" not in str(upstream.calls[0].headers)


async def test_vendor_sampling_fields_still_reach_the_upstream(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    body = chat("chat-small", top_k=40, repetition_penalty=1.1)

    status, _ = await post(gateway, body)

    assert status == 200
    assert upstream.calls[0].body["top_k"] == 40
    assert upstream.calls[0].body["repetition_penalty"] == 1.1
    assert upstream.calls[0].body["model"] == "chat-small"


# Bad input


async def test_malformed_json_is_a_400_with_the_position(
    gateway: RunningGateway,
) -> None:
    status, raw = await post(gateway, b'{"model": "chat-small",\n "messages": [}')

    assert status == 400
    error = orjson.loads(raw)["error"]
    assert error["code"] == "malformed_body"
    assert "line 2 column 15" in error["message"]


async def test_unknown_model_is_a_404_that_leaks_no_configuration(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    status, raw = await post(gateway, chat("gpt-9"))

    assert status == 404
    error = orjson.loads(raw)["error"]
    assert error["code"] == "model_not_found"
    assert "'gpt-9'" in error["message"]
    for configured in ("oss-20b", "local-gemma", "vllm", "llamacpp", upstream.url):
        assert configured not in raw.decode()


async def test_body_over_the_limit_is_a_413(gateway: RunningGateway) -> None:
    body = chat("chat-small")
    body["messages"][0]["content"] = "x" * 5000

    status, raw = await post(gateway, body)

    assert status == 413
    assert orjson.loads(raw)["error"]["code"] == "body_too_large"
    assert "2048" in orjson.loads(raw)["error"]["message"]


async def test_wrong_content_type_is_a_415(gateway: RunningGateway) -> None:
    status, raw = await post(
        gateway, chat("chat-small"), headers={"content-type": "text/plain"}
    )

    assert status == 415
    assert "'text/plain'" in orjson.loads(raw)["error"]["message"]


async def test_get_on_a_post_route_is_a_405(gateway: RunningGateway) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(gateway.url + "/v1/chat/completions") as response,
    ):
        assert response.status == 405
        assert response.headers["allow"] == "POST"


async def test_refused_upstream_is_a_502_with_a_clear_message(
    tmp_path: Path,
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"
    settings = settings_for(
        tmp_path,
        upstreams=[{"name": "gone", "kind": "openai_compatible", "base_url": dead}],
        models=[{"alias": "m", "upstream": "gone", "upstream_model": "m"}],
    )
    async with running_gateway(settings) as gateway:
        status, raw = await post(gateway, chat("m"))
        records = gateway.ledger()

    assert status == 502
    error = orjson.loads(raw)["error"]
    assert error["code"] == "upstream_unavailable"
    assert "cannot connect to upstream 'gone'" in error["message"]
    assert records[0]["outcome"] == "upstream_error"


async def test_slow_upstream_is_a_504(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(json={}, pause_s=3.0))

    status, raw = await post(gateway, chat("local-gemma"))

    assert status == 504
    error = orjson.loads(raw)["error"]
    assert error["code"] == "upstream_timeout"
    assert "did not answer within timeouts.read_s (1.0 s)" in error["message"]


async def test_stalled_stream_ends_with_an_error_event(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(sse=[CONTENT, CONTENT], chunk_pause_s=2.0))

    status, raw = await post(gateway, chat("local-gemma", stream=True))

    assert status == 200
    events = sse_events(raw)
    assert events[-1]["error"]["code"] == "upstream_timeout"
    assert "timeouts.idle_s (0.5 s)" in events[-1]["error"]["message"]
    assert "[DONE]" not in events


async def test_stream_reset_mid_way_ends_with_an_error_and_no_done(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(sse=[CONTENT, CONTENT, CONTENT, *USAGE_TAIL], close_after=2))

    status, raw = await post(gateway, chat("oss-20b", stream=True))

    assert status == 200
    events = sse_events(raw)
    assert [e["choices"][0]["delta"]["content"] for e in events[:2]] == [
        "DNS maps names.",
        "DNS maps names.",
    ]
    assert events[-1]["error"]["code"] == "upstream_stream_truncated"
    assert "[DONE]" not in events
    [record] = gateway.ledger()
    assert record["outcome"] == "upstream_truncated"
    assert record["usage_estimated"] == 1


async def test_upstream_error_status_and_retry_hint_are_passed_through(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(
        Reply(
            status=429,
            json={"error": {"message": "slow down", "type": "rate"}},
            headers={"retry-after": "7"},
        )
    )

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            gateway.url + "/v1/chat/completions", json=chat("chat-small")
        ) as response,
    ):
        status, raw = response.status, await response.read()
        retry_after = response.headers.get("retry-after")

    assert status == 429
    assert retry_after == "7"
    error = orjson.loads(raw)["error"]
    assert error["code"] == "upstream_rejected"
    assert "HTTP 429: slow down" in error["message"]


async def test_streamed_call_keeps_the_upstream_request_id_in_the_ledger(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(
        Reply(sse=[CONTENT, *USAGE_TAIL], headers={"x-request-id": "req-77"})
    )

    status, _ = await post(gateway, chat("oss-20b", stream=True))

    assert status == 200
    [record] = gateway.ledger()
    assert record["upstream_request_id"] == "req-77"


async def test_models_route_lists_the_aliases(gateway: RunningGateway) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(gateway.url + "/v1/models") as response,
    ):
        body = await response.json()

    assert [m["id"] for m in body["data"]] == ["oss-20b", "local-gemma", "chat-small"]


async def test_compressed_body_is_refused_with_a_415(gateway: RunningGateway) -> None:
    status, raw = await post(
        gateway, chat("chat-small"), headers={"content-encoding": "gzip"}
    )

    assert status == 415
    assert "content-encoding 'gzip'" in orjson.loads(raw)["error"]["message"]


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"messages": [{"role": "user", "content": "hi"}, 1]}, "messages[1]"),
        ({"max_tokens": "ten"}, "max_tokens"),
        ({"n": 0}, "n"),
        ({"tools": "x"}, "tools"),
        ({"stream_options": "x", "stream": True}, "stream_options"),
    ],
)
async def test_malformed_fields_are_refused_naming_them(
    gateway: RunningGateway,
    upstream: ScriptedUpstream,
    extra: dict[str, Any],
    param: str,
) -> None:
    status, raw = await post(gateway, {**chat("chat-small"), **extra})

    assert status == 400
    assert orjson.loads(raw)["error"]["param"] == param
    assert upstream.calls == []


async def test_health_routes_only_answer_get(gateway: RunningGateway) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(gateway.url + "/readyz") as ready:
            assert (ready.status, await ready.json()) == (200, {"status": "ok"})
        async with session.delete(gateway.url + "/healthz") as deleted:
            assert deleted.status == 405


async def test_embeddings_reach_the_upstream_and_are_recorded(
    tmp_path: Path, upstream: ScriptedUpstream
) -> None:
    answer = {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
        "model": "te3-small",
        "usage": {"prompt_tokens": 3, "total_tokens": 3},
    }
    upstream.queue(Reply(json=answer))
    settings = settings_for(
        tmp_path,
        upstreams=[
            {"name": "vllm", "kind": "openai_compatible", "base_url": upstream.url}
        ],
        models=[
            {
                "alias": "embed",
                "upstream": "vllm",
                "upstream_model": "te3-small",
                "operations": ["embeddings"],
            }
        ],
    )

    async with running_gateway(settings) as gateway:
        status, raw = await post(
            gateway, {"model": "embed", "input": "hello"}, path="/v1/embeddings"
        )
        refused, _ = await post(gateway, chat("embed"))
        records = gateway.ledger()

    assert status == 200
    assert orjson.loads(raw) == answer
    assert upstream.calls[0].path == "/v1/embeddings"
    assert upstream.calls[0].body == {"model": "te3-small", "input": "hello"}
    assert refused == 400
    [record] = records
    assert (record["operation"], record["input_tokens"]) == ("embeddings", 3)


async def test_json_answer_to_a_streaming_request_is_a_clear_upstream_error(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(json={"id": "x", "choices": []}))

    status, raw = await post(gateway, chat("chat-small", stream=True))

    assert status == 502
    error = orjson.loads(raw)["error"]
    assert error["code"] == "upstream_malformed_response"
    assert "application/json instead of an event stream" in error["message"]


async def test_openai_request_fields_reach_the_upstream_unchanged(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    fields: dict[str, Any] = {
        "tools": [
            {
                "type": "function",
                "function": {"name": "get_weather", "parameters": {"type": "object"}},
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "response_format": {"type": "json_object"},
        "n": 2,
        "stop": ["\n\n"],
        "max_completion_tokens": 50,
        "user": "user-42",
        "temperature": 0.2,
    }

    status, _ = await post(gateway, chat("chat-small", **fields))

    assert status == 200
    sent = upstream.calls[0].body
    assert {name: sent[name] for name in fields} == fields
