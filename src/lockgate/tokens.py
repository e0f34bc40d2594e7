"""Estimated token counts, for upstreams that do not report usage.

Some servers (the llama.cpp server among them) ignore ``stream_options.include_usage``
and stream no usage at all. lockgate then counts tokens itself and marks the usage
*estimated* everywhere it is recorded.

The estimate needs no vocabulary file, because lockgate must not download one at run
time: text is split the way byte-pair tokenizers pre-split it (words with their
leading space, digit groups of up to three, runs of punctuation, whitespace); a word
counts one token per six letters, rounded up, and any other piece one token per two
characters. On English prose this lands within about 15% of real BPE counts; on code
or non-Latin scripts it can be further off. The model's own tokenizer would be exact,
but it lives inside the model server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

_PIECES = re.compile(
    r"'(?:s|t|re|ve|m|ll|d)| ?[^\W\d_]+| ?\d{1,3}| ?[^\s\w]+|\s+", re.UNICODE
)
_PER_MESSAGE = 4  # role and separators a chat template adds around each message
_PER_REPLY = 3  # the tokens that start the assistant's turn


def count_text(text: str) -> int:
    """Estimated tokens in ``text``."""
    total = 0
    for piece in _PIECES.findall(text):
        stripped = piece.lstrip(" ")
        if stripped[:1].isalpha():
            total += (len(stripped) + 5) // 6
        else:
            total += (len(piece) + 1) // 2
    return total


def count_messages(messages: Iterable[Any]) -> int:
    """Estimated prompt tokens of an OpenAI ``messages`` list."""
    total = _PER_REPLY
    for message in messages:
        if not isinstance(message, dict):
            continue
        total += _PER_MESSAGE + count_text(str(message.get("role", "")))
        total += count_text(_content_text(message.get("content")))
        if message.get("tool_calls"):
            total += count_text(_json_text(message["tool_calls"]))
    return total


def count_prompt(body: dict[str, Any]) -> int:
    """Estimated input tokens of a chat or embeddings request body."""
    if "messages" in body:
        total = count_messages(body.get("messages") or ())
        if body.get("tools"):
            total += count_text(_json_text(body["tools"]))
        return total
    inputs = body.get("input")
    if isinstance(inputs, list):
        return sum(count_text(str(item)) for item in inputs)
    return count_text(str(inputs or ""))


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict)
        )
    return ""


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return str(value)[:10_000]  # nested past orjson's limit: a rough stand-in
