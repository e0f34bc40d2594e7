from __future__ import annotations

import aiohttp
import orjson
import pytest
from botocore.credentials import Credentials

from bedrock.cases import CREATED, adapter, case, chat_request
from bedrock.simulator import BedrockSimulator, Reply
from lockgate.config.settings import BedrockUpstream
from lockgate.errors import UpstreamMalformed
from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream
from lockgate.usage import Usage

TEMPLATE_CASE = "BDR-005"


async def test_bdr001_tool_results_merge_into_one_signed_user_turn(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("BDR-001")
    upstream = adapter(simulator, session, credentials)
    simulator.script(Reply(body=_answer("end_turn")))

    await upstream.chat(chat_request(known["setup"], known["input"]["request"]))

    (call,) = simulator.calls
    assert simulator.rejections == []
    assert call.path == known["expected"]["upstream_path"]
    assert call.json == known["expected"]["upstream_body"]
    assert call.headers["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIALOCKGATETESTONLY/"
    )
    assert "/us-east-1/bedrock/aws4_request" in call.headers["Authorization"]


def test_bdr002_url_encodes_the_model_id_colon(
    session: aiohttp.ClientSession, credentials: Credentials
) -> None:
    known = case("BDR-002")
    settings = BedrockUpstream(
        kind="bedrock_converse", name="bedrock-eu", region="eu-central-1"
    )

    upstream = BedrockConverseUpstream(settings, session, credentials)

    url = upstream.url_for(known["setup"]["model"]["upstream_model"])
    assert url == known["expected"]["upstream_url"]
    assert upstream.server_address == "bedrock-runtime.eu-central-1.amazonaws.com"
    assert upstream.server_port == 443
    assert upstream.provider_name == "aws.bedrock"


async def test_bdr002_tools_go_up_and_tool_calls_come_back(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("BDR-002")
    given, expected = known["input"], known["expected"]
    upstream = adapter(simulator, session, credentials, region="eu-central-1")
    request_id = given["upstream_response_headers"]["x-amzn-requestid"]
    simulator.script(Reply(body=given["upstream_response"], request_id=request_id))

    completion = await upstream.chat(chat_request(known["setup"], given["request"]))

    (call,) = simulator.calls
    assert simulator.rejections == []
    assert call.path == "/model/eu.anthropic.claude-sonnet-4-5-v1%3A0/converse"
    assert "/eu-central-1/bedrock/aws4_request" in call.headers["Authorization"]
    for key, value in expected["upstream_body_contains"].items():
        assert call.json[key] == value

    body = completion.body
    assert body["id"] == f"chatcmpl-{request_id}"
    assert body["model"] == "claude-sonnet"
    (choice,) = body["choices"]
    expected_choice = expected["response"]["choices"][0]
    assert choice["finish_reason"] == expected_choice["finish_reason"]
    assert choice["message"]["content"] is None
    (tool_call,) = choice["message"]["tool_calls"]
    (wanted,) = expected_choice["message"]["tool_calls"]
    assert tool_call["id"] == wanted["id"]
    assert tool_call["type"] == "function"
    assert tool_call["function"]["name"] == wanted["function"]["name"]
    arguments = orjson.loads(tool_call["function"]["arguments"])
    assert arguments == wanted["function"]["arguments_json"]
    assert body["usage"] == expected["response"]["usage"]

    assert completion.upstream_request_id == request_id
    assert completion.response_id == body["id"]
    assert completion.response_model is None
    assert completion.finish_reasons == ["tool_calls"]
    assert completion.raw_stop_reason == "tool_use"
    assert completion.usage == Usage(input_tokens=647, output_tokens=53)


async def test_bdr002_same_request_id_gives_same_response_id(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case("BDR-002")
    upstream = adapter(simulator, session, credentials, region="eu-central-1")
    reply = Reply(body=known["input"]["upstream_response"], request_id="rid-7")
    simulator.script(reply, reply)
    request = chat_request(known["setup"], known["input"]["request"])

    first = await upstream.chat(request)
    second = await upstream.chat(request)

    assert first.body["id"] == second.body["id"] == "chatcmpl-rid-7"
    assert first.body["created"] == CREATED


def _answer(stop_reason: str) -> dict[str, object]:
    template = case(TEMPLATE_CASE)["input"]["upstream_response_template"]
    return {**template, "stopReason": stop_reason}


MAPPED = [
    value
    for value, outcome in case(TEMPLATE_CASE)["expected"].items()
    if isinstance(outcome, dict) and outcome.get("status") == 200
]
FAILING = [
    value
    for value, outcome in case(TEMPLATE_CASE)["expected"].items()
    if isinstance(outcome, dict) and outcome.get("status") == 502
]


def test_bdr005_covers_all_nine_stop_reasons() -> None:
    values = case(TEMPLATE_CASE)["input"]["values"]
    assert sorted(MAPPED + FAILING) == sorted(values)
    assert len(values) == 9


@pytest.mark.parametrize("stop_reason", MAPPED)
async def test_bdr005_stop_reason_maps_to_finish_reason(
    stop_reason: str,
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case(TEMPLATE_CASE)
    upstream = adapter(simulator, session, credentials)
    simulator.script(Reply(body=_answer(stop_reason)))

    completion = await upstream.chat(
        chat_request(known["setup"], known["input"]["request"])
    )

    expected = known["expected"][stop_reason]["finish_reason"]
    assert completion.body["choices"][0]["finish_reason"] == expected
    assert completion.finish_reasons == [expected]
    assert completion.raw_stop_reason == stop_reason
    assert completion.body["choices"][0]["message"]["content"] == "x"


@pytest.mark.parametrize("stop_reason", FAILING)
async def test_bdr005_malformed_stop_reason_is_an_upstream_error(
    stop_reason: str,
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
) -> None:
    known = case(TEMPLATE_CASE)
    upstream = adapter(simulator, session, credentials)
    simulator.script(Reply(body=_answer(stop_reason), request_id="rid-bad"))

    with pytest.raises(UpstreamMalformed) as info:
        await upstream.chat(chat_request(known["setup"], known["input"]["request"]))

    assert info.value.status == known["expected"][stop_reason]["status"]
    assert info.value.code == known["expected"][stop_reason]["error.code"]
    assert "rid-bad" in info.value.message
