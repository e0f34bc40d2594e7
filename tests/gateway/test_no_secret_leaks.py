"""Keys, tokens, prompts and completions never reach a log line or an error body."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import orjson
import pytest

from support.gateway_runner import running_gateway, settings_for
from support.openai_upstream import Reply, scripted_upstream
from support.ports import free_port

UPSTREAM_KEY = "sk-planted-upstream-key-7f3a"
CALLER_TOKEN = "caller-planted-token-91bc"
PROMPT = "planted-prompt-text-5d2e"
COMPLETION = "planted-completion-text-e8a1"


async def test_planted_secrets_appear_in_no_log_line_or_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dead = f"http://127.0.0.1:{free_port()}/v1"
    async with scripted_upstream() as upstream:
        upstream.queue(
            Reply(
                json={
                    "id": "c1",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"content": COMPLETION},
                            "finish_reason": "stop",
                        }
                    ],
                }
            ),
            Reply(status=400, json={"error": {"message": "bad request"}}),
        )
        settings = settings_for(
            tmp_path,
            upstreams=[
                {
                    "name": "vllm",
                    "kind": "openai_compatible",
                    "base_url": upstream.url,
                    "api_key": UPSTREAM_KEY,
                },
                {"name": "gone", "kind": "openai_compatible", "base_url": dead},
            ],
            models=[
                {"alias": "m", "upstream": "vllm", "upstream_model": "m"},
                {"alias": "down", "upstream": "gone", "upstream_model": "m"},
            ],
            access_log=True,
        )
        bodies = []
        async with (
            running_gateway(settings) as gateway,
            aiohttp.ClientSession() as http,
        ):
            for model, extra in [
                ("m", {}),
                ("m", {}),
                ("down", {}),
                ("m", {"api_key": UPSTREAM_KEY}),
            ]:
                body = {
                    "model": model,
                    "messages": [{"role": "user", "content": PROMPT}],
                    **extra,
                }
                async with http.post(
                    gateway.url + "/v1/chat/completions",
                    data=orjson.dumps(body),
                    headers={
                        "content-type": "application/json",
                        "authorization": f"Bearer {CALLER_TOKEN}",
                    },
                ) as response:
                    bodies.append((response.status, await response.text()))

    assert [status for status, _ in bodies] == [200, 400, 502, 400]
    assert upstream.calls[0].headers["Authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert CALLER_TOKEN not in str(upstream.calls[0].headers)
    error_bodies = " ".join(text for status, text in bodies if status != 200)
    logged = caplog.text
    access_lines = [
        r.getMessage() for r in caplog.records if r.name == "lockgate.gateway.app"
    ]
    assert [line.split()[:3] for line in access_lines] == [
        ["POST", "'/v1/chat/completions'", status]
        for status in ("200", "400", "502", "400")
    ]
    for secret in (UPSTREAM_KEY, CALLER_TOKEN, PROMPT, COMPLETION):
        assert secret not in logged
        assert secret not in error_bodies
