"""Adversarial: every call that reached the pipeline leaves exactly one honest record.

Each test drives the real gateway with an upstream answer that is odd but possible
(a huge usage count, a choice that is not an object, a streamed delta whose content
is not text) and checks the ledger afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from lockgate.store.ledger import read_records
from support.gateway_runner import RunningGateway, running_gateway, settings_for
from support.openai_upstream import Reply, ScriptedUpstream

ANSWER: dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hello"},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
}


@pytest.fixture
async def gateway(
    tmp_path: Path, upstream: ScriptedUpstream
) -> AsyncIterator[RunningGateway]:
    settings = settings_for(
        tmp_path,
        upstreams=[
            {"name": "vllm", "kind": "openai_compatible", "base_url": upstream.url}
        ],
        models=[{"alias": "m", "upstream": "vllm", "upstream_model": "m"}],
    )
    async with running_gateway(settings) as running:
        yield running


async def post(gateway: RunningGateway, path: str, body: Any) -> tuple[int, bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            gateway.url + path,
            data=orjson.dumps(body),
            headers={"content-type": "application/json"},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as response,
    ):
        return response.status, await response.read()


def records(gateway: RunningGateway) -> list[dict[str, Any]]:
    assert gateway.runtime.ledger.flush(), "ledger could not write its records"
    return read_records(gateway.settings.server.ledger_path, last=100)


def chat(**extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}


async def test_a_huge_usage_count_from_the_upstream_does_not_stop_the_ledger(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    huge = {**ANSWER, "usage": {"prompt_tokens": 1e30, "completion_tokens": 1}}
    upstream.queue(Reply(json=huge), Reply(json=ANSWER))

    await post(gateway, "/v1/chat/completions", chat())
    status, _ = await post(gateway, "/v1/chat/completions", chat())

    assert status == 200
    assert len(records(gateway)) == 2


async def test_an_upstream_choice_that_is_not_an_object_still_leaves_one_record(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    upstream.queue(Reply(json={"id": "x", "object": "chat.completion", "choices": [1]}))

    status, _ = await post(gateway, "/v1/chat/completions", chat())

    [record] = records(gateway)
    assert record["status"] == status


async def test_a_streamed_delta_whose_content_is_not_text_still_leaves_one_record(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": 5}, "finish_reason": None}],
    }
    upstream.queue(Reply(sse=[chunk, "[DONE]"]))

    # Today the response is cut off mid-body; the ledger is what is checked here.
    with contextlib.suppress(aiohttp.ClientPayloadError):
        await post(gateway, "/v1/chat/completions", chat(stream=True))

    assert len(records(gateway)) == 1


async def test_a_stream_that_fails_inside_lockgate_is_recorded_with_the_status_sent(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    chunk = {"id": "c", "object": "chat.completion.chunk", "choices": ["oops"]}
    upstream.queue(Reply(sse=[chunk, "[DONE]"]))

    status, _ = await post(gateway, "/v1/chat/completions", chat(stream=True))

    [record] = records(gateway)
    assert status != 200
    assert record["status"] == status


async def test_a_converse_answer_lockgate_cannot_translate_is_not_recorded_as_ok(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    tool_call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "f", "arguments": "not json"},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [tool_call]}
    answer = {
        **ANSWER,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
    }
    upstream.queue(Reply(json=answer))
    body = {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}

    status, _ = await post(gateway, "/model/m/converse", body)

    [record] = records(gateway)
    assert status == 502
    assert (record["outcome"], record["status"]) != ("ok", 200)
