"""Content parts shared by both translation directions: text and images."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from lockgate.errors import MalformedBody, UnsupportedOperation

_DATA_URL = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,(.*)", re.DOTALL)


def text_of(content: Any, where: str) -> list[str]:
    """The texts of a string or a list of text parts (``None`` gives none)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [
            _text_part(part, f"{where}.content[{i}]") for i, part in enumerate(content)
        ]
    raise MalformedBody(
        f"{where}.content must be a string, a list of text parts or null",
        param=f"{where}.content",
    )


def _text_part(part: Any, where: str) -> str:
    if isinstance(part, dict) and part.get("type") == "text":
        text = part.get("text")
        if isinstance(text, str):
            return text
    raise MalformedBody(
        f"{where} must be a text part {{'type': 'text', 'text': ...}} here",
        param=where,
    )


def image_block(image_url: Any, where: str) -> dict[str, Any]:
    """An OpenAI ``image_url`` part as a Converse image block (base64 kept)."""
    url = image_url.get("url") if isinstance(image_url, dict) else None
    if not isinstance(url, str):
        raise MalformedBody(f"{where}.image_url.url must be a string", param=where)

    match = _DATA_URL.fullmatch(url)
    if match is None:
        scheme = url.split(":", 1)[0][:16]
        raise UnsupportedOperation(
            f"{where} holds an image by a {scheme!r} URL; Bedrock needs the bytes, "
            "send a data:image/(png|jpeg|gif|webp);base64 URL",
            param=where,
        )
    image_format = "jpeg" if match.group(1) == "jpg" else match.group(1)
    data = match.group(2).strip()
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedBody(
            f"{where} is a data URL whose base64 payload does not decode",
            param=where,
        ) from exc
    return {"image": {"format": image_format, "source": {"bytes": data}}}


def data_url(image: Any, where: str) -> str:
    """A Converse image block as a ``data:`` URL (the reverse of image_block)."""
    source = image.get("source") if isinstance(image, dict) else None
    data = source.get("bytes") if isinstance(source, dict) else None
    image_format = image.get("format") if isinstance(image, dict) else None
    if image_format not in ("png", "jpeg", "gif", "webp") or not isinstance(data, str):
        raise MalformedBody(
            f"{where}.image needs 'format' (png, jpeg, gif or webp) and "
            "'source.bytes' as base64",
            param=where,
        )
    return f"data:image/{image_format};base64,{data}"
