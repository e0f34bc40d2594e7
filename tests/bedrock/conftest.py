from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from botocore.credentials import Credentials, ReadOnlyCredentials

from bedrock.simulator import BedrockSimulator

ACCESS_KEY = "AKIALOCKGATETESTONLY"
SECRET_KEY = "fake-secret-key-for-the-bedrock-simulator"


@pytest.fixture
def credentials() -> Credentials:
    return Credentials(ACCESS_KEY, SECRET_KEY)


@pytest.fixture
async def simulator() -> AsyncIterator[BedrockSimulator]:
    sim = BedrockSimulator(
        ReadOnlyCredentials(ACCESS_KEY, SECRET_KEY, None), "us-east-1"
    )
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client
