"""Prompts and completions never reach a log line or an error message."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from botocore.credentials import Credentials

from bedrock.cases import adapter, chat_request, stream_reply
from bedrock.simulator import BedrockSimulator, Reply
from lockgate.errors import LockgateError
from lockgate.gateway.bedrock_edge import converse_request_to_openai
from lockgate.upstreams.base import StreamTally
from lockgate.upstreams.bedrock.request import converse_request

SECRET = "planted-secret-7f3a9c"
SETUP = {"model": {"alias": "claude", "upstream_model": "anthropic.claude-v2:1"}}


def _openai_bodies() -> list[dict[str, Any]]:
    user = {"role": "user", "content": SECRET}
    return [
        {"messages": [user, {"role": "critic", "content": SECRET}]},
        {
            "messages": [user],
            "tools": [
                {
                    "type": "function",
                    "function": {
                        "name": "f",
                        "description": SECRET,
                        "parameters": SECRET,
                    },
                }
            ],
        },
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image_url",
                            "image_url": {"url": f"https://x.example/{SECRET}"},
                        }
                    ],
                }
            ]
        },
        {
            "messages": [
                {
                    "role": "assistant",
                    "tool_calls": [
                        {"id": "c", "function": {"name": "f", "arguments": SECRET}}
                    ],
                }
            ]
        },
        {
            "messages": [user],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"schema": SECRET},
            },
        },
    ]


def _converse_bodies() -> list[dict[str, Any]]:
    return [
        {"messages": [{"role": "user", "content": [{"text": SECRET}, {"video": {}}]}]},
        {
            "messages": [{"role": "user", "content": [{"text": SECRET}]}],
            "guardrailConfig": {},
        },
        {
            "messages": [
                {
                    "role": "assistant",
                    "content": [
                        {"toolUse": {"toolUseId": "a", "name": "t", "input": SECRET}}
                    ],
                }
            ]
        },
    ]


def test_translation_errors_do_not_quote_content() -> None:
    messages: list[str] = []
    for body in _openai_bodies():
        with pytest.raises(LockgateError) as info:
            converse_request(body)
        messages.append(info.value.message)
    for body in _converse_bodies():
        with pytest.raises(LockgateError) as info:
            converse_request_to_openai("m", body)
        messages.append(info.value.message)

    assert len(messages) == 8
    assert not [message for message in messages if SECRET in message]


async def test_adapter_logs_no_content_on_success_or_failure(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body = {"model": "claude", "messages": [{"role": "user", "content": SECRET}]}
    answer = {
        "output": {"message": {"role": "assistant", "content": [{"text": SECRET}]}},
        "stopReason": "brand_new_reason",
        "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
    }
    frames = [
        {"event": "messageStart", "data": {"role": "assistant"}},
        {
            "event": "contentBlockDelta",
            "data": {"contentBlockIndex": 0, "delta": {"text": SECRET}},
        },
    ]
    simulator.script(Reply(body=answer), stream_reply(frames, ending="eof"))
    upstream = adapter(simulator, session, credentials)

    completion = await upstream.chat(chat_request(SETUP, body))
    with pytest.raises(LockgateError) as info:
        _ = [
            c
            async for c in upstream.chat_stream(
                chat_request(SETUP, body), StreamTally()
            )
        ]

    assert completion.body["choices"][0]["message"]["content"] == SECRET
    assert SECRET not in info.value.message
    assert caplog.records, "the unknown stop reason should have been logged"
    assert not [r for r in caplog.records if SECRET in r.getMessage()]
