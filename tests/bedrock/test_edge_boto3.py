"""The inbound Bedrock edge, read and written by a real boto3 bedrock-runtime client."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, EventStreamError

from bedrock.cases import case
from bedrock.edge_server import EdgeServer, boto3_client
from bedrock.simulator import event
from lockgate.errors import MalformedBody, UpstreamRejected, UpstreamStreamError
from lockgate.eventstream import EventStreamDecoder
from lockgate.upstreams.base import StreamTally
from lockgate.upstreams.bedrock.stream import ConverseStreamTranslator
from lockgate.usage import Usage

PNG = b"\x89PNG\r\n\x1a\nfake"


@pytest.fixture
async def edge() -> AsyncIterator[EdgeServer]:
    server = EdgeServer()
    await server.start()
    yield server
    await server.stop()


def _converse(port: int, **kwargs: Any) -> dict[str, Any]:
    client = boto3_client(port)
    try:
        result: dict[str, Any] = client.converse(**kwargs)
    finally:
        client.close()
    return result


def _converse_stream(
    port: int, into: list[dict[str, Any]] | None = None, **kwargs: Any
) -> list[dict[str, Any]]:
    events = [] if into is None else into
    client = boto3_client(port)
    try:
        stream = client.converse_stream(**kwargs)["stream"]
        try:
            events.extend(stream)
        finally:
            stream.close()
    finally:
        client.close()
    return events


COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "ok"},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}


async def test_boto3_converse_request_becomes_the_exact_openai_body(
    edge: EdgeServer,
) -> None:
    edge.script.completion = COMPLETION
    request = {
        "modelId": "anthropic.claude-3:0",
        "system": [{"text": "Be brief."}, {"cachePoint": {"type": "default"}}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"text": "What is this and the weather?"},
                    {"image": {"format": "png", "source": {"bytes": PNG}}},
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"text": "Let me check."},
                    {
                        "toolUse": {
                            "toolUseId": "tooluse_1",
                            "name": "weather",
                            "input": {"city": "Oslo"},
                        }
                    },
                    {
                        "toolUse": {
                            "toolUseId": "call.9:z",
                            "name": "weather",
                            "input": {},
                        }
                    },
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "toolResult": {
                            "toolUseId": "tooluse_1",
                            "content": [{"text": "3C"}],
                        }
                    },
                    {
                        "toolResult": {
                            "toolUseId": "call.9:z",
                            "content": [{"json": {"c": 1}}],
                            "status": "error",
                        }
                    },
                    {"text": "And tomorrow?"},
                ],
            },
        ],
        "inferenceConfig": {
            "maxTokens": 100,
            "temperature": 0.5,
            "topP": 0.9,
            "stopSequences": ["END"],
        },
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": "weather",
                        "description": "Weather for a city",
                        "inputSchema": {
                            "json": {
                                "type": "object",
                                "properties": {"city": {"type": "string"}},
                            }
                        },
                    }
                }
            ],
            "toolChoice": {"tool": {"name": "weather"}},
        },
    }

    result = await asyncio.to_thread(_converse, edge.port, **request)

    (openai_body,) = edge.script.received
    image_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert openai_body == {
        "model": "anthropic.claude-3:0",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this and the weather?"},
                    {"type": "image_url", "image_url": {"url": image_url}},
                ],
            },
            {
                "role": "assistant",
                "content": "Let me check.",
                "tool_calls": [
                    {
                        "id": "tooluse_1",
                        "type": "function",
                        "function": {"name": "weather", "arguments": '{"city":"Oslo"}'},
                    },
                    {
                        "id": "call.9:z",
                        "type": "function",
                        "function": {"name": "weather", "arguments": "{}"},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "tooluse_1", "content": "3C"},
            {
                "role": "tool",
                "tool_call_id": "call.9:z",
                "content": '[tool error] {"c":1}',
            },
            {"role": "user", "content": "And tomorrow?"},
        ],
        "max_tokens": 100,
        "temperature": 0.5,
        "top_p": 0.9,
        "stop": ["END"],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "weather",
                    "description": "Weather for a city",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                    },
                },
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "weather"}},
    }
    assert result["output"]["message"] == {
        "role": "assistant",
        "content": [{"text": "ok"}],
    }


@pytest.mark.parametrize(
    ("tool_choice", "expected"), [({"auto": {}}, "auto"), ({"any": {}}, "required")]
)
async def test_boto3_tool_choice_maps_to_openai(
    edge: EdgeServer, tool_choice: dict[str, Any], expected: str
) -> None:
    edge.script.completion = COMPLETION
    spec = {"toolSpec": {"name": "t", "inputSchema": {"json": {"type": "object"}}}}

    await asyncio.to_thread(
        _converse,
        edge.port,
        modelId="m",
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
        toolConfig={"tools": [spec], "toolChoice": tool_choice},
    )

    assert edge.script.received[0]["tool_choice"] == expected


async def test_boto3_reads_tool_calls_stop_reason_and_cache_usage(
    edge: EdgeServer,
) -> None:
    edge.script.completion = {
        **COMPLETION,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call:1",
                            "type": "function",
                            "function": {
                                "name": "bash",
                                "arguments": '{"command":"ls"}',
                            },
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
    }
    edge.script.usage = Usage(
        input_tokens=140,
        output_tokens=4,
        cached_input_tokens=100,
        cache_write_tokens=30,
    )

    result = await asyncio.to_thread(
        _converse,
        edge.port,
        modelId="m",
        messages=[{"role": "user", "content": [{"text": "run ls"}]}],
    )

    assert result["output"]["message"] == {
        "role": "assistant",
        "content": [
            {
                "toolUse": {
                    "toolUseId": "lgid_call_3a1",
                    "name": "bash",
                    "input": {"command": "ls"},
                }
            }
        ],
    }
    assert result["stopReason"] == "tool_use"
    assert result["usage"] == {
        "inputTokens": 10,
        "outputTokens": 4,
        "totalTokens": 144,
        "cacheReadInputTokens": 100,
        "cacheWriteInputTokens": 30,
    }
    assert result["metrics"] == {"latencyMs": 7}


@pytest.mark.parametrize(
    ("finish_reason", "stop_reason"),
    [
        ("stop", "end_turn"),
        ("length", "max_tokens"),
        ("tool_calls", "tool_use"),
        ("content_filter", "content_filtered"),
    ],
)
async def test_boto3_reads_each_finish_reason_as_its_stop_reason(
    edge: EdgeServer, finish_reason: str, stop_reason: str
) -> None:
    choice = {**COMPLETION["choices"][0], "finish_reason": finish_reason}  # type: ignore[index]
    edge.script.completion = {**COMPLETION, "choices": [choice]}

    result = await asyncio.to_thread(
        _converse,
        edge.port,
        modelId="m",
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
    )

    assert result["stopReason"] == stop_reason


async def test_boto3_sees_a_malformed_body_as_a_validation_exception(
    edge: EdgeServer,
) -> None:
    with pytest.raises(ClientError) as info:
        await asyncio.to_thread(
            _converse,
            edge.port,
            modelId="m",
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"video": {"format": "mp4", "source": {"bytes": b"x"}}}
                    ],
                }
            ],
        )

    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "messages[0].content[0] is a 'video' block" in error["Message"]


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _tool(
    index: int, call_id: str | None, name: str | None, arguments: str
) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if call_id is not None:
        call.update(id=call_id, type="function")
        call["function"]["name"] = name
    return {"tool_calls": [call]}


async def test_boto3_converse_stream_reads_text_parallel_tools_and_usage(
    edge: EdgeServer,
) -> None:
    edge.script.chunks = [
        _chunk({"role": "assistant", "content": ""}),
        _chunk({"content": "Checking "}),
        _chunk({"content": "both."}),
        _chunk(_tool(0, "call_P", "get_weather", "")),
        _chunk(_tool(0, None, None, '{"city":')),
        _chunk(_tool(0, None, None, '"Paris"}')),
        _chunk(_tool(1, "call_R", "get_weather", '{"city":"Rome"}')),
        _chunk({}, "tool_calls"),
        {
            "id": "chatcmpl-s",
            "choices": [],
            "usage": {
                "prompt_tokens": 412,
                "completion_tokens": 61,
                "total_tokens": 473,
            },
        },
    ]

    events = await asyncio.to_thread(
        _converse_stream,
        edge.port,
        modelId="m",
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
    )

    assert events == [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "Checking "}}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "both."}}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {
            "contentBlockStart": {
                "contentBlockIndex": 1,
                "start": {"toolUse": {"toolUseId": "call_P", "name": "get_weather"}},
            }
        },
        {
            "contentBlockDelta": {
                "contentBlockIndex": 1,
                "delta": {"toolUse": {"input": '{"city":'}},
            }
        },
        {
            "contentBlockDelta": {
                "contentBlockIndex": 1,
                "delta": {"toolUse": {"input": '"Paris"}'}},
            }
        },
        {"contentBlockStop": {"contentBlockIndex": 1}},
        {
            "contentBlockStart": {
                "contentBlockIndex": 2,
                "start": {"toolUse": {"toolUseId": "call_R", "name": "get_weather"}},
            }
        },
        {
            "contentBlockDelta": {
                "contentBlockIndex": 2,
                "delta": {"toolUse": {"input": '{"city":"Rome"}'}},
            }
        },
        {"contentBlockStop": {"contentBlockIndex": 2}},
        {"messageStop": {"stopReason": "tool_use"}},
        {
            "metadata": {
                "usage": {"inputTokens": 412, "outputTokens": 61, "totalTokens": 473},
                "metrics": {"latencyMs": 0},
            }
        },
    ]
    assert edge.script.received[0]["messages"] == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            UpstreamRejected("slow down (request id r1)", status=429),
            "throttlingException",
        ),
        (UpstreamRejected("bad turn", status=400), "validationException"),
        (
            UpstreamStreamError("cut", code="upstream_stream_truncated"),
            "modelStreamErrorException",
        ),
        (MalformedBody("nope"), "validationException"),
    ],
)
async def test_boto3_converse_stream_raises_the_error_frame(
    edge: EdgeServer, error: Any, code: str
) -> None:
    edge.script.chunks = [_chunk({"role": "assistant", "content": "partial"})]
    edge.script.stream_error = error

    received: list[dict[str, Any]] = []

    with pytest.raises(EventStreamError) as info:
        await asyncio.to_thread(
            _converse_stream,
            edge.port,
            received,
            modelId="m",
            messages=[{"role": "user", "content": [{"text": "hi"}]}],
        )

    assert info.value.response["Error"] == {"Code": code, "Message": error.message}
    assert received == [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "partial"}}},
    ]


async def test_str009_frames_survive_upstream_translation_and_edge_encoding(
    edge: EdgeServer,
) -> None:
    known = case("STR-009")
    original = known["input"]["upstream_eventstream"]
    decoder = EventStreamDecoder()
    tally = StreamTally()
    translator = ConverseStreamTranslator(
        tally=tally, response_id="chatcmpl-x", alias="a", created=1, include_usage=True
    )
    edge.script.chunks = [
        chunk
        for frame in original
        for message in decoder.feed(event(frame["event"], frame["data"]))
        for chunk in translator.translate(message)
    ]

    events = await asyncio.to_thread(
        _converse_stream,
        edge.port,
        modelId="m",
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
    )

    expected = [{frame["event"]: frame["data"]} for frame in original]
    expected[-1] = {"metadata": {**original[-1]["data"], "metrics": {"latencyMs": 0}}}
    assert events == expected


async def test_boto3_reads_streamed_and_whole_reasoning(edge: EdgeServer) -> None:
    edge.script.chunks = [
        _chunk({"role": "assistant", "reasoning_content": "hm"}),
        _chunk({"content": "yes"}, "stop"),
    ]
    edge.script.completion = {
        **COMPLETION,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "yes",
                    "reasoning_content": "hm",
                },
                "finish_reason": "stop",
            }
        ],
    }
    messages = [{"role": "user", "content": [{"text": "hi"}]}]

    events = await asyncio.to_thread(
        _converse_stream, edge.port, modelId="m", messages=messages
    )
    whole = await asyncio.to_thread(
        _converse, edge.port, modelId="m", messages=messages
    )

    assert events[1] == {
        "contentBlockDelta": {
            "contentBlockIndex": 0,
            "delta": {"reasoningContent": {"text": "hm"}},
        }
    }
    assert whole["output"]["message"]["content"] == [
        {"reasoningContent": {"reasoningText": {"text": "hm"}}},
        {"text": "yes"},
    ]
