"""The shared known-answer cases and helpers to build adapters against the simulator."""

from __future__ import annotations

from typing import Any

import aiohttp
import yaml
from botocore.credentials import Credentials

from bedrock.simulator import BedrockSimulator, Reply, event, exception
from lockgate.config.settings import BedrockUpstream
from lockgate.upstreams.base import Operation, UpstreamRequest
from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream
from shared_data import shared_dir

CREATED = 1767225600


def case(case_id: str) -> dict[str, Any]:
    path = shared_dir() / "cases" / "gateway-cases.yaml"
    with path.open(encoding="utf-8") as handle:
        for document in yaml.safe_load_all(handle):
            if document and document.get("id") == case_id:
                return dict(document)
    raise KeyError(case_id)


def adapter(
    simulator: BedrockSimulator,
    session: aiohttp.ClientSession,
    credentials: Credentials,
    *,
    region: str = "us-east-1",
    idle_s: float = 60.0,
    read_s: float = 10.0,
    base_url: str | None = None,
) -> BedrockConverseUpstream:
    simulator.region = region
    settings = BedrockUpstream(
        kind="bedrock_converse",
        name="bedrock-test",
        region=region,
        endpoint_url=base_url or simulator.base_url,
        timeouts={"connect_s": 5.0, "read_s": read_s, "idle_s": idle_s},
    )
    return BedrockConverseUpstream(
        settings, session, credentials, clock=lambda: float(CREATED)
    )


def chat_request(setup: dict[str, Any], body: dict[str, Any]) -> UpstreamRequest:
    model = setup["model"]
    return UpstreamRequest(
        operation=Operation.CHAT,
        alias=model["alias"],
        upstream_model=model["upstream_model"],
        body=body,
        stream=bool(body.get("stream")),
    )


PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def stream_reply(
    frames: list[dict[str, Any]], *, request_id: str = "sim-request-0001", **kw: Any
) -> Reply:
    """A streamed reply from a case's list of {event|exception, data} frames.

    Like Bedrock, every event payload carries a ``p`` field of padding characters
    that hides the length of the content; readers must ignore it.
    """
    encoded = [
        event(frame["event"], {**frame["data"], "p": PADDING[: 7 + index * 5 % 40]})
        if "event" in frame
        else exception(frame["exception"], frame["data"])
        for index, frame in enumerate(frames)
    ]
    return Reply(frames=encoded, request_id=request_id, **kw)
