"""Any mangled body is answered with a lockgate error, never a crash."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from botocore.credentials import ReadOnlyCredentials

from bedrock.cases import case
from bedrock.simulator import BedrockSimulator
from lockgate.errors import LockgateError, MalformedBody
from lockgate.eventstream import EventStreamDecoder, encode_event
from lockgate.gateway.bedrock_edge import (
    ConverseStreamEncoder,
    converse_request_to_openai,
    openai_completion_to_converse,
)
from lockgate.upstreams.base import StreamTally
from lockgate.upstreams.bedrock.request import converse_request
from lockgate.upstreams.bedrock.response import openai_completion
from lockgate.upstreams.bedrock.stream import ConverseStreamTranslator

REPLACEMENTS: list[Any] = [None, 1, "x", [], {}, [1], {"a": 1}, True]


def _mutations(value: Any) -> Iterator[Any]:
    """Copies of ``value`` with one node swapped for a value of another type."""
    yield from REPLACEMENTS
    if isinstance(value, dict):
        for key, item in value.items():
            for mutated in _mutations(item):
                yield {**value, key: mutated}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for mutated in _mutations(item):
                yield [*value[:index], mutated, *value[index + 1 :]]


def _survives(translate: Callable[[Any], Any], body: Any) -> int:
    outcomes = 0
    for mutated in _mutations(body):
        try:
            translate(mutated)
        except LockgateError:
            outcomes += 1
        except Exception as exc:
            pytest.fail(f"{type(exc).__name__}: {exc} for {mutated!r}")
    return outcomes


RICH_OPENAI = {
    "model": "m",
    "temperature": 0.1,
    "top_p": 0.5,
    "max_completion_tokens": 9,
    "stop": ["a", "b"],
    "tool_choice": {"type": "function", "function": {"name": "t"}},
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "r", "description": "d", "schema": {"type": "object"}},
    },
    "tools": [{"type": "function", "function": {"name": "t", "parameters": {}}}],
    "messages": [
        {"role": "developer", "content": [{"type": "text", "text": "d"}]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "look"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/gif;base64,AA=="},
                },
            ],
        },
        {"role": "assistant", "content": [{"type": "text", "text": "ok"}]},
        {"role": "user", "content": "go"},
    ],
}


@pytest.mark.parametrize("name", ["BDR-001", "rich"])
def test_mangled_openai_bodies_raise_errors_or_give_valid_converse(name: str) -> None:
    body = RICH_OPENAI if name == "rich" else case(name)["input"]["request"]
    validator = BedrockSimulator(ReadOnlyCredentials("k", "s", None), "us-east-1")
    invalid: list[str] = []

    def translate(mutated: Any) -> None:
        problem = validator.body_problem(
            "converse", "m", orjson.dumps(converse_request(mutated))
        )
        if problem is not None:
            invalid.append(f"{mutated!r}: {problem}")

    refused = _survives(translate, body)

    assert refused > 20
    assert invalid == []


CONVERSE = {
    "system": [{"text": "s"}],
    "messages": [
        {
            "role": "user",
            "content": [
                {"text": "hi"},
                {"image": {"format": "png", "source": {"bytes": "AA=="}}},
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"toolUse": {"toolUseId": "a", "name": "t", "input": {"k": 1}}}
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "a",
                        "content": [{"text": "r"}, {"json": {"v": 2}}],
                    }
                }
            ],
        },
    ],
    "inferenceConfig": {"maxTokens": 5, "stopSequences": ["x"]},
    "toolConfig": {
        "tools": [
            {"toolSpec": {"name": "t", "inputSchema": {"json": {"type": "object"}}}}
        ],
        "toolChoice": {"tool": {"name": "t"}},
    },
    "outputConfig": {
        "textFormat": {
            "type": "json_schema",
            "structure": {"jsonSchema": {"schema": "{}"}},
        }
    },
}


def test_mangled_converse_bodies_raise_errors_or_round_trip_validly() -> None:
    validator = BedrockSimulator(ReadOnlyCredentials("k", "s", None), "us-east-1")
    invalid: list[str] = []

    def round_trip(mutated: Any) -> None:
        converse = converse_request(converse_request_to_openai("m", mutated))
        problem = validator.body_problem("converse", "m", orjson.dumps(converse))
        if problem is not None:
            invalid.append(f"{mutated!r}: {problem}")

    refused = _survives(round_trip, CONVERSE)

    assert refused > 20
    assert invalid == []


def test_mangled_converse_answers_raise_only_lockgate_errors() -> None:
    answer = case("BDR-002")["input"]["upstream_response"]

    refused = _survives(
        lambda body: openai_completion(body, alias="a", request_id="r", created=1),
        answer,
    )

    assert refused > 20


def _translate_frames(frames: Any) -> None:
    if not isinstance(frames, list):
        raise MalformedBody("not a frame list")
    translator = ConverseStreamTranslator(
        tally=StreamTally(), response_id="x", alias="a", created=1, include_usage=True
    )
    decoder = EventStreamDecoder()
    for frame in frames:
        name = frame.get("event") if isinstance(frame, dict) else None
        data = orjson.dumps(frame.get("data")) if isinstance(name, str) else b"[]"
        for message in decoder.feed(encode_event(str(name), data)):
            translator.translate(message)


def test_mangled_stream_events_raise_only_lockgate_errors() -> None:
    frames = case("STR-009")["input"]["upstream_eventstream"]

    refused = _survives(_translate_frames, frames)

    assert refused > 20


COMPLETION = {
    "id": "c",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "x",
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "t", "arguments": "{}"},
                    }
                ],
            },
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def test_mangled_openai_answers_raise_only_lockgate_errors_at_the_edge() -> None:
    refused = _survives(
        lambda body: openai_completion_to_converse(body, None), COMPLETION
    )

    assert refused > 10


def _encode_chunks(chunks: Any) -> None:
    encoder = ConverseStreamEncoder()
    for chunk in chunks if isinstance(chunks, list) else [chunks]:
        encoder.encode(chunk)
    encoder.finish(None)


def test_mangled_chunks_raise_only_lockgate_errors_at_the_edge() -> None:
    delta = {
        "role": "assistant",
        "content": "a",
        "tool_calls": [
            {"index": 0, "id": "c", "function": {"name": "t", "arguments": "{"}}
        ],
    }
    chunks = [
        {"choices": [{"index": 0, "delta": delta, "finish_reason": "stop"}]},
        {"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1}},
    ]

    refused = _survives(_encode_chunks, chunks)

    assert refused > 10
