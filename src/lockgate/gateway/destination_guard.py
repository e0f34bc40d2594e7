"""Refuse request fields that would let a caller choose where a call goes.

Upstream endpoints, credentials and regions come only from the settings file. Some
client libraries and other gateways accept them in the request body (``api_base``,
``base_url``, ``aws_region_name``...), which turns a gateway into an open proxy to
any address, the cloud metadata service included. lockgate answers such a body with
an error naming the field, before anything is sent anywhere.
"""

from __future__ import annotations

from typing import Any

from lockgate.errors import ForbiddenField

_FORBIDDEN = frozenset(
    {
        "api_base",
        "base_url",
        "api_key",
        "api_version",
        "api_type",
        "endpoint",
        "endpoint_url",
        "region",
        "region_name",
        "custom_llm_provider",
        "extra_headers",
        "extra_query",
        "extra_body",
        "headers",
        "deployment_id",
        "organization",
    }
)
_FORBIDDEN_PREFIXES = ("aws_", "azure_", "vertex_", "litellm_")


def refuse_destination_fields(body: dict[str, Any]) -> None:
    """Raise ForbiddenField if a top-level field could pick a destination."""
    for key in body:
        if key in _FORBIDDEN or key.startswith(_FORBIDDEN_PREFIXES):
            raise ForbiddenField(
                f"request field '{key}' cannot choose the destination, credentials or "
                "region of a call; lockgate routes by the model or deployment name "
                "only. Remove the field; upstreams are set in the gateway's "
                "configuration",
                param=key,
            )
