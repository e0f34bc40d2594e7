"""A scripted OpenAI-compatible upstream on loopback, recording what reaches it.

Each test queues the replies it wants: a JSON body, an SSE stream (with optional
pauses, an endless tail, or an abrupt close), a delay, or an error status.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from support.ports import free_port


@dataclass
class Reply:
    status: int = 200
    json: dict[str, Any] | None = None
    sse: list[Any] | None = None  # dicts, or the string "[DONE]"
    pause_s: float = 0.0  # before answering
    chunk_pause_s: float = 0.0  # between SSE events
    endless: bool = False  # keep streaming until the client goes away
    close_after: int | None = None  # drop the connection after this many events
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    cancelled_at: float | None = None
    started_at: float = 0.0


class ScriptedUpstream:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.calls: list[Seen] = []
        self.url = ""

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        seen = Seen(
            request.path, dict(request.headers), body, started_at=time.monotonic()
        )
        self.calls.append(seen)
        reply = self.replies.pop(0) if self.replies else Reply(json=_default(body))
        if reply.pause_s:
            await asyncio.sleep(reply.pause_s)
        if reply.sse is None:
            return web.json_response(
                reply.json, status=reply.status, headers=reply.headers
            )
        return await self._stream(request, reply, seen)

    async def _stream(
        self, request: web.Request, reply: Reply, seen: Seen
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            status=reply.status,
            headers={"content-type": "text/event-stream", **reply.headers},
        )
        await response.prepare(request)
        try:
            for index, event in enumerate(reply.sse or []):
                if reply.close_after is not None and index >= reply.close_after:
                    request.transport.close()  # type: ignore[union-attr]
                    return response
                await response.write(_frame(event))
                if reply.chunk_pause_s:
                    await asyncio.sleep(reply.chunk_pause_s)
            while reply.endless:
                await response.write(_frame(_content_chunk("more")))
                await asyncio.sleep(0.01)
        except (ConnectionResetError, asyncio.CancelledError):
            seen.cancelled_at = time.monotonic()
            raise
        await response.write_eof()
        return response


def _frame(event: Any) -> bytes:
    if event == "[DONE]":
        return b"data: [DONE]\n\n"
    return b"data: " + orjson.dumps(event) + b"\n\n"


def _content_chunk(text: str) -> dict[str, Any]:
    return {
        "id": "cmpl-endless",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": "chat-small",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }


def _default(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-default",
        "object": "chat.completion",
        "created": 1767225600,
        "model": body.get("model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "ok"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }


@asynccontextmanager
async def scripted_upstream() -> AsyncIterator[ScriptedUpstream]:
    upstream = ScriptedUpstream()
    app = web.Application()
    app.router.add_post("/{tail:.*}", upstream.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    upstream.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield upstream
    finally:
        await runner.cleanup()
