"""The limited child of a job (liftsafe.batch.isolation) starts warm."""

from __future__ import annotations

import sys

from liftsafe.batch.isolation import PRELOAD, Limits, run_limited


def modules_at_start(*, progress) -> dict[str, bool]:
    """Runs in the job's child: which of the heavy modules were there before the job began."""
    del progress
    return {name: name in sys.modules for name in PRELOAD}


def test_a_job_child_starts_with_mediapipe_and_the_analysis_already_imported():
    """Every job's child is forked from a server that imported them once (a warm model: the
    ~0.8 s MediaPipe import is not paid per clip)."""
    assert "mediapipe.python.solutions.pose" in PRELOAD
    for _ in range(2):  # the first job starts the fork server; later ones reuse it
        seen = run_limited(modules_at_start, limits=Limits(memory_mb=None, timeout_s=120))
        assert seen == dict.fromkeys(PRELOAD, True)
