"""The Bedrock adapter and edge behind the real gateway (uvicorn + the ASGI app).

The gateway's own pipeline, ledger and routes are the lead's; these tests prove the
Bedrock pieces plug into them: boto3 in, Converse out, and the known cases through
the OpenAI route.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from bedrock.cases import case, stream_reply
from bedrock.conftest import ACCESS_KEY, SECRET_KEY
from bedrock.edge_server import boto3_client
from bedrock.simulator import BedrockSimulator, Reply
from lockgate.config.settings import Settings
from support.gateway_runner import running_gateway, settings_for


@pytest.fixture
def aws_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The simulator's credentials in the environment, found by botocore's real chain.

    Shared config files are pointed at nothing and instance metadata is off, so the
    chain stops at the environment and never looks anywhere else.
    """
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-creds"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _settings(tmp_path: Path, sim: BedrockSimulator, known: dict[str, Any]) -> Settings:
    model = known["setup"]["model"]
    upstream = {
        "name": "bedrock",
        "kind": "bedrock_converse",
        "region": "us-east-1",
        "endpoint_url": sim.base_url,
    }
    return settings_for(tmp_path, [upstream], [{**model, "upstream": "bedrock"}])


def _in_thread(port: int, call: Callable[[Any], Any]) -> Any:
    client = boto3_client(port)
    try:
        return call(client)
    finally:
        client.close()


async def test_boto3_converse_through_the_gateway_reaches_bedrock_signed(
    tmp_path: Path, simulator: BedrockSimulator, aws_environment: None
) -> None:
    known = case("BDR-002")
    simulator.script(Reply(body=known["input"]["upstream_response"]))
    settings = _settings(tmp_path, simulator, known)

    async with running_gateway(settings) as gateway:
        port = int(gateway.url.rsplit(":", 1)[1])
        result = await asyncio.to_thread(
            _in_thread,
            port,
            lambda client: client.converse(
                modelId="claude-sonnet",
                messages=[{"role": "user", "content": [{"text": "run ls"}]}],
                inferenceConfig={"maxTokens": 300},
                toolConfig=known["expected"]["upstream_body_contains"]["toolConfig"],
            ),
        )

    assert simulator.rejections == []
    (call,) = simulator.calls
    assert call.path == "/model/eu.anthropic.claude-sonnet-4-5-v1%3A0/converse"
    for key, value in known["expected"]["upstream_body_contains"].items():
        assert call.json[key] == value
    assert result["output"] == known["input"]["upstream_response"]["output"]
    assert result["stopReason"] == "tool_use"
    assert result["usage"] == known["input"]["upstream_response"]["usage"]


async def test_boto3_converse_stream_through_the_gateway_keeps_str009_frames(
    tmp_path: Path, simulator: BedrockSimulator, aws_environment: None
) -> None:
    known = case("STR-009")
    frames = known["input"]["upstream_eventstream"]
    simulator.script(stream_reply(frames))
    settings = _settings(tmp_path, simulator, known)

    def converse_stream(client: Any) -> list[dict[str, Any]]:
        stream = client.converse_stream(
            modelId="claude-sonnet",
            messages=[
                {"role": "user", "content": [{"text": "Weather in Paris and Rome?"}]}
            ],
        )["stream"]
        try:
            return list(stream)
        finally:
            stream.close()

    async with running_gateway(settings) as gateway:
        port = int(gateway.url.rsplit(":", 1)[1])
        events = await asyncio.to_thread(_in_thread, port, converse_stream)

    assert simulator.rejections == []
    expected = [{frame["event"]: frame["data"]} for frame in frames[:-1]]
    assert events[:-1] == expected
    assert events[-1]["metadata"]["usage"] == frames[-1]["data"]["usage"]


async def test_str009_through_the_openai_route(
    tmp_path: Path, simulator: BedrockSimulator, aws_environment: None
) -> None:
    known = case("STR-009")
    simulator.script(stream_reply(known["input"]["upstream_eventstream"]))
    settings = _settings(tmp_path, simulator, known)

    async with (
        running_gateway(settings) as gateway,
        aiohttp.ClientSession() as client,
    ):
        response = await client.post(
            f"{gateway.url}/v1/chat/completions", json=known["input"]["request"]
        )
        raw = await response.text()
        (record,) = gateway.ledger()

    data = [line[6:] for line in raw.splitlines() if line.startswith("data: ")]
    assert (record["input_tokens"], record["output_tokens"]) == (412, 61)
    assert (record["outcome"], record["usage_estimated"]) == ("ok", 0)
    assert response.status == 200
    assert data[-1] == "[DONE]"
    chunks = [orjson.loads(item) for item in data[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert len({chunk["id"] for chunk in chunks}) == 1
    usage_chunks = [chunk for chunk in chunks if chunk.get("usage")]
    assert [c["usage"] for c in usage_chunks] == [
        known["expected"]["usage_chunk"]["usage"]
    ]
    finishing = [
        c["choices"][0]["finish_reason"]
        for c in chunks
        if c["choices"] and c["choices"][0]["finish_reason"]
    ]
    assert finishing == ["tool_calls"]


async def test_str002_through_the_openai_route_is_a_plain_400(
    tmp_path: Path, simulator: BedrockSimulator, aws_environment: None
) -> None:
    known = case("STR-002")
    given, expected = known["input"], known["expected"]
    request_id = given["upstream_headers"]["x-amzn-requestid"]
    simulator.script(stream_reply(given["upstream_eventstream"], request_id=request_id))
    settings = _settings(tmp_path, simulator, known)

    async with (
        running_gateway(settings) as gateway,
        aiohttp.ClientSession() as client,
    ):
        response = await client.post(
            f"{gateway.url}/v1/chat/completions", json=given["request"]
        )
        body = await response.json()
        [record] = gateway.ledger()

    assert record["outcome"] == expected["ledger"]["outcome"]
    assert (record["input_tokens"], record["output_tokens"]) == (0, 0)
    assert response.status == expected["status"]
    assert response.headers["content-type"].startswith(expected["content_type"])
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["code"] == "upstream_validation_error"
    assert request_id in body["error"]["message"]
    assert (
        given["upstream_eventstream"][0]["data"]["message"] in body["error"]["message"]
    )


async def test_str004_through_the_openai_route_ends_with_the_truncation_error(
    tmp_path: Path, simulator: BedrockSimulator, aws_environment: None
) -> None:
    known = case("STR-004")
    simulator.script(stream_reply(known["input"]["upstream_eventstream"], ending="eof"))
    settings = _settings(tmp_path, simulator, known)

    async with (
        running_gateway(settings) as gateway,
        aiohttp.ClientSession() as client,
    ):
        response = await client.post(
            f"{gateway.url}/v1/chat/completions", json=known["input"]["request"]
        )
        raw = await response.text()
        (record,) = gateway.ledger()

    ledger = known["expected"]["ledger"]
    assert record["outcome"] == ledger["outcome"]
    assert record["usage_estimated"] == int(ledger["usage_estimated"])
    assert record["input_tokens"] > 0
    assert record["output_tokens"] > 0
    data = [line[6:] for line in raw.splitlines() if line.startswith("data: ")]
    items = [orjson.loads(item) for item in data if item != "[DONE]"]
    assert response.status == 200
    assert "[DONE]" not in data
    assert items[0]["choices"][0]["delta"]["role"] == "assistant"
    last = items[-1]["error"]
    assert (last["type"], last["code"]) == (
        "upstream_error",
        "upstream_stream_truncated",
    )
    assert not [
        i for i in items[:-1] if i.get("usage") or i["choices"][0]["finish_reason"]
    ]
