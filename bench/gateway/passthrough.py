"""The baseline: a bare aiohttp proxy that forwards each POST to the upstream.

It does the least a proxy can do: read the body, send it to the same path on the
upstream over a shared pooled ``ClientSession``, and return the status, content type
and body, copying a streamed answer chunk by chunk as it arrives. No parsing, no
checks, no logging. It runs on uvloop, the event loop lockgate uses, so the
comparison is between the two programs and not between two event loops.

Run: ``python -m bench.gateway.passthrough --port 8001 --upstream http://127.0.0.1:8000``
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable

import aiohttp
import uvloop
from aiohttp import web

_SESSION_KEY = web.AppKey("session", aiohttp.ClientSession)
_UPSTREAM_KEY = web.AppKey("upstream", str)


def create_app(upstream: str, max_connections: int = 256) -> web.Application:
    """An application forwarding every POST to the same path under ``upstream``."""
    app = web.Application()
    app[_UPSTREAM_KEY] = upstream.rstrip("/")
    app.cleanup_ctx.append(_session_context(max_connections))
    app.router.add_post("/{tail:.*}", _forward)
    return app


def _session_context(
    max_connections: int,
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def session_context(app: web.Application) -> AsyncIterator[None]:
        connector = aiohttp.TCPConnector(limit=max_connections)
        async with aiohttp.ClientSession(connector=connector) as session:
            app[_SESSION_KEY] = session
            yield

    return session_context


async def _forward(request: web.Request) -> web.StreamResponse:
    session = request.app[_SESSION_KEY]
    url = request.app[_UPSTREAM_KEY] + request.path_qs
    body = await request.read()
    headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}

    async with session.post(url, data=body, headers=headers) as upstream:
        if upstream.content_type == "text/event-stream":
            return await _copy_stream(request, upstream)
        return web.Response(
            status=upstream.status,
            body=await upstream.read(),
            content_type=upstream.content_type,
        )


async def _copy_stream(
    request: web.Request, upstream: aiohttp.ClientResponse
) -> web.StreamResponse:
    response = web.StreamResponse(status=upstream.status)
    response.content_type = upstream.content_type
    await response.prepare(request)

    async for chunk in upstream.content.iter_any():
        await response.write(chunk)

    await response.write_eof()
    return response


async def serve(host: str, port: int, upstream: str) -> None:
    """Serve until cancelled."""
    runner = web.AppRunner(create_app(upstream), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Bare aiohttp pass-through proxy.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="e.g. http://127.0.0.1:8000")
    args = parser.parse_args()
    uvloop.run(serve(args.host, args.port, args.upstream))


if __name__ == "__main__":
    main()
