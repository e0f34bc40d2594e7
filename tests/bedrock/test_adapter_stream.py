from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson
import pytest
from botocore.credentials import Credentials

from bedrock.cases import adapter, case, chat_request, stream_reply
from bedrock.simulator import BedrockSimulator
from lockgate.errors import (
    UpstreamMalformed,
    UpstreamRejected,
    UpstreamStreamError,
    UpstreamTimeout,
    WireFormat,
)
from lockgate.upstreams.base import StreamTally
from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream
from lockgate.upstreams.bedrock.faults import exception_type
from lockgate.usage import Usage


async def _collect(
    upstream: BedrockConverseUpstream, known: dict[str, Any], tally: StreamTally
) -> list[dict[str, Any]]:
    request = chat_request(known["setup"], known["input"]["request"])
    return [chunk async for chunk in upstream.chat_stream(request, tally)]


async def test_str009_parallel_tool_calls_get_distinct_indexes(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-009")
    expected = known["expected"]
    simulator.script(stream_reply(known["input"]["upstream_eventstream"]))
    tally = StreamTally()

    chunks = await _collect(adapter(simulator, session, credentials), known, tally)

    assert simulator.rejections == []
    assert simulator.calls[0].path.endswith("/converse-stream")
    assert (
        chunks[0]["choices"][0]["delta"]["role"] == expected["first_chunk_delta_role"]
    )
    assert len({chunk["id"] for chunk in chunks}) == 1

    choices = [chunk["choices"][0] for chunk in chunks if chunk["choices"]]
    content = "".join(c["delta"].get("content") or "" for c in choices)
    assert content == expected["concatenated_content"]
    assert _reassembled(choices) == expected["tool_calls_reassembled"]

    finishing = [c["finish_reason"] for c in choices if c["finish_reason"]]
    assert finishing == [expected["finish_reason"]["value"]]
    assert chunks[-1] == {**chunks[-1], **expected["usage_chunk"]}
    assert chunks[-1]["choices"] == []

    assert tally.completed is True
    assert tally.usage == Usage(input_tokens=412, output_tokens=61)
    assert tally.finish_reasons == ["tool_calls"]
    assert tally.raw_stop_reason == "tool_use"
    assert tally.upstream_request_id == "sim-request-0001"
    assert tally.response_id == chunks[0]["id"] == "chatcmpl-sim-request-0001"


def _reassembled(choices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    calls: dict[int, dict[str, Any]] = {}
    for choice in choices:
        for delta in choice["delta"].get("tool_calls", []):
            index = delta["index"]
            if index in calls:
                assert set(delta) == {"index", "function"}
                assert set(delta["function"]) == {"arguments"}
                calls[index]["arguments"] += delta["function"]["arguments"]
            else:
                calls[index] = {
                    "index": index,
                    "id": delta["id"],
                    "type": delta["type"],
                    "name": delta["function"]["name"],
                    "arguments": delta["function"]["arguments"],
                }
    return [
        {
            "index": call["index"],
            "id": call["id"],
            "type": call["type"],
            "function": {
                "name": call["name"],
                "arguments_json": orjson.loads(call["arguments"]),
            },
        }
        for call in calls.values()
    ]


async def test_str009_no_usage_chunk_unless_the_client_asked(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-009")
    known["input"]["request"].pop("stream_options")
    simulator.script(stream_reply(known["input"]["upstream_eventstream"]))
    tally = StreamTally()

    chunks = await _collect(adapter(simulator, session, credentials), known, tally)

    assert all(chunk["choices"] for chunk in chunks)
    assert "usage" not in chunks[-1]
    assert tally.usage == Usage(input_tokens=412, output_tokens=61)
    assert tally.completed is True


async def test_str002_validation_exception_frame_is_a_400_with_request_id(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-002")
    given, expected = known["input"], known["expected"]
    request_id = given["upstream_headers"]["x-amzn-requestid"]
    simulator.script(stream_reply(given["upstream_eventstream"], request_id=request_id))
    tally = StreamTally()

    with pytest.raises(UpstreamRejected) as info:
        await _collect(adapter(simulator, session, credentials), known, tally)

    error = info.value
    assert simulator.rejections == []
    status, headers, raw = error.render(WireFormat.OPENAI)
    body = orjson.loads(raw)
    assert status == expected["status"]
    assert headers["content-type"] == expected["content_type"]
    assert body["error"]["type"] == expected["body"]["error"]["type"]
    assert body["error"]["code"] == expected["body"]["error"]["code"]
    assert body["error"]["param"] is None
    upstream_text = given["upstream_eventstream"][0]["data"]["message"]
    assert upstream_text in body["error"]["message"]
    assert request_id in body["error"]["message"]
    assert tally.completed is False
    assert tally.finish_reasons == []
    assert exception_type(error) == known["expected"]["span"]["error.type"]


async def test_exception_right_after_message_start_arrives_before_any_chunk(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-002")
    frames = [
        {"event": "messageStart", "data": {"role": "assistant"}},
        *known["input"]["upstream_eventstream"],
    ]
    simulator.script(stream_reply(frames))
    request = chat_request(known["setup"], known["input"]["request"])
    stream = adapter(simulator, session, credentials).chat_stream(
        request, StreamTally()
    )

    with pytest.raises(UpstreamRejected) as info:
        await anext(stream)

    assert info.value.code == "upstream_validation_error"


async def test_str004_truncated_stream_raises_after_forwarding_deltas(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-004")
    simulator.script(stream_reply(known["input"]["upstream_eventstream"], ending="eof"))
    tally = StreamTally()
    request = chat_request(known["setup"], known["input"]["request"])
    upstream = adapter(simulator, session, credentials)

    chunks: list[dict[str, Any]] = []
    with pytest.raises(UpstreamStreamError) as info:
        async for chunk in upstream.chat_stream(request, tally):
            chunks.append(chunk)

    assert info.value.code == "upstream_stream_truncated"
    assert info.value.render(WireFormat.OPENAI)[0] == 502
    assert info.value.openai_type == "upstream_error"
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    deltas = [d for c in chunks for d in c["choices"][0]["delta"].get("tool_calls", [])]
    assert deltas[0]["id"] == "tooluse_T1"
    assert deltas[-1]["function"]["arguments"] == '{"path":"/tmp/a.txt","content":"hel'
    assert all(
        c["choices"] and c["choices"][0]["finish_reason"] is None for c in chunks
    )
    assert tally.completed is False
    assert tally.usage is None


async def test_str004_connection_cut_mid_stream_is_also_truncation(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-004")
    simulator.script(
        stream_reply(known["input"]["upstream_eventstream"], ending="abort")
    )
    tally = StreamTally()

    with pytest.raises(UpstreamStreamError) as info:
        await _collect(adapter(simulator, session, credentials), known, tally)

    assert info.value.code == "upstream_stream_truncated"
    assert tally.completed is False


async def test_stream_going_silent_past_idle_timeout_raises_timeout(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-004")
    frames = known["input"]["upstream_eventstream"]
    simulator.script(stream_reply(frames, ending="silence"))
    tally = StreamTally()
    upstream = adapter(simulator, session, credentials, idle_s=0.3)

    with pytest.raises(UpstreamTimeout) as info:
        await _collect(upstream, known, tally)

    assert info.value.status == 504
    assert tally.completed is False


async def test_reasoning_deltas_stream_as_reasoning_content(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    thinking = {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": "hm"}}}
    signed = {"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": "s"}}}
    frames = [
        {"event": "messageStart", "data": {"role": "assistant"}},
        {"event": "contentBlockDelta", "data": thinking},
        {"event": "contentBlockDelta", "data": signed},
        {"event": "contentBlockStop", "data": {"contentBlockIndex": 0}},
        *STREAM_TEMPLATE[1:],
        {"event": "messageStop", "data": {"stopReason": "end_turn"}},
        METADATA,
    ]
    simulator.script(stream_reply(frames))
    body = {**BDR005["input"]["request"], "stream": True}
    tally = StreamTally()

    upstream = adapter(simulator, session, credentials)
    chunks = [
        c
        async for c in upstream.chat_stream(chat_request(BDR005["setup"], body), tally)
    ]

    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert deltas[:2] == [
        {"role": "assistant", "content": "", "reasoning_content": "hm"},
        {"content": "x"},
    ]
    assert tally.completed is True


async def test_stream_metadata_cache_counts_reach_tally_and_usage_chunk(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    usage = {
        "inputTokens": 10,
        "outputTokens": 4,
        "totalTokens": 144,
        "cacheReadInputTokens": 100,
        "cacheWriteInputTokens": 30,
    }
    stop = {"event": "messageStop", "data": {"stopReason": "end_turn"}}
    metadata = {"event": "metadata", "data": {"usage": usage}}
    simulator.script(stream_reply([*STREAM_TEMPLATE, stop, metadata]))
    body = {**BDR005["input"]["request"], "stream": True}
    body["stream_options"] = {"include_usage": True}
    tally = StreamTally()

    upstream = adapter(simulator, session, credentials)
    chunks = [
        c
        async for c in upstream.chat_stream(chat_request(BDR005["setup"], body), tally)
    ]

    assert tally.usage == Usage(
        input_tokens=140,
        output_tokens=4,
        cached_input_tokens=100,
        cache_write_tokens=30,
    )
    assert chunks[-1]["usage"] == {
        "prompt_tokens": 140,
        "completion_tokens": 4,
        "total_tokens": 144,
        "prompt_tokens_details": {"cached_tokens": 100},
    }


async def test_consumer_leaving_early_hangs_up_on_bedrock(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("STR-004")
    frames = known["input"]["upstream_eventstream"]
    simulator.script(stream_reply(frames, ending="silence"))
    request = chat_request(known["setup"], known["input"]["request"])
    stream = adapter(simulator, session, credentials).chat_stream(
        request, StreamTally()
    )

    first = await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]
    for _ in range(200):
        if simulator.calls[0].hung_up:
            break
        await asyncio.sleep(0.01)

    assert first["choices"][0]["delta"]["role"] == "assistant"
    assert simulator.calls[0].hung_up is True


STREAM_TEMPLATE = [
    {"event": "messageStart", "data": {"role": "assistant"}},
    {
        "event": "contentBlockDelta",
        "data": {"contentBlockIndex": 0, "delta": {"text": "x"}},
    },
    {"event": "contentBlockStop", "data": {"contentBlockIndex": 0}},
]
METADATA = {
    "event": "metadata",
    "data": {
        "usage": {"inputTokens": 5, "outputTokens": 1, "totalTokens": 6},
        "metrics": {"latencyMs": 100},
    },
}
BDR005 = case("BDR-005")
OUTCOMES = {k: v for k, v in BDR005["expected"].items() if isinstance(v, dict)}


@pytest.mark.parametrize("stop_reason", sorted(OUTCOMES))
async def test_bdr005_stream_message_stop_uses_the_same_mapping(
    stop_reason: str,
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    stop = {"event": "messageStop", "data": {"stopReason": stop_reason}}
    simulator.script(stream_reply([*STREAM_TEMPLATE, stop, METADATA]))
    body = {**BDR005["input"]["request"], "stream": True}
    request = chat_request(BDR005["setup"], body)
    upstream = adapter(simulator, session, credentials)
    tally = StreamTally()
    outcome = OUTCOMES[stop_reason]

    if outcome["status"] == 502:
        with pytest.raises(UpstreamMalformed) as info:
            _ = [chunk async for chunk in upstream.chat_stream(request, tally)]
        assert info.value.code == outcome["error.code"]
        assert info.value.status == 502
        return

    chunks = [chunk async for chunk in upstream.chat_stream(request, tally)]
    finishing = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    assert [f for f in finishing if f] == [outcome["finish_reason"]]
    assert tally.finish_reasons == [outcome["finish_reason"]]
    assert tally.raw_stop_reason == stop_reason
    assert tally.completed is True
