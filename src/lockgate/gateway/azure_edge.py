"""The Azure OpenAI inbound route: deployments in the path, ``api-version`` required.

``openai.AzureOpenAI(azure_endpoint=<lockgate>)`` calls
``/openai/deployments/{deployment}/chat/completions?api-version=...``; the deployment
is a model alias in lockgate's configuration.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from lockgate.config.settings import API_VERSION_PATTERN, ModelSettings
from lockgate.errors import MissingApiVersion, UnsupportedApiVersion

_WELL_FORMED = re.compile(API_VERSION_PATTERN)


def api_version(query_string: bytes, model: ModelSettings) -> str:
    """The ``api-version`` of a call to ``model``'s deployment, checked."""
    accepted = (
        ", ".join(model.api_versions)
        if model.api_versions
        else "any dated version such as 2024-10-21 or 2025-04-01-preview"
    )
    values = parse_qs(query_string.decode("latin-1")).get("api-version")
    if not values:
        raise MissingApiVersion(
            "the 'api-version' query parameter is required on Azure OpenAI routes; "
            f"deployment '{model.alias}' accepts {accepted}",
            param="api-version",
        )

    version = values[0]
    if not _WELL_FORMED.match(version) or (
        model.api_versions and version not in model.api_versions
    ):
        raise UnsupportedApiVersion(
            f"api-version '{version[:40]}' is not accepted for deployment "
            f"'{model.alias}'; it accepts {accepted}",
            param="api-version",
        )
    return version
