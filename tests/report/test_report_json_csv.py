"""JSON result and per-frame CSV writers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_factory import FPS, N_FRAMES, make_result

from liftsafe.analysis import PLOTTED_SIGNALS, Analysis
from liftsafe.report import result_json, write_json, write_signals_csv
from liftsafe.report.timeline import PHASE_ORDER, frame_labels
from liftsafe.result import Rep, Tempo

TOP_KEYS = {"source", "exercise", "fps", "duration_s", "view", "rep_count", "verdict", "reps", "warnings"}
REP_KEYS = {"index", "start_s", "end_s", "phases", "tempo", "metrics", "faults"}
FAULT_KEYS = {"code", "severity", "start_s", "end_s", "evidence", "cue"}


def test_json_round_trip_and_contract(tmp_path: Path, analysis: Analysis) -> None:
    path = write_json(analysis, tmp_path / "result.json")
    assert path == tmp_path / "result.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data == json.loads(json.dumps(analysis.result.to_dict()))
    assert text.startswith('{\n  "')  # indent 2
    assert TOP_KEYS <= data.keys()
    assert data["rep_count"] == len(data["reps"]) == 2
    assert data["verdict"] == "needs_work"
    for rep in data["reps"]:
        assert REP_KEYS <= rep.keys()
        for fault in rep["faults"]:
            assert FAULT_KEYS <= fault.keys()
    assert [f["code"] for f in data["reps"][1]["faults"]] == ["rounded_back"]


def test_json_accepts_result_and_dash_means_stdout(capsys, analysis: Analysis) -> None:
    assert write_json(analysis.result, "-") is None
    out = capsys.readouterr().out
    assert json.loads(out)["source"] == analysis.result.source
    assert out == result_json(analysis)


def test_json_stdout_stream_override(analysis: Analysis) -> None:
    buf = io.StringIO()
    write_json(analysis, "-", stdout=buf)
    assert json.loads(buf.getvalue())["exercise"] == "deadlift"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_rows_columns_and_values(tmp_path: Path, analysis: Analysis) -> None:
    rows = _read_csv(write_signals_csv(analysis, tmp_path / "signals.csv"))
    assert len(rows) == N_FRAMES
    header = list(rows[0].keys())
    assert header[:4] == ["frame", "time_s", "rep", "phase"]
    assert header[4:7] == list(PLOTTED_SIGNALS)
    assert set(header[4:]) == set(analysis.signals)
    assert [int(r["frame"]) for r in rows] == list(range(N_FRAMES))
    assert float(rows[30]["time_s"]) == pytest.approx(30 / FPS, abs=1e-4)
    trunk = np.array([float(r["trunk_inclination_deg"]) for r in rows])
    np.testing.assert_allclose(trunk, analysis.signals["trunk_inclination_deg"], atol=1e-4)
    # NaN becomes an empty cell
    assert rows[0]["neck_extension_deg"] == "" and rows[5]["neck_extension_deg"] != ""


def test_csv_rep_and_phase_labels_follow_reps(tmp_path: Path, analysis: Analysis) -> None:
    rows = _read_csv(write_signals_csv(analysis, tmp_path / "signals.csv"))
    inside: set[int] = set()
    for rep in analysis.result.reps:
        frames = range(rep.start_frame, rep.end_frame + 1)
        inside.update(frames)
        assert all(rows[f]["rep"] == str(rep.index) for f in frames)
        assert rows[rep.bottom_frame]["phase"] == "bottom"
        assert rows[rep.start_frame]["phase"] == "setup"
        assert rows[rep.end_frame]["phase"] == "lockout"
        order = [PHASE_ORDER.index(rows[f]["phase"]) for f in frames]
        assert order == sorted(order)
        assert set(order) == set(range(len(PHASE_ORDER)))
    for f in set(range(N_FRAMES)) - inside:
        assert rows[f]["rep"] == "" and rows[f]["phase"] == ""


def test_csv_rejects_signal_of_wrong_length(tmp_path: Path, analysis: Analysis) -> None:
    bad = Analysis(result=analysis.result, series=analysis.series,
                   signals={**analysis.signals, "hip_flexion_deg": np.zeros(3)})
    with pytest.raises(
        ValueError, match="signal 'hip_flexion_deg' has 3 values but the series has 70 frames"
    ):
        write_signals_csv(bad, tmp_path / "signals.csv")
    assert not (tmp_path / "signals.csv").exists()


def test_csv_without_signals_still_labels_frames(tmp_path: Path, analysis: Analysis) -> None:
    bare = Analysis(result=analysis.result, series=analysis.series, signals={})
    rows = _read_csv(write_signals_csv(bare, tmp_path / "s.csv"))
    assert list(rows[0].keys()) == ["frame", "time_s", "rep", "phase"]
    assert sum(1 for r in rows if r["rep"]) == 60


@settings(max_examples=60, deadline=None)
@given(
    fps=st.sampled_from([24.0, 25.0, 29.97, 30.0, 60.0]),
    start=st.integers(0, 20),
    cuts=st.lists(st.integers(1, 25), min_size=5, max_size=5),
)
def test_phase_labels_are_ordered_and_cover_contiguous_phases(
    fps: float, start: int, cuts: list[int]
) -> None:
    """For contiguous phases spanning a rep, every rep frame gets a phase and the phases of
    successive frames never go backwards."""
    bounds = [start]
    for c in cuts:
        bounds.append(bounds[-1] + c)
    times = [b / fps for b in bounds]
    phases = {name: (times[k], times[k + 1]) for k, name in enumerate(PHASE_ORDER)}
    rep = Rep(index=1, start_s=times[0], end_s=times[-1], phases=phases, tempo=Tempo(0, 0, 0), metrics={},
              start_frame=bounds[0], end_frame=bounds[-1], bottom_frame=bounds[2])
    result = make_result()
    result = type(result)(**{**result.__dict__, "reps": (rep,), "rep_count": 1})
    n = bounds[-1] + 5
    labels = frame_labels(result, n, fps)
    in_rep = [f for f in range(n) if labels.rep[f] == 1]
    assert in_rep == list(range(bounds[0], bounds[-1] + 1))
    order = [PHASE_ORDER.index(labels.phase[f]) for f in in_rep]
    assert order == sorted(order)
    assert order[0] == 0 and order[-1] == len(PHASE_ORDER) - 1


def test_setup_before_rep_start_is_labelled_with_the_rep(tmp_path: Path, analysis: Analysis) -> None:
    """The pipeline gives rep 1 a setup phase from the clip's start, before ``start_frame``."""
    from dataclasses import replace

    rep1 = analysis.result.reps[0]
    rep1 = replace(rep1, phases={**rep1.phases, "setup": (0.0, rep1.phases["setup"][1])})
    result = replace(analysis.result, reps=(rep1, *analysis.result.reps[1:]))
    rows = _read_csv(
        write_signals_csv(
            Analysis(result=result, series=analysis.series, signals=analysis.signals), tmp_path / "s.csv"
        )
    )
    assert rows[0]["rep"] == "1" and rows[0]["phase"] == "setup"
    assert rows[rep1.start_frame + 4]["phase"] == "descent"
