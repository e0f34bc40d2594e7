"""Adversarial: a caller's bad request gets a 4xx naming what is wrong, never a 500.

Also: an upstream's error text must not carry the upstream's own credential back
to the caller, and the access log must stay one line per request whatever the
path holds.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from support.gateway_runner import RunningGateway, running_gateway, settings_for
from support.openai_upstream import Reply, ScriptedUpstream

UPSTREAM_KEY = "sk-adversarial-upstream-key-4c1d"


@pytest.fixture
async def gateway(
    tmp_path: Path, upstream: ScriptedUpstream
) -> AsyncIterator[RunningGateway]:
    settings = settings_for(
        tmp_path,
        upstreams=[
            {
                "name": "vllm",
                "kind": "openai_compatible",
                "base_url": upstream.url,
                "api_key": UPSTREAM_KEY,
            }
        ],
        models=[{"alias": "m", "upstream": "vllm", "upstream_model": "m"}],
        access_log=True,
    )
    async with running_gateway(settings) as running:
        yield running


async def send(
    gateway: RunningGateway, method: str, path: str, body: Any = None
) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method,
            gateway.url + path,
            data=body
            if body is None or isinstance(body, bytes)
            else orjson.dumps(body),
            headers={"content-type": "application/json"},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as response,
    ):
        return response.status, orjson.loads(await response.read())


def chat(**extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}


async def test_stream_options_that_is_not_an_object_is_refused_naming_it(
    gateway: RunningGateway,
) -> None:
    status, body = await send(
        gateway, "POST", "/v1/chat/completions", chat(stream=True, stream_options="x")
    )

    assert status == 400
    assert body["error"]["param"] == "stream_options"
    assert "stream_options" in body["error"]["message"]


async def test_a_deeply_nested_but_small_body_is_a_client_error(
    gateway: RunningGateway,
) -> None:
    nested = b'{"a":' * 300 + b"{}" + b"}" * 300
    raw = orjson.dumps(chat())[:-1] + b',"metadata":' + nested + b"}"

    status, body = await send(gateway, "POST", "/v1/chat/completions", raw)

    assert status == 400
    assert body["error"]["type"] == "invalid_request_error"


async def test_get_on_an_unknown_path_is_not_found_rather_than_use_post(
    gateway: RunningGateway,
) -> None:
    status, body = await send(gateway, "GET", "/v1/chat/completion")

    assert status == 404
    assert body["error"]["code"] == "unknown_route"


async def test_an_upstream_error_that_echoes_its_key_does_not_reach_the_caller(
    gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    echoed = {"error": {"message": f"Incorrect API key provided: {UPSTREAM_KEY}"}}
    upstream.queue(Reply(status=401, json=echoed))

    status, body = await send(gateway, "POST", "/v1/chat/completions", chat())

    assert status >= 400
    assert UPSTREAM_KEY not in orjson.dumps(body).decode()


async def test_a_path_with_a_newline_cannot_forge_an_access_log_line(
    gateway: RunningGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lockgate.gateway.app")

    await send(gateway, "POST", "/x%0aFORGED%20200", chat())

    lines = [r.getMessage() for r in caplog.records if r.name == "lockgate.gateway.app"]
    assert lines
    assert all("\n" not in line for line in lines)
