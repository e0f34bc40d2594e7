"""The Bedrock Converse upstream: OpenAI-shaped calls served by Converse.

Each call is translated (:mod:`.request`), signed with SigV4 over the exact body
bytes sent (:mod:`.signing`), posted with aiohttp, and its answer translated back
(:mod:`.response`, or :mod:`.stream` frame by frame for ConverseStream).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp
import orjson
from yarl import URL

from lockgate.config.settings import BedrockUpstream
from lockgate.errors import UnsupportedOperation, UpstreamMalformed
from lockgate.eventstream import CONTENT_TYPE, EventStreamDecoder
from lockgate.upstreams.base import Completion, StreamTally, UpstreamRequest
from lockgate.upstreams.bedrock.endpoint import converse_url, runtime_base_url
from lockgate.upstreams.bedrock.faults import http_error
from lockgate.upstreams.bedrock.request import converse_request
from lockgate.upstreams.bedrock.response import openai_completion, response_id
from lockgate.upstreams.bedrock.signing import (
    CredentialSource,
    DefaultCredentialChain,
    SigV4Signer,
)
from lockgate.upstreams.bedrock.stream import ConverseStreamTranslator
from lockgate.upstreams.bedrock.transport import mapped_errors, truncated

REQUEST_ID_HEADER = "x-amzn-requestid"
ERROR_TYPE_HEADER = "x-amzn-errortype"


class BedrockConverseUpstream:
    provider_name = "aws.bedrock"

    def __init__(
        self,
        settings: BedrockUpstream,
        session: aiohttp.ClientSession,
        credentials: CredentialSource | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = settings.name
        self._settings = settings
        self._session = session
        self._clock = clock
        self._signer = SigV4Signer(
            credentials or DefaultCredentialChain(settings.profile), settings.region
        )
        self._base_url = runtime_base_url(settings)

        url = URL(self._base_url)
        self.server_address = url.host or ""
        self.server_port = url.port or 443

    def url_for(self, model_id: str, *, stream: bool = False) -> str:
        """The exact URL a call for ``model_id`` is sent to."""
        return converse_url(self._base_url, model_id, stream=stream)

    async def chat(self, request: UpstreamRequest) -> Completion:
        url = self.url_for(request.upstream_model)
        status, headers, payload = await self._post(url, request)

        request_id = headers.get(REQUEST_ID_HEADER)
        if status != 200:
            raise http_error(
                status, headers.get(ERROR_TYPE_HEADER), payload, request_id
            )

        body, usage, stop = openai_completion(
            _json(payload),
            alias=request.alias,
            request_id=request_id,
            created=self._now(),
        )
        return Completion(
            body=body,
            usage=usage,
            upstream_request_id=request_id,
            response_id=body["id"],
            finish_reasons=[body["choices"][0]["finish_reason"]],
            raw_stop_reason=stop,
        )

    async def _post(
        self,
        url: str,
        request: UpstreamRequest,
    ) -> tuple[int, Mapping[str, str], bytes]:
        data, headers = await self._signed(url, request, "application/json")
        timeouts = self._settings.timeouts
        timeout = aiohttp.ClientTimeout(
            total=timeouts.read_s, sock_connect=timeouts.connect_s
        )
        with mapped_errors(self.name, self._address, streaming=False):
            async with self._session.post(
                URL(url, encoded=True), data=data, headers=headers, timeout=timeout
            ) as response:
                payload = await response.read()
        return response.status, response.headers, payload

    async def _signed(
        self, url: str, request: UpstreamRequest, accept: str
    ) -> tuple[bytes, dict[str, str]]:
        data = orjson.dumps(converse_request(request.body))
        headers = {"Content-Type": "application/json", "Accept": accept}
        return data, await self._signer.headers(url, data, headers)

    @property
    def _address(self) -> str:
        return f"{self.server_address}:{self.server_port}"

    def _now(self) -> int:
        return int(self._clock())

    async def chat_stream(
        self, request: UpstreamRequest, tally: StreamTally
    ) -> AsyncIterator[dict[str, Any]]:
        response = await self._open_stream(request)
        try:
            tally.upstream_request_id = response.headers.get(REQUEST_ID_HEADER)
            if response.status != 200:
                await self._raise_for_stream_status(response)

            tally.response_id = response_id(tally.upstream_request_id)
            translator = ConverseStreamTranslator(
                tally=tally,
                response_id=tally.response_id,
                alias=request.alias,
                created=self._now(),
                include_usage=_include_usage(request.body),
            )
            async for chunk in self._chunks(response, translator):
                yield chunk
        finally:
            # An unfinished stream is cut so that Bedrock stops generating.
            if tally.completed:
                response.release()
            else:
                response.close()

    async def _open_stream(self, request: UpstreamRequest) -> aiohttp.ClientResponse:
        url = self.url_for(request.upstream_model, stream=True)
        data, headers = await self._signed(url, request, CONTENT_TYPE)
        timeouts = self._settings.timeouts
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeouts.connect_s)

        with mapped_errors(self.name, self._address, streaming=False):
            async with asyncio.timeout(timeouts.idle_s):
                return await self._session.post(
                    URL(url, encoded=True), data=data, headers=headers, timeout=timeout
                )

    async def _raise_for_stream_status(self, response: aiohttp.ClientResponse) -> None:
        with mapped_errors(self.name, self._address, streaming=False):
            async with asyncio.timeout(self._settings.timeouts.idle_s):
                payload = await response.read()
        raise http_error(
            response.status,
            response.headers.get(ERROR_TYPE_HEADER),
            payload,
            response.headers.get(REQUEST_ID_HEADER),
        )

    async def _chunks(
        self, response: aiohttp.ClientResponse, translator: ConverseStreamTranslator
    ) -> AsyncIterator[dict[str, Any]]:
        decoder = EventStreamDecoder()
        while True:
            data = await self._read(response)
            if not data:
                break
            for message in decoder.feed(data):
                for chunk in translator.translate(message):
                    yield chunk

        if not translator.finished:
            raise truncated(self.name, "the connection closed")

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        with mapped_errors(self.name, self._address, streaming=True):
            async with asyncio.timeout(self._settings.timeouts.idle_s):
                return await response.content.readany()

    async def embeddings(self, request: UpstreamRequest) -> Completion:
        raise UnsupportedOperation(
            f"model {request.alias!r} is served by Bedrock Converse, which has no "
            "embeddings operation; route embeddings to another upstream",
            param="model",
        )

    async def close(self) -> None:
        """Nothing to release: the aiohttp session belongs to the caller."""


def _include_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def _json(payload: bytes) -> Any:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise UpstreamMalformed(
            "the Bedrock answer is not JSON; the response cannot be read, retry "
            "the request",
        ) from exc
