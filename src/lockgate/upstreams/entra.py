"""Entra ID access tokens for Azure OpenAI upstreams.

An :class:`EntraTokenProvider` hands out one bearer token per upstream and keeps it
in its own cache. It asks Entra for a new token before the cached one runs out
(``refresh_margin_s`` ahead of expiry, or earlier when Entra said ``refresh_in``),
and never hands out a token at or past its expiry. Callers that find the token due
for renewal at the same moment share one request to Entra.

Tokens come from azure-identity's async credentials, chosen by ``auth.mode``. Each
renewal uses a fresh credential object, so lockgate's cache (and its injectable
clock) alone decides when Entra is asked; azure-identity's own in-memory cache never
serves a token lockgate considers due.

Errors from azure-identity and azure-core are mapped into :mod:`lockgate.errors`
here; their messages never carry the client secret or a token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import orjson
from azure.core.credentials import AccessTokenInfo
from azure.core.credentials_async import AsyncSupportsTokenInfo
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceRequestTimeoutError,
    ServiceResponseError,
    ServiceResponseTimeoutError,
)
from azure.core.pipeline.transport import AioHttpTransport
from azure.identity import CredentialUnavailableError
from azure.identity.aio import (
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

from lockgate.config.settings import AzureEntraAuth
from lockgate.errors import ConfigError, UpstreamTimeout, UpstreamUnavailable

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
CredentialFactory = Callable[[], AsyncSupportsTokenInfo]

DEFAULT_REFRESH_MARGIN_S = 300.0
RETRY_AFTER_FAILED_REFRESH_S = 30.0


class TokenProvider(Protocol):
    """Something that hands out a current bearer token for one upstream."""

    async def token(self) -> str: ...

    def invalidate(self, token: str) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True, frozen=True)
class _CachedToken:
    value: str
    expires_on: float
    refresh_at: float
    obtained_at: float


class EntraTokenProvider:
    """Cache and renew the Entra access token of one upstream.

    ``credential_factory`` builds a new azure-identity async credential for each
    renewal. ``clock`` returns seconds since the epoch, the scale of the tokens'
    ``expires_on``. ``timeout_s`` bounds one renewal, retries included.
    """

    def __init__(
        self,
        credential_factory: CredentialFactory,
        *,
        upstream: str,
        scope: str,
        authority: str,
        secrets: tuple[str, ...] = (),
        clock: Clock = time.time,
        refresh_margin_s: float = DEFAULT_REFRESH_MARGIN_S,
        timeout_s: float = 30.0,
    ) -> None:
        self._factory = credential_factory
        self._upstream = upstream
        self._scope = scope
        self._authority = authority
        self._secrets = tuple(s for s in secrets if s)
        self._clock = clock
        self._margin = refresh_margin_s
        self._timeout_s = timeout_s
        self._cached: _CachedToken | None = None
        self._next_attempt = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        """A token valid now; renewed first when it is due or gone."""
        cached = self._current(renewal_running=self._lock.locked())
        if cached is not None:
            return cached.value

        # If the caller holding the lock is cancelled (its client hung up), its
        # request to Entra is abandoned and the next waiter starts another one.
        async with self._lock:
            cached = self._current(renewal_running=False)
            if cached is not None:
                return cached.value
            return await self._renew_or_keep()

    def invalidate(self, token: str) -> None:
        """Forget ``token`` after the upstream refused it, if it is still cached.

        A token obtained less than 30 s ago is kept: a resource that refuses every
        token (wrong scope, missing role) must not turn each call into a request to
        Entra.
        """
        cached = self._cached
        if cached is None or cached.value != token:
            return
        if self._clock() - cached.obtained_at < RETRY_AFTER_FAILED_REFRESH_S:
            return
        self._cached = None
        self._next_attempt = 0.0

    async def close(self) -> None:
        """Nothing stays open between renewals; present for the interface."""

    def _current(self, *, renewal_running: bool) -> _CachedToken | None:
        """The cached token if it may be used now without renewing it first."""
        cached = self._cached
        now = self._clock()
        if cached is None or now >= cached.expires_on:
            return None
        if now < cached.refresh_at:
            return cached

        # Due for renewal but still valid: while another caller renews it, or while
        # waiting out a failed renewal, the current token stays in use.
        if renewal_running or now < self._next_attempt:
            return cached
        return None

    async def _renew_or_keep(self) -> str:
        try:
            fresh = await self._fetch()
        except (UpstreamUnavailable, UpstreamTimeout) as exc:
            return self._keep_after_failure(exc)

        self._cached = fresh
        self._next_attempt = 0.0
        logger.debug(
            "obtained an Entra token for upstream %r, valid for %.0f s",
            self._upstream,
            fresh.expires_on - self._clock(),
        )
        return fresh.value

    def _keep_after_failure(self, exc: UpstreamUnavailable | UpstreamTimeout) -> str:
        cached = self._cached
        now = self._clock()
        if cached is None or now >= cached.expires_on:
            raise exc

        self._next_attempt = now + RETRY_AFTER_FAILED_REFRESH_S
        logger.warning(
            "renewing the Entra token of upstream %r failed; the current token stays "
            "in use until it expires in %.0f s: %s",
            self._upstream,
            cached.expires_on - now,
            exc.message,
        )
        return cached.value

    async def _fetch(self) -> _CachedToken:
        requested_at = self._clock()
        credential = self._factory()
        try:
            async with asyncio.timeout(self._timeout_s):
                info = await credential.get_token_info(self._scope)
        except TimeoutError as exc:
            raise UpstreamTimeout(
                f"Entra did not issue a token for upstream {self._upstream!r} within "
                f"{self._timeout_s:g} s (authority {self._authority!r}); check that "
                "the authority is reachable from this host"
            ) from exc
        except Exception as exc:  # every foreign error becomes one of ours
            raise self._map_error(exc) from exc
        finally:
            await credential.close()

        fresh = self._to_cached(info, requested_at)
        if fresh.expires_on <= self._clock():
            raise UpstreamUnavailable(
                f"Entra issued upstream {self._upstream!r} a token that had already "
                "expired by this host's clock; check that the clock is right"
            )
        return fresh

    def _to_cached(self, info: AccessTokenInfo, requested_at: float) -> _CachedToken:
        expires_on = float(info.expires_on)
        lifetime = expires_on - requested_at
        refresh_at = expires_on - min(self._margin, lifetime / 2)
        if info.refresh_on is not None:
            refresh_at = min(refresh_at, float(info.refresh_on))
        return _CachedToken(info.token, expires_on, refresh_at, requested_at)

    def _map_error(self, exc: Exception) -> UpstreamUnavailable:
        where = f"upstream {self._upstream!r} (authority {self._authority!r})"
        detail = self._redact(_describe(exc))
        headline, hint = _explain(exc)
        return UpstreamUnavailable(f"{headline} for {where}: {detail}; {hint}")

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


# What failed and how to fix it, by the kind of foreign error; the first match wins.
_Kinds = type[Exception] | tuple[type[Exception], ...]
_EXPLANATIONS: tuple[tuple[_Kinds, str, str], ...] = (
    (
        OSError,
        "could not read the Entra credential file",
        "check that auth.token_file exists and lockgate may read it",
    ),
    (
        CredentialUnavailableError,
        "no Entra credential is available",
        "check that this host has the identity auth.mode names",
    ),
    (
        ClientAuthenticationError,
        "Entra refused to issue a token",
        "check auth.tenant_id, auth.client_id and the client secret or token",
    ),
    (
        (ServiceRequestError, ServiceResponseError),
        "could not reach Entra",
        "check auth.authority_host and the network path to it",
    ),
)


def _explain(exc: Exception) -> tuple[str, str]:
    """The headline and the fix for a failed token request."""
    for kinds, headline, hint in _EXPLANATIONS:
        if isinstance(exc, kinds):
            return headline, hint
    return "getting an Entra token failed", "check the auth settings of this upstream"


def _describe(exc: Exception) -> str:
    """A short description of a foreign error, without its free-text body."""
    if isinstance(exc, OSError):
        return f"{exc.strerror or type(exc).__name__} ({exc.filename!r})"
    if isinstance(exc, ServiceRequestTimeoutError | ServiceResponseTimeoutError):
        return "the request timed out"
    if isinstance(exc, ServiceRequestError):
        return "connection failed"
    if isinstance(exc, ServiceResponseError):
        return "the connection broke before an answer arrived"
    if isinstance(exc, HttpResponseError) and exc.status_code is not None:
        return f"HTTP {exc.status_code} {_entra_error_code(exc)}".rstrip()
    first_line = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first_line[:200]}"


def _entra_error_code(exc: HttpResponseError) -> str:
    """The OAuth ``error`` code of Entra's answer, e.g. ``invalid_client``."""
    response = exc.response
    if response is None:
        return ""
    try:
        body = orjson.loads(response.text())
    except Exception:  # any undecodable body just has no code to report
        return ""
    code = body.get("error") if isinstance(body, dict) else None
    return str(code) if isinstance(code, str) else ""


def authority_of(auth: AzureEntraAuth) -> str:
    """The authority host the credential talks to, as an https URL."""
    host = auth.authority_host or "https://login.microsoftonline.com"
    if "://" not in host:
        host = "https://" + host
    return host.rstrip("/")


def credential_factory(
    auth: AzureEntraAuth,
    *,
    upstream: str,
    session: aiohttp.ClientSession | None = None,
    retry_total: int = 2,
) -> CredentialFactory:
    """Build azure-identity credentials of the kind ``auth.mode`` names.

    With ``session`` every credential sends its requests through that aiohttp
    session (its connector, TLS trust and proxies); otherwise azure-identity opens
    its own. ``retry_total`` bounds azure-core's retries of one renewal.

    Tenant, client and token file come from the settings only: the AZURE_* variables
    azure-identity would otherwise read (AZURE_CLIENT_ID, AZURE_TENANT_ID,
    AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) are not consulted, so write
    ``${AZURE_CLIENT_ID}`` in the settings file to use them.
    """
    _check_auth(auth, upstream)
    options = {"retry_total": retry_total}
    _probe(auth, upstream, options)

    def build() -> AsyncSupportsTokenInfo:
        transport = _transport(session)
        if transport is not None:
            return _credential(auth, transport=transport, **options)
        return _credential(auth, **options)

    return build


def _probe(auth: AzureEntraAuth, upstream: str, options: dict[str, int]) -> None:
    """Build one credential now so that a bad value stops start-up, not a request.

    Without a transport nothing is opened, so the probe needs no closing.
    """
    try:
        _credential(auth, **options)
    except ValueError as exc:
        raise ConfigError(
            f"upstream {upstream!r} has Entra auth settings azure-identity rejects: "
            f"{str(exc).splitlines()[0][:200]}; fix the upstream's auth block"
        ) from exc


def _transport(session: aiohttp.ClientSession | None) -> AioHttpTransport | None:
    if session is None:
        return None
    return AioHttpTransport(session=session, session_owner=False)


def _credential(auth: AzureEntraAuth, **kwargs: Any) -> AsyncSupportsTokenInfo:
    # Managed identity is tested only through the App Service identity endpoint;
    # the instance metadata endpoint (VMs, AKS without workload identity) cannot
    # be reached from the tests, so that path is untested here.
    if auth.mode == "entra_managed_identity":
        return ManagedIdentityCredential(client_id=auth.client_id, **kwargs)

    common = {"authority": authority_of(auth), "disable_instance_discovery": True}
    if auth.mode == "entra_workload_identity":
        return WorkloadIdentityCredential(
            tenant_id=auth.tenant_id,
            client_id=auth.client_id,
            token_file_path=str(auth.token_file) if auth.token_file else None,
            **common,
            **kwargs,
        )

    assert auth.tenant_id and auth.client_id and auth.client_secret  # _check_auth
    return ClientSecretCredential(
        auth.tenant_id,
        auth.client_id,
        auth.client_secret.get_secret_value(),
        **common,
        **kwargs,
    )


_REQUIRED: dict[str, tuple[str, ...]] = {
    "entra_client_secret": ("tenant_id", "client_id", "client_secret"),
    "entra_workload_identity": ("tenant_id", "client_id", "token_file"),
    "entra_managed_identity": (),
}


def _check_auth(auth: AzureEntraAuth, upstream: str) -> None:
    missing = [name for name in _REQUIRED[auth.mode] if not getattr(auth, name)]
    if missing:
        raise ConfigError(
            f"upstream {upstream!r} uses auth.mode {auth.mode!r} but auth."
            f"{', auth.'.join(missing)} is not set; set it in the upstream's auth block"
        )
    if not authority_of(auth).startswith("https://"):
        raise ConfigError(
            f"upstream {upstream!r} has auth.authority_host "
            f"{auth.authority_host!r}, which is not https; azure-identity only talks "
            "to https authorities, so give an https URL"
        )


def entra_token_provider(
    auth: AzureEntraAuth,
    *,
    upstream: str,
    session: aiohttp.ClientSession | None = None,
    clock: Clock = time.time,
    refresh_margin_s: float = DEFAULT_REFRESH_MARGIN_S,
    timeout_s: float = 30.0,
    retry_total: int = 2,
) -> EntraTokenProvider:
    """The token provider for an Azure OpenAI upstream whose auth is Entra."""
    factory = credential_factory(
        auth, upstream=upstream, session=session, retry_total=retry_total
    )
    secret = auth.client_secret.get_secret_value() if auth.client_secret else ""
    return EntraTokenProvider(
        factory,
        upstream=upstream,
        scope=auth.scope,
        authority=authority_of(auth),
        secrets=(secret,),
        clock=clock,
        refresh_margin_s=refresh_margin_s,
        timeout_s=timeout_s,
    )
