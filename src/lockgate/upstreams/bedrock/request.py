"""OpenAI chat-completions request → Bedrock Converse request body.

Converse keeps system prompts apart from the conversation, wants strictly
alternating user and assistant turns, and carries tool results as ``toolResult``
blocks of a user turn. So system messages are lifted into ``system``, consecutive
messages of one role (tool results included) are merged into one turn, and tool
calls become ``toolUse`` blocks. The result is validated by the tests against
botocore's bedrock-runtime service model.
"""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import MalformedBody, UnsupportedOperation
from lockgate.upstreams.bedrock.content import image_block, text_of
from lockgate.upstreams.bedrock.tool_ids import to_bedrock_id

Block = dict[str, Any]
Turn = dict[str, Any]


def converse_request(body: dict[str, Any]) -> dict[str, Any]:
    """The Converse body (without ``modelId``, which travels in the URL)."""
    _refuse_unsupported(body)
    system, turns = _conversation(body.get("messages"))

    request: dict[str, Any] = {}
    if system:
        request["system"] = system
    request["messages"] = turns

    inference = _inference_config(body)
    if inference:
        request["inferenceConfig"] = inference

    tool_config = _tool_config(body, _uses_tools(turns))
    if tool_config is not None:
        request["toolConfig"] = tool_config

    output_config = _output_config(body.get("response_format"))
    if output_config is not None:
        request["outputConfig"] = output_config
    return request


def _refuse_unsupported(body: Any) -> None:
    if not isinstance(body, dict):
        raise MalformedBody("the request body must be a JSON object")
    n = body.get("n")
    if n not in (None, 1):
        raise UnsupportedOperation(
            f"'n' is {n!r} but Bedrock Converse returns one choice per call; "
            "send n=1 or make several calls",
            param="n",
        )


def _conversation(messages: Any) -> tuple[list[Block], list[Turn]]:
    if not isinstance(messages, list) or not messages:
        raise MalformedBody(
            "'messages' must be a non-empty list of message objects",
            param="messages",
        )

    system: list[Block] = []
    turns: list[Turn] = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise MalformedBody(f"{where} must be an object", param=where)
        role = message.get("role")
        if role in ("system", "developer"):
            system.extend(_text_blocks(message.get("content"), where))
            continue
        converse_role, blocks = _turn_blocks(role, message, where)
        _append(turns, converse_role, blocks)
    return system, turns


def _append(turns: list[Turn], role: str, blocks: list[Block]) -> None:
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def _turn_blocks(
    role: Any, message: dict[str, Any], where: str
) -> tuple[str, list[Block]]:
    if role == "user":
        return "user", _user_blocks(message.get("content"), where)
    if role == "assistant":
        return "assistant", _assistant_blocks(message, where)
    if role == "tool":
        return "user", [_tool_result(message, where)]
    raise MalformedBody(
        f"{where}.role is {role!r}; use one of system, developer, user, "
        "assistant or tool",
        param=f"{where}.role",
    )


def _text_blocks(content: Any, where: str) -> list[Block]:
    return [{"text": text} for text in text_of(content, where) if text]


def _user_blocks(content: Any, where: str) -> list[Block]:
    if isinstance(content, str):
        blocks = [{"text": content}] if content else []
    elif isinstance(content, list):
        blocks = [
            _user_part(part, f"{where}.content[{i}]") for i, part in enumerate(content)
        ]
    else:
        raise MalformedBody(
            f"{where}.content must be a string or a list of content parts",
            param=f"{where}.content",
        )

    if not blocks:
        raise MalformedBody(
            f"{where} has empty content; Bedrock refuses empty turns, send text",
            param=f"{where}.content",
        )
    return blocks


def _user_part(part: Any, where: str) -> Block:
    kind = part.get("type") if isinstance(part, dict) else None
    if kind == "text" and isinstance(part.get("text"), str):
        return {"text": part["text"]}
    if kind == "image_url":
        return image_block(part.get("image_url"), where)
    raise UnsupportedOperation(
        f"{where} has type {kind!r}; the Bedrock upstream accepts 'text' and "
        "'image_url' (data: URL) parts",
        param=where,
    )


def _assistant_blocks(message: dict[str, Any], where: str) -> list[Block]:
    blocks = _text_blocks(message.get("content"), where)

    tool_calls = message.get("tool_calls") or []
    if not isinstance(tool_calls, list):
        raise MalformedBody(f"{where}.tool_calls must be a list", param=where)
    for index, call in enumerate(tool_calls):
        blocks.append(_tool_use(call, f"{where}.tool_calls[{index}]"))

    if not blocks:
        raise MalformedBody(
            f"{where} is an assistant message with neither content nor tool_calls; "
            "Bedrock refuses empty turns, drop it or add text",
            param=where,
        )
    return blocks


def _tool_use(call: Any, where: str) -> Block:
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or not isinstance(call.get("id"), str):
        raise MalformedBody(
            f"{where} must be an object with 'id' and 'function'", param=where
        )
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise MalformedBody(f"{where}.function.name must be a string", param=where)

    arguments = _arguments(function.get("arguments"), where)
    return {
        "toolUse": {
            "toolUseId": to_bedrock_id(call["id"]),
            "name": name,
            "input": arguments,
        }
    }


def _arguments(raw: Any, where: str) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    try:
        parsed = orjson.loads(raw) if isinstance(raw, str | bytes) else raw
    except orjson.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict):
        raise MalformedBody(
            f"{where}.function.arguments is not a JSON object; Bedrock needs tool "
            "input as an object, send the arguments the model produced",
            param=f"{where}.function.arguments",
        )
    return parsed


def _tool_result(message: dict[str, Any], where: str) -> Block:
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str) or not call_id:
        raise MalformedBody(
            f"{where} is a tool message without 'tool_call_id'; set it to the id "
            "of the tool call it answers",
            param=f"{where}.tool_call_id",
        )
    texts = text_of(message.get("content"), where)
    content = [{"text": text} for text in texts] or [{"text": ""}]
    return {"toolResult": {"toolUseId": to_bedrock_id(call_id), "content": content}}


def _inference_config(body: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if max_tokens is not None:
        config["maxTokens"] = _number(max_tokens, "max_tokens", integer=True)
    if body.get("temperature") is not None:
        config["temperature"] = _number(body["temperature"], "temperature")
    if body.get("top_p") is not None:
        config["topP"] = _number(body["top_p"], "top_p")

    stop = body.get("stop")
    stops = [stop] if isinstance(stop, str) else stop
    if stops:
        if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
            raise MalformedBody(
                "'stop' must be a string or a list of strings", param="stop"
            )
        config["stopSequences"] = stops
    return config


def _number(value: Any, name: str, *, integer: bool = False) -> int | float:
    wanted = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, wanted):
        kind = "an integer" if integer else "a number"
        raise MalformedBody(f"{name!r} is {value!r}; it must be {kind}", param=name)
    return value


def _uses_tools(turns: list[Turn]) -> bool:
    return any(
        "toolUse" in block or "toolResult" in block
        for turn in turns
        for block in turn["content"]
    )


def _tool_config(body: dict[str, Any], history_needs_it: bool) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    if not tools:
        return None
    if not isinstance(tools, list):
        raise MalformedBody("'tools' must be a list of tool objects", param="tools")
    choice = body.get("tool_choice")
    if choice == "none" and not history_needs_it:
        return None

    config: dict[str, Any] = {
        "tools": [_tool_spec(tool, f"tools[{i}]") for i, tool in enumerate(tools)]
    }
    # Converse has no "none" choice: when the history holds tool calls the tools
    # must still be declared, so the model may call one although the caller asked
    # for none.
    mapped = _tool_choice(choice)
    if mapped is not None:
        config["toolChoice"] = mapped
    return config


def _tool_spec(tool: Any, where: str) -> dict[str, Any]:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or tool.get("type") != "function":
        raise UnsupportedOperation(
            f"{where} is not a function tool; Bedrock accepts only "
            "{'type': 'function', 'function': {...}} tools",
            param=where,
        )
    if not isinstance(function.get("name"), str):
        raise MalformedBody(f"{where}.function.name must be a string", param=where)

    schema = function.get("parameters") or {"type": "object", "properties": {}}
    if not isinstance(schema, dict):
        raise MalformedBody(
            f"{where}.function.parameters must be a JSON schema object", param=where
        )
    spec: dict[str, Any] = {"name": function["name"]}
    description = function.get("description")
    if description:
        if not isinstance(description, str):
            raise MalformedBody(
                f"{where}.function.description must be a string", param=where
            )
        spec["description"] = description
    spec["inputSchema"] = {"json": schema}
    return {"toolSpec": spec}


def _tool_choice(choice: Any) -> dict[str, Any] | None:
    if choice in (None, "none"):
        return None
    if choice == "auto":
        return {"auto": {}}
    if choice == "required":
        return {"any": {}}
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        name = choice["function"].get("name")
        if isinstance(name, str) and name:
            return {"tool": {"name": name}}
    raise MalformedBody(
        f"tool_choice {choice!r} is not understood; use 'auto', 'required', "
        "'none' or {'type': 'function', 'function': {'name': ...}}",
        param="tool_choice",
    )


def _output_config(response_format: Any) -> dict[str, Any] | None:
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    if response_format is None or kind == "text":
        return None
    if kind != "json_schema":
        raise UnsupportedOperation(
            f"response_format type {kind!r} is not supported by the Bedrock "
            "upstream; use 'json_schema' with a schema",
            param="response_format",
        )

    definition = response_format.get("json_schema")
    schema = definition.get("schema") if isinstance(definition, dict) else None
    if not isinstance(schema, dict):
        raise MalformedBody(
            "response_format.json_schema.schema must be a JSON schema object",
            param="response_format.json_schema.schema",
        )
    structure: dict[str, Any] = {"schema": orjson.dumps(schema).decode()}
    for key in ("name", "description"):
        if isinstance(definition.get(key), str):
            structure[key] = definition[key]
    return {
        "textFormat": {"type": "json_schema", "structure": {"jsonSchema": structure}}
    }
