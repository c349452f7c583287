"""Shared fixtures. The real clips live outside the repository (../shared/data/deadlift-clips)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CLIPS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "deadlift-clips"


@pytest.fixture(scope="session")
def clips_dir() -> Path:
    """The shared clip folder; skipped when absent, a failure under CI=true."""
    if not CLIPS_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared clips are missing at {CLIPS_DIR}")
        pytest.skip(f"shared clips not found at {CLIPS_DIR}")
    return CLIPS_DIR
