"""Fixtures shared by the gateway tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from support.openai_upstream import ScriptedUpstream, scripted_upstream


@pytest.fixture
async def upstream() -> AsyncIterator[ScriptedUpstream]:
    """A scripted OpenAI-compatible upstream on loopback."""
    async with scripted_upstream() as server:
        yield server
