"""A loopback server speaking the Bedrock Runtime wire format through bedrock_edge.

It stands where the gateway's Bedrock route will stand: it turns what a real boto3
client sends into an OpenAI body (recorded for assertions) and answers with what
the edge functions produce from a scripted OpenAI completion or chunk list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import boto3  # type: ignore[import-untyped]
import orjson
from aiohttp import web
from botocore.config import Config

from lockgate.errors import LockgateError, WireFormat
from lockgate.gateway.bedrock_edge import (
    STREAM_CONTENT_TYPE,
    ConverseStreamEncoder,
    converse_request_to_openai,
    openai_completion_to_converse,
)
from lockgate.usage import Usage


@dataclass
class EdgeScript:
    completion: dict[str, Any] | None = None
    usage: Usage | None = None
    chunks: list[dict[str, Any]] = field(default_factory=list)
    stream_error: LockgateError | None = None
    received: list[dict[str, Any]] = field(default_factory=list)


class EdgeServer:
    def __init__(self) -> None:
        self.script = EdgeScript()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/model/{model}/converse", self._converse)
        app.router.add_post("/model/{model}/converse-stream", self._converse_stream)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _translate(self, model: str, raw: bytes) -> dict[str, Any]:
        openai_body = converse_request_to_openai(unquote(model), orjson.loads(raw))
        self.script.received.append(openai_body)
        return openai_body

    async def _converse(self, request: web.Request) -> web.Response:
        try:
            self._translate(request.match_info["model"], await request.read())
        except LockgateError as error:
            status, headers, body = error.render(WireFormat.BEDROCK)
            return web.Response(status=status, headers=headers, body=body)

        assert self.script.completion is not None
        answer = openai_completion_to_converse(
            self.script.completion, self.script.usage, latency_ms=7
        )
        return web.json_response(answer, dumps=lambda v: orjson.dumps(v).decode())

    async def _converse_stream(self, request: web.Request) -> web.StreamResponse:
        self._translate(request.match_info["model"], await request.read())
        response = web.StreamResponse(headers={"Content-Type": STREAM_CONTENT_TYPE})
        await response.prepare(request)

        encoder = ConverseStreamEncoder(clock=lambda: 0.0)
        for chunk in self.script.chunks:
            await response.write(encoder.encode(chunk))
        if self.script.stream_error is not None:
            await response.write(encoder.error_frame(self.script.stream_error))
        else:
            await response.write(encoder.finish(self.script.usage))
        await response.write_eof()
        return response


def boto3_client(port: int) -> Any:
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="AKIALOCKGATETESTONLY",
        aws_secret_access_key="fake-secret-key-for-the-edge-server",
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )
