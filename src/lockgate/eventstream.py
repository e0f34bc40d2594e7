"""AWS event-stream binary framing, both directions.

Bedrock's ConverseStream answers with ``application/vnd.amazon.eventstream``: a
sequence of self-delimiting binary messages. Each message is::

    total length (u32) | headers length (u32) | prelude CRC32 (u32)
    headers | payload | message CRC32 (u32)

The prelude CRC covers the first eight bytes; the message CRC covers everything
before it. A header is a one-byte name length, the name, a one-byte value type and
the value. :func:`encode_message` writes messages (string headers only, which is all
Bedrock uses); :class:`EventStreamDecoder` reads them incrementally from chunks of any
size and checks both CRCs.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lockgate.errors import UpstreamMalformed

CONTENT_TYPE = "application/vnd.amazon.eventstream"
PRELUDE_LENGTH = 12
MAX_MESSAGE_LENGTH = 16 * 1024 * 1024
MAX_HEADERS_LENGTH = 128 * 1024

_STRING = 7
_BYTES = 6

HeaderValue = bool | int | bytes | str | uuid.UUID


@dataclass(slots=True, frozen=True)
class EventStreamMessage:
    headers: dict[str, HeaderValue]
    payload: bytes

    def header(self, name: str) -> str | None:
        """A string header's value, or ``None`` when absent or not a string."""
        value = self.headers.get(name)
        return value if isinstance(value, str) else None


def _corrupt(what: str) -> UpstreamMalformed:
    return UpstreamMalformed(
        f"the upstream event stream is corrupt: {what}; the response cannot be "
        "read, retry the request",
        code="upstream_eventstream_corrupt",
    )


def encode_headers(headers: Mapping[str, str]) -> bytes:
    """Encode string headers in event-stream form."""
    parts: list[bytes] = []
    for name, value in headers.items():
        raw_name = name.encode("utf-8")
        raw_value = value.encode("utf-8")
        parts.append(struct.pack("!B", len(raw_name)) + raw_name)
        parts.append(struct.pack("!BH", _STRING, len(raw_value)) + raw_value)
    return b"".join(parts)


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One complete event-stream message with both CRCs."""
    raw_headers = encode_headers(headers)
    total = PRELUDE_LENGTH + len(raw_headers) + len(payload) + 4

    prelude = struct.pack("!II", total, len(raw_headers))
    prelude += struct.pack("!I", zlib.crc32(prelude))

    body = prelude + raw_headers + payload
    return body + struct.pack("!I", zlib.crc32(body))


def encode_event(event_type: str, payload: bytes) -> bytes:
    """An ``event`` message as Bedrock sends it (JSON payload)."""
    return encode_message(
        {
            ":event-type": event_type,
            ":content-type": "application/json",
            ":message-type": "event",
        },
        payload,
    )


def encode_exception(exception_type: str, payload: bytes) -> bytes:
    """An ``exception`` message as Bedrock sends it (JSON payload)."""
    return encode_message(
        {
            ":exception-type": exception_type,
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        payload,
    )


class EventStreamDecoder:
    """Reads messages out of a byte stream that arrives in arbitrary pieces."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> Iterator[EventStreamMessage]:
        """Add bytes and yield every message now complete."""
        self._buffer += data
        offset = 0
        try:
            while len(self._buffer) - offset >= PRELUDE_LENGTH:
                total = self._check_prelude(offset)
                if len(self._buffer) - offset < total:
                    return
                message = bytes(self._buffer[offset : offset + total])
                offset += total
                yield _decode_message(message)
        finally:
            del self._buffer[:offset]

    def _check_prelude(self, offset: int) -> int:
        total, headers_length, prelude_crc = struct.unpack_from(
            "!III", self._buffer, offset
        )
        if zlib.crc32(self._buffer[offset : offset + 8]) != prelude_crc:
            raise _corrupt("prelude checksum mismatch")
        if total > MAX_MESSAGE_LENGTH or total < PRELUDE_LENGTH + 4:
            raise _corrupt(f"message length {total} out of range")
        if headers_length > min(MAX_HEADERS_LENGTH, total - PRELUDE_LENGTH - 4):
            raise _corrupt(f"headers length {headers_length} out of range")
        return int(total)


def _decode_message(message: bytes) -> EventStreamMessage:
    (message_crc,) = struct.unpack_from("!I", message, len(message) - 4)
    if zlib.crc32(message[:-4]) != message_crc:
        raise _corrupt("message checksum mismatch")

    (headers_length,) = struct.unpack_from("!I", message, 4)
    headers_end = PRELUDE_LENGTH + headers_length
    headers = _decode_headers(message[PRELUDE_LENGTH:headers_end])
    return EventStreamMessage(headers=headers, payload=message[headers_end:-4])


def _decode_headers(raw: bytes) -> dict[str, HeaderValue]:
    headers: dict[str, HeaderValue] = {}
    offset = 0
    try:
        while offset < len(raw):
            name_length = raw[offset]
            name = raw[offset + 1 : offset + 1 + name_length].decode("utf-8")
            offset += 1 + name_length
            value, offset = _decode_value(raw, offset)
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise _corrupt(f"unreadable header at byte {offset}") from exc
    return headers


_FIXED: dict[int, tuple[str, int]] = {
    2: ("!b", 1),
    3: ("!h", 2),
    4: ("!i", 4),
    5: ("!q", 8),
    8: ("!q", 8),
}


def _decode_value(raw: bytes, offset: int) -> tuple[HeaderValue, int]:
    kind = raw[offset]
    offset += 1
    if kind in (0, 1):
        return kind == 0, offset
    if kind in _FIXED:
        fmt, size = _FIXED[kind]
        (number,) = struct.unpack_from(fmt, raw, offset)
        return int(number), offset + size
    if kind in (_BYTES, _STRING):
        (length,) = struct.unpack_from("!H", raw, offset)
        value = raw[offset + 2 : offset + 2 + length]
        if len(value) != length:
            raise IndexError(offset)
        end = offset + 2 + length
        return (value.decode("utf-8") if kind == _STRING else bytes(value)), end
    if kind == 9:
        value = raw[offset : offset + 16]
        if len(value) != 16:
            raise IndexError(offset)
        return uuid.UUID(bytes=bytes(value)), offset + 16
    raise _corrupt(f"unknown header value type {kind}")
