"""The typed settings of lockgate, validated from ``lockgate.yaml``.

Every field carries a description; ``docs/configuration.md`` is generated from these
models and a test fails when the two disagree. Secrets are ``SecretStr`` so that
printing a settings object never shows them.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)

API_VERSION_PATTERN = r"^\d{4}-\d{2}-\d{2}(-preview)?$"

Operation = Literal["chat", "embeddings"]


def _chat_only() -> list[Operation]:
    return ["chat"]


def _http_url(value: str) -> str:
    """An http or https URL with a host, or a ValueError that shows how to write one."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"'{value[:80]}' is not an http or https URL; write it like "
            "https://host.example:8443/v1"
        )
    return value


def _existing_file(value: Path) -> Path:
    if not value.is_file():
        raise ValueError(f"'{value}' is not a readable file; check the path")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
ExistingFile = Annotated[Path, AfterValidator(_existing_file)]


class _Strict(BaseModel):
    """Unknown keys are an error everywhere in the settings file."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TlsSettings(_Strict):
    cert_file: ExistingFile = Field(
        description="PEM certificate chain lockgate serves."
    )
    key_file: ExistingFile = Field(description="PEM private key of that certificate.")


class ServerSettings(_Strict):
    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8080, ge=0, le=65535, description="TCP port to listen on.")
    tls: TlsSettings | None = Field(
        None,
        description="Serve HTTPS with this certificate. Needed by AWS SDK clients "
        "that send a bearer token, which they refuse to send over plain HTTP.",
    )
    auth: Literal["none"] = Field(
        description="How callers authenticate. 'none' is accepted only when 'host' "
        "is a loopback address.",
    )
    max_body_bytes: int = Field(
        4 * 1024 * 1024, gt=0, description="Largest request body accepted, in bytes."
    )
    ledger_path: Path = Field(
        Path("lockgate-ledger.sqlite3"),
        description="SQLite file where each call's usage record is kept.",
    )
    max_concurrent_connections: int = Field(
        1024,
        gt=0,
        description="Connections served at once; more are answered 503 at once, so a "
        "flood of slow clients cannot exhaust the gateway.",
    )
    access_log: bool = Field(
        False, description="Log one INFO line per request (method, path, status)."
    )

    @field_validator("host")
    @classmethod
    def _host_is_an_address(cls, value: str) -> str:
        if value == "localhost":
            return value
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueError(
                f"'{value[:80]}' is not an IP address; listen on an address such as "
                "127.0.0.1 or 0.0.0.0"
            ) from None
        return value

    def is_loopback(self) -> bool:
        return self.host == "localhost" or ipaddress.ip_address(self.host).is_loopback


class TimeoutSettings(_Strict):
    connect_s: float = Field(10.0, gt=0, description="Time to open a connection.")
    read_s: float = Field(
        300.0, gt=0, description="Time to wait for a whole non-streamed answer."
    )
    idle_s: float = Field(
        60.0,
        gt=0,
        description="Longest silence allowed between two pieces of a stream; past it "
        "the stream ends with an error.",
    )


class _UpstreamBase(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Name models refer to.")
    timeouts: TimeoutSettings = Field(
        default_factory=TimeoutSettings, description="Connection and stream timeouts."
    )
    max_connections: int = Field(
        256, gt=0, description="Largest number of open connections to this upstream."
    )


class OpenAICompatibleUpstream(_UpstreamBase):
    kind: Literal["openai_compatible"] = Field(
        description="An OpenAI-compatible server: vLLM, llama.cpp, Ollama and others."
    )
    base_url: HttpUrl = Field(
        description="Base URL including the version path, e.g. http://host:8000/v1."
    )
    api_key: SecretStr | None = Field(
        None, description="Sent as 'Authorization: Bearer'; use ${ENV} or ${file:}."
    )
    headers: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Extra headers sent with every request; their values are "
        "treated as secrets and never shown.",
    )
    honours_include_usage: bool = Field(
        True,
        description="Whether the server returns usage when asked with "
        "stream_options.include_usage. When false lockgate counts tokens itself and "
        "marks the usage estimated.",
    )


class AzureKeyAuth(_Strict):
    mode: Literal["key"] = Field(description="Authenticate with a resource key.")
    api_key: SecretStr = Field(description="The resource key; use ${ENV} or ${file:}.")


class AzureEntraAuth(_Strict):
    mode: Literal[
        "entra_client_secret", "entra_managed_identity", "entra_workload_identity"
    ] = Field(description="Authenticate with a Microsoft Entra ID access token.")
    tenant_id: str | None = Field(None, description="Directory (tenant) id.")
    client_id: str | None = Field(None, description="Application (client) id.")
    client_secret: SecretStr | None = Field(
        None, description="Client secret, for entra_client_secret."
    )
    token_file: Path | None = Field(
        None, description="Federated token file, for entra_workload_identity."
    )
    authority_host: HttpUrl | None = Field(
        None, description="Entra authority, for sovereign clouds or a test IdP."
    )
    scope: str = Field(
        "https://cognitiveservices.azure.com/.default",
        description="Scope of the access token requested.",
    )


class AzureOpenAIUpstream(_UpstreamBase):
    kind: Literal["azure_openai"] = Field(description="An Azure OpenAI resource.")
    endpoint: HttpUrl = Field(
        description="Resource endpoint, e.g. https://name.openai.azure.com."
    )
    api_version: str = Field(
        "2024-10-21",
        pattern=API_VERSION_PATTERN,
        description="api-version sent upstream.",
    )
    auth: Annotated[AzureKeyAuth | AzureEntraAuth, Field(discriminator="mode")] = Field(
        description="How lockgate authenticates to the resource."
    )


class BedrockUpstream(_UpstreamBase):
    kind: Literal["bedrock_converse"] = Field(
        description="Amazon Bedrock's Converse API, signed with SigV4."
    )
    region: str = Field(
        pattern=r"^[a-z]{2}(-[a-z]+)+-\d$", description="AWS region, e.g. us-east-1."
    )
    endpoint_url: HttpUrl | None = Field(
        None,
        description="Override the runtime endpoint, e.g. an interface VPC endpoint's "
        "DNS name. Defaults to https://bedrock-runtime.REGION.amazonaws.com.",
    )
    profile: str | None = Field(
        None, description="AWS shared-config profile; otherwise the default chain."
    )


UpstreamSettings = Annotated[
    OpenAICompatibleUpstream | AzureOpenAIUpstream | BedrockUpstream,
    Field(discriminator="kind"),
]


class ModelSettings(_Strict):
    alias: str = Field(
        pattern=r"^[A-Za-z0-9_.:/-]+$",
        description="Name callers use: the OpenAI 'model', the Azure deployment in the "
        "path, or the Bedrock modelId.",
    )
    upstream: str = Field(description="Name of the upstream that serves it.")
    upstream_model: str = Field(
        description="Model name, Azure deployment or Bedrock model id upstream."
    )
    operations: list[Operation] = Field(
        default_factory=_chat_only, description="What the model may be used for."
    )
    max_output_tokens: int | None = Field(
        None, gt=0, description="Cap on output tokens when the caller sets none."
    )
    api_versions: list[Annotated[str, Field(pattern=API_VERSION_PATTERN)]] = Field(
        default_factory=list,
        description="api-version values accepted on the Azure-shaped route; empty "
        "accepts any well-formed version.",
    )


class Settings(_Strict):
    server: ServerSettings = Field(description="The listener.")
    upstreams: list[UpstreamSettings] = Field(
        min_length=1, description="Model services lockgate may call."
    )
    models: list[ModelSettings] = Field(
        min_length=1, description="Models callers may use."
    )
