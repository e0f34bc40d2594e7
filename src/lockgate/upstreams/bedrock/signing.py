"""SigV4 signing of Converse calls with botocore's signer and credential chain.

Credentials come from botocore's default chain (environment, shared profile, web
identity, container and instance metadata), never from lockgate's settings.
Resolving or refreshing them can block and may call the instance metadata service,
so that work runs in a worker thread; a signature itself is computed on the loop.
Tests pass a ``botocore.credentials.Credentials`` object, which needs no lookup.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.exceptions import BotoCoreError
from botocore.session import Session

from lockgate.errors import UpstreamError

SERVICE = "bedrock"


class CredentialSource(Protocol):
    """Anything botocore-like that hands out a frozen set of credentials."""

    def get_frozen_credentials(self) -> Any: ...


class DefaultCredentialChain:
    """botocore's default chain, resolved once on first use (in a thread)."""

    def __init__(self, profile: str | None = None) -> None:
        self._profile = profile
        self._credentials: Credentials | None = None

    def get_frozen_credentials(self) -> Any:
        if self._credentials is None:
            credentials = Session(profile=self._profile).get_credentials()
            if credentials is None:
                raise _missing(self._profile)
            self._credentials = credentials
        return self._credentials.get_frozen_credentials()

    @property
    def needs_thread(self) -> bool:
        """Whether the next call may block (first resolution or a refresh)."""
        return self._credentials is None or _refresh_due(self._credentials)


def _refresh_due(credentials: Any) -> bool:
    return isinstance(credentials, RefreshableCredentials) and bool(
        credentials.refresh_needed()
    )


def _missing(profile: str | None) -> UpstreamError:
    where = f"profile {profile!r}" if profile else "the default chain"
    return UpstreamError(
        f"no AWS credentials were found through {where}; give lockgate a role "
        "(instance profile, task role, web identity) or set AWS_PROFILE",
        code="upstream_credentials_missing",
    )


class SigV4Signer:
    def __init__(self, credentials: CredentialSource, region: str) -> None:
        self._credentials = credentials
        self._region = region

    async def headers(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> dict[str, str]:
        """``headers`` plus X-Amz-Date, the session token and Authorization."""
        frozen = await self._frozen()
        request = AWSRequest(method="POST", url=url, data=body, headers=headers)
        SigV4Auth(frozen, SERVICE, self._region).add_auth(request)
        return {name: str(value) for name, value in request.headers.items()}

    async def _frozen(self) -> Any:
        source = self._credentials
        may_block = getattr(source, "needs_thread", None)
        if may_block is False or (may_block is None and _is_static(source)):
            return self._resolve()
        return await asyncio.to_thread(self._resolve)

    def _resolve(self) -> Any:
        try:
            return self._credentials.get_frozen_credentials()
        except BotoCoreError as exc:
            raise UpstreamError(
                f"AWS credentials could not be loaded ({type(exc).__name__}); check "
                "the profile, role or web-identity settings of this host",
                code="upstream_credentials_error",
            ) from exc


def _is_static(source: Any) -> bool:
    return isinstance(source, Credentials) and not isinstance(
        source, RefreshableCredentials
    )
