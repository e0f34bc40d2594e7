"""Adapter for Azure OpenAI: deployments addressed by URL, key or Entra ID auth.

Azure OpenAI speaks the OpenAI wire protocol with three differences this module
owns: the model is picked by the deployment in the URL (so the body's ``model`` is
removed), every call carries ``api-version``, and the credential is either the
resource key in ``api-key`` or an Entra ID token in ``Authorization: Bearer``. With
Entra auth no ``api-key`` header is ever sent, whatever the environment holds, and
no credential the caller sent to lockgate ever reaches Azure.

Streams are forwarded chunk by chunk as Azure sends them, including the chunks
whose ``choices`` is empty (prompt filter results) and the annotation chunks with an
empty ``id``; the OpenAI-shaped inbound edge decides what its callers see.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import aiohttp

from lockgate.config.settings import AzureEntraAuth
from lockgate.config.settings import AzureOpenAIUpstream as AzureOpenAISettings
from lockgate.errors import ConfigError, UpstreamRejected
from lockgate.upstreams.base import (
    Completion,
    Operation,
    StreamTally,
    UpstreamRequest,
)
from lockgate.upstreams.entra import Clock, TokenProvider, entra_token_provider
from lockgate.upstreams.openai_wire import OpenAIWire, completion_from, observe_chunk

_PATHS = {Operation.CHAT: "chat/completions", Operation.EMBEDDINGS: "embeddings"}
_REQUEST_ID_HEADERS = ("apim-request-id", "x-request-id", "x-ms-request-id")

# stream_options arrived with api-version 2024-09-01-preview (GA in 2024-10-21);
# older versions refuse the whole request when it is present.
_FIRST_STREAM_OPTIONS_VERSION = "2024-09-01"


def deployment_url(
    endpoint: str, deployment: str, operation: Operation, api_version: str
) -> str:
    """The Azure OpenAI URL of one deployment's operation.

    ``deployment_url("https://r.example", "gpt4o", Operation.CHAT, "2024-10-21")``
    is ``https://r.example/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21``.
    """
    base = endpoint.rstrip("/")
    name = quote(deployment, safe="")
    query = urlencode({"api-version": api_version})
    return f"{base}/openai/deployments/{name}/{_PATHS[operation]}?{query}"


class AzureOpenAIAdapter:
    """One Azure OpenAI resource, reached through its endpoint.

    ``token_provider`` is required when ``settings.auth`` is an Entra mode and must
    be ``None`` for key auth; the adapter owns it and closes it in :meth:`close`.
    The aiohttp ``session`` belongs to the caller.
    """

    provider_name = "azure.ai.openai"

    def __init__(
        self,
        settings: AzureOpenAISettings,
        session: aiohttp.ClientSession,
        token_provider: TokenProvider | None = None,
    ) -> None:
        _check_auth_pairing(settings, token_provider)
        self.name = settings.name
        self._settings = settings
        self._tokens = token_provider
        self._wire = OpenAIWire(
            session, upstream=settings.name, timeouts=settings.timeouts
        )

        parts = urlsplit(settings.endpoint)
        self.server_address = parts.hostname or ""
        self.server_port = parts.port or (443 if parts.scheme == "https" else 80)

    @classmethod
    def from_settings(
        cls,
        settings: AzureOpenAISettings,
        session: aiohttp.ClientSession,
        *,
        clock: Clock = time.time,
        entra_retry_total: int = 2,
    ) -> AzureOpenAIAdapter:
        """The adapter for ``settings``, with an Entra token provider when needed.

        Token requests to Entra go through ``session`` too, so they share its TLS
        trust, proxies and connection limits. One renewal may take the upstream's
        connect timeout plus at most 30 s: Entra answers in well under a second, and
        every call waiting for the token waits that long.
        """
        auth = settings.auth
        if not isinstance(auth, AzureEntraAuth):
            return cls(settings, session)

        provider = entra_token_provider(
            auth,
            upstream=settings.name,
            session=session,
            clock=clock,
            timeout_s=settings.timeouts.connect_s + min(settings.timeouts.read_s, 30.0),
            retry_total=entra_retry_total,
        )
        return cls(settings, session, provider)

    def url(self, deployment: str, operation: Operation) -> str:
        return deployment_url(
            self._settings.endpoint, deployment, operation, self._settings.api_version
        )

    async def chat(self, request: UpstreamRequest) -> Completion:
        body = _upstream_body(request, self._settings.api_version)
        url = self.url(request.upstream_model, Operation.CHAT)
        answer, headers = await self._post(url, body, request)
        return completion_from(answer, _request_id(headers))

    async def chat_stream(
        self, request: UpstreamRequest, tally: StreamTally
    ) -> AsyncIterator[dict[str, Any]]:
        body = _upstream_body(request, self._settings.api_version)
        url = self.url(request.upstream_model, Operation.CHAT)
        headers = await self._auth_headers()

        def keep_request_id(response_headers: Mapping[str, str]) -> None:
            tally.upstream_request_id = _request_id(response_headers)

        try:
            async for chunk in self._wire.stream_events(
                url, headers, body, keep_request_id
            ):
                observe_chunk(chunk, tally)
                yield chunk
        except UpstreamRejected as error:
            raise self._explained(error, request, headers) from error
        tally.completed = True

    async def embeddings(self, request: UpstreamRequest) -> Completion:
        body = _upstream_body(request, self._settings.api_version)
        url = self.url(request.upstream_model, Operation.EMBEDDINGS)
        answer, headers = await self._post(url, body, request)
        return completion_from(answer, _request_id(headers))

    async def close(self) -> None:
        if self._tokens is not None:
            await self._tokens.close()

    async def _post(
        self, url: str, body: dict[str, Any], request: UpstreamRequest
    ) -> tuple[dict[str, Any], Mapping[str, str]]:
        headers = await self._auth_headers()
        try:
            return await self._wire.post_json(url, headers, body)
        except UpstreamRejected as error:
            raise self._explained(error, request, headers) from error

    async def _auth_headers(self) -> dict[str, str]:
        if self._tokens is not None:
            return {"authorization": f"Bearer {await self._tokens.token()}"}
        auth = self._settings.auth
        assert not isinstance(auth, AzureEntraAuth)  # _check_auth_pairing
        return {"api-key": auth.api_key.get_secret_value()}

    def _explained(
        self,
        error: UpstreamRejected,
        request: UpstreamRequest,
        sent_headers: Mapping[str, str],
    ) -> UpstreamRejected:
        """The same rejection with what it usually means for an Azure resource."""
        if error.status == 401 and self._tokens is not None:
            bearer = sent_headers["authorization"].removeprefix("Bearer ")
            self._tokens.invalidate(bearer)
        hint = self._hint(error.status, request.upstream_model)
        if hint is None:
            return error
        return UpstreamRejected(
            f"{error.message}; {hint}",
            status=error.status,
            headers=error.headers,
        )

    def _hint(self, status: int, deployment: str) -> str | None:
        entra = self._tokens is not None
        endpoint = self._settings.endpoint
        if status == 401:
            return (
                f"the Entra token was refused by {endpoint!r}; check auth.scope and "
                "auth.tenant_id"
                if entra
                else f"the key was refused by {endpoint!r}; check auth.api_key"
            )
        if status == 403:
            return (
                "the identity lacks access; grant it the 'Cognitive Services OpenAI "
                "User' role on the resource"
                if entra
                else "key authentication may be disabled on the resource "
                "(AuthenticationTypeDisabled); switch auth.mode to an entra_* mode"
            )
        if status == 404:
            return (
                f"deployment {deployment!r} may not exist on {endpoint!r}; check the "
                "model's upstream_model"
            )
        if status == 429:
            # Azure's retry-after header is not passed on: the wire keeps only the
            # status and message, so callers do not learn how long to wait.
            return "the deployment's rate or token quota is used up; retry later"
        return None


def _check_auth_pairing(
    settings: AzureOpenAISettings, token_provider: TokenProvider | None
) -> None:
    entra = isinstance(settings.auth, AzureEntraAuth)
    if entra and token_provider is None:
        raise ConfigError(
            f"upstream {settings.name!r} uses auth.mode {settings.auth.mode!r} but no "
            "Entra token provider was given; build the adapter with from_settings"
        )
    if not entra and token_provider is not None:
        raise ConfigError(
            f"upstream {settings.name!r} uses key auth but was given an Entra token "
            "provider; pass none, or set an entra_* auth.mode"
        )


def _upstream_body(request: UpstreamRequest, api_version: str) -> dict[str, Any]:
    """The caller's body for Azure: no ``model`` (the URL names the deployment).

    A stream asks for usage with ``stream_options`` only where the api-version
    knows that field; with an older one the usage is left for lockgate to count.
    """
    body = {k: v for k, v in request.body.items() if k != "model"}
    if request.operation is not Operation.CHAT or not request.stream:
        return body

    body["stream"] = True
    if request.want_usage and api_version >= _FIRST_STREAM_OPTIONS_VERSION:
        body["stream_options"] = {
            **(body.get("stream_options") or {}),
            "include_usage": True,
        }
    return body


def _request_id(headers: Mapping[str, str]) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None
