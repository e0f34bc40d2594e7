"""Tool-call ids that Bedrock accepts, mapped deterministically both ways.

Converse allows only ``[a-zA-Z0-9_-]`` (1 to 64 characters) in a ``toolUseId``;
OpenAI clients and other upstreams use ids such as ``call:1`` or ``fc.abc``. An id
that is already acceptable passes through unchanged. Any other id is written as
``lgid_`` followed by the id with every byte outside ``[A-Za-z0-9]`` escaped as
``_`` and two hex digits, which :func:`to_openai_id` reverses exactly. An acceptable
id that happens to start with ``lgid_`` is escaped too, so decoding is never
ambiguous.
"""

from __future__ import annotations

import hashlib
import re

_ACCEPTED = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PLAIN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ESCAPED = re.compile(r"_([0-9a-f]{2})")
MARKER = "lgid_"
HASH_MARKER = "lgh_"


def to_bedrock_id(openai_id: str) -> str:
    """The ``toolUseId`` sent to Bedrock for an OpenAI ``tool_call_id``."""
    if _ACCEPTED.fullmatch(openai_id) and not openai_id.startswith(
        (MARKER, HASH_MARKER)
    ):
        return openai_id

    escaped = MARKER + "".join(
        chr(byte) if byte in _PLAIN else f"_{byte:02x}"
        for byte in openai_id.encode("utf-8")
    )
    if len(escaped) <= 64:
        return escaped

    # Ids whose escaped form passes 64 characters are hashed instead. The hash
    # cannot be reversed, so such an id only round-trips through this request's
    # own history (which is where Bedrock echoes it), never through a response.
    digest = hashlib.sha256(openai_id.encode("utf-8")).hexdigest()
    return HASH_MARKER + digest[:48]


def to_openai_id(bedrock_id: str) -> str:
    """The OpenAI ``tool_call_id`` for a Bedrock ``toolUseId``."""
    if not bedrock_id.startswith(MARKER):
        return bedrock_id

    escaped = bedrock_id[len(MARKER) :]
    raw = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), escaped)
    return raw.encode("latin-1").decode("utf-8", errors="replace")
