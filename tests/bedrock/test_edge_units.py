"""The inbound edge's pure functions: validation messages and encoder corners."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from lockgate.errors import MalformedBody, UnsupportedOperation, UpstreamMalformed
from lockgate.eventstream import EventStreamDecoder
from lockgate.gateway.bedrock_edge import (
    ConverseStreamEncoder,
    converse_request_to_openai,
    openai_completion_to_converse,
)
from lockgate.usage import Usage

HI = [{"role": "user", "content": [{"text": "hi"}]}]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": ["hi"]}, "messages[0]"),
        (
            {"messages": [{"role": "system", "content": [{"text": "x"}]}]},
            "messages[0].role",
        ),
        (
            {"messages": [{"role": "user", "content": [{"text": 3}]}]},
            "messages[0].content[0].text",
        ),
        (
            {
                "messages": [
                    {
                        "role": "assistant",
                        "content": [
                            {"toolUse": {"toolUseId": "a", "name": "t", "input": [1]}}
                        ],
                    }
                ]
            },
            "messages[0].content[0].toolUse.input",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": [{"toolResult": {"content": []}}]}
                ]
            },
            "messages[0].content[0].toolResult.toolUseId",
        ),
        (
            {"messages": HI, "inferenceConfig": {"maxTokens": "9"}},
            "inferenceConfig.maxTokens",
        ),
        ({"messages": HI, "inferenceConfig": {"topK": 9}}, "inferenceConfig.topK"),
        ({"messages": HI, "toolConfig": {"tools": []}}, "toolConfig.tools"),
        (
            {"messages": HI, "toolConfig": {"tools": [{"toolSpec": {"name": "t"}}]}},
            "toolConfig.tools[0].toolSpec.inputSchema",
        ),
        (
            {
                "messages": HI,
                "toolConfig": {
                    "tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": {}}}}],
                    "toolChoice": {"never": {}},
                },
            },
            "toolConfig.toolChoice",
        ),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"image": {"format": "bmp", "source": {"bytes": "AA=="}}}
                        ],
                    }
                ]
            },
            "messages[0].content[0]",
        ),
    ],
)
def test_malformed_converse_bodies_name_the_field(
    body: dict[str, Any], param: str
) -> None:
    with pytest.raises(MalformedBody) as info:
        converse_request_to_openai("m", body)

    assert info.value.param == param
    assert info.value.message.startswith(param)
    assert info.value.status == 400


def test_guardrail_config_is_refused_rather_than_ignored() -> None:
    body = {
        "messages": HI,
        "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1"},
    }

    with pytest.raises(UnsupportedOperation) as info:
        converse_request_to_openai("m", body)

    assert info.value.param == "guardrailConfig"


def test_output_config_json_schema_becomes_response_format() -> None:
    structure = {"jsonSchema": {"schema": '{"type":"object"}', "name": "r"}}
    body = {
        "messages": HI,
        "outputConfig": {"textFormat": {"type": "json_schema", "structure": structure}},
    }

    openai_body = converse_request_to_openai("m", body)

    assert openai_body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "r", "schema": {"type": "object"}},
    }


def test_tool_ids_mapped_by_the_upstream_side_are_restored() -> None:
    turns = [
        {
            "role": "assistant",
            "content": [
                {"toolUse": {"toolUseId": "lgid_call_3a1", "name": "t", "input": {}}}
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "lgid_call_3a1",
                        "content": [{"text": "ok"}],
                    }
                }
            ],
        },
    ]

    messages = converse_request_to_openai("m", {"messages": turns})["messages"]

    assert messages[0]["tool_calls"][0]["id"] == "call:1"
    assert messages[1] == {"role": "tool", "tool_call_id": "call:1", "content": "ok"}


def test_completion_with_unparseable_tool_arguments_is_an_upstream_error() -> None:
    call = {
        "id": "c",
        "type": "function",
        "function": {"name": "t", "arguments": "{oops"},
    }
    body = {
        "choices": [
            {
                "message": {"role": "assistant", "tool_calls": [call]},
                "finish_reason": "tool_calls",
            }
        ]
    }

    with pytest.raises(UpstreamMalformed) as info:
        openai_completion_to_converse(body, None)

    assert info.value.code == "upstream_malformed_tool_use"


def test_completion_usage_comes_from_the_body_when_none_is_given() -> None:
    body = {
        "choices": [
            {
                "message": {"role": "assistant", "content": "a"},
                "finish_reason": "length",
            }
        ],
        "usage": {
            "prompt_tokens": 9,
            "completion_tokens": 2,
            "total_tokens": 11,
            "prompt_tokens_details": {"cached_tokens": 4},
        },
    }

    converse = openai_completion_to_converse(body, None)

    assert converse["usage"] == {
        "inputTokens": 5,
        "outputTokens": 2,
        "totalTokens": 11,
        "cacheReadInputTokens": 4,
    }
    assert converse["stopReason"] == "max_tokens"


def _events(frames: bytes) -> list[tuple[str | None, Any]]:
    return [
        (message.header(":event-type"), orjson.loads(message.payload))
        for message in EventStreamDecoder().feed(frames)
    ]


def test_finish_without_a_finish_reason_still_ends_the_message() -> None:
    ticks = iter([10.0, 10.25])
    encoder = ConverseStreamEncoder(clock=lambda: next(ticks))
    chunk = {
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}]
    }

    frames = encoder.encode(chunk) + encoder.finish(
        Usage(input_tokens=3, output_tokens=1)
    )

    assert _events(frames) == [
        ("messageStart", {"role": "assistant"}),
        ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "hi"}}),
        ("contentBlockStop", {"contentBlockIndex": 0}),
        ("messageStop", {"stopReason": "end_turn"}),
        (
            "metadata",
            {
                "usage": {"inputTokens": 3, "outputTokens": 1, "totalTokens": 4},
                "metrics": {"latencyMs": 250},
            },
        ),
    ]


def test_usage_given_to_finish_wins_over_the_usage_chunk() -> None:
    usage_chunk = {
        "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    given, fallback = ConverseStreamEncoder(), ConverseStreamEncoder()

    with_usage = given.encode(usage_chunk) + given.finish(Usage(7, 2))
    without = fallback.encode(usage_chunk) + fallback.finish(None)

    assert _events(with_usage)[-1][1]["usage"] == {
        "inputTokens": 7,
        "outputTokens": 2,
        "totalTokens": 9,
    }
    assert _events(without)[-1][1]["usage"] == {
        "inputTokens": 1,
        "outputTokens": 1,
        "totalTokens": 2,
    }


def test_reasoning_content_becomes_a_reasoning_block_in_both_shapes() -> None:
    encoder = ConverseStreamEncoder(clock=lambda: 0.0)
    chunks = [
        {"choices": [{"index": 0, "delta": {"reasoning_content": "hm"}}]},
        {
            "choices": [
                {"index": 0, "delta": {"content": "yes"}, "finish_reason": "stop"}
            ]
        },
    ]
    body = {
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "content": "yes",
                    "reasoning_content": "hm",
                },
                "finish_reason": "stop",
            }
        ]
    }

    frames = b"".join(encoder.encode(chunk) for chunk in chunks)
    converse = openai_completion_to_converse(body, Usage(1, 1))

    assert _events(frames) == [
        ("messageStart", {"role": "assistant"}),
        (
            "contentBlockDelta",
            {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": "hm"}}},
        ),
        ("contentBlockStop", {"contentBlockIndex": 0}),
        ("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"text": "yes"}}),
        ("contentBlockStop", {"contentBlockIndex": 1}),
        ("messageStop", {"stopReason": "end_turn"}),
    ]
    assert converse["output"]["message"]["content"] == [
        {"reasoningContent": {"reasoningText": {"text": "hm"}}},
        {"text": "yes"},
    ]
