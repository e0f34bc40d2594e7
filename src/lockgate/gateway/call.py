"""One inbound call, after its wire format has been read.

Whatever API a caller used, its request becomes a :class:`Call` whose ``body`` is in
the OpenAI chat-completions (or embeddings) shape. The pipeline's stages read and
write only this.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from lockgate.errors import WireFormat
from lockgate.upstreams.base import Operation


@dataclass(slots=True)
class Call:
    request_id: str
    wire: WireFormat
    operation: Operation
    alias: str
    body: dict[str, Any]
    stream: bool = False
    client_wants_usage: bool = False
    started: float = field(default_factory=time.perf_counter)

    @classmethod
    def from_openai_body(
        cls,
        request_id: str,
        wire: WireFormat,
        operation: Operation,
        alias: str,
        body: dict[str, Any],
    ) -> Call:
        """Build a call from an OpenAI-shaped body, reading its stream flags."""
        stream = operation is Operation.CHAT and body.get("stream") is True
        options = body.get("stream_options")
        wants_usage = (
            stream
            and isinstance(options, dict)
            and options.get("include_usage") is True
        )
        return cls(request_id, wire, operation, alias, body, stream, wants_usage)
