"""Where Converse calls go: the runtime base URL and the per-model paths."""

from __future__ import annotations

from urllib.parse import quote

from lockgate.config.settings import BedrockUpstream


def runtime_base_url(settings: BedrockUpstream) -> str:
    """``endpoint_url`` when set (a VPC endpoint or a simulator), else the region's."""
    if settings.endpoint_url:
        return settings.endpoint_url.rstrip("/")
    return f"https://bedrock-runtime.{settings.region}.amazonaws.com"


def converse_url(base_url: str, model_id: str, *, stream: bool = False) -> str:
    """The Converse (or ConverseStream) URL, with the model id percent-encoded.

    Model ids such as ``eu.anthropic.claude-sonnet-4-5-v1:0`` carry a colon, sent
    as ``%3A``; ARNs also carry slashes, sent as ``%2F``.
    """
    operation = "converse-stream" if stream else "converse"
    return f"{base_url}/model/{quote(model_id, safe='')}/{operation}"
