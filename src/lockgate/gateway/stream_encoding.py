"""The interface of a stream encoder: chunks in, the caller's wire bytes out."""

from __future__ import annotations

from typing import Any, Protocol

from lockgate.errors import LockgateError
from lockgate.upstreams.base import StreamTally
from lockgate.usage import Usage


class StreamEncoder(Protocol):
    def chunk(self, chunk: dict[str, Any]) -> bytes:
        """Bytes for one OpenAI-shaped chunk; empty when the caller must not see it."""

    def end(self, tally: StreamTally, usage: Usage) -> bytes:
        """Closing bytes of a stream that finished."""

    def error(self, error: LockgateError) -> bytes:
        """Closing bytes of a stream that failed after it started."""
