"""The one error tree of lockgate.

Every failure lockgate reports is one of these classes. Each class knows its HTTP
status, its CLI exit code and how to render itself in each inbound wire format, so a
route never builds an error body by hand::

    LockgateError                      500  exit 1
    ├── ConfigError                         exit 2   settings file or value is wrong
    ├── UsageError                          exit 2   command line is wrong
    ├── RequestError                   400           caller sent something unusable
    │   ├── MalformedBody              400
    │   ├── ForbiddenField             400           a field tries to pick a destination
    │   ├── MissingApiVersion          400
    │   ├── UnsupportedApiVersion      400
    │   ├── UnsupportedMediaType       415
    │   ├── BodyTooLarge               413
    │   └── MethodNotAllowed           405
    ├── AuthenticationError            401
    ├── NotFound                       404
    │   ├── UnknownRoute               404
    │   ├── UnknownModel               404
    │   └── UnknownDeployment          404
    ├── UnsupportedOperation           400           model cannot do what was asked
    └── UpstreamError                  502           the upstream failed us
        ├── UpstreamUnavailable        502           refused, reset, DNS failure
        ├── UpstreamTimeout            504           connect, read or stream idle
        ├── UpstreamRejected           (upstream's)  the upstream answered 4xx/5xx
        ├── UpstreamMalformed          502           upstream sent something unreadable
        └── UpstreamStreamError        502           a stream broke after it started

Foreign errors (aiohttp, botocore, azure-identity, pydantic) are mapped into this tree
at the edge that calls the library; nothing outside an adapter ever sees them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

import orjson


class WireFormat(StrEnum):
    """The API shape a caller speaks; errors are rendered in it."""

    OPENAI = "openai"
    AZURE = "azure"
    BEDROCK = "bedrock"


class LockgateError(Exception):
    """Root of every error lockgate raises on purpose.

    ``message`` is shown to the caller, so it must never contain a prompt, a
    completion, a token or a key. It says what failed, quotes the offending value and
    says how to fix it.
    """

    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "internal_error"
    openai_type: ClassVar[str] = "server_error"
    bedrock_type: ClassVar[str] = "InternalServerException"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.headers = headers or {}
        if code is not None:
            self.code = code  # type: ignore[misc]
        if status is not None:
            self.status = status  # type: ignore[misc]

    @property
    def azure_code(self) -> str:
        """The ``error.code`` an Azure OpenAI client sees."""
        return self.code

    def to_body(self, wire: WireFormat) -> dict[str, Any]:
        """The error object in the caller's own wire format."""
        if wire is WireFormat.BEDROCK:
            return {"message": self.message}
        if wire is WireFormat.AZURE:
            return {"error": {"code": self.azure_code, "message": self.message}}
        return {
            "error": {
                "message": self.message,
                "type": self.openai_type,
                "param": self.param,
                "code": self.code,
            }
        }

    def render(self, wire: WireFormat) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of the HTTP response for this error."""
        headers = {"content-type": "application/json", **self.headers}
        if wire is WireFormat.BEDROCK:
            headers["x-amzn-errortype"] = self.bedrock_type
        return self.status, headers, orjson.dumps(self.to_body(wire))


class ConfigError(LockgateError):
    """The settings file or a setting's value is wrong; start-up stops."""

    exit_code = 2
    code = "config_error"


class UsageError(LockgateError):
    """The command line is wrong."""

    exit_code = 2
    code = "usage_error"


class RequestError(LockgateError):
    status = 400
    code = "invalid_request"
    openai_type = "invalid_request_error"
    bedrock_type = "ValidationException"


class MalformedBody(RequestError):
    code = "malformed_body"


class ForbiddenField(RequestError):
    code = "forbidden_field"


class MissingApiVersion(RequestError):
    code = "missing_api_version"


class UnsupportedApiVersion(RequestError):
    code = "unsupported_api_version"


class UnsupportedMediaType(RequestError):
    status = 415
    code = "unsupported_media_type"


class BodyTooLarge(RequestError):
    status = 413
    code = "body_too_large"


class MethodNotAllowed(RequestError):
    status = 405
    code = "method_not_allowed"


class AuthenticationError(LockgateError):
    status = 401
    code = "invalid_credentials"
    openai_type = "authentication_error"
    bedrock_type = "AccessDeniedException"


class NotFound(LockgateError):
    status = 404
    code = "not_found"
    openai_type = "invalid_request_error"
    bedrock_type = "ResourceNotFoundException"


class UnknownRoute(NotFound):
    code = "unknown_route"


class UnknownModel(NotFound):
    code = "model_not_found"


class UnknownDeployment(NotFound):
    code = "DeploymentNotFound"


class UnsupportedOperation(RequestError):
    code = "unsupported_operation"


class UpstreamError(LockgateError):
    status = 502
    code = "upstream_error"
    openai_type = "upstream_error"
    bedrock_type = "ServiceUnavailableException"


class UpstreamUnavailable(UpstreamError):
    code = "upstream_unavailable"


class UpstreamTimeout(UpstreamError):
    status = 504
    code = "upstream_timeout"
    bedrock_type = "ModelTimeoutException"


class UpstreamRejected(UpstreamError):
    """The upstream answered with an error status; we pass its status through."""

    code = "upstream_rejected"
    bedrock_type = "ValidationException"

    _BEDROCK_TYPES: ClassVar[dict[int, str]] = {
        400: "ValidationException",
        403: "AccessDeniedException",
        404: "ResourceNotFoundException",
        408: "ModelTimeoutException",
        424: "ModelErrorException",
        429: "ThrottlingException",
        503: "ServiceUnavailableException",
    }

    def render(self, wire: WireFormat) -> tuple[int, dict[str, str], bytes]:
        self.bedrock_type = self._BEDROCK_TYPES.get(  # type: ignore[misc]
            self.status, "InternalServerException"
        )
        return super().render(wire)

    @property
    def openai_type(self) -> str:  # type: ignore[override]
        return "invalid_request_error" if 400 <= self.status < 500 else "upstream_error"


class UpstreamMalformed(UpstreamError):
    code = "upstream_malformed_response"


class UpstreamStreamError(UpstreamError):
    """A stream failed after it had started: truncated, reset or an error frame."""

    code = "upstream_stream_error"
    bedrock_type = "ModelStreamErrorException"


INTERNAL_ERROR = LockgateError(
    "lockgate failed to handle this request; the gateway's log has the details"
)
