"""The Azure OpenAI adapter against the loopback Azure OpenAI + Entra simulator."""

from __future__ import annotations

import socket
from typing import Any

import aiohttp
import pytest
from azure_cases import case, entra_settings, key_settings
from pydantic import SecretStr
from simulator import (
    AzureSimulator,
    FakeClock,
    JsonReply,
    SimulatorConfig,
    SseReply,
    azure_simulator,
)

from lockgate.config.settings import AzureKeyAuth, AzureOpenAIUpstream
from lockgate.errors import (
    ConfigError,
    UpstreamRejected,
    UpstreamStreamError,
    UpstreamUnavailable,
)
from lockgate.upstreams.azure import AzureOpenAIAdapter, deployment_url
from lockgate.upstreams.base import Operation, StreamTally, UpstreamRequest
from lockgate.upstreams.entra import EntraTokenProvider
from lockgate.usage import Usage

CHAT_DEPLOYMENT = "gpt4o-prod-eu"
HI = {"messages": [{"role": "user", "content": "hi"}]}


def request(
    body: dict[str, Any] | None = None,
    *,
    operation: Operation = Operation.CHAT,
    deployment: str = CHAT_DEPLOYMENT,
    stream: bool = False,
    want_usage: bool = True,
) -> UpstreamRequest:
    return UpstreamRequest(
        operation=operation,
        alias="chat",
        upstream_model=deployment,
        body=dict(body if body is not None else {"model": "chat", **HI}),
        stream=stream,
        want_usage=want_usage,
    )


def adapter(
    settings: AzureOpenAIUpstream, session: aiohttp.ClientSession, clock: FakeClock
) -> AzureOpenAIAdapter:
    return AzureOpenAIAdapter.from_settings(
        settings, session, clock=clock, entra_retry_total=0
    )


async def collect(
    upstream: AzureOpenAIAdapter, call: UpstreamRequest, tally: StreamTally
) -> list[dict[str, Any]]:
    return [chunk async for chunk in upstream.chat_stream(call, tally)]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- URLs and identity of the upstream ---------------------------------------------


def test_deployment_url_is_the_az003_upstream_url() -> None:
    expected = case("AZ-003")["expected"]["ok"]["upstream_url"]

    url = deployment_url(
        "https://aoai-example.openai.azure.com",
        "gpt4o-prod-eu",
        Operation.CHAT,
        "2024-10-21",
    )

    assert url == expected
    assert url == (
        "https://aoai-example.openai.azure.com/openai/deployments/gpt4o-prod-eu"
        "/chat/completions?api-version=2024-10-21"
    )


def test_deployment_url_for_embeddings_escapes_the_name_and_trims_the_slash() -> None:
    url = deployment_url(
        "https://r.example/", "te3 small/x", Operation.EMBEDDINGS, "2025-04-01-preview"
    )

    assert url == (
        "https://r.example/openai/deployments/te3%20small%2Fx/embeddings"
        "?api-version=2025-04-01-preview"
    )


async def test_adapter_reports_provider_and_server_from_the_endpoint(
    clock: FakeClock,
) -> None:
    settings = AzureOpenAIUpstream(
        kind="azure_openai",
        name="aoai",
        endpoint="https://aoai-example.openai.azure.com",
        auth={"mode": "key", "api_key": "k"},
    )
    async with aiohttp.ClientSession() as client:
        upstream = adapter(settings, client, clock)

        assert upstream.provider_name == "azure.ai.openai"
        assert upstream.name == "aoai"
        assert upstream.server_address == "aoai-example.openai.azure.com"
        assert upstream.server_port == 443
        assert (
            upstream.url("gpt4o-prod-eu", Operation.CHAT)
            == (case("AZ-003")["expected"]["ok"]["upstream_url"])
        )


async def test_entra_upstream_without_token_provider_is_a_config_error(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    with pytest.raises(ConfigError) as caught:
        AzureOpenAIAdapter(entra_settings(sim), session)
    assert "'entra_client_secret'" in caught.value.message

    tokens = EntraTokenProvider(
        lambda: pytest.fail("never called"), upstream="x", scope="s", authority="a"
    )
    with pytest.raises(ConfigError) as caught:
        AzureOpenAIAdapter(key_settings(sim), session, tokens)
    assert "uses key auth" in caught.value.message


# -- credentials (AZ-001) ----------------------------------------------------------


async def test_entra_sends_a_bearer_token_and_never_an_api_key(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    az001 = case("AZ-001")
    planted = az001["setup"]["environment"]["AZURE_API_KEY"]
    monkeypatch.setenv("AZURE_API_KEY", planted)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", planted)
    deployments = az001["setup"]["upstream"]["deployments"]
    config = SimulatorConfig(
        reject_api_key=True,
        deployments=(deployments["chat"], deployments["embed"]),
        scope=az001["setup"]["upstream"]["auth"]["scope"],
    )

    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        upstream = adapter(entra_settings(sim), client, clock)
        chat_body, stream_body, embed_body = (
            r["body"] for r in az001["input"]["requests"][:3]
        )
        await upstream.chat(request(chat_body, deployment=deployments["chat"]))
        tally = StreamTally()
        stream_call = request(stream_body, deployment=deployments["chat"], stream=True)
        await collect(upstream, stream_call, tally)
        await upstream.embeddings(
            request(
                embed_body,
                operation=Operation.EMBEDDINGS,
                deployment=deployments["embed"],
            )
        )
        await upstream.close()

    assert az001["expected"]["token_endpoint_calls"] == 1
    assert sim.token_endpoint_calls == 1
    (token,) = sim.issued_tokens
    assert [r.path for r in sim.requests] == [
        "/openai/deployments/gpt4o-prod-eu/chat/completions",
        "/openai/deployments/gpt4o-prod-eu/chat/completions",
        "/openai/deployments/te3-small/embeddings",
    ]
    for recorded in sim.requests:
        assert recorded.headers["authorization"] == f"Bearer {token}"
        assert "api-key" not in recorded.headers
        assert not any(planted in value for value in recorded.headers.values())
        assert recorded.query == {"api-version": "2024-10-21"}
        assert "model" not in recorded.body
    assert tally.completed


async def test_key_auth_sends_the_api_key_header_only(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    upstream = adapter(key_settings(sim), session, clock)

    await upstream.chat(request())
    await upstream.embeddings(
        request(
            {"model": "embed", "input": "hello"},
            operation=Operation.EMBEDDINGS,
            deployment="te3-small",
        )
    )

    assert sim.token_endpoint_calls == 0
    for recorded in sim.requests:
        assert recorded.headers["api-key"] == sim.config.api_keys[0]
        assert "authorization" not in recorded.headers


async def test_key_auth_on_a_resource_with_key_auth_disabled_is_rejected_403(
    clock: FakeClock,
) -> None:
    config = SimulatorConfig(reject_api_key=True)
    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        upstream = adapter(key_settings(sim), client, clock)
        with pytest.raises(UpstreamRejected) as caught:
            await upstream.chat(request())

    assert caught.value.status == 403
    assert "key auth disabled (simulated)" in caught.value.message
    assert "AuthenticationTypeDisabled" in caught.value.message
    assert "switch auth.mode to an entra_* mode" in caught.value.message
    assert sim.config.api_keys[0] not in caught.value.message


# -- request and answer shapes (AZ-003, STR-001) -----------------------------------


async def test_chat_forwards_the_az003_answer_unchanged(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    ok = case("AZ-003")["input"]["requests"][0]
    sim.script(CHAT_DEPLOYMENT, "chat", JsonReply(ok["upstream_response"]))
    upstream = adapter(entra_settings(sim), session, clock)

    completion = await upstream.chat(request(ok["body"]))

    assert completion.body == ok["upstream_response"]
    assert completion.usage == Usage(input_tokens=8, output_tokens=2)
    assert completion.response_id == "chatcmpl-AZ3"
    assert completion.response_model == "gpt-4o-2024-11-20"
    assert completion.finish_reasons == ["stop"]
    assert completion.upstream_request_id == "sim-req-1"
    (recorded,) = sim.requests
    assert recorded.path == "/openai/deployments/gpt4o-prod-eu/chat/completions"
    assert recorded.body == ok["body"]


async def test_body_model_is_removed_and_other_fields_kept(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    upstream = adapter(entra_settings(sim), session, clock)
    body = {"model": "chat", **HI, "temperature": 0.2, "max_tokens": 20, "user": "u1"}

    await upstream.chat(request(body))

    assert sim.requests[0].body == {
        **HI,
        "temperature": 0.2,
        "max_tokens": 20,
        "user": "u1",
    }


async def test_str001_chunks_are_forwarded_unchanged_and_tallied(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    str001 = case("STR-001")
    events = str001["input"]["upstream_sse"]
    sim.script(CHAT_DEPLOYMENT, "chat", SseReply(events))
    upstream = adapter(entra_settings(sim), session, clock)
    tally = StreamTally()

    chunks = await collect(
        upstream, request(str001["input"]["request"], stream=True), tally
    )

    assert chunks == [event for event in events if event != "[DONE]"]
    assert chunks[0]["choices"] == [] and chunks[0]["id"] == ""
    assert chunks[4]["id"] == "" and "delta" not in chunks[4]["choices"][0]
    assert tally.usage == Usage(input_tokens=19, output_tokens=2)
    assert tally.finish_reasons == ["stop"]
    assert tally.response_id == "chatcmpl-AZ1"
    assert tally.response_model == "gpt-4o-2024-11-20"
    assert tally.completed
    sent = sim.requests[0].body
    assert sent == {
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "Say hello there."}],
    }


async def test_stream_asks_for_usage_only_when_wanted(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    upstream = adapter(entra_settings(sim), session, clock)

    await collect(upstream, request(stream=True, want_usage=True), StreamTally())
    await collect(upstream, request(stream=True, want_usage=False), StreamTally())

    wanted, unwanted = (r.body for r in sim.requests)
    assert wanted == {**HI, "stream": True, "stream_options": {"include_usage": True}}
    assert unwanted == {**HI, "stream": True}


async def test_stream_on_an_api_version_without_stream_options_leaves_them_out(
    clock: FakeClock,
) -> None:
    config = SimulatorConfig(api_versions=("2024-06-01",))
    async with azure_simulator(config, clock) as sim, sim.client_session() as client:
        settings = key_settings(sim).model_copy(update={"api_version": "2024-06-01"})
        upstream = adapter(settings, client, clock)
        tally = StreamTally()

        chunks = await collect(upstream, request(stream=True), tally)

    assert sim.requests[0].body == {**HI, "stream": True}
    assert sim.requests[0].query == {"api-version": "2024-06-01"}
    assert len(chunks) == 2
    assert tally.usage is None
    assert tally.completed


# -- errors ------------------------------------------------------------------------


def azure_error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


@pytest.mark.parametrize(
    ("status", "body", "hint"),
    [
        (
            403,
            azure_error("PermissionDenied", "principal lacks the data action"),
            "grant it the 'Cognitive Services OpenAI User' role",
        ),
        (
            429,
            azure_error("429", "Requests have exceeded token rate limit"),
            "rate or token quota is used up",
        ),
        (500, azure_error("InternalServerError", "The server had an error"), ""),
    ],
)
async def test_upstream_error_statuses_are_rejections_with_azure_hints(
    sim: AzureSimulator,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    status: int,
    body: dict[str, Any],
    hint: str,
) -> None:
    sim.script(CHAT_DEPLOYMENT, "chat", JsonReply(body, status=status))
    sim.script(CHAT_DEPLOYMENT, "chat", JsonReply(body, status=status))
    upstream = adapter(entra_settings(sim), session, clock)

    with pytest.raises(UpstreamRejected) as plain:
        await upstream.chat(request())
    with pytest.raises(UpstreamRejected) as streamed:
        await collect(upstream, request(stream=True), StreamTally())

    for caught in (plain, streamed):
        assert caught.value.status == status
        assert body["error"]["message"] in caught.value.message
        assert hint in caught.value.message
        assert f"HTTP {status}" in caught.value.message


async def test_unknown_deployment_is_a_404_rejection_naming_it(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    upstream = adapter(entra_settings(sim), session, clock)

    with pytest.raises(UpstreamRejected) as caught:
        await upstream.chat(request(deployment="nope"))

    assert caught.value.status == 404
    assert "The API deployment for this resource does not exist" in caught.value.message
    assert "deployment 'nope' may not exist" in caught.value.message


async def test_unsupported_api_version_is_a_400_rejection(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    settings = entra_settings(sim).model_copy(update={"api_version": "2023-01-01"})
    upstream = adapter(settings, session, clock)

    with pytest.raises(UpstreamRejected) as caught:
        await upstream.chat(request())

    assert caught.value.status == 400
    assert "API version not supported" in caught.value.message
    assert sim.requests[0].query == {"api-version": "2023-01-01"}


async def test_refused_token_is_dropped_so_the_next_call_gets_a_new_one(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    upstream = adapter(entra_settings(sim), session, clock)
    await upstream.chat(request())
    clock.advance(60)
    sim.expire_tokens()

    with pytest.raises(UpstreamRejected) as caught:
        await upstream.chat(request())
    completion = await upstream.chat(request())

    assert caught.value.status == 401
    assert "Access token is missing, invalid" in caught.value.message
    assert "the Entra token was refused" in caught.value.message
    assert completion.response_id == "chatcmpl-SIM"
    assert sim.token_endpoint_calls == 2
    first, second, third = (r.headers["authorization"] for r in sim.requests)
    assert first == second != third


async def test_wrong_api_key_is_a_401_rejection_without_the_key(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    wrong = AzureKeyAuth(mode="key", api_key=SecretStr("wrong-key-zzz"))
    settings = key_settings(sim).model_copy(update={"auth": wrong})
    upstream = adapter(settings, session, clock)

    with pytest.raises(UpstreamRejected) as caught:
        await upstream.chat(request())

    assert caught.value.status == 401
    assert "invalid subscription key" in caught.value.message
    assert "check auth.api_key" in caught.value.message
    assert "wrong-key-zzz" not in caught.value.message


async def test_connection_refused_is_upstream_unavailable(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    endpoint = f"https://127.0.0.1:{closed_port()}"
    upstream = adapter(key_settings(sim, endpoint=endpoint), session, clock)

    with pytest.raises(UpstreamUnavailable) as plain:
        await upstream.chat(request())
    with pytest.raises(UpstreamUnavailable) as streamed:
        await collect(upstream, request(stream=True), StreamTally())
    with pytest.raises(UpstreamUnavailable):
        await upstream.embeddings(request(operation=Operation.EMBEDDINGS))

    for caught in (plain, streamed):
        assert "cannot connect to upstream 'aoai'" in caught.value.message
        assert sim.config.api_keys[0] not in caught.value.message


async def test_unreachable_entra_fails_the_call_before_azure_is_called(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    settings = entra_settings(sim)
    auth = settings.auth.model_copy(
        update={"authority_host": f"https://127.0.0.1:{closed_port()}"}
    )
    upstream = adapter(settings.model_copy(update={"auth": auth}), session, clock)

    with pytest.raises(UpstreamUnavailable) as caught:
        await upstream.chat(request())

    assert caught.value.message.startswith("could not reach Entra for upstream 'aoai'")
    assert sim.requests == []


async def test_stream_without_done_is_a_truncated_stream_error(
    sim: AzureSimulator, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    events = case("STR-001")["input"]["upstream_sse"]
    sim.script(CHAT_DEPLOYMENT, "chat", SseReply(events[:3]))
    sim.script(CHAT_DEPLOYMENT, "chat", SseReply(events, abort_after=3))
    upstream = adapter(entra_settings(sim), session, clock)

    for _ in range(2):
        tally = StreamTally()
        with pytest.raises(UpstreamStreamError) as caught:
            await collect(upstream, request(stream=True), tally)
        assert caught.value.code == "upstream_stream_truncated"
        assert not tally.completed
        assert tally.response_id == "chatcmpl-AZ1"
