"""A faithful local stand-in for the bedrock-runtime Converse API.

It listens on 127.0.0.1 and, for every call:

1. recomputes the SigV4 signature with botocore from the method, the path exactly as
   received, the signed headers and the body, and answers 403
   ``InvalidSignatureException`` on any mismatch;
2. validates the JSON body against the Converse (or ConverseStream) input shape of
   botocore's bundled bedrock-runtime service model, answering 400
   ``ValidationException`` when it does not fit;
3. records the call and plays the next scripted reply: a JSON answer, an error, or
   a binary event stream that may end early, be cut, or go silent.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime
import hmac
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

import orjson
from aiohttp import web
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.model import OperationModel, Shape
from botocore.session import get_session
from botocore.validate import ParamValidator

from lockgate.eventstream import CONTENT_TYPE, encode_event, encode_exception

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})"
)
_PATH = re.compile(r"/model/(?P<model>[^/]+)/(?P<op>converse|converse-stream)")

Ending = Literal["complete", "eof", "abort", "silence"]


def event(event_type: str, data: dict[str, Any]) -> bytes:
    return encode_event(event_type, orjson.dumps(data))


def exception(exception_type: str, data: dict[str, Any]) -> bytes:
    return encode_exception(exception_type, orjson.dumps(data))


@dataclass
class Reply:
    """One scripted answer. ``frames`` makes it an event stream."""

    status: int = 200
    body: Any = None
    frames: list[bytes] | None = None
    ending: Ending = "complete"
    request_id: str = "sim-request-0001"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    hung_up: bool = False

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)


class BedrockSimulator:
    def __init__(self, credentials: ReadOnlyCredentials, region: str) -> None:
        self.credentials = credentials
        self.region = region
        self.calls: list[Call] = []
        self.rejections: list[str] = []
        self._replies: list[Reply] = []
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._model = get_session().get_service_model("bedrock-runtime")
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *replies: Reply) -> None:
        self._replies.extend(replies)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        call = Call(request.method, request.raw_path, dict(request.headers), body)
        self.calls.append(call)

        problem = self.signature_problem(call)
        if problem is not None:
            self.rejections.append(problem)
            return _error(403, "InvalidSignatureException", problem)

        match = _PATH.fullmatch(request.raw_path)
        if match is None:
            return _error(404, "UnknownOperationException", "unknown path")
        problem = self.body_problem(
            match.group("op"), unquote(match.group("model")), body
        )
        if problem is not None:
            self.rejections.append(problem)
            return _error(400, "ValidationException", problem)

        if not self._replies:
            return _error(500, "InternalServerException", "no scripted reply left")
        return await _play_reply(request, self._replies.pop(0), self._stopping, call)

    def signature_problem(self, call: Call) -> str | None:
        """What is wrong with the call's SigV4 signature, or None when it matches."""
        found = _AUTH.fullmatch(call.headers.get("Authorization", ""))
        if found is None:
            return "missing or unreadable Authorization header"
        if found["key"] != self.credentials.access_key:
            return f"unknown access key {found['key']}"
        if (found["region"], found["service"]) != (self.region, "bedrock"):
            return f"wrong scope {found['region']}/{found['service']}"
        if call.headers.get("X-Amz-Security-Token") != self.credentials.token:
            return "session token does not match"

        amz_date = call.headers.get("X-Amz-Date", "")
        if not _recent(amz_date) or amz_date[:8] != found["date"]:
            return f"X-Amz-Date {amz_date!r} is missing, stale or off scope"

        expected = self._signature(call, found["signed"].split(";"), amz_date)
        if not hmac.compare_digest(expected, found["signature"]):
            return "signature does not match the request"
        return None

    def _signature(self, call: Call, signed: list[str], amz_date: str) -> str:
        lowered = {name.lower(): value for name, value in call.headers.items()}
        headers = {name: lowered.get(name, "") for name in signed}
        url = f"http://{lowered.get('host', '')}{call.path}"
        request = AWSRequest(
            method=call.method, url=url, data=call.body, headers=headers
        )
        request.context["timestamp"] = amz_date

        auth = SigV4Auth(self.credentials, "bedrock", self.region)
        canonical = auth.canonical_request(request)
        return str(auth.signature(auth.string_to_sign(request, canonical), request))

    def body_problem(self, op: str, model_id: str, body: bytes) -> str | None:
        """Why the body does not fit the operation's input shape, or None."""
        name = "ConverseStream" if op == "converse-stream" else "Converse"
        operation: OperationModel = self._model.operation_model(name)
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError:
            return "body is not JSON"
        if not isinstance(params, dict):
            return "body is not a JSON object"

        params = _from_json(params, operation.input_shape)
        params["modelId"] = model_id
        report = ParamValidator().validate(params, operation.input_shape)
        problems = [report.generate_report()] if report.has_errors() else []
        # botocore's validator leaves enums, patterns and maximum lengths to the
        # service, so they are checked here.
        problems.extend(_constraint_problems(params, operation.input_shape, "input"))
        return "\n".join(problems) or None


def _from_json(value: Any, shape: Shape) -> Any:
    """JSON as botocore's validator expects Python values (blobs as bytes)."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        if shape.metadata.get("document"):
            return value
        members = shape.members
        return {
            key: _from_json(item, members[key]) if key in members else item
            for key, item in value.items()
        }
    if kind == "list" and isinstance(value, list):
        return [_from_json(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: _from_json(item, shape.value) for key, item in value.items()}
    if kind == "blob" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value
    return value


def _string_problems(value: str, shape: Shape, where: str) -> list[str]:
    enum = shape.enum
    pattern = shape.metadata.get("pattern")
    longest = shape.metadata.get("max")
    if enum and value not in enum:
        return [f"Invalid value for parameter {where}, value: {value!r}"]
    if pattern and re.fullmatch(pattern, value) is None:
        return [f"Value at {where} failed to satisfy constraint: pattern {pattern}"]
    if longest is not None and len(value) > longest:
        return [f"Value at {where} failed to satisfy constraint: length <= {longest}"]
    return []


def _constraint_problems(value: Any, shape: Shape, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "string" and isinstance(value, str):
        return _string_problems(value, shape, where)
    if kind == "structure" and isinstance(value, dict):
        if shape.metadata.get("document"):
            return []
        return [
            problem
            for key, item in value.items()
            if key in shape.members
            for problem in _constraint_problems(
                item, shape.members[key], f"{where}.{key}"
            )
        ]
    if kind == "list" and isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in _constraint_problems(item, shape.member, f"{where}[{index}]")
        ]
    return []


def _recent(amz_date: str) -> bool:
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    except ValueError:
        return False
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    return abs((now - when).total_seconds()) < 300


async def _until_stopped_or_hung_up(
    request: web.Request, stopping: asyncio.Event
) -> bool:
    """Wait (30 s at most) until the simulator stops or the client hangs up."""
    for _ in range(3000):
        transport = request.transport
        if transport is None or transport.is_closing():
            return True
        if stopping.is_set():
            return False
        await asyncio.sleep(0.01)
    return False


def _error(status: int, error_type: str, message: str) -> web.Response:
    return web.Response(
        status=status,
        body=orjson.dumps({"message": message}),
        headers={
            "Content-Type": "application/json",
            "x-amzn-errortype": f"{error_type}:http://internal.amazon.com/coral/",
            "x-amzn-requestid": "sim-rejected",
        },
    )


async def _play_reply(
    request: web.Request, reply: Reply, stopping: asyncio.Event, call: Call
) -> web.StreamResponse:
    headers = {"x-amzn-requestid": reply.request_id, **reply.headers}
    if reply.frames is None:
        headers.setdefault("Content-Type", "application/json")
        return web.Response(
            status=reply.status, body=orjson.dumps(reply.body), headers=headers
        )

    response = web.StreamResponse(
        status=reply.status, headers={"Content-Type": CONTENT_TYPE, **headers}
    )
    await response.prepare(request)
    for frame in reply.frames:
        await response.write(frame)
        await asyncio.sleep(0)
    return await _end(request, response, reply.ending, stopping, call)


async def _end(
    request: web.Request,
    response: web.StreamResponse,
    ending: Ending,
    stopping: asyncio.Event,
    call: Call,
) -> web.StreamResponse:
    if ending == "silence":
        call.hung_up = await _until_stopped_or_hung_up(request, stopping)
        return response
    if ending == "abort" and request.transport is not None:
        request.transport.close()
        return response
    await response.write_eof()
    return response
