"""Adapter for OpenAI-compatible servers: vLLM, llama.cpp, Ollama and the like.

The request body passes through unchanged but for the model name. Vendor sampling
fields such as ``top_k`` or ``repetition_penalty`` reach the server as they came.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from lockgate.config.settings import OpenAICompatibleUpstream
from lockgate.upstreams.base import Completion, StreamTally, UpstreamRequest
from lockgate.upstreams.openai_wire import OpenAIWire, completion_from, observe_chunk


class OpenAICompatibleAdapter:
    provider_name = "openai"

    def __init__(
        self, settings: OpenAICompatibleUpstream, session: aiohttp.ClientSession
    ) -> None:
        self.name = settings.name
        self._settings = settings
        self._wire = OpenAIWire(
            session, upstream=settings.name, timeouts=settings.timeouts
        )
        base = settings.base_url.rstrip("/")
        self._chat_url = f"{base}/chat/completions"
        self._embeddings_url = f"{base}/embeddings"
        self._headers = {
            name: value.get_secret_value() for name, value in settings.headers.items()
        }
        if settings.api_key is not None:
            self._headers["authorization"] = (
                f"Bearer {settings.api_key.get_secret_value()}"
            )
        parts = urlsplit(base)
        self.server_address = parts.hostname or ""
        self.server_port = parts.port or (443 if parts.scheme == "https" else 80)

    async def chat(self, request: UpstreamRequest) -> Completion:
        body = {**request.body, "model": request.upstream_model}
        answer, headers = await self._wire.post_json(
            self._chat_url, self._headers, body
        )
        return completion_from(answer, headers.get("x-request-id"))

    async def chat_stream(
        self, request: UpstreamRequest, tally: StreamTally
    ) -> AsyncIterator[dict[str, Any]]:
        body = {**request.body, "model": request.upstream_model, "stream": True}
        if request.want_usage and self._settings.honours_include_usage:
            body["stream_options"] = {
                **(body.get("stream_options") or {}),
                "include_usage": True,
            }

        def keep_request_id(headers: Mapping[str, str]) -> None:
            tally.upstream_request_id = headers.get("x-request-id")

        async for chunk in self._wire.stream_events(
            self._chat_url, self._headers, body, keep_request_id
        ):
            observe_chunk(chunk, tally)
            yield chunk
        tally.completed = True

    async def embeddings(self, request: UpstreamRequest) -> Completion:
        body = {**request.body, "model": request.upstream_model}
        answer, headers = await self._wire.post_json(
            self._embeddings_url, self._headers, body
        )
        return completion_from(answer, headers.get("x-request-id"))

    async def close(self) -> None:
        return None
