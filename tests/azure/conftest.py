"""Fixtures for the Azure OpenAI adapter and Entra token tests.

This folder has no ``__init__.py`` (a package named ``azure`` would hide the Azure
SDK), so pytest puts it on ``sys.path`` and the simulator imports as ``simulator``.
Gateway tests that need it are simplest placed in this folder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from simulator import AzureSimulator, FakeClock, SimulatorConfig, azure_simulator


@pytest.fixture
async def sim(clock: FakeClock) -> AsyncIterator[AzureSimulator]:
    async with azure_simulator(SimulatorConfig(), clock) as simulator:
        yield simulator


@pytest.fixture
async def session(sim: AzureSimulator) -> AsyncIterator[aiohttp.ClientSession]:
    async with sim.client_session() as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
