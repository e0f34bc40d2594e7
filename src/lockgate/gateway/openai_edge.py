"""The OpenAI and Azure OpenAI wire formats, as callers see them.

Both are the same JSON and server-sent-events protocol. They differ in what a
stream may show: an OpenAI client must never see Azure's bookkeeping chunks (prompt
filter results and content-filter annotations arrive with an empty ``id``), while an
Azure SDK client expects them unchanged.
"""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import LockgateError, MalformedBody, WireFormat
from lockgate.gateway.call import Call
from lockgate.gateway.json_body import decode_object
from lockgate.upstreams.base import Completion, Operation, StreamTally
from lockgate.usage import Usage

SSE_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
]
_DONE = b"data: [DONE]\n\n"


def parse_body(raw: bytes, operation: Operation) -> dict[str, Any]:
    """Decode and check the parts of an OpenAI request body lockgate relies on."""
    body = decode_object(raw)

    if operation is Operation.CHAT:
        _check_messages(body.get("messages"))
        _check_counts(body)
        if "tools" in body and not isinstance(body["tools"], list):
            raise MalformedBody("'tools' must be a list of tool objects", param="tools")
    elif not isinstance(body.get("input"), str | list):
        raise MalformedBody(
            "'input' is required for embeddings: a string or a list of strings",
            param="input",
        )

    if "stream" in body and not isinstance(body["stream"], bool):
        raise MalformedBody("'stream' must be true or false", param="stream")
    options = body.get("stream_options")
    if options is not None and (
        not isinstance(options, dict)
        or not isinstance(options.get("include_usage", False), bool)
    ):
        raise MalformedBody(
            f"'stream_options' must be an object such as "
            f'{{"include_usage": true}}, not {orjson.dumps(options).decode()[:60]}',
            param="stream_options",
        )
    return body


def _check_messages(messages: Any) -> None:
    if not isinstance(messages, list) or not messages:
        raise MalformedBody(
            "'messages' must be a non-empty list of message objects",
            param="messages",
        )
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise MalformedBody(
                f"messages[{index}] must be an object with a string 'role', such as "
                '{"role": "user", "content": "..."}',
                param=f"messages[{index}]",
            )


def _check_counts(body: dict[str, Any]) -> None:
    for name in ("max_tokens", "max_completion_tokens", "n"):
        value = body.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise MalformedBody(
                f"'{name}' must be a positive integer, not {str(value)[:40]!r}",
                param=name,
            )


def require_model(body: dict[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise MalformedBody(
            "'model' is required and must be a string; GET /v1/models lists the "
            "models you can use",
            param="model",
        )
    return model


def completion_bytes(completion: Completion) -> bytes:
    return orjson.dumps(completion.body)


class OpenAIStreamEncoder:
    """Turns a call's chunks into SSE bytes for an OpenAI or Azure client."""

    def __init__(self, call: Call) -> None:
        self._call = call
        self._keep_bookkeeping = call.wire is WireFormat.AZURE
        self._usage_sent = False

    def chunk(self, chunk: dict[str, Any]) -> bytes:
        """The bytes to send for one chunk; empty when the client must not see it."""
        choices = chunk.get("choices")
        if not choices and chunk.get("usage") is not None:
            if not self._call.client_wants_usage or self._usage_sent:
                return b""
            self._usage_sent = True
        elif not self._keep_bookkeeping and (chunk.get("id") == "" or not choices):
            return b""
        return b"data: " + orjson.dumps(chunk) + b"\n\n"

    def end(self, tally: StreamTally, usage: Usage) -> bytes:
        """The closing bytes: a usage chunk if owed, then ``[DONE]``.

        A usage chunk is added only with usage the upstream reported; an estimate is
        never presented to a client as if it were the upstream's count.
        """
        if (
            self._call.client_wants_usage
            and not self._usage_sent
            and not usage.estimated
        ):
            self._usage_sent = True
            closing = {
                "id": tally.response_id or self._call.request_id,
                "object": "chat.completion.chunk",
                "model": tally.response_model or self._call.alias,
                "choices": [],
                "usage": usage.to_openai(),
            }
            return b"data: " + orjson.dumps(closing) + b"\n\n" + _DONE
        return _DONE

    def error(self, error: LockgateError) -> bytes:
        """An error event that ends a stream which has already started."""
        body = error.to_body(WireFormat.OPENAI)
        return b"data: " + orjson.dumps(body) + b"\n\n"
