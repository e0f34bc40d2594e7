"""Bedrock Converse response → OpenAI ``chat.completion``."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson

from lockgate.errors import UpstreamMalformed
from lockgate.upstreams.bedrock.faults import malformed_stop
from lockgate.upstreams.bedrock.tool_ids import to_openai_id
from lockgate.usage import Usage

logger = logging.getLogger(__name__)

FINISH_REASONS: dict[str, str] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}
MALFORMED_STOPS = frozenset({"malformed_model_output", "malformed_tool_use"})


def finish_reason(stop_reason: Any, request_id: str | None) -> str:
    """The OpenAI finish_reason for a Converse stopReason, or the malformed error."""
    if not isinstance(stop_reason, str):
        raise unreadable("stopReason", repr(stop_reason)[:40])
    if stop_reason in MALFORMED_STOPS:
        raise malformed_stop(stop_reason, request_id)
    if stop_reason in FINISH_REASONS:
        return FINISH_REASONS[stop_reason]

    logger.warning("unknown Bedrock stopReason %r reported as 'stop'", stop_reason)
    return "stop"


def response_id(request_id: str | None) -> str:
    """``chatcmpl-`` and the upstream request id (a fresh one when it is missing)."""
    return "chatcmpl-" + (request_id or uuid.uuid4().hex)


def openai_completion(
    converse: Any, *, alias: str, request_id: str | None, created: int
) -> tuple[dict[str, Any], Usage | None, str]:
    """The OpenAI body, its usage and the raw stopReason of a Converse answer."""
    # The answer is untrusted JSON: a field of the wrong type anywhere in it makes
    # the answer unreadable, which is reported as such rather than as a crash.
    try:
        return _openai_completion(converse, alias, request_id, created)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        raise unreadable("answer", type(exc).__name__) from exc


def unreadable(what: str, detail: str) -> UpstreamMalformed:
    return UpstreamMalformed(
        f"the Bedrock {what} has a field of an unexpected type ({detail}); the "
        "response cannot be read, retry the request",
        code="upstream_malformed_response",
    )


def _openai_completion(
    converse: Any, alias: str, request_id: str | None, created: int
) -> tuple[dict[str, Any], Usage | None, str]:
    message = _output_message(converse)
    stop_reason = converse.get("stopReason")
    finish = finish_reason(stop_reason, request_id)

    usage = Usage.from_bedrock(converse["usage"]) if converse.get("usage") else None
    body: dict[str, Any] = {
        "id": response_id(request_id),
        "object": "chat.completion",
        "created": created,
        "model": alias,
        "choices": [
            {"index": 0, "message": _openai_message(message), "finish_reason": finish}
        ],
    }
    if usage is not None:
        body["usage"] = usage.to_openai()
    return body, usage, str(stop_reason)


def _output_message(converse: Any) -> dict[str, Any]:
    output = converse.get("output") if isinstance(converse, dict) else None
    message = output.get("message") if isinstance(output, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("content"), list):
        raise UpstreamMalformed(
            "the Bedrock answer has no output.message.content list; the response "
            "cannot be read, retry the request",
            code="upstream_malformed_response",
        )
    return message


def _openai_message(message: dict[str, Any]) -> dict[str, Any]:
    texts: list[str] = []
    reasoning: list[str] = []
    tool_calls: list[dict[str, Any]] = []
    for block in message["content"]:
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif isinstance(block.get("toolUse"), dict):
            tool_calls.append(_tool_call(block["toolUse"]))
        elif isinstance(block.get("reasoningContent"), dict):
            reasoning.append(_reasoning_text(block["reasoningContent"]))

    result: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(texts) if texts else None,
    }
    if any(reasoning):
        result["reasoning_content"] = "".join(reasoning)
    if tool_calls:
        result["tool_calls"] = tool_calls
    return result


def _reasoning_text(block: dict[str, Any]) -> str:
    # Reasoning is passed on as the widespread "reasoning_content" field. Its
    # signature and any redacted (encrypted) reasoning are dropped, so a caller
    # cannot hand the reasoning back to Bedrock in a later turn.
    text = (block.get("reasoningText") or {}).get("text")
    return text if isinstance(text, str) else ""


def _tool_call(tool_use: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": to_openai_id(str(tool_use.get("toolUseId", ""))),
        "type": "function",
        "function": {
            "name": tool_use.get("name", ""),
            "arguments": orjson.dumps(tool_use.get("input", {})).decode(),
        },
    }
