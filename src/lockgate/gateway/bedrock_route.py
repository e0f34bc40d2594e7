"""The Bedrock Runtime inbound route, between boto3 callers and the pipeline.

The translation itself lives in :mod:`lockgate.gateway.bedrock_edge`; this module
turns its pieces into what the app needs: a :class:`Call`, response bytes and a
stream encoder speaking AWS event-stream frames.
"""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import LockgateError, WireFormat
from lockgate.gateway import bedrock_edge
from lockgate.gateway.call import Call
from lockgate.gateway.json_body import decode_object
from lockgate.upstreams.base import Completion, Operation, StreamTally
from lockgate.usage import Usage

HEADERS = [(b"content-type", b"application/vnd.amazon.eventstream")]


def call_from_converse(
    request_id: str, model_id: str, raw: bytes, *, stream: bool
) -> Call:
    body = decode_object(raw)
    openai_body = bedrock_edge.converse_request_to_openai(model_id, body)
    if stream:
        openai_body["stream"] = True
        openai_body["stream_options"] = {"include_usage": True}
    call = Call.from_openai_body(
        request_id, WireFormat.BEDROCK, Operation.CHAT, model_id, openai_body
    )
    return call


def completion_bytes(completion: Completion) -> bytes:
    return orjson.dumps(
        bedrock_edge.openai_completion_to_converse(completion.body, completion.usage)
    )


class _ConverseStream:
    def __init__(self) -> None:
        self._encoder = bedrock_edge.ConverseStreamEncoder()

    def chunk(self, chunk: dict[str, Any]) -> bytes:
        return self._encoder.encode(chunk)

    def end(self, tally: StreamTally, usage: Usage) -> bytes:
        return self._encoder.finish(usage)

    def error(self, error: LockgateError) -> bytes:
        return self._encoder.error_frame(error)


def stream_encoder(call: Call) -> _ConverseStream:
    return _ConverseStream()
