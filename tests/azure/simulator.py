"""A loopback stand-in for Azure OpenAI and its Entra ID token endpoint.

One aiohttp server on 127.0.0.1 (https with a trustme CA by default) plays:

- Entra ID: ``POST /{tenant}/oauth2/v2.0/token`` for the client-credentials grant,
  with a client secret or a federated client assertion (workload identity), and the
  discovery document ``GET /{tenant}/v2.0/.well-known/openid-configuration``;
- an App Service managed-identity endpoint, ``GET /msi/token``;
- Azure OpenAI: ``POST /openai/deployments/{deployment}/chat/completions`` and
  ``/embeddings``, which check ``api-version`` against an allowed list, then the
  credential (a configured ``api-key``, or a bearer token this server issued and that
  has not expired), then the deployment, and answer with scripted JSON or SSE.

Every Azure OpenAI request and every token request is recorded. Error bodies follow
the shapes Azure and Entra use; their message texts are modelled on the services'
and marked as simulated where they are not quoted from a published case.

Use it through :func:`azure_simulator`::

    async with azure_simulator(SimulatorConfig(reject_api_key=True)) as sim:
        sim.script("gpt4o-prod-eu", "chat", SseReply(events))
        ... point the client at sim.endpoint / sim.authority, trusting sim.ssl_context()
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import socket
import ssl
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp
import orjson
import trustme
from aiohttp import web

Operation = Literal["chat", "embeddings"]

AUTH_DISABLED_BODY = {
    "error": {
        "code": "AuthenticationTypeDisabled",
        "message": "key auth disabled (simulated)",
    }
}
BAD_KEY_MESSAGE = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure "
    "to provide a valid key for an active subscription and use a correct regional "
    "API endpoint for your resource."
)
BAD_TOKEN_MESSAGE = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired."
)
DEPLOYMENT_NOT_FOUND_MESSAGE = (
    "The API deployment for this resource does not exist. If you created the "
    "deployment within the last 5 minutes, please wait a moment and try again."
)
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class FakeClock:
    """Seconds since the epoch that move only when a test says so."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(slots=True)
class JsonReply:
    """A JSON answer with a status."""

    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SseReply:
    """A server-sent-events answer.

    ``events`` lists each ``data:`` payload: a dict is sent as JSON, a string as it
    is (``"[DONE]"`` is the terminator, as in the cases file). Leave ``"[DONE]"`` out
    to end the stream early; set ``abort_after`` to drop the connection after that
    many events.
    """

    events: list[dict[str, Any] | str]
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    abort_after: int | None = None


Reply = JsonReply | SseReply


@dataclass(slots=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: Any


@dataclass(slots=True)
class SimulatorConfig:
    tenant_id: str = "00000000-0000-0000-0000-000000000001"
    client_id: str = "00000000-0000-0000-0000-000000000002"
    client_secret: str = "sim-client-secret-0000"
    federated_token: str = "sim-federated-token-0000"
    identity_header: str = "sim-identity-header-0000"
    scope: str = "https://cognitiveservices.azure.com/.default"
    api_keys: tuple[str, ...] = ("sim-api-key-0000",)
    reject_api_key: bool = False
    api_versions: tuple[str, ...] = ("2024-10-21", "2025-04-01-preview")
    deployments: tuple[str, ...] = ("gpt4o-prod-eu", "te3-small")
    token_lifetime_s: int = 3600
    token_refresh_in_s: int | None = None
    compress_token_responses: bool = False
    tls: bool = True


class AzureSimulator:
    """The running simulator; see the module docstring."""

    def __init__(
        self, config: SimulatorConfig, clock: Callable[[], float] | None = None
    ) -> None:
        self.config = config
        self.clock = clock or time.time
        self._time_travel = clock is not None
        self.requests: list[RecordedRequest] = []
        self.token_requests: list[RecordedRequest] = []
        self.issued_tokens: dict[str, float] = {}
        self.fail_token_requests = 0
        self.token_delay_s = 0.0
        self.ca = trustme.CA() if config.tls else None
        self.port = 0
        self._scripts: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self._request_ids = itertools.count(1)

    # -- what tests use ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        scheme = "https" if self.ca else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        """Use as the upstream's ``endpoint``."""
        return self.base_url

    @property
    def authority(self) -> str:
        """Use as ``auth.authority_host``."""
        return self.base_url

    @property
    def msi_endpoint(self) -> str:
        """Use as ``IDENTITY_ENDPOINT`` for App Service managed identity."""
        return f"{self.base_url}/msi/token"

    @property
    def token_endpoint_calls(self) -> int:
        return len(self.token_requests)

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this simulator's CA."""
        context = ssl.create_default_context()
        if self.ca is not None:
            self.ca.configure_trust(context)
        return context

    def client_session(self) -> aiohttp.ClientSession:
        """An aiohttp session that trusts this simulator; the caller closes it."""
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=self.ssl_context())
        )

    def script(self, deployment: str, operation: Operation, *replies: Reply) -> None:
        """Queue answers for the next calls; unscripted calls get a default answer."""
        self._scripts[(deployment, operation)].extend(replies)

    def expire_tokens(self) -> None:
        """Make every token issued so far expired, as if its hour had passed."""
        for token in self.issued_tokens:
            self.issued_tokens[token] = 0.0

    def upstream_requests(self, operation: Operation | None = None) -> list[Any]:
        suffix = {"chat": "/chat/completions", "embeddings": "/embeddings"}
        if operation is None:
            return list(self.requests)
        return [r for r in self.requests if r.path.endswith(suffix[operation])]

    # -- the server -------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get(
            "/{tenant}/v2.0/.well-known/openid-configuration", self._discovery
        )
        app.router.add_get("/msi/token", self._msi_token)
        app.router.add_post(
            "/openai/deployments/{deployment}/chat/completions", self._chat
        )
        app.router.add_post("/openai/deployments/{deployment}/embeddings", self._embed)
        return app

    def server_ssl_context(self) -> ssl.SSLContext | None:
        if self.ca is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        return context

    # -- Entra ------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append(_record(request, form))
        if self.token_delay_s:
            await asyncio.sleep(self.token_delay_s)
        if self.fail_token_requests > 0:
            self.fail_token_requests -= 1
            return _entra_error(503, "temporarily_unavailable", "AADSTS50196 simulated")

        problem = self._token_request_problem(request.match_info["tenant"], form)
        if problem is not None:
            return problem
        answer = web.json_response(self._issue())
        if self.config.compress_token_responses:
            answer.enable_compression(web.ContentCoding.gzip)
        return answer

    def _token_request_problem(
        self, tenant: str, form: dict[str, Any]
    ) -> web.Response | None:
        config = self.config
        if tenant != config.tenant_id:
            return _entra_error(
                400, "invalid_request", f"AADSTS90002: Tenant '{tenant}' not found."
            )
        if form.get("grant_type") != "client_credentials":
            return _entra_error(400, "unsupported_grant_type", "AADSTS70003")
        if form.get("client_id") != config.client_id:
            return _entra_error(
                400, "unauthorized_client", "AADSTS700016: Application not found."
            )
        if form.get("scope") != config.scope:
            return _entra_error(
                400, "invalid_scope", "AADSTS70011: The provided scope is invalid."
            )
        if not self._client_authenticated(form):
            return _entra_error(
                401, "invalid_client", "AADSTS7000215: Invalid client secret provided."
            )
        return None

    def _client_authenticated(self, form: dict[str, Any]) -> bool:
        if "client_secret" in form:
            return bool(form["client_secret"] == self.config.client_secret)
        return bool(
            form.get("client_assertion_type") == JWT_BEARER
            and form.get("client_assertion") == self.config.federated_token
        )

    def _issue(self) -> dict[str, Any]:
        token = f"sim-entra-{secrets.token_hex(12)}"
        lifetime = self.config.token_lifetime_s
        self.issued_tokens[token] = self.clock() + lifetime
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": token,
        }
        if self._time_travel:
            # Entra's v2 endpoint sends only expires_in, which azure-identity adds to
            # the real time. A test that moves its own clock needs the expiry on that
            # clock, so the simulator then also sends expires_on (as Entra's v1
            # endpoint does), which azure-identity prefers.
            answer["expires_on"] = int(self.issued_tokens[token])
        if self.config.token_refresh_in_s is not None:
            answer["refresh_in"] = self.config.token_refresh_in_s
        return answer

    async def _discovery(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        base = f"{self.base_url}/{tenant}"
        return web.json_response(
            {
                "issuer": f"{base}/v2.0",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_types_supported": ["code", "token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _msi_token(self, request: web.Request) -> web.Response:
        self.token_requests.append(_record(request, None))
        if request.headers.get("X-IDENTITY-HEADER") != self.config.identity_header:
            return web.json_response({"error": "invalid identity header"}, status=401)
        resource = self.config.scope.removesuffix("/.default")
        if request.query.get("resource") not in (resource, self.config.scope):
            return web.json_response({"error": "invalid resource"}, status=400)

        issued = self._issue()
        return web.json_response(
            {
                "access_token": issued["access_token"],
                "expires_on": str(int(self.issued_tokens[issued["access_token"]])),
                "resource": resource,
                "token_type": "Bearer",
            }
        )

    # -- Azure OpenAI -----------------------------------------------------------

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        return await self._inference(request, "chat")

    async def _embed(self, request: web.Request) -> web.StreamResponse:
        return await self._inference(request, "embeddings")

    async def _inference(
        self, request: web.Request, operation: Operation
    ) -> web.StreamResponse:
        raw = await request.read()
        body = orjson.loads(raw) if raw else None
        self.requests.append(_record(request, body))
        headers = {"apim-request-id": f"sim-req-{next(self._request_ids)}"}

        problem = self._inference_problem(request)
        if problem is not None:
            problem.headers.update(headers)
            return problem

        problem = _body_problem(request.query["api-version"], body)
        if problem is not None:
            return problem

        deployment = request.match_info["deployment"]
        reply = self._next_reply(deployment, operation, body)
        return await _send(request, reply, headers)

    def _inference_problem(self, request: web.Request) -> web.Response | None:
        version = request.query.get("api-version")
        if version is None:
            return _azure_error(
                400, "BadRequest", "Missing required query parameter 'api-version'."
            )
        if version not in self.config.api_versions:
            return _azure_error(400, "BadRequest", "API version not supported")

        problem = self._credential_problem(request)
        if problem is not None:
            return problem

        deployment = request.match_info["deployment"]
        if deployment not in self.config.deployments:
            return _azure_error(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND_MESSAGE)
        return None

    def _credential_problem(self, request: web.Request) -> web.Response | None:
        key = request.headers.get("api-key")
        if key is not None:
            if self.config.reject_api_key:
                return web.json_response(AUTH_DISABLED_BODY, status=403)
            if key in self.config.api_keys:
                return None
            return _azure_error(401, "401", BAD_KEY_MESSAGE)

        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        expiry = self.issued_tokens.get(token)
        if scheme.lower() != "bearer" or expiry is None or expiry <= self.clock():
            return _azure_error(401, "401", BAD_TOKEN_MESSAGE)
        return None

    def _next_reply(self, deployment: str, operation: Operation, body: Any) -> Reply:
        queue = self._scripts[(deployment, operation)]
        if queue:
            return queue.popleft()
        streaming = isinstance(body, dict) and body.get("stream") is True
        if operation == "embeddings":
            return JsonReply(default_embedding())
        return SseReply(default_stream()) if streaming else JsonReply(default_chat())


def default_chat() -> dict[str, Any]:
    return {
        "id": "chatcmpl-SIM",
        "object": "chat.completion",
        "created": 1767225600,
        "model": "gpt-4o-2024-11-20",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello!"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 8, "completion_tokens": 2, "total_tokens": 10},
    }


def default_stream() -> list[dict[str, Any] | str]:
    base = {
        "id": "chatcmpl-SIM",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": "gpt-4o-2024-11-20",
    }
    return [
        {
            **base,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": "Hi"},
                    "finish_reason": None,
                }
            ],
        },
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        "[DONE]",
    ]


def default_embedding() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.25, -0.5, 0.125]}],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }


def _record(request: web.Request, body: Any) -> RecordedRequest:
    return RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=body,
    )


def _body_problem(api_version: str, body: Any) -> web.Response | None:
    """Fields an older api-version does not know are refused, as Azure does."""
    if (
        isinstance(body, dict)
        and "stream_options" in body
        and api_version < "2024-09-01"
    ):
        error = {
            "message": "Unrecognized request argument supplied: stream_options",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
        return web.json_response({"error": error}, status=400)
    return None


def _azure_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message}}, status=status
    )


def _entra_error(status: int, error: str, description: str) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": description, "error_codes": []},
        status=status,
    )


async def _send(
    request: web.Request, reply: Reply, headers: dict[str, str]
) -> web.StreamResponse:
    if isinstance(reply, JsonReply):
        return web.json_response(
            reply.body, status=reply.status, headers={**headers, **reply.headers}
        )

    response = web.StreamResponse(
        headers={**headers, **reply.headers, "content-type": "text/event-stream"}
    )
    await response.prepare(request)
    for sent, event in enumerate(reply.events):
        if reply.abort_after is not None and sent >= reply.abort_after:
            assert request.transport is not None
            request.transport.close()
            return response
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        data = event.encode() if isinstance(event, str) else orjson.dumps(event)
        await response.write(b"data: " + data + b"\n\n")
    await response.write_eof()
    return response


@asynccontextmanager
async def azure_simulator(
    config: SimulatorConfig | None = None, clock: Callable[[], float] | None = None
) -> AsyncIterator[AzureSimulator]:
    """Start the simulator on a free loopback port; stop it on exit.

    ``clock`` (seconds since the epoch) lets a test move time: tokens are issued and
    checked for expiry on it. Without it the real time is used.
    """
    simulator = AzureSimulator(config or SimulatorConfig(), clock)
    runner = web.AppRunner(simulator.app(), access_log=None)
    await runner.setup()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    simulator.port = sock.getsockname()[1]
    site = web.SockSite(runner, sock, ssl_context=simulator.server_ssl_context())
    await site.start()
    try:
        yield simulator
    finally:
        await runner.cleanup()
