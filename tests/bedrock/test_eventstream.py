from __future__ import annotations

import struct
import uuid
import zlib

import orjson
import pytest
from botocore.eventstream import EventStreamBuffer

from lockgate.errors import UpstreamMalformed
from lockgate.eventstream import (
    EventStreamDecoder,
    encode_event,
    encode_exception,
    encode_message,
)


def test_encoded_event_is_read_back_by_botocore() -> None:
    frame = encode_event("messageStart", b'{"role":"assistant"}')

    buffer = EventStreamBuffer()
    buffer.add_data(frame)
    (message,) = list(buffer)

    assert message.headers == {
        ":event-type": "messageStart",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert message.payload == b'{"role":"assistant"}'


def test_encoded_exception_carries_exception_type_for_botocore() -> None:
    frame = encode_exception("throttlingException", b'{"message":"slow down"}')

    buffer = EventStreamBuffer()
    buffer.add_data(frame)
    (message,) = list(buffer)

    assert message.headers[":message-type"] == "exception"
    assert message.headers[":exception-type"] == "throttlingException"


def test_decoder_reassembles_messages_split_at_every_byte() -> None:
    frames = [
        encode_event("contentBlockDelta", orjson.dumps({"i": index}))
        for index in range(3)
    ]
    stream = b"".join(frames)

    decoder = EventStreamDecoder()
    decoded = [message for byte in stream for message in decoder.feed(bytes([byte]))]

    assert [orjson.loads(m.payload) for m in decoded] == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert decoded[0].header(":event-type") == "contentBlockDelta"
    assert decoder.pending == 0


def test_decoder_yields_several_messages_from_one_piece() -> None:
    stream = encode_event("a", b"1") + encode_event("b", b"2") + b"\x00\x00"

    decoder = EventStreamDecoder()
    decoded = list(decoder.feed(stream))

    assert [m.header(":event-type") for m in decoded] == ["a", "b"]
    assert decoder.pending == 2


def test_decoder_rejects_a_bad_prelude_checksum() -> None:
    frame = bytearray(encode_event("a", b"{}"))
    frame[8] ^= 0xFF

    with pytest.raises(UpstreamMalformed, match="prelude checksum mismatch"):
        list(EventStreamDecoder().feed(bytes(frame)))


def test_decoder_rejects_a_bad_message_checksum() -> None:
    frame = bytearray(encode_event("a", b"{}"))
    frame[-6] ^= 0x01

    with pytest.raises(UpstreamMalformed, match="message checksum mismatch") as info:
        list(EventStreamDecoder().feed(bytes(frame)))
    assert info.value.code == "upstream_eventstream_corrupt"


def test_decoder_reads_every_header_value_type() -> None:
    ident = uuid.UUID("01234567-89ab-cdef-0123-456789abcdef")
    raw = b"".join(
        [
            b"\x01t\x00",
            b"\x01f\x01",
            b"\x01b\x02" + struct.pack("!b", -3),
            b"\x01s\x03" + struct.pack("!h", 300),
            b"\x01i\x04" + struct.pack("!i", -70000),
            b"\x01l\x05" + struct.pack("!q", 2**40),
            b"\x01y\x06" + struct.pack("!H", 2) + b"\x00\xff",
            b"\x01d\x08" + struct.pack("!q", 1767225600000),
            b"\x01u\x09" + ident.bytes,
        ]
    )
    total = 12 + len(raw) + 4
    prelude = struct.pack("!II", total, len(raw))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    body = prelude + raw
    frame = body + struct.pack("!I", zlib.crc32(body))

    (message,) = list(EventStreamDecoder().feed(frame))

    assert message.headers == {
        "t": True,
        "f": False,
        "b": -3,
        "s": 300,
        "i": -70000,
        "l": 2**40,
        "y": b"\x00\xff",
        "d": 1767225600000,
        "u": ident,
    }
    assert message.payload == b""


def test_encoder_matches_the_documented_layout() -> None:
    frame = encode_message({"k": "v"}, b"xy")

    total, headers_length, prelude_crc = struct.unpack_from("!III", frame)
    assert total == len(frame) == 12 + 6 + 2 + 4
    assert headers_length == 6
    assert prelude_crc == zlib.crc32(frame[:8])
    assert frame[12:18] == b"\x01k\x07\x00\x01v"
    assert frame[18:20] == b"xy"
    assert struct.unpack_from("!I", frame, 20)[0] == zlib.crc32(frame[:20])
