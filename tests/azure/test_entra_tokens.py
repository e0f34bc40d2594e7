"""Entra token provider against the simulated Entra token endpoint."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceRequestTimeoutError,
    ServiceResponseError,
    ServiceResponseTimeoutError,
)
from azure.identity import CredentialUnavailableError
from simulator import AzureSimulator, FakeClock, SimulatorConfig, azure_simulator

from lockgate.config.settings import AzureEntraAuth
from lockgate.errors import ConfigError, UpstreamTimeout, UpstreamUnavailable
from lockgate.upstreams.entra import EntraTokenProvider, entra_token_provider


def secret_auth(sim: AzureSimulator, **changes: Any) -> AzureEntraAuth:
    fields: dict[str, Any] = {
        "mode": "entra_client_secret",
        "tenant_id": sim.config.tenant_id,
        "client_id": sim.config.client_id,
        "client_secret": sim.config.client_secret,
        "authority_host": sim.authority,
    }
    return AzureEntraAuth(**{**fields, **changes})


def provider(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    auth: AzureEntraAuth | None = None,
    **options: Any,
) -> EntraTokenProvider:
    return entra_token_provider(
        auth or secret_auth(sim),
        upstream="aoai",
        session=session,
        clock=clock,
        retry_total=0,
        **options,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_one_token_request_serves_many_calls(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)

    first = await tokens.token()
    rest = [await tokens.token() for _ in range(9)]

    assert sim.token_endpoint_calls == 1
    assert set(rest) == {first}
    assert first in sim.issued_tokens
    form = sim.token_requests[0].body
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "https://cognitiveservices.azure.com/.default"
    assert sim.token_requests[0].path == f"/{sim.config.tenant_id}/oauth2/v2.0/token"


async def test_token_is_renewed_five_minutes_before_it_expires(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    first = await tokens.token()

    clock.advance(3600 - 301)
    assert await tokens.token() == first
    assert sim.token_endpoint_calls == 1

    clock.advance(2)
    second = await tokens.token()
    assert second != first
    assert sim.token_endpoint_calls == 2


async def test_refresh_in_from_entra_brings_renewal_forward(clock: FakeClock) -> None:
    config = SimulatorConfig(token_refresh_in_s=600)
    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        tokens = provider(sim, client, clock)
        first = await tokens.token()

        clock.advance(598)
        assert await tokens.token() == first
        clock.advance(3)
        assert await tokens.token() != first
        assert sim.token_endpoint_calls == 2


async def test_short_lived_token_is_renewed_at_half_its_life(clock: FakeClock) -> None:
    config = SimulatorConfig(token_lifetime_s=120)
    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        tokens = provider(sim, client, clock)
        first = await tokens.token()

        clock.advance(58)
        assert await tokens.token() == first
        assert sim.token_endpoint_calls == 1
        clock.advance(3)
        assert await tokens.token() != first
        assert sim.token_endpoint_calls == 2


async def test_expired_token_is_never_reused_when_renewal_fails(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    await tokens.token()

    clock.advance(3601)
    sim.fail_token_requests = 1
    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    assert "HTTP 503" in caught.value.message
    assert sim.token_endpoint_calls == 2


async def test_failed_renewal_keeps_the_valid_token_and_waits_before_retrying(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    first = await tokens.token()

    clock.advance(3400)
    sim.fail_token_requests = 1
    assert await tokens.token() == first
    assert sim.token_endpoint_calls == 2

    clock.advance(10)
    assert await tokens.token() == first
    assert sim.token_endpoint_calls == 2

    clock.advance(25)
    assert await tokens.token() != first
    assert sim.token_endpoint_calls == 3


async def test_concurrent_callers_share_one_token_request(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    sim.token_delay_s = 0.2

    results = await asyncio.gather(*(tokens.token() for _ in range(20)))

    assert sim.token_endpoint_calls == 1
    assert len(set(results)) == 1


async def test_concurrent_callers_share_one_renewal_of_an_expired_token(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    first = await tokens.token()
    clock.advance(4000)
    sim.token_delay_s = 0.2

    results = await asyncio.gather(*(tokens.token() for _ in range(20)))

    assert sim.token_endpoint_calls == 2
    assert len(set(results)) == 1
    assert results[0] != first


async def test_invalidate_drops_only_the_refused_token_and_not_a_brand_new_one(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    first = await tokens.token()

    tokens.invalidate(first)
    assert await tokens.token() == first
    clock.advance(31)
    tokens.invalidate("some-older-token")
    assert await tokens.token() == first
    tokens.invalidate(first)

    assert await tokens.token() != first
    assert sim.token_endpoint_calls == 2


async def test_wrong_client_secret_is_reported_without_the_secret(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    wrong = "wrong-secret-ABCDEF123456"
    tokens = provider(sim, session, clock, secret_auth(sim, client_secret=wrong))

    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    message = caught.value.message
    assert message.startswith("Entra refused to issue a token for upstream 'aoai'")
    assert "HTTP 401 invalid_client" in message
    assert sim.authority in message
    assert wrong not in message
    assert wrong not in str(caught.value)
    assert caught.value.status == 502


async def test_unknown_tenant_is_reported_with_entra_error_code(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    auth = secret_auth(sim, tenant_id="00000000-0000-0000-0000-00000000dead")
    tokens = provider(sim, session, clock, auth)

    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    assert "HTTP 400 invalid_request" in caught.value.message


async def test_unreachable_authority_is_upstream_unavailable(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    auth = secret_auth(sim, authority_host=f"https://127.0.0.1:{closed_port()}")
    tokens = provider(sim, session, clock, auth)

    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    assert caught.value.message.startswith("could not reach Entra for upstream 'aoai'")
    assert "connection failed" in caught.value.message
    assert sim.config.client_secret not in caught.value.message


async def test_slow_token_endpoint_is_upstream_timeout(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock, timeout_s=0.2)
    sim.token_delay_s = 2.0

    with pytest.raises(UpstreamTimeout) as caught:
        await tokens.token()

    assert "within 0.2 s" in caught.value.message
    assert caught.value.status == 504


async def test_workload_identity_sends_the_federated_token_as_assertion(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "federated-token"
    token_file.write_text(sim.config.federated_token)
    auth = AzureEntraAuth(
        mode="entra_workload_identity",
        tenant_id=sim.config.tenant_id,
        client_id=sim.config.client_id,
        token_file=token_file,
        authority_host=sim.authority,
    )

    token = await provider(sim, session, clock, auth).token()

    assert token in sim.issued_tokens
    form = sim.token_requests[0].body
    assert form["client_assertion"] == sim.config.federated_token
    assert form["client_assertion_type"] == (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
    assert "client_secret" not in form


async def test_managed_identity_uses_the_app_service_identity_endpoint(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", sim.msi_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", sim.config.identity_header)
    auth = AzureEntraAuth(mode="entra_managed_identity")

    tokens = provider(sim, session, clock, auth)
    first = await tokens.token()

    assert first in sim.issued_tokens
    assert await tokens.token() == first
    assert sim.token_endpoint_calls == 1
    request = sim.token_requests[0]
    assert request.path == "/msi/token"
    assert request.query["resource"] == "https://cognitiveservices.azure.com"
    assert request.headers["x-identity-header"] == sim.config.identity_header


async def test_managed_identity_refused_is_upstream_unavailable(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", sim.msi_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "not-the-header")
    tokens = provider(
        sim, session, clock, AzureEntraAuth(mode="entra_managed_identity")
    )

    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    assert "upstream 'aoai'" in caught.value.message
    assert "not-the-header" not in caught.value.message


@pytest.mark.parametrize(
    ("changes", "quoted"),
    [
        ({"client_secret": None}, "auth.client_secret is not set"),
        ({"tenant_id": None, "client_id": None}, "auth.tenant_id, auth.client_id"),
        ({"authority_host": "http://127.0.0.1:1"}, "'http://127.0.0.1:1'"),
        ({"tenant_id": "bad tenant!"}, "azure-identity rejects"),
    ],
)
def test_incomplete_entra_settings_are_config_errors(
    changes: dict[str, Any], quoted: str
) -> None:
    fields: dict[str, Any] = {
        "mode": "entra_client_secret",
        "tenant_id": "00000000-0000-0000-0000-000000000001",
        "client_id": "00000000-0000-0000-0000-000000000002",
        "client_secret": "s3cret-value-xyz",
        **changes,
    }

    with pytest.raises(ConfigError) as caught:
        entra_token_provider(AzureEntraAuth(**fields), upstream="aoai")

    assert quoted in caught.value.message
    assert "s3cret-value-xyz" not in caught.value.message


class RaisingCredential:
    """An azure-identity credential stand-in whose token request fails."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.closed = False

    async def get_token_info(self, *scopes: str, options: Any = None) -> Any:
        raise self.error

    async def close(self) -> None:
        self.closed = True


PLANTED = "planted-secret-9f8e7d"


@pytest.mark.parametrize(
    ("error", "headline", "detail"),
    [
        (
            CredentialUnavailableError(f"no identity here {PLANTED}"),
            "no Entra credential is available",
            "CredentialUnavailableError: no identity here ***",
        ),
        (
            ClientAuthenticationError(f"bad {PLANTED}"),
            "Entra refused to issue a token",
            "ClientAuthenticationError: bad ***",
        ),
        (ServiceRequestError(PLANTED), "could not reach Entra", "connection failed"),
        (
            ServiceRequestTimeoutError(PLANTED),
            "could not reach Entra",
            "the request timed out",
        ),
        (
            ServiceResponseError(PLANTED),
            "could not reach Entra",
            "the connection broke before an answer arrived",
        ),
        (
            ServiceResponseTimeoutError(PLANTED),
            "could not reach Entra",
            "the request timed out",
        ),
        (
            HttpResponseError(PLANTED),
            "getting an Entra token failed",
            "HttpResponseError: ***",
        ),
        (AzureError(PLANTED), "getting an Entra token failed", "AzureError: ***"),
        (ValueError(PLANTED), "getting an Entra token failed", "ValueError: ***"),
        (
            FileNotFoundError(2, "No such file or directory", "/var/run/token"),
            "could not read the Entra credential file",
            "No such file or directory ('/var/run/token')",
        ),
        (KeyError(), "getting an Entra token failed", "KeyError: "),
    ],
)
async def test_every_foreign_error_is_mapped_without_the_secret(
    clock: FakeClock, error: Exception, headline: str, detail: str
) -> None:
    credential = RaisingCredential(error)
    tokens = EntraTokenProvider(
        lambda: credential,
        upstream="aoai",
        scope="https://cognitiveservices.azure.com/.default",
        authority="https://login.example",
        secrets=(PLANTED,),
        clock=clock,
    )

    with pytest.raises(UpstreamUnavailable) as caught:
        await tokens.token()

    message = caught.value.message
    assert message.startswith(
        f"{headline} for upstream 'aoai' (authority 'https://login.example'): {detail}"
    )
    assert PLANTED not in message
    assert caught.value.__cause__ is error
    assert credential.closed


async def test_missing_federated_token_file_is_reported_with_its_path(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-such-token"
    auth = AzureEntraAuth(
        mode="entra_workload_identity",
        tenant_id=sim.config.tenant_id,
        client_id=sim.config.client_id,
        token_file=missing,
        authority_host=sim.authority,
    )

    with pytest.raises(UpstreamUnavailable) as caught:
        await provider(sim, session, clock, auth).token()

    assert caught.value.message.startswith("could not read the Entra credential file")
    assert repr(str(missing)) in caught.value.message
    assert sim.token_endpoint_calls == 0


async def test_gzip_token_answers_are_read_through_a_decompressing_session(
    clock: FakeClock,
) -> None:
    config = SimulatorConfig(compress_token_responses=True)
    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        token = await provider(sim, client, clock).token()

    assert client.auto_decompress
    assert token in sim.issued_tokens


async def test_user_assigned_managed_identity_names_its_client_id(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", sim.msi_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", sim.config.identity_header)
    auth = AzureEntraAuth(mode="entra_managed_identity", client_id="uami-0001")

    token = await provider(sim, session, clock, auth).token()

    assert token in sim.issued_tokens
    assert sim.token_requests[0].query["client_id"] == "uami-0001"


async def test_no_secret_or_token_reaches_any_log_line(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = provider(sim, session, clock)

    first = await tokens.token()
    clock.advance(3400)
    sim.fail_token_requests = 1
    assert await tokens.token() == first
    clock.advance(40)
    second = await tokens.token()

    logged = "\n".join(
        record.getMessage() + repr(record.args) for record in caplog.records
    )
    assert "renewing the Entra token of upstream 'aoai' failed" in logged
    for secret in (sim.config.client_secret, first, second):
        assert secret not in logged


async def test_a_cancelled_caller_does_not_stop_the_next_from_getting_a_token(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    tokens = provider(sim, session, clock)
    sim.token_delay_s = 0.3
    abandoned = asyncio.create_task(tokens.token())
    await asyncio.sleep(0.1)

    abandoned.cancel()
    sim.token_delay_s = 0.0
    token = await tokens.token()

    assert abandoned.cancelled()
    assert token in sim.issued_tokens
    assert await tokens.token() == token
