"""Every failure Bedrock or aiohttp can produce arrives as a lockgate error."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from botocore.credentials import Credentials

from bedrock.cases import adapter, chat_request, stream_reply
from bedrock.conftest import ACCESS_KEY, SECRET_KEY
from bedrock.simulator import BedrockSimulator, Reply
from lockgate.config.settings import BedrockUpstream
from lockgate.errors import (
    LockgateError,
    UnsupportedOperation,
    UpstreamError,
    UpstreamRejected,
    UpstreamStreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from lockgate.upstreams.base import Operation, StreamTally, UpstreamRequest
from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream
from lockgate.upstreams.bedrock.transport import mapped_errors

SETUP = {"model": {"alias": "claude", "upstream_model": "anthropic.claude-v2:1"}}
BODY = {"model": "claude", "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize(
    ("error_type", "status", "code"),
    [
        ("ThrottlingException", 429, "upstream_throttled"),
        ("ValidationException", 400, "upstream_validation_error"),
        ("AccessDeniedException", 403, "upstream_access_denied"),
        ("ResourceNotFoundException", 404, "upstream_model_not_found"),
        ("ServiceUnavailableException", 503, "upstream_service_unavailable"),
        ("InternalServerException", 500, "upstream_internal_error"),
    ],
)
async def test_http_error_keeps_upstream_status_message_and_request_id(
    error_type: str,
    status: int,
    code: str,
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    reply = Reply(
        status=status,
        body={"message": "upstream says no"},
        request_id="rid-err",
        headers={"x-amzn-errortype": f"{error_type}:http://internal.amazon.com/"},
    )
    simulator.script(reply, reply)
    upstream = adapter(simulator, session, credentials)

    with pytest.raises(UpstreamRejected) as plain:
        await upstream.chat(chat_request(SETUP, BODY))
    with pytest.raises(UpstreamRejected) as streamed:
        _ = [
            c
            async for c in upstream.chat_stream(
                chat_request(SETUP, BODY), StreamTally()
            )
        ]

    for error in (plain.value, streamed.value):
        assert (error.status, error.code) == (status, code)
        assert "'upstream says no'" in error.message
        assert "rid-err" in error.message
        assert error_type in error.message


@pytest.mark.parametrize(
    ("exception_type", "error_class", "status", "code"),
    [
        ("throttlingException", UpstreamRejected, 429, "upstream_throttled"),
        ("validationException", UpstreamRejected, 400, "upstream_validation_error"),
        ("internalServerException", UpstreamRejected, 500, "upstream_internal_error"),
        (
            "serviceUnavailableException",
            UpstreamRejected,
            503,
            "upstream_service_unavailable",
        ),
        (
            "modelStreamErrorException",
            UpstreamStreamError,
            502,
            "upstream_model_stream_error",
        ),
        ("modelTimeoutException", UpstreamTimeout, 504, "upstream_model_timeout"),
    ],
)
async def test_exception_frame_after_content_raises_its_mapped_error(
    exception_type: str,
    error_class: type[LockgateError],
    status: int,
    code: str,
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    frames = [
        {"event": "messageStart", "data": {"role": "assistant"}},
        {
            "event": "contentBlockDelta",
            "data": {"contentBlockIndex": 0, "delta": {"text": "a"}},
        },
        {"exception": exception_type, "data": {"message": "went wrong"}},
    ]
    simulator.script(stream_reply(frames, request_id="rid-frame"))
    upstream = adapter(simulator, session, credentials)
    chunks: list[dict[str, Any]] = []

    with pytest.raises(error_class) as info:
        async for chunk in upstream.chat_stream(
            chat_request(SETUP, BODY), StreamTally()
        ):
            chunks.append(chunk)

    assert [c["choices"][0]["delta"] for c in chunks] == [
        {"role": "assistant", "content": "a"}
    ]
    assert (info.value.status, info.value.code) == (status, code)
    assert "'went wrong'" in info.value.message
    assert "rid-frame" in info.value.message


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def _serve(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> tuple[asyncio.Server, str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    await reader.readexactly(length)


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.close()


async def _half_body(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    await _read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    writer.write(b'Content-Length: 100\r\n\r\n{"output":')
    await writer.drain()
    writer.close()


async def _never_answer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    await _read_request(reader)
    await asyncio.sleep(5)
    writer.close()


@pytest.fixture
async def fresh_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def test_refused_connection_is_upstream_unavailable(
    simulator: BedrockSimulator,
    fresh_session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    upstream = adapter(simulator, fresh_session, credentials, base_url=base)

    with pytest.raises(UpstreamUnavailable) as info:
        await upstream.chat(chat_request(SETUP, BODY))

    assert isinstance(info.value.__cause__, aiohttp.ClientConnectorError)
    assert "ClientConnectorError" in info.value.message


@pytest.mark.parametrize(
    ("handler", "error_class", "foreign"),
    [
        (_hang_up, UpstreamUnavailable, aiohttp.ServerDisconnectedError),
        (_half_body, UpstreamUnavailable, aiohttp.ClientPayloadError),
        (_never_answer, UpstreamTimeout, TimeoutError),
    ],
)
async def test_broken_answers_map_each_foreign_error(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
    error_class: type[UpstreamError],
    foreign: type[BaseException],
    simulator: BedrockSimulator,
    fresh_session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    server, base = await _serve(handler)
    upstream = adapter(simulator, fresh_session, credentials, base_url=base, read_s=0.5)
    try:
        with pytest.raises(error_class) as info:
            await upstream.chat(chat_request(SETUP, BODY))
    finally:
        server.close()
        await server.wait_closed()

    assert isinstance(info.value.__cause__, foreign)


@pytest.mark.parametrize(
    ("foreign", "streaming", "expected", "code"),
    [
        (
            aiohttp.ServerDisconnectedError(),
            False,
            UpstreamUnavailable,
            "upstream_unavailable",
        ),
        (
            aiohttp.ServerDisconnectedError(),
            True,
            UpstreamStreamError,
            "upstream_stream_truncated",
        ),
        (
            aiohttp.ClientPayloadError("cut"),
            False,
            UpstreamUnavailable,
            "upstream_unavailable",
        ),
        (
            aiohttp.ClientPayloadError("cut"),
            True,
            UpstreamStreamError,
            "upstream_stream_truncated",
        ),
        (aiohttp.ServerTimeoutError("slow"), True, UpstreamTimeout, "upstream_timeout"),
        (TimeoutError(), False, UpstreamTimeout, "upstream_timeout"),
        (
            aiohttp.ClientOSError(104, "reset"),
            False,
            UpstreamUnavailable,
            "upstream_unavailable",
        ),
        (aiohttp.InvalidURL("x"), False, UpstreamUnavailable, "upstream_unavailable"),
    ],
)
def test_mapped_errors_translates_each_aiohttp_error(
    foreign: BaseException,
    streaming: bool,
    expected: type[UpstreamError],
    code: str,
) -> None:
    with (
        pytest.raises(expected) as info,
        mapped_errors("u1", "h:1", streaming=streaming),
    ):
        raise foreign

    assert info.value.code == code
    assert info.value.__cause__ is foreign


async def test_embeddings_are_refused_with_a_clear_message(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    upstream = adapter(simulator, session, credentials)
    request = UpstreamRequest(
        operation=Operation.EMBEDDINGS,
        alias="titan",
        upstream_model="amazon.titan-embed-text-v2:0",
        body={"model": "titan", "input": "hello"},
    )

    with pytest.raises(UnsupportedOperation) as info:
        await upstream.embeddings(request)

    assert info.value.status == 400
    assert "'titan'" in info.value.message
    assert simulator.calls == []


def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _default_chain_upstream(
    simulator: BedrockSimulator, session: aiohttp.ClientSession
) -> BedrockConverseUpstream:
    settings = BedrockUpstream(
        kind="bedrock_converse",
        name="bedrock-chain",
        region="us-east-1",
        endpoint_url=simulator.base_url,
    )
    return BedrockConverseUpstream(settings, session)


async def test_default_chain_reads_environment_credentials(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _isolated_aws_env(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    simulator.script(
        Reply(
            body={
                "output": {
                    "message": {"role": "assistant", "content": [{"text": "ok"}]}
                },
                "stopReason": "end_turn",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
                "metrics": {"latencyMs": 1},
            }
        )
    )

    completion = await _default_chain_upstream(simulator, session).chat(
        chat_request(SETUP, BODY)
    )

    assert simulator.rejections == []
    assert completion.body["choices"][0]["message"]["content"] == "ok"


async def test_missing_credentials_fail_with_a_fix(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _isolated_aws_env(monkeypatch, tmp_path)

    with pytest.raises(UpstreamError) as info:
        await _default_chain_upstream(simulator, session).chat(
            chat_request(SETUP, BODY)
        )

    assert info.value.code == "upstream_credentials_missing"
    assert "the default chain" in info.value.message
    assert simulator.calls == []


async def test_unknown_profile_fails_with_a_credentials_error(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _isolated_aws_env(monkeypatch, tmp_path)
    settings = BedrockUpstream(
        kind="bedrock_converse",
        name="bedrock-profile",
        region="us-east-1",
        endpoint_url=simulator.base_url,
        profile="no-such-profile",
    )

    with pytest.raises(UpstreamError) as info:
        await BedrockConverseUpstream(settings, session).chat(chat_request(SETUP, BODY))

    assert info.value.code == "upstream_credentials_error"
    assert "ProfileNotFound" in info.value.message
    assert simulator.calls == []
