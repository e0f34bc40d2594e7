"""The simulator is only worth its verdicts if it refuses what AWS would refuse."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import boto3  # type: ignore[import-untyped]
import orjson
from botocore.config import Config
from botocore.credentials import Credentials, ReadOnlyCredentials

from bedrock.cases import adapter
from bedrock.conftest import ACCESS_KEY, SECRET_KEY
from bedrock.simulator import BedrockSimulator, Reply
from lockgate.upstreams.bedrock.signing import SigV4Signer

ANSWER = {
    "output": {"message": {"role": "assistant", "content": [{"text": "hi"}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
    "metrics": {"latencyMs": 1},
}
BODY = {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}


def _boto3_converse(base_url: str, model_id: str) -> dict[str, Any]:
    client = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=base_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )
    try:
        result: dict[str, Any] = client.converse(
            modelId=model_id, messages=[{"role": "user", "content": [{"text": "hi"}]}]
        )
    finally:
        client.close()
    return result


async def test_simulator_accepts_a_request_signed_by_boto3(
    simulator: BedrockSimulator,
) -> None:
    simulator.script(Reply(body=ANSWER))

    result = await asyncio.to_thread(
        _boto3_converse, simulator.base_url, "anthropic.claude-3:0"
    )

    assert simulator.rejections == []
    assert simulator.calls[0].path == "/model/anthropic.claude-3%3A0/converse"
    assert result["output"]["message"]["content"] == [{"text": "hi"}]


async def _post(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
    signed_body: bytes,
    sent_body: bytes,
) -> tuple[int, dict[str, Any], str]:
    url = f"{simulator.base_url}/model/m1/converse"
    signer = SigV4Signer(credentials, "us-east-1")
    headers = await signer.headers(
        url, signed_body, {"Content-Type": "application/json"}
    )
    async with session.post(url, data=sent_body, headers=headers) as response:
        return (
            response.status,
            await response.json(),
            response.headers["x-amzn-errortype"],
        )


async def test_simulator_refuses_a_body_changed_after_signing(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    signed = orjson.dumps(BODY)
    sent = signed.replace(b"hi", b"ho")

    status, body, error_type = await _post(
        simulator, session, credentials, signed, sent
    )

    assert status == 403
    assert error_type.startswith("InvalidSignatureException")
    assert body == {"message": "signature does not match the request"}


async def test_simulator_refuses_a_wrong_secret(
    simulator: BedrockSimulator, session: aiohttp.ClientSession
) -> None:
    wrong = Credentials(ACCESS_KEY, "not-the-secret")
    body = orjson.dumps(BODY)

    status, _, error_type = await _post(simulator, session, wrong, body, body)

    assert status == 403
    assert error_type.startswith("InvalidSignatureException")


async def test_simulator_refuses_a_body_outside_the_service_model(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    bad = {"messages": [{"role": "tool", "content": [{"text": "hi"}]}], "stop": ["x"]}
    body = orjson.dumps(bad)

    status, answer, error_type = await _post(
        simulator, session, credentials, body, body
    )

    assert status == 400
    assert error_type.startswith("ValidationException")
    assert 'Unknown parameter in input: "stop"' in answer["message"]
    assert (
        "Invalid value for parameter input.messages[0].role, value: 'tool'"
        in answer["message"]
    )


async def test_simulator_accepts_image_bytes_as_base64(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    image = {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}}
    body = orjson.dumps({"messages": [{"role": "user", "content": [image]}]})
    simulator.script(Reply(body=ANSWER))
    upstream = adapter(simulator, session, credentials)

    signer = SigV4Signer(credentials, "us-east-1")
    url = upstream.url_for("m1")
    headers = await signer.headers(url, body, {"Content-Type": "application/json"})
    async with session.post(url, data=body, headers=headers) as response:
        status = response.status

    assert simulator.rejections == []
    assert status == 200


def test_simulator_refuses_tool_ids_outside_the_service_pattern() -> None:
    simulator = BedrockSimulator(ReadOnlyCredentials(ACCESS_KEY, SECRET_KEY, None), "r")
    block = {"toolUse": {"toolUseId": "call 1/x", "name": "t", "input": {}}}
    body = orjson.dumps({"messages": [{"role": "assistant", "content": [block]}]})

    problem = simulator.body_problem("converse", "m", body)

    assert problem == (
        "Value at input.messages[0].content[0].toolUse.toolUseId failed to satisfy "
        "constraint: pattern [a-zA-Z0-9_.:-]+"
    )
