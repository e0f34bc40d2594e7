"""The one interface every upstream adapter implements.

The pipeline speaks a single internal dialect: the OpenAI chat-completions request
and response shapes, as plain dicts. An adapter translates that dialect to its
upstream's wire format on the way out and back on the way in, so neither the pipeline
nor the inbound routes know which upstream serves a call.

Streams are async iterators of OpenAI ``chat.completion.chunk`` dicts. While it
yields them, the adapter fills a :class:`StreamTally` with what the pipeline needs
when the stream ends (usage, response id, finish reasons). An adapter raises only
:mod:`lockgate.errors` classes; library errors are mapped inside the adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from lockgate.usage import Usage


class Operation(StrEnum):
    CHAT = "chat"
    EMBEDDINGS = "embeddings"


@dataclass(slots=True)
class UpstreamRequest:
    """One call as an adapter receives it.

    ``body`` is an OpenAI-shaped request body; its ``model`` field still holds the
    caller's alias, and the adapter must send ``upstream_model`` instead.
    ``want_usage`` asks a streaming adapter to obtain usage from its upstream where
    the upstream can give it (for OpenAI-compatible upstreams, by adding
    ``stream_options.include_usage``).
    """

    operation: Operation
    alias: str
    upstream_model: str
    body: dict[str, Any]
    stream: bool = False
    want_usage: bool = True
    request_id: str = ""


@dataclass(slots=True)
class Completion:
    """A non-streamed answer, already in the OpenAI response shape."""

    body: dict[str, Any]
    usage: Usage | None
    upstream_request_id: str | None = None
    response_id: str | None = None
    response_model: str | None = None
    finish_reasons: list[str] = field(default_factory=list)
    raw_stop_reason: str | None = None


@dataclass(slots=True)
class StreamTally:
    """What a streaming adapter learned by the end of its stream.

    ``usage`` stays ``None`` when the upstream gave none; the pipeline then counts
    tokens itself and marks the usage estimated. ``completed`` is set only when the
    upstream ended its stream properly.
    """

    usage: Usage | None = None
    upstream_request_id: str | None = None
    response_id: str | None = None
    response_model: str | None = None
    finish_reasons: list[str] = field(default_factory=list)
    raw_stop_reason: str | None = None
    completed: bool = False


class Upstream(Protocol):
    """An upstream model service reached through one configured endpoint."""

    name: str
    provider_name: str
    server_address: str
    server_port: int

    async def chat(self, request: UpstreamRequest) -> Completion: ...

    def chat_stream(
        self, request: UpstreamRequest, tally: StreamTally
    ) -> AsyncIterator[dict[str, Any]]: ...

    async def embeddings(self, request: UpstreamRequest) -> Completion: ...

    async def close(self) -> None: ...
