"""Decode a request body into a JSON object, with errors a caller can act on."""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import MalformedBody

# orjson writes at most 255 levels; a body nested deeper could be read but never
# forwarded, so it is refused on the way in.
MAX_DEPTH = 200


def decode_object(raw: bytes) -> dict[str, Any]:
    """The body as a dict; MalformedBody naming the position or the problem."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise MalformedBody(
            f"request body is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno} (character {error.pos}); send a JSON object"
        ) from None
    if not isinstance(body, dict):
        raise MalformedBody(
            f"request body must be a JSON object, not {_json_type(body)}; "
            'send {"model": ..., ...}'
        )

    # Counting brackets is cheap and bounds the depth; only a body with many of
    # them is walked.
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH and _too_deep(body, MAX_DEPTH):
        raise MalformedBody(
            f"request body nests objects and arrays more than {MAX_DEPTH} levels "
            "deep; flatten it"
        )
    return body


def _too_deep(value: Any, budget: int) -> bool:
    if budget < 0:
        return True
    if isinstance(value, dict):
        return any(_too_deep(v, budget - 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, budget - 1) for v in value)
    return False


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
