"""Fixtures shared by every test folder: the real bundled model server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lockgate.bundled_model import serving
from support.ports import free_port


@pytest.fixture(scope="session")
def model_server() -> Iterator[str]:
    """Base URL of the bundled Gemma 3 270M model on the llama.cpp server."""
    with serving(free_port()) as base_url:
        yield base_url
