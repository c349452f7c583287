"""The writers on a real pipeline result: the simulated lifter (liftsafe.simulate) through
liftsafe.pipeline.analyze_series, and -- when the shared clips are present -- a real clip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import av
import pytest

from liftsafe.analysis import Analysis
from liftsafe.report import write_annotated_video, write_html_report, write_json, write_signals_csv
from liftsafe.result import FaultCode


@pytest.fixture(scope="module")
def simulated() -> Analysis:
    from liftsafe.pipeline import analyze_series
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    sim = simulate_lift(SimConfig(n_reps=2, seed=3, faults={1: {FaultCode.JERKED_PULL}}))
    return analyze_series(sim.series, exercise=sim.config.exercise, source="simulated lifter", simulated=True)


def _write_all(analysis: Analysis, folder: Path) -> dict[str, Path]:
    return {
        "json": write_json(analysis, folder / "result.json"),
        "csv": write_signals_csv(analysis, folder / "signals.csv"),
        "html": write_html_report(analysis, folder / "report.html"),
        "mp4": write_annotated_video(analysis, folder / "annotated.mp4"),
    }


def _check_outputs(analysis: Analysis, paths: dict[str, Path], n_source_frames: int) -> str:
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["rep_count"] == analysis.result.rep_count
    with open(paths["csv"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == analysis.series.n_frames
    assert {r["rep"] for r in rows} - {""} == {str(r.index) for r in analysis.result.reps}
    html = paths["html"].read_text(encoding="utf-8")
    faulty = sum(1 for r in analysis.result.reps if r.faults)
    assert html.count("<img") == faulty
    with av.open(str(paths["mp4"])) as container:
        assert sum(1 for _ in container.decode(video=0)) == n_source_frames
    return html


def test_writers_on_the_simulated_lifter(tmp_path: Path, simulated: Analysis) -> None:
    assert simulated.result.rep_count == 2
    assert any(r.faults for r in simulated.result.reps), "the injected fault should be found"
    html = _check_outputs(simulated, _write_all(simulated, tmp_path), simulated.series.n_frames)
    assert 'id="simulated-banner"' in html
    for rep in simulated.result.reps:
        assert f'id="rep-{rep.index}"' in html


@pytest.mark.clips
def test_writers_on_a_real_clip(tmp_path: Path, clips_dir: Path) -> None:
    from liftsafe.pipeline import analyze_video
    from liftsafe.pose.video import probe_video

    clip = clips_dir / "bad" / "bad003.mp4"
    analysis = analyze_video(clip, exercise="deadlift")
    html = _check_outputs(analysis, _write_all(analysis, tmp_path), analysis.series.n_frames)
    assert "simulated-banner" not in html
    info = probe_video(clip)
    with av.open(str(tmp_path / "annotated.mp4")) as container:
        stream = container.streams.video[0]
        # at most ANNOTATED_MAX_WIDTH wide (this clip is 1280x720), the aspect ratio kept
        from liftsafe.pose.video import decode_size
        from liftsafe.report.video import ANNOTATED_MAX_WIDTH

        expected = decode_size(info.width, info.height, ANNOTATED_MAX_WIDTH)
        assert info.width > ANNOTATED_MAX_WIDTH and expected[0] == ANNOTATED_MAX_WIDTH
        assert (stream.codec_context.width, stream.codec_context.height) == (expected[0] - expected[0] % 2,
                                                                            expected[1] - expected[1] % 2)
