"""Build the adapter for each configured upstream kind."""

from __future__ import annotations

import aiohttp

from lockgate.config.settings import (
    AzureOpenAIUpstream,
    BedrockUpstream,
    OpenAICompatibleUpstream,
    UpstreamSettings,
)
from lockgate.upstreams.base import Upstream
from lockgate.upstreams.openai_compatible import OpenAICompatibleAdapter


def build_upstream(
    settings: UpstreamSettings, session: aiohttp.ClientSession
) -> Upstream:
    if isinstance(settings, OpenAICompatibleUpstream):
        return OpenAICompatibleAdapter(settings, session)
    if isinstance(settings, BedrockUpstream):
        from lockgate.upstreams.bedrock.adapter import BedrockConverseUpstream

        return BedrockConverseUpstream(settings, session)
    if isinstance(settings, AzureOpenAIUpstream):
        from lockgate.upstreams.azure import AzureOpenAIAdapter

        return AzureOpenAIAdapter.from_settings(settings, session)
    raise TypeError(f"no adapter for upstream kind {type(settings).__name__}")
