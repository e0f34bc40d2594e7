"""OpenAI ↔ Converse translation, checked against botocore's service model."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from botocore.credentials import ReadOnlyCredentials

from bedrock.simulator import BedrockSimulator
from lockgate.errors import MalformedBody, UnsupportedOperation
from lockgate.upstreams.bedrock.request import converse_request
from lockgate.upstreams.bedrock.response import openai_completion
from lockgate.upstreams.bedrock.tool_ids import to_bedrock_id, to_openai_id
from lockgate.usage import Usage

PNG = "iVBORw0KGgoAAAANSUhEUg=="
TOOL = {
    "type": "function",
    "function": {"name": "lookup", "parameters": {"type": "object"}},
}
HISTORY = [
    {"role": "user", "content": "find it"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call.9:z",
                "type": "function",
                "function": {"name": "lookup", "arguments": "{}"},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call.9:z", "content": "found"},
]
VALIDATOR = BedrockSimulator(ReadOnlyCredentials("k", "s", None), "us-east-1")


def _translated(body: dict[str, Any]) -> dict[str, Any]:
    request = converse_request(body)
    assert VALIDATOR.body_problem("converse", "m", orjson.dumps(request)) is None
    return request


def _user(content: Any) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": content}]}


def test_image_data_url_becomes_an_image_block() -> None:
    parts = [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": f"data:image/jpg;base64,{PNG}"}},
    ]

    request = _translated(_user(parts))

    assert request["messages"][0]["content"] == [
        {"text": "what is this"},
        {"image": {"format": "jpeg", "source": {"bytes": PNG}}},
    ]


def test_image_by_remote_url_is_refused() -> None:
    part = {"type": "image_url", "image_url": {"url": "https://img.example/a.png"}}

    with pytest.raises(UnsupportedOperation, match="data:image"):
        converse_request(_user([part]))


def test_image_with_broken_base64_is_a_malformed_body() -> None:
    part = {"type": "image_url", "image_url": {"url": "data:image/png;base64,@@@"}}

    with pytest.raises(MalformedBody) as info:
        converse_request(_user([part]))
    assert info.value.param == "messages[0].content[0]"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"auto": {}}),
        ("required", {"any": {}}),
        (
            {"type": "function", "function": {"name": "lookup"}},
            {"tool": {"name": "lookup"}},
        ),
    ],
)
def test_tool_choice_maps_to_converse(choice: Any, expected: dict[str, Any]) -> None:
    body = {**_user("hi"), "tools": [TOOL], "tool_choice": choice}

    request = _translated(body)

    assert request["toolConfig"]["toolChoice"] == expected
    assert request["toolConfig"]["tools"][0]["toolSpec"]["name"] == "lookup"


def test_tool_choice_none_omits_tools_without_tool_history() -> None:
    request = _translated({**_user("hi"), "tools": [TOOL], "tool_choice": "none"})

    assert "toolConfig" not in request


def test_tool_choice_none_keeps_tools_when_history_has_tool_calls() -> None:
    body = {"messages": HISTORY, "tools": [TOOL], "tool_choice": "none"}

    request = _translated(body)

    assert request["toolConfig"] == {
        "tools": [
            {
                "toolSpec": {
                    "name": "lookup",
                    "inputSchema": {"json": {"type": "object"}},
                }
            }
        ]
    }


def test_unknown_tool_choice_is_a_malformed_body() -> None:
    with pytest.raises(MalformedBody) as info:
        converse_request({**_user("hi"), "tools": [TOOL], "tool_choice": "sometimes"})
    assert info.value.param == "tool_choice"


def test_tool_ids_outside_bedrock_characters_are_mapped_consistently() -> None:
    request = _translated({"messages": HISTORY, "tools": [TOOL]})

    tool_use = request["messages"][1]["content"][0]["toolUse"]
    tool_result = request["messages"][2]["content"][0]["toolResult"]
    assert tool_use["toolUseId"] == tool_result["toolUseId"] == "lgid_call_2e9_3az"
    assert to_openai_id(tool_use["toolUseId"]) == "call.9:z"


@pytest.mark.parametrize(
    "original",
    ["call.9:z", "fc/ü é", "lgid_looks_encoded", "lgid_", "a" * 30 + ":", "_-_"],
)
def test_tool_id_mapping_round_trips(original: str) -> None:
    mapped = to_bedrock_id(original)

    assert VALIDATOR.body_problem("converse", "m", _tool_use_body(mapped)) is None
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", mapped)
    assert to_openai_id(mapped) == original


def test_acceptable_tool_ids_pass_unchanged() -> None:
    for original in ("call_a1", "tooluse_Q1w2E3r4", "call-1"):
        assert to_bedrock_id(original) == original
        assert to_openai_id(original) == original


def test_very_long_tool_id_is_hashed_to_64_characters_deterministically() -> None:
    original = "id:" + "x" * 80

    mapped = to_bedrock_id(original)

    assert mapped == to_bedrock_id(original)
    assert mapped.startswith("lgh_")
    assert len(mapped) <= 64


def _tool_use_body(tool_id: str) -> bytes:
    block = {"toolUse": {"toolUseId": tool_id, "name": "t", "input": {}}}
    return orjson.dumps({"messages": [{"role": "assistant", "content": [block]}]})


def test_system_and_developer_messages_go_to_system_blocks() -> None:
    body = {
        "messages": [
            {"role": "system", "content": "one"},
            {"role": "developer", "content": [{"type": "text", "text": "two"}]},
            {"role": "user", "content": "hi"},
        ]
    }

    request = _translated(body)

    assert request["system"] == [{"text": "one"}, {"text": "two"}]
    assert request["messages"] == [{"role": "user", "content": [{"text": "hi"}]}]


def test_tool_result_followed_by_user_text_shares_one_user_turn() -> None:
    body = {
        "messages": [*HISTORY, {"role": "user", "content": "thanks"}],
        "tools": [TOOL],
    }

    request = _translated(body)

    assert [turn["role"] for turn in request["messages"]] == [
        "user",
        "assistant",
        "user",
    ]
    assert request["messages"][2]["content"][1] == {"text": "thanks"}


def test_inference_settings_map_to_inference_config() -> None:
    body = {
        **_user("hi"),
        "max_tokens": 10,
        "max_completion_tokens": 20,
        "temperature": 0.2,
        "top_p": 0.9,
        "stop": "END",
    }

    request = _translated(body)

    assert request["inferenceConfig"] == {
        "maxTokens": 20,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["END"],
    }


def test_json_schema_response_format_becomes_output_config() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = {
        **_user("hi"),
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "r", "schema": schema},
        },
    }

    request = _translated(body)

    structure = request["outputConfig"]["textFormat"]["structure"]["jsonSchema"]
    assert request["outputConfig"]["textFormat"]["type"] == "json_schema"
    assert orjson.loads(structure["schema"]) == schema
    assert structure["name"] == "r"


def test_json_object_response_format_is_refused() -> None:
    with pytest.raises(UnsupportedOperation) as info:
        converse_request({**_user("hi"), "response_format": {"type": "json_object"}})
    assert info.value.param == "response_format"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"messages": []}, "messages"),
        ({"messages": [{"role": "critic", "content": "x"}]}, "messages[0].role"),
        ({"messages": [{"role": "user", "content": ""}]}, "messages[0].content"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
        (
            {
                "messages": [
                    {
                        "role": "assistant",
                        "tool_calls": [
                            {
                                "id": "c",
                                "type": "function",
                                "function": {"name": "f", "arguments": "[1"},
                            }
                        ],
                    }
                ]
            },
            "messages[0].tool_calls[0].function.arguments",
        ),
    ],
)
def test_bad_requests_name_the_offending_field(
    body: dict[str, Any], param: str
) -> None:
    with pytest.raises(MalformedBody) as info:
        converse_request(body)

    assert info.value.param == param
    assert info.value.status == 400


def test_more_than_one_choice_is_refused() -> None:
    with pytest.raises(UnsupportedOperation):
        converse_request({**_user("hi"), "n": 2})


def test_cache_usage_is_counted_into_prompt_tokens() -> None:
    converse = {
        "output": {
            "message": {"role": "assistant", "content": [{"text": "a"}, {"text": "b"}]}
        },
        "stopReason": "end_turn",
        "usage": {
            "inputTokens": 10,
            "outputTokens": 4,
            "totalTokens": 144,
            "cacheReadInputTokens": 100,
            "cacheWriteInputTokens": 30,
        },
    }

    body, usage, raw = openai_completion(converse, alias="c", request_id="r", created=1)

    assert usage == Usage(
        input_tokens=140,
        output_tokens=4,
        cached_input_tokens=100,
        cache_write_tokens=30,
    )
    assert body["usage"] == {
        "prompt_tokens": 140,
        "completion_tokens": 4,
        "total_tokens": 144,
        "prompt_tokens_details": {"cached_tokens": 100},
    }
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "ab"}
    assert raw == "end_turn"


def test_reasoning_blocks_become_reasoning_content() -> None:
    reasoning = {"reasoningText": {"text": "think", "signature": "sig"}}
    converse = {
        "output": {
            "message": {
                "role": "assistant",
                "content": [{"reasoningContent": reasoning}, {"text": "answer"}],
            }
        },
        "stopReason": "end_turn",
    }

    body, usage, _ = openai_completion(converse, alias="r1", request_id="r", created=1)

    assert body["choices"][0]["message"] == {
        "role": "assistant",
        "content": "answer",
        "reasoning_content": "think",
    }
    assert usage is None
    assert "usage" not in body
