"""The OpenAI wire protocol over aiohttp, shared by every OpenAI-shaped upstream.

OpenAI-compatible servers (vLLM, llama.cpp, Ollama) and Azure OpenAI speak the same
JSON and server-sent-events protocol; they differ only in URLs and credentials. This
module owns the protocol: posting JSON, reading an SSE stream chunk by chunk as it
arrives, and mapping every aiohttp failure into :mod:`lockgate.errors`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any

import aiohttp
import orjson

from lockgate.config.settings import TimeoutSettings
from lockgate.errors import (
    UpstreamError,
    UpstreamMalformed,
    UpstreamRejected,
    UpstreamStreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from lockgate.upstreams.base import Completion, StreamTally
from lockgate.usage import Usage

_JSON_HEADERS = {"content-type": "application/json"}
_MAX_ERROR_DETAIL = 300
_RETRY_HEADERS = ("retry-after", "retry-after-ms")


class OpenAIWire:
    """Posts OpenAI-shaped requests to one upstream and reads the answers."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        upstream: str,
        timeouts: TimeoutSettings,
    ) -> None:
        self._session = session
        self._upstream = upstream
        self._timeouts = timeouts
        self._timeout = aiohttp.ClientTimeout(
            total=timeouts.read_s, sock_connect=timeouts.connect_s
        )
        self._stream_timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=timeouts.connect_s, sock_read=timeouts.idle_s
        )

    async def post_json(
        self, url: str, headers: Mapping[str, str], body: dict[str, Any]
    ) -> tuple[dict[str, Any], Mapping[str, str]]:
        """POST ``body`` and return the decoded JSON answer and its headers."""
        try:
            async with self._session.post(
                url,
                data=orjson.dumps(body),
                headers={**_JSON_HEADERS, **headers},
                timeout=self._timeout,
            ) as response:
                raw = await response.read()
                if response.status >= 400:
                    raise self._rejected(response, raw, headers)
                return self._decode(raw), response.headers
        except (aiohttp.ClientError, TimeoutError) as error:
            raise self._map(error, streaming=False) from error

    async def stream_events(
        self,
        url: str,
        headers: Mapping[str, str],
        body: dict[str, Any],
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Yield each SSE ``data:`` object of a streamed answer as it arrives.

        ``on_headers`` sees the response headers before the first event, so an
        adapter can keep the upstream's request id. The stream must end with
        ``[DONE]``; a connection that closes before it is a truncated stream,
        reported as an error rather than a quiet success.
        """
        try:
            async with self._session.post(
                url,
                data=orjson.dumps(body),
                headers={**_JSON_HEADERS, "accept": "text/event-stream", **headers},
                timeout=self._stream_timeout,
            ) as response:
                if response.status >= 400:
                    raw = await response.read()
                    raise self._rejected(response, raw, headers)
                if response.content_type != "text/event-stream":
                    raise UpstreamMalformed(
                        f"upstream '{self._upstream}' answered a streaming request "
                        f"with {response.content_type or 'no content type'} instead "
                        "of an event stream; check that it supports streaming"
                    )
                if on_headers is not None:
                    on_headers(response.headers)
                async for event in self._read_events(response):
                    yield event
                return
        except (aiohttp.ClientError, TimeoutError) as error:
            raise self._map(error, streaming=True) from error

    async def _read_events(
        self, response: aiohttp.ClientResponse
    ) -> AsyncIterator[dict[str, Any]]:
        data_lines: list[bytes] = []
        while True:
            line = await response.content.readline()
            if not line:
                raise UpstreamStreamError(
                    f"upstream '{self._upstream}' closed the stream before it finished "
                    "([DONE] never arrived); the answer is incomplete",
                    code="upstream_stream_truncated",
                )
            line = line.rstrip(b"\r\n")
            if line.startswith(b"data:"):
                data_lines.append(line[5:].lstrip())
                continue
            if line or not data_lines:
                continue  # comments, event names, retry hints, keep-alive blanks
            payload = b"\n".join(data_lines)
            data_lines.clear()
            if payload == b"[DONE]":
                return
            yield self._decode_event(payload)

    def _decode(self, raw: bytes) -> dict[str, Any]:
        try:
            decoded = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise UpstreamMalformed(
                f"upstream '{self._upstream}' answered with a body that is not JSON "
                f"({error}); check that its base URL points at an OpenAI-compatible API"
            ) from error
        if not isinstance(decoded, dict):
            raise UpstreamMalformed(
                f"upstream '{self._upstream}' answered with JSON that is not an object"
            )
        return decoded

    def _decode_event(self, payload: bytes) -> dict[str, Any]:
        event = self._decode(payload)
        error = event.get("error")
        if isinstance(error, dict) and "choices" not in event:
            message = str(error.get("message") or error)[:_MAX_ERROR_DETAIL]
            raise UpstreamStreamError(
                f"upstream '{self._upstream}' reported an error inside the stream: "
                f"{message}"
            )
        return event

    def _rejected(
        self,
        response: aiohttp.ClientResponse,
        raw: bytes,
        sent: Mapping[str, str],
    ) -> UpstreamRejected:
        """The upstream's refusal, keeping its status and its retry hints.

        Upstreams quote credentials back in their error text ("Incorrect API key
        provided: sk-..."); every header value lockgate sent is removed from it.
        """
        status = response.status
        detail = _redact(_error_detail(raw), sent.values())
        retry = {
            name: response.headers[name]
            for name in _RETRY_HEADERS
            if name in response.headers
        }
        return UpstreamRejected(
            f"upstream '{self._upstream}' answered HTTP {status}: {detail}",
            status=status if 400 <= status < 600 else 502,
            headers=retry,
        )

    def _map(self, error: BaseException, *, streaming: bool) -> UpstreamError:
        name = self._upstream
        if isinstance(error, UpstreamError):
            return error
        if isinstance(error, aiohttp.ServerTimeoutError | TimeoutError):
            timeouts = self._timeouts
            limit = (
                f"stayed silent longer than timeouts.idle_s ({timeouts.idle_s} s)"
                if streaming
                else f"did not answer within timeouts.read_s ({timeouts.read_s} s)"
            )
            return UpstreamTimeout(
                f"upstream '{name}' {limit}; raise that setting if the model is slow, "
                "or check that the upstream is running"
            )
        if isinstance(error, aiohttp.ClientConnectorError):
            reason = error.os_error.strerror or str(error)
            return UpstreamUnavailable(
                f"cannot connect to upstream '{name}' ({reason}); "
                "check that it is running and that its base URL is right"
            )
        if streaming and isinstance(
            error, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError
        ):
            return UpstreamStreamError(
                f"upstream '{name}' broke the connection in the middle of a stream",
                code="upstream_stream_truncated",
            )
        return UpstreamUnavailable(
            f"upstream '{name}' failed: {type(error).__name__}; check that it is "
            "running and reachable"
        )


def _error_detail(raw: bytes) -> str:
    """The upstream's own error message, shortened; never the request itself."""
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError:
        if raw.lstrip()[:1] == b"<":
            return "(an HTML error page; is the base URL an API endpoint?)"
        return raw[:_MAX_ERROR_DETAIL].decode("utf-8", "replace") or "(empty body)"
    if isinstance(decoded, dict):
        error = decoded.get("error", decoded)
        if isinstance(error, dict):
            return str(error.get("message") or error)[:_MAX_ERROR_DETAIL]
        return str(error)[:_MAX_ERROR_DETAIL]
    return str(decoded)[:_MAX_ERROR_DETAIL]


def _redact(text: str, values: Iterable[str]) -> str:
    """``text`` without any of ``values`` (or the token after ``Bearer``)."""
    for value in values:
        for secret in (value, value.removeprefix("Bearer ")):
            if len(secret) >= 8:
                text = text.replace(secret, "[redacted]")
    return text


def completion_from(
    answer: dict[str, Any], upstream_request_id: str | None
) -> Completion:
    """A Completion from an OpenAI-shaped ``chat.completion`` or embeddings answer."""
    usage = answer.get("usage")
    return Completion(
        body=answer,
        usage=Usage.from_openai(usage) if isinstance(usage, dict) else None,
        upstream_request_id=upstream_request_id,
        response_id=answer.get("id"),
        response_model=answer.get("model"),
        finish_reasons=[
            c["finish_reason"]
            for c in answer.get("choices") or ()
            if isinstance(c, dict) and c.get("finish_reason")
        ],
    )


def observe_chunk(chunk: dict[str, Any], tally: StreamTally) -> None:
    """Record what one OpenAI ``chat.completion.chunk`` says about the whole answer."""
    chunk_id = chunk.get("id")
    if chunk_id and tally.response_id is None:
        tally.response_id = chunk_id
    model = chunk.get("model")
    if model and tally.response_model is None:
        tally.response_model = model

    for choice in chunk.get("choices") or ():
        reason = choice.get("finish_reason")
        if reason:
            tally.finish_reasons.append(reason)

    usage = chunk.get("usage")
    if isinstance(usage, dict):
        tally.usage = Usage.from_openai(usage)
