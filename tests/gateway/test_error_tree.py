"""The error tree: each class renders in each wire format; foreign errors map in."""

from __future__ import annotations

import aiohttp
import orjson
import pytest
from aiohttp.client_reqrep import ConnectionKey

import lockgate.errors as errors
from lockgate.config.settings import TimeoutSettings
from lockgate.errors import LockgateError, WireFormat
from lockgate.upstreams.openai_wire import OpenAIWire


def all_error_classes() -> list[type[LockgateError]]:
    found: list[type[LockgateError]] = []
    pending: list[type[LockgateError]] = [LockgateError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [c for c in found if c.__module__ == errors.__name__]


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda c: c.__name__)
def test_every_error_renders_in_each_wire_format(cls: type[LockgateError]) -> None:
    error = cls("what failed; how to fix it", param="model")

    status, headers, body = error.render(WireFormat.OPENAI)
    openai_error = orjson.loads(body)["error"]
    assert status == error.status
    assert openai_error == {
        "message": "what failed; how to fix it",
        "type": error.openai_type,
        "param": "model",
        "code": error.code,
    }

    status, headers, body = error.render(WireFormat.AZURE)
    assert orjson.loads(body) == {
        "error": {"code": error.azure_code, "message": "what failed; how to fix it"}
    }

    status, headers, body = error.render(WireFormat.BEDROCK)
    assert orjson.loads(body) == {"message": "what failed; how to fix it"}
    assert headers["x-amzn-errortype"].endswith("Exception")


def test_every_error_class_is_drawn_in_the_module_docstring() -> None:
    doc = errors.__doc__ or ""

    missing = [c.__name__ for c in all_error_classes() if c.__name__ not in doc]

    assert missing == []


def test_upstream_rejection_keeps_the_upstream_status_in_bedrock_terms() -> None:
    throttled = errors.UpstreamRejected("slow down", status=429)

    status, headers, _ = throttled.render(WireFormat.BEDROCK)

    assert status == 429
    assert headers["x-amzn-errortype"] == "ThrottlingException"
    assert throttled.openai_type == "invalid_request_error"


def wire() -> OpenAIWire:
    return OpenAIWire(
        None,  # type: ignore[arg-type]  # mapping needs no session
        upstream="vllm",
        timeouts=TimeoutSettings(),
    )


KEY = ConnectionKey("vllm.internal", 8000, False, True, None, None, None)


@pytest.mark.parametrize(
    ("foreign", "mapped", "code"),
    [
        (
            aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused")),
            errors.UpstreamUnavailable,
            "upstream_unavailable",
        ),
        (
            aiohttp.ServerTimeoutError("read"),
            errors.UpstreamTimeout,
            "upstream_timeout",
        ),
        (TimeoutError(), errors.UpstreamTimeout, "upstream_timeout"),
        (
            aiohttp.ClientPayloadError("cut"),
            errors.UpstreamStreamError,
            "upstream_stream_truncated",
        ),
        (
            aiohttp.ServerDisconnectedError(),
            errors.UpstreamStreamError,
            "upstream_stream_truncated",
        ),
        (aiohttp.ClientOSError(), errors.UpstreamUnavailable, "upstream_unavailable"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else None,
)
def test_every_aiohttp_failure_maps_into_the_error_tree(
    foreign: BaseException, mapped: type[LockgateError], code: str
) -> None:
    error = wire()._map(foreign, streaming=True)

    assert type(error) is mapped
    assert error.code == code
    assert "'vllm'" in error.message
