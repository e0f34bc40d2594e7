"""The gateway's ASGI application: routes per wire format around one pipeline.

Routes:

    POST /v1/chat/completions                          OpenAI
    POST /v1/embeddings                                OpenAI
    GET  /v1/models                                    OpenAI
    POST /openai/deployments/{deployment}/chat/completions?api-version=...   Azure
    POST /openai/deployments/{deployment}/embeddings?api-version=...         Azure
    POST /model/{modelId}/converse                     Bedrock Runtime
    POST /model/{modelId}/converse-stream              Bedrock Runtime
    GET  /healthz, /readyz                             liveness and readiness

The app is a plain ASGI callable rather than a framework router: the pipeline is the
only thing on the hot path, and every microsecond of routing is paid per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import orjson

from lockgate.config.settings import Settings
from lockgate.errors import (
    INTERNAL_ERROR,
    LockgateError,
    MethodNotAllowed,
    UnknownRoute,
    WireFormat,
)
from lockgate.gateway import azure_edge, bedrock_route, openai_edge
from lockgate.gateway.call import Call
from lockgate.gateway.http import (
    Message,
    Receive,
    Scope,
    Send,
    read_body,
    require_json,
    send_bytes,
    send_error,
    wait_for_disconnect,
)
from lockgate.gateway.pipeline import CallStream, Pipeline
from lockgate.gateway.registry import Route
from lockgate.gateway.runtime import Runtime, RuntimeFactory
from lockgate.gateway.stream_encoding import StreamEncoder
from lockgate.upstreams.base import Completion, Operation

logger = logging.getLogger(__name__)

_JSON_HEADERS = [(b"content-type", b"application/json")]


@dataclass(frozen=True, slots=True)
class Edge:
    """How one wire format answers: its renderer, stream encoder and headers."""

    render: Callable[[Completion], bytes]
    encoder: Callable[[Call], StreamEncoder]
    stream_headers: list[tuple[bytes, bytes]]
    id_header: bytes


OPENAI_EDGE = Edge(
    openai_edge.completion_bytes,
    openai_edge.OpenAIStreamEncoder,
    openai_edge.SSE_HEADERS,
    b"x-lockgate-request-id",
)
BEDROCK_EDGE = Edge(
    bedrock_route.completion_bytes,
    bedrock_route.stream_encoder,
    bedrock_route.HEADERS,
    b"x-amzn-requestid",
)
_AZURE_ACTIONS = {
    "chat/completions": Operation.CHAT,
    "embeddings": Operation.EMBEDDINGS,
}


class GatewayApp:
    """ASGI entry point; the runtime (sessions, adapters, ledger) lives in lifespan."""

    def __init__(self, settings: Settings, runtime_factory: RuntimeFactory) -> None:
        self._settings = settings
        self._runtime_factory = runtime_factory
        self._runtime: Runtime | None = None
        self._limit = settings.server.max_body_bytes
        self._access_log = settings.server.access_log

    @property
    def pipeline(self) -> Pipeline:
        if self._runtime is None:
            raise RuntimeError("the gateway has not started; run it under lifespan")
        return self._runtime.pipeline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self._runtime = await self._runtime_factory(self._settings)
                except LockgateError as error:
                    await send(
                        {"type": "lifespan.startup.failed", "message": str(error)}
                    )
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._runtime is not None:
                    await self._runtime.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._access_log:
            await self._logged(scope, receive, send)
        else:
            await self._handle(scope, receive, send, secrets.token_hex(12))

    async def _logged(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle a request and log one line: method, path, status, request id."""
        request_id = secrets.token_hex(12)
        status = [0]

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self._handle(scope, receive, recording_send, request_id)
        # %r escapes control characters, so a path cannot forge a log line; 499 is
        # a client that left before any answer started.
        logger.info(
            "%s %r %d %s", scope["method"], scope["path"], status[0] or 499, request_id
        )

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> None:
        path: str = scope["path"]
        wire = _wire_of(path)
        try:
            await self._dispatch(scope, receive, send, request_id, path)
        except LockgateError as error:
            await send_error(send, error, wire, request_id)
        except Exception:
            logger.exception("request %s failed unexpectedly", request_id)
            await send_error(send, INTERNAL_ERROR, wire, request_id)

    async def _dispatch(
        self, scope: Scope, receive: Receive, send: Send, request_id: str, path: str
    ) -> None:
        method = scope["method"]
        if path in ("/healthz", "/readyz"):
            _expect(method, "GET", path)
            await self._health(send, path)
            return
        if path == "/v1/models":
            _expect(method, "GET", path)
            await self._models(send)
            return

        if not _is_post_route(path):
            raise _unknown_route(path)
        _expect(method, "POST", path)
        require_json(scope)
        raw = await read_body(scope, receive, self._limit)

        call, route, edge = self._read_call(scope, request_id, raw, path)
        await self._serve(receive, send, call, route, edge)

    def _read_call(
        self, scope: Scope, request_id: str, raw: bytes, path: str
    ) -> tuple[Call, Route, Edge]:
        """The call a POST carries, the route that serves it, and how to answer."""
        if path == "/v1/chat/completions":
            return self._openai_call(request_id, raw, Operation.CHAT)
        if path == "/v1/embeddings":
            return self._openai_call(request_id, raw, Operation.EMBEDDINGS)
        if path.startswith("/openai/deployments/"):
            return self._azure_call(scope, request_id, raw, path)
        return self._bedrock_call(request_id, raw, path)

    def _openai_call(
        self, request_id: str, raw: bytes, operation: Operation
    ) -> tuple[Call, Route, Edge]:
        body = openai_edge.parse_body(raw, operation)
        alias = openai_edge.require_model(body)
        route = self.pipeline.registry.route(alias, operation)
        call = Call.from_openai_body(
            request_id, WireFormat.OPENAI, operation, alias, body
        )
        return call, route, OPENAI_EDGE

    def _azure_call(
        self, scope: Scope, request_id: str, raw: bytes, path: str
    ) -> tuple[Call, Route, Edge]:
        # The raw path keeps an encoded "/" inside a deployment name as %2F.
        raw_path = (scope.get("raw_path") or path.encode()).decode("latin-1")
        encoded, _, action = raw_path[len("/openai/deployments/") :].partition("/")
        deployment = unquote(encoded)
        operation = _AZURE_ACTIONS.get(action)
        if not deployment or operation is None:
            raise _unknown_route(path)

        route = self.pipeline.registry.deployment(deployment, operation)
        azure_edge.api_version(scope["query_string"], route.model)
        body = openai_edge.parse_body(raw, operation)
        body["model"] = deployment
        call = Call.from_openai_body(
            request_id, WireFormat.AZURE, operation, deployment, body
        )
        return call, route, OPENAI_EDGE

    def _bedrock_call(
        self, request_id: str, raw: bytes, path: str
    ) -> tuple[Call, Route, Edge]:
        model_id, _, action = path[len("/model/") :].rpartition("/")
        if not model_id or action not in ("converse", "converse-stream"):
            raise _unknown_route(path)

        route = self.pipeline.registry.route(model_id, Operation.CHAT)
        call = bedrock_route.call_from_converse(
            request_id, model_id, raw, stream=action == "converse-stream"
        )
        return call, route, BEDROCK_EDGE

    async def _serve(
        self, receive: Receive, send: Send, call: Call, route: Route, edge: Edge
    ) -> None:
        """Forward the call and answer in the caller's wire format."""
        if call.stream:
            stream = self.pipeline.open_stream(call, route)
            encoder = edge.encoder(call)
            await stream_call(receive, send, stream, encoder, edge.stream_headers)
            return
        body = await self.pipeline.complete(call, route, edge.render)
        headers = [*_JSON_HEADERS, (edge.id_header, call.request_id.encode())]
        await send_bytes(send, 200, body, headers)

    async def _models(self, send: Send) -> None:
        data = [
            {"id": alias, "object": "model", "created": 0, "owned_by": "lockgate"}
            for alias in self.pipeline.registry.aliases()
        ]
        body = orjson.dumps({"object": "list", "data": data})
        await send_bytes(send, 200, body, _JSON_HEADERS)

    async def _health(self, send: Send, path: str) -> None:
        """Liveness always answers; readiness needs a runtime and a live ledger."""
        state = "ok"
        if path == "/readyz":
            if self._runtime is None:
                state = "starting"
            elif not self._runtime.ledger.alive:
                state = "ledger writer stopped; restart the gateway"
        status = 200 if state == "ok" else 503
        await send_bytes(send, status, orjson.dumps({"status": state}), _JSON_HEADERS)


async def stream_call(
    receive: Receive,
    send: Send,
    stream: CallStream,
    encoder: StreamEncoder,
    headers: list[tuple[bytes, bytes]],
) -> None:
    """Send a streamed call while watching for the client to hang up.

    If the client goes away, the upstream request is cancelled at once and the call
    is settled as ``client_cancelled`` with the usage counted so far.
    """
    pump = asyncio.ensure_future(_pump(send, stream, encoder, headers))
    hang_up = asyncio.ensure_future(wait_for_disconnect(receive))
    try:
        await asyncio.wait({pump, hang_up}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not pump.done():
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            stream.cancel()
        hang_up.cancel()
        stream.finish("internal_error", INTERNAL_ERROR)  # no-op unless the pump died
    if not pump.cancelled() and pump.exception() is not None:
        raise pump.exception()  # type: ignore[misc]


async def _pump(
    send: Send,
    stream: CallStream,
    encoder: StreamEncoder,
    headers: list[tuple[bytes, bytes]],
) -> None:
    request_id = stream.call.request_id.encode()
    async with contextlib.aclosing(stream.chunks()) as chunks:
        first = await _first_chunk(stream, chunks)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"x-lockgate-request-id", request_id)],
            }
        )
        try:
            if first is not None:
                await _send_part(send, encoder.chunk(first))
                async for chunk in chunks:
                    await _send_part(send, encoder.chunk(chunk))
            closing = encoder.end(stream.tally, stream.usage())
        except LockgateError as error:
            stream.fail(error)
            await send({"type": "http.response.body", "body": encoder.error(error)})
            return
        except Exception:
            logger.exception("stream %s failed unexpectedly", stream.call.request_id)
            stream.finish("internal_error", INTERNAL_ERROR)
            await send(
                {"type": "http.response.body", "body": encoder.error(INTERNAL_ERROR)}
            )
            return

    stream.finish("ok")
    await send({"type": "http.response.body", "body": closing})


async def _first_chunk(
    stream: CallStream, chunks: AsyncGenerator[dict[str, Any], None]
) -> dict[str, Any] | None:
    """The first chunk; an error before it becomes an ordinary HTTP error."""
    try:
        return await anext(chunks)
    except StopAsyncIteration:
        return None
    except LockgateError as error:
        stream.fail(error)
        raise


async def _send_part(send: Send, data: bytes) -> None:
    if data:
        await send({"type": "http.response.body", "body": data, "more_body": True})


def _is_post_route(path: str) -> bool:
    return path in ("/v1/chat/completions", "/v1/embeddings") or path.startswith(
        ("/openai/deployments/", "/model/")
    )


def _wire_of(path: str) -> WireFormat:
    if path.startswith("/openai/"):
        return WireFormat.AZURE
    if path.startswith("/model/"):
        return WireFormat.BEDROCK
    return WireFormat.OPENAI


def _expect(method: str, expected: str, path: str) -> None:
    if method != expected:
        raise MethodNotAllowed(
            f"{method} is not allowed on {path}; use {expected}",
            headers={"allow": expected},
        )


def _unknown_route(path: str) -> UnknownRoute:
    return UnknownRoute(
        f"no route {path[:120]}; lockgate serves /v1/chat/completions, "
        "/v1/embeddings, /v1/models, /openai/deployments/{deployment}/..., and "
        "/model/{modelId}/converse[-stream]"
    )
