"""The Bedrock Runtime wire format inbound: Converse callers onto the pipeline.

Pure functions, no I/O. A Converse (or ConverseStream) request body becomes an
OpenAI chat-completions body; the pipeline's OpenAI answer becomes a Converse
response, or, chunk by chunk, AWS event-stream frames that boto3's
``converse_stream`` reads (:class:`ConverseStreamEncoder`). Tool-use ids are mapped
with the same reversible scheme as the Bedrock upstream, so a round trip through an
OpenAI-compatible model keeps them stable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson

from lockgate.errors import (
    LockgateError,
    MalformedBody,
    UnsupportedOperation,
    UpstreamMalformed,
    WireFormat,
)
from lockgate.eventstream import CONTENT_TYPE, encode_event, encode_exception
from lockgate.upstreams.bedrock.content import data_url
from lockgate.upstreams.bedrock.tool_ids import to_bedrock_id, to_openai_id
from lockgate.usage import Usage

STREAM_CONTENT_TYPE = CONTENT_TYPE

_ACCEPTED_FIELDS = frozenset(
    {"messages", "system", "inferenceConfig", "toolConfig", "outputConfig"}
)
# Fields Bedrock accepts that only tag or trace the call; they are read and dropped.
_IGNORED_FIELDS = frozenset({"requestMetadata", "performanceConfig", "serviceTier"})

STOP_REASONS: dict[str, str] = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "content_filtered",
}

OpenAIMessage = dict[str, Any]


def _bad(where: str, what: str) -> MalformedBody:
    return MalformedBody(f"{where} {what}", param=where)


def converse_request_to_openai(model_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI chat-completions body for a Converse request body."""
    _check_fields(body)

    messages = _system_messages(body.get("system"))
    for index, turn in enumerate(_list(body.get("messages"), "messages", empty=False)):
        messages.extend(_turn(turn, f"messages[{index}]"))

    result: dict[str, Any] = {"model": model_id, "messages": messages}
    result.update(_inference(body.get("inferenceConfig")))
    result.update(_tools(body.get("toolConfig")))
    result.update(_output_format(body.get("outputConfig")))
    return result


def _check_fields(body: Any) -> None:
    if not isinstance(body, dict):
        raise MalformedBody("the request body must be a JSON object")
    for key in body:
        if key in _ACCEPTED_FIELDS or key in _IGNORED_FIELDS:
            continue
        raise UnsupportedOperation(
            f"Converse field {key!r} is not supported by this gateway; remove it "
            f"(accepted: {', '.join(sorted(_ACCEPTED_FIELDS))})",
            param=key,
        )


def _list(value: Any, where: str, *, empty: bool = True) -> list[Any]:
    if value is None and empty:
        return []
    if not isinstance(value, list) or (not empty and not value):
        raise _bad(where, "must be a non-empty list" if not empty else "must be a list")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "must be an object")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _bad(where, "must be a string")
    return value


def _system_messages(system: Any) -> list[OpenAIMessage]:
    messages: list[OpenAIMessage] = []
    for index, block in enumerate(_list(system, "system")):
        where = f"system[{index}]"
        block = _object(block, where)
        if "cachePoint" in block:
            continue
        if "text" not in block:
            raise UnsupportedOperation(
                f"{where} is not a text block; only text system blocks are supported",
                param=where,
            )
        messages.append(
            {"role": "system", "content": _string(block["text"], f"{where}.text")}
        )
    return messages


def _turn(turn: Any, where: str) -> list[OpenAIMessage]:
    turn = _object(turn, where)
    role = turn.get("role")
    blocks = _list(turn.get("content"), f"{where}.content", empty=False)
    if role == "user":
        return _user_turn(blocks, where)
    if role == "assistant":
        return [_assistant_turn(blocks, where)]
    raise _bad(f"{where}.role", f"is {role!r}; use 'user' or 'assistant'")


def _user_turn(blocks: list[Any], where: str) -> list[OpenAIMessage]:
    tool_messages: list[OpenAIMessage] = []
    parts: list[dict[str, Any]] = []
    for index, block in enumerate(blocks):
        block_where = f"{where}.content[{index}]"
        block = _object(block, block_where)
        if "toolResult" in block:
            tool_messages.append(_tool_message(block["toolResult"], block_where))
        elif "cachePoint" not in block:
            parts.append(_user_part(block, block_where))

    if not parts:
        return tool_messages
    if len(parts) == 1 and parts[0]["type"] == "text":
        return [*tool_messages, {"role": "user", "content": parts[0]["text"]}]
    return [*tool_messages, {"role": "user", "content": parts}]


def _user_part(block: dict[str, Any], where: str) -> dict[str, Any]:
    if "text" in block:
        return {"type": "text", "text": _string(block["text"], f"{where}.text")}
    if "image" in block:
        return {
            "type": "image_url",
            "image_url": {"url": data_url(block["image"], where)},
        }
    raise _unsupported_block(block, where)


def _unsupported_block(block: dict[str, Any], where: str) -> UnsupportedOperation:
    kind = next(iter(block), "empty")
    return UnsupportedOperation(
        f"{where} is a {kind!r} block, which this gateway does not translate; send "
        "text, image, toolUse or toolResult blocks",
        param=where,
    )


def _tool_message(result: Any, where: str) -> OpenAIMessage:
    where = f"{where}.toolResult"
    result = _object(result, where)
    tool_id = _string(result.get("toolUseId"), f"{where}.toolUseId")

    texts: list[str] = []
    for index, block in enumerate(_list(result.get("content"), f"{where}.content")):
        block_where = f"{where}.content[{index}]"
        block = _object(block, block_where)
        if "text" in block:
            texts.append(_string(block["text"], f"{block_where}.text"))
        elif "json" in block:
            texts.append(orjson.dumps(block["json"]).decode())
        else:
            raise _unsupported_block(block, block_where)

    # OpenAI tool messages have no error flag, so a failed tool's result reaches
    # the model as plain text, prefixed so that the failure is not lost.
    content = "".join(texts)
    if result.get("status") == "error":
        content = f"[tool error] {content}"
    return {"role": "tool", "tool_call_id": to_openai_id(tool_id), "content": content}


def _assistant_turn(blocks: list[Any], where: str) -> OpenAIMessage:
    texts: list[str] = []
    tool_calls: list[dict[str, Any]] = []
    for index, block in enumerate(blocks):
        block_where = f"{where}.content[{index}]"
        block = _object(block, block_where)
        if "text" in block:
            texts.append(_string(block["text"], f"{block_where}.text"))
        elif "toolUse" in block:
            tool_calls.append(_tool_call(block["toolUse"], f"{block_where}.toolUse"))
        elif "cachePoint" not in block and "reasoningContent" not in block:
            raise _unsupported_block(block, block_where)

    message: OpenAIMessage = {
        "role": "assistant",
        "content": "".join(texts) if texts else None,
    }
    if tool_calls:
        message["tool_calls"] = tool_calls
    return message


def _tool_call(tool_use: Any, where: str) -> dict[str, Any]:
    tool_use = _object(tool_use, where)
    tool_id = _string(tool_use.get("toolUseId"), f"{where}.toolUseId")
    name = _string(tool_use.get("name"), f"{where}.name")
    arguments = _object(tool_use.get("input", {}), f"{where}.input")
    return {
        "id": to_openai_id(tool_id),
        "type": "function",
        "function": {"name": name, "arguments": orjson.dumps(arguments).decode()},
    }


_INFERENCE = {
    "maxTokens": "max_tokens",
    "temperature": "temperature",
    "topP": "top_p",
    "stopSequences": "stop",
}


def _inference(config: Any) -> dict[str, Any]:
    if config is None:
        return {}
    config = _object(config, "inferenceConfig")

    result: dict[str, Any] = {}
    for key, value in config.items():
        if key not in _INFERENCE:
            raise _bad(f"inferenceConfig.{key}", "is not a Converse inference setting")
        if key == "stopSequences":
            _list(value, "inferenceConfig.stopSequences")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(f"inferenceConfig.{key}", "must be a number")
        result[_INFERENCE[key]] = value
    return result


def _tools(config: Any) -> dict[str, Any]:
    if config is None:
        return {}
    config = _object(config, "toolConfig")

    tools = []
    for index, entry in enumerate(
        _list(config.get("tools"), "toolConfig.tools", empty=False)
    ):
        entry = _object(entry, f"toolConfig.tools[{index}]")
        if "cachePoint" not in entry:
            tools.append(
                _tool(entry.get("toolSpec"), f"toolConfig.tools[{index}].toolSpec")
            )

    result: dict[str, Any] = {"tools": tools}
    if config.get("toolChoice") is not None:
        result["tool_choice"] = _tool_choice(config["toolChoice"])
    return result


def _tool(spec: Any, where: str) -> dict[str, Any]:
    spec = _object(spec, where)
    schema = _object(
        _object(spec.get("inputSchema"), f"{where}.inputSchema").get("json"),
        f"{where}.inputSchema.json",
    )
    function: dict[str, Any] = {"name": _string(spec.get("name"), f"{where}.name")}
    if spec.get("description") is not None:
        function["description"] = _string(spec["description"], f"{where}.description")
    function["parameters"] = schema
    return {"type": "function", "function": function}


def _tool_choice(choice: Any) -> Any:
    choice = _object(choice, "toolConfig.toolChoice")
    if "auto" in choice:
        return "auto"
    if "any" in choice:
        return "required"
    if "tool" in choice:
        tool = _object(choice["tool"], "toolConfig.toolChoice.tool")
        name = _string(tool.get("name"), "toolConfig.toolChoice.tool.name")
        return {"type": "function", "function": {"name": name}}
    raise _bad("toolConfig.toolChoice", "must hold one of 'auto', 'any' or 'tool'")


def _output_format(config: Any) -> dict[str, Any]:
    if config is None:
        return {}
    text_format = _object(config, "outputConfig").get("textFormat")
    if text_format is None:
        return {}
    where = "outputConfig.textFormat.structure.jsonSchema"
    structure = _object(
        _object(text_format, "outputConfig.textFormat").get("structure"),
        "outputConfig.textFormat.structure",
    )
    definition = _object(structure.get("jsonSchema"), where)
    try:
        schema = orjson.loads(_string(definition.get("schema"), f"{where}.schema"))
    except orjson.JSONDecodeError:
        raise _bad(f"{where}.schema", "is not a JSON document") from None

    json_schema: dict[str, Any] = {
        "name": definition.get("name") or "response",
        "schema": schema,
    }
    if isinstance(definition.get("description"), str):
        json_schema["description"] = definition["description"]
    return {"response_format": {"type": "json_schema", "json_schema": json_schema}}


_SHAPE_ERRORS = (TypeError, AttributeError, ValueError, KeyError)


def _unreadable(what: str, exc: Exception) -> UpstreamMalformed:
    return UpstreamMalformed(
        f"the model's {what} has a field of an unexpected type "
        f"({type(exc).__name__}) and cannot be turned into a Converse answer; "
        "retry the request",
    )


def openai_completion_to_converse(
    body: dict[str, Any], usage: Usage | None, *, latency_ms: int = 0
) -> dict[str, Any]:
    """A Converse response for an OpenAI ``chat.completion`` body."""
    # The body comes from an upstream model server and may be mistyped anywhere.
    try:
        return _converse_answer(body, usage, latency_ms)
    except _SHAPE_ERRORS as exc:
        raise _unreadable("answer", exc) from exc


def _converse_answer(
    body: dict[str, Any], usage: Usage | None, latency_ms: int
) -> dict[str, Any]:
    choices = body.get("choices") or [{}]
    choice = choices[0] if isinstance(choices[0], dict) else {}
    message = choice.get("message") or {}

    content: list[dict[str, Any]] = []
    reasoning = message.get("reasoning_content")
    if isinstance(reasoning, str) and reasoning:
        content.append({"reasoningContent": {"reasoningText": {"text": reasoning}}})
    if isinstance(message.get("content"), str) and message["content"]:
        content.append({"text": message["content"]})
    for call in message.get("tool_calls") or []:
        content.append({"toolUse": _tool_use(call)})

    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop_reason(choice.get("finish_reason")),
        "usage": _usage(body, usage).to_bedrock(),
        "metrics": {"latencyMs": latency_ms},
    }


def stop_reason(finish_reason: Any) -> str:
    """The Converse stopReason for an OpenAI finish_reason (end_turn by default)."""
    if not isinstance(finish_reason, str):
        return "end_turn"
    return STOP_REASONS.get(finish_reason, "end_turn")


def _usage(body: dict[str, Any], usage: Usage | None) -> Usage:
    if usage is not None:
        return usage
    if isinstance(body.get("usage"), dict):
        return Usage.from_openai(body["usage"])
    return Usage(input_tokens=0, output_tokens=0, estimated=True)


def _tool_use(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function") or {}
    return {
        "toolUseId": to_bedrock_id(str(call.get("id") or "")),
        "name": function.get("name", ""),
        "input": _parsed_arguments(function.get("arguments")),
    }


def _parsed_arguments(arguments: Any) -> Any:
    try:
        parsed = orjson.loads(arguments or "{}")
    except orjson.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict):
        raise UpstreamMalformed(
            "the model returned tool-call arguments that are not a JSON object, "
            "which a Converse toolUse block cannot carry; retry the request",
            code="upstream_malformed_tool_use",
        )
    return parsed


def error_frame(error: LockgateError) -> bytes:
    """An event-stream exception frame carrying ``error`` in Bedrock's shape."""
    _, headers, body = error.render(WireFormat.BEDROCK)
    error_type = headers.get("x-amzn-errortype", "InternalServerException")
    return encode_exception(error_type[:1].lower() + error_type[1:], body)


class ConverseStreamEncoder:
    """OpenAI ``chat.completion.chunk`` dicts → ConverseStream event frames.

    Call :meth:`encode` for every chunk and :meth:`finish` once at the end (it
    closes the open block, sends messageStop if no finish_reason came, then the
    metadata event with the usage). On failure send :meth:`error_frame` instead.
    """

    content_type = STREAM_CONTENT_TYPE

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started_at = clock()
        self._started = False
        self._open_block: int | None = None
        self._open_kind: str | None = None
        self._blocks = 0
        self._tool_blocks: dict[int, int] = {}
        self._stopped = False
        self._usage: Usage | None = None

    def encode(self, chunk: dict[str, Any]) -> bytes:
        """The frames one chunk produces (possibly none)."""
        try:
            return self._encode(chunk)
        except _SHAPE_ERRORS as exc:
            raise _unreadable("stream chunk", exc) from exc

    def _encode(self, chunk: dict[str, Any]) -> bytes:
        frames = [self._message_start()]
        if isinstance(chunk.get("usage"), dict):
            self._usage = Usage.from_openai(chunk["usage"])

        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            reasoning = delta.get("reasoning_content")
            if isinstance(reasoning, str) and reasoning:
                frames.append(self._text(reasoning, kind="reasoning"))
            if isinstance(delta.get("content"), str) and delta["content"]:
                frames.append(self._text(delta["content"]))
            for call in delta.get("tool_calls") or []:
                frames.append(self._tool_delta(call))
            if choice.get("finish_reason"):
                frames.append(self._stop(stop_reason(choice["finish_reason"])))
        return b"".join(frames)

    def finish(self, usage: Usage | None = None) -> bytes:
        """Close the stream: messageStop if still due, then metadata."""
        frames = [self._message_start(), self._stop("end_turn")]
        final = usage or self._usage or Usage(input_tokens=0, output_tokens=0)
        latency = int((self._clock() - self._started_at) * 1000)
        metadata = {"usage": final.to_bedrock(), "metrics": {"latencyMs": latency}}
        frames.append(_event("metadata", metadata))
        return b"".join(frames)

    def error_frame(self, error: LockgateError) -> bytes:
        return error_frame(error)

    def _message_start(self) -> bytes:
        if self._started:
            return b""
        self._started = True
        return _event("messageStart", {"role": "assistant"})

    def _open(self, kind: str) -> tuple[int, bytes]:
        closing = self._close()
        self._open_block, self._open_kind = self._blocks, kind
        self._blocks += 1
        return self._open_block, closing

    def _close(self) -> bytes:
        if self._open_block is None:
            return b""
        frame = _event("contentBlockStop", {"contentBlockIndex": self._open_block})
        self._open_block = self._open_kind = None
        return frame

    def _text(self, text: str, kind: str = "text") -> bytes:
        closing = b""
        if self._open_kind != kind:
            _, closing = self._open(kind)
        body = (
            {"text": text} if kind == "text" else {"reasoningContent": {"text": text}}
        )
        delta = {"contentBlockIndex": self._open_block, "delta": body}
        return closing + _event("contentBlockDelta", delta)

    def _tool_delta(self, call: Any) -> bytes:
        if not isinstance(call, dict):
            return b""
        tool_index = call.get("index", 0)
        function = call.get("function") or {}
        frames = b""
        if tool_index not in self._tool_blocks:
            block, frames = self._open("tool")
            self._tool_blocks[tool_index] = block
            start = {
                "toolUseId": to_bedrock_id(str(call.get("id") or f"tool_{block}")),
                "name": function.get("name", ""),
            }
            frames += _event(
                "contentBlockStart",
                {"contentBlockIndex": block, "start": {"toolUse": start}},
            )

        fragment = function.get("arguments")
        if isinstance(fragment, str) and fragment:
            delta = {
                "contentBlockIndex": self._tool_blocks[tool_index],
                "delta": {"toolUse": {"input": fragment}},
            }
            frames += _event("contentBlockDelta", delta)
        return frames

    def _stop(self, reason: str) -> bytes:
        if self._stopped:
            return b""
        self._stopped = True
        return self._close() + _event("messageStop", {"stopReason": reason})


def _event(event_type: str, payload: dict[str, Any]) -> bytes:
    return encode_event(event_type, orjson.dumps(payload))
