"""Bedrock's error answers and stream exception frames as lockgate errors.

Bedrock reports a failure either as a non-200 answer with a JSON ``message`` and an
``x-amzn-errortype`` header, or, once a ConverseStream has started, as an exception
frame inside the 200 stream. Both carry the upstream message and request id to the
caller so the failure can be traced with AWS support.
"""

from __future__ import annotations

from typing import Any

import orjson

from lockgate.errors import (
    LockgateError,
    UpstreamError,
    UpstreamMalformed,
    UpstreamRejected,
    UpstreamStreamError,
    UpstreamTimeout,
)

# Bedrock exception type (as in stream frames) → (status, code).
_TYPES: dict[str, tuple[int, str]] = {
    "validationException": (400, "upstream_validation_error"),
    "accessDeniedException": (403, "upstream_access_denied"),
    "resourceNotFoundException": (404, "upstream_model_not_found"),
    "throttlingException": (429, "upstream_throttled"),
    "serviceQuotaExceededException": (429, "upstream_quota_exceeded"),
    "modelErrorException": (424, "upstream_model_error"),
    "modelNotReadyException": (429, "upstream_model_not_ready"),
    "internalServerException": (500, "upstream_internal_error"),
    "serviceUnavailableException": (503, "upstream_service_unavailable"),
    "modelStreamErrorException": (502, "upstream_model_stream_error"),
    "modelTimeoutException": (504, "upstream_model_timeout"),
}
_REJECTIONS = {name.lower(): outcome for name, outcome in _TYPES.items()}

# Error code → the Bedrock exception type it stands for, e.g. for a span's
# ``error.type`` (STR-002 wants "validationException").
EXCEPTION_TYPES: dict[str, str] = {code: name for name, (_, code) in _TYPES.items()}


def exception_type(error: LockgateError) -> str | None:
    """The Bedrock exception type behind an error this adapter raised, if any."""
    return EXCEPTION_TYPES.get(error.code)


def _describe(kind: str, message: str, request_id: str | None) -> str:
    return (
        f"Bedrock answered {kind}: {message!r} (request id {request_id or 'unknown'}); "
        "see the upstream message for how to correct the call"
    )


def upstream_message(payload: bytes) -> str:
    """The ``message`` of a Bedrock error body, or a note that it had none."""
    try:
        body: Any = orjson.loads(payload) if payload else {}
    except orjson.JSONDecodeError:
        body = {}
    message = (
        body.get("message") or body.get("Message") if isinstance(body, dict) else None
    )
    return message if isinstance(message, str) else "(no message)"


def exception_error(
    exception_type: str, payload: bytes, request_id: str | None
) -> UpstreamError:
    """The error for an exception frame of a ConverseStream."""
    message = _describe(exception_type, upstream_message(payload), request_id)
    kind = exception_type.lower()

    if kind == "modelstreamerrorexception":
        return UpstreamStreamError(message, code="upstream_model_stream_error")
    if kind == "modeltimeoutexception":
        return UpstreamTimeout(message, code="upstream_model_timeout")
    status, code = _REJECTIONS.get(kind, (502, "upstream_error"))
    return UpstreamRejected(message, status=status, code=code)


def http_error(
    status: int, error_type: str | None, payload: bytes, request_id: str | None
) -> UpstreamRejected:
    """The error for a non-200 answer: the upstream status is passed through."""
    kind = (error_type or "").split(":")[0]
    message = _describe(kind or f"HTTP {status}", upstream_message(payload), request_id)
    _, code = _REJECTIONS.get(kind.lower(), (status, "upstream_rejected"))
    return UpstreamRejected(message, status=status, code=code)


def malformed_stop(stop_reason: str, request_id: str | None) -> UpstreamMalformed:
    """The error for the two stop reasons whose content cannot be used."""
    what = "a tool call" if stop_reason == "malformed_tool_use" else "output"
    code = (
        "upstream_malformed_tool_use"
        if stop_reason == "malformed_tool_use"
        else "upstream_malformed_output"
    )
    return UpstreamMalformed(
        f"Bedrock stopped with {stop_reason!r}: the model produced {what} that is not "
        f"valid (request id {request_id or 'unknown'}); retry the request or adjust "
        "the tools' schemas",
        code=code,
    )
