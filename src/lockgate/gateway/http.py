"""Small ASGI helpers: bounded bodies, JSON and error responses, hang-up watching."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from lockgate.errors import (
    BodyTooLarge,
    LockgateError,
    UnsupportedMediaType,
    WireFormat,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_JSON = b"application/json"


def header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def require_json(scope: Scope) -> None:
    """Accept only an uncompressed JSON body."""
    encoding = header(scope, b"content-encoding")
    if encoding is not None and encoding.strip().lower() != b"identity":
        raise UnsupportedMediaType(
            f"content-encoding '{encoding.decode('latin-1')[:40]}' is not accepted; "
            "send the body uncompressed"
        )
    content_type = header(scope, b"content-type")
    if content_type is None or content_type.split(b";", 1)[0].strip().lower() != _JSON:
        shown = content_type.decode("latin-1")[:80] if content_type else "none"
        raise UnsupportedMediaType(
            f"content-type '{shown}' is not accepted; send the body as JSON with "
            "'content-type: application/json'"
        )


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole request body; BodyTooLarge as soon as it passes ``limit`` bytes."""
    declared = header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)

    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts) if len(parts) != 1 else parts[0]


def _too_large(size: int, limit: int) -> BodyTooLarge:
    return BodyTooLarge(
        f"request body of {size} bytes or more is over the limit of {limit} bytes; "
        "send a smaller request or raise server.max_body_bytes"
    )


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def send_error(
    send: Send, error: LockgateError, wire: WireFormat, request_id: str
) -> None:
    status, headers, body = error.render(wire)
    raw_headers = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"x-lockgate-request-id", request_id.encode()))
    await send_bytes(send, status, body, raw_headers)


async def wait_for_disconnect(receive: Receive) -> None:
    """Return when the client hangs up."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
