"""Fixtures for the report-writer tests (data built in report_factory.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from report_factory import make_result, make_series, make_signals, write_test_video

from liftsafe.analysis import Analysis
from liftsafe.result import Severity


@pytest.fixture
def analysis() -> Analysis:
    return Analysis(result=make_result(), series=make_series(), signals=make_signals())


@pytest.fixture
def make_analysis() -> Callable[..., Analysis]:
    def factory(*, simulated: bool = False, video_path: Path | None = None,
                severity: Severity = Severity.MAJOR) -> Analysis:
        return Analysis(result=make_result(simulated=simulated, severity=severity), series=make_series(),
                        signals=make_signals(), video_path=video_path)

    return factory


@pytest.fixture
def source_video(tmp_path: Path) -> Path:
    return write_test_video(tmp_path / "source.mp4")
