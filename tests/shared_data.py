"""Where the shared test data lives: ``LOCKGATE_SHARED`` or ``../shared``."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    configured = os.environ.get("LOCKGATE_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared"
