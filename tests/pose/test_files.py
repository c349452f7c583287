"""Keypoint files: round trips, layouts, normalised coordinates and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError, OutputError
from liftsafe.pose.files import read_keypoints, write_keypoints
from liftsafe.pose.layouts import BLAZEPOSE33, COCO17
from liftsafe.pose.series import PoseSeries
from liftsafe.simulate import SimConfig, simulate_lift


@pytest.fixture(scope="module")
def sim_series() -> PoseSeries:
    return simulate_lift(
        SimConfig(n_reps=1, dropout_rate=0.1, seed=4, idle_before_s=0.2, idle_after_s=0.2)
    ).series


def _coco(series: PoseSeries) -> PoseSeries:
    idx = [BLAZEPOSE33.index(n) for n in COCO17]
    return PoseSeries(xy=series.xy[:, idx], confidence=series.confidence[:, idx], fps=series.fps,
                      layout="coco17", image_size=(1920, 1080))


def _assert_same(a: PoseSeries, b: PoseSeries, *, atol: float = 1e-6) -> None:
    assert a.layout == b.layout and a.fps == pytest.approx(b.fps) and a.image_size == b.image_size
    np.testing.assert_allclose(a.xy, b.xy, atol=atol, equal_nan=True)
    np.testing.assert_allclose(a.confidence, b.confidence, atol=1e-6)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
@pytest.mark.parametrize("normalized", [False, True])
def test_round_trip_blazepose(tmp_path: Path, sim_series: PoseSeries, suffix: str, normalized: bool) -> None:
    path = write_keypoints(sim_series, tmp_path / f"kp{suffix}", normalized=normalized)
    back = read_keypoints(path)
    _assert_same(back, sim_series, atol=1e-5)
    missing = ~np.isfinite(sim_series.xy).all(axis=-1)
    assert missing.any() and np.all(back.confidence[missing] == 0)
    if suffix == ".json":  # world landmarks survive in JSON
        np.testing.assert_allclose(back.world_m, sim_series.world_m, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_round_trip_coco17(tmp_path: Path, sim_series: PoseSeries, suffix: str) -> None:
    coco = _coco(sim_series)
    back = read_keypoints(write_keypoints(coco, tmp_path / f"coco{suffix}"))
    _assert_same(back, coco)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    frames=st.integers(1, 6),
    fps=st.floats(1.0, 240.0),
    seed=st.integers(0, 1000),
    suffix=st.sampled_from([".csv", ".json"]),
)
def test_round_trip_property(tmp_path: Path, frames: int, fps: float, seed: int, suffix: str) -> None:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-50, 2000, (frames, 17, 2))
    conf = rng.uniform(0, 1, (frames, 17))
    gone = rng.random((frames, 17)) < 0.2
    xy[gone] = np.nan
    conf[gone] = 0
    series = PoseSeries(xy=xy, confidence=conf, fps=fps, layout="coco17", image_size=(1920, 1080))
    _assert_same(read_keypoints(write_keypoints(series, tmp_path / f"p{suffix}")), series, atol=1e-5)


def _csv(tmp_path: Path, text: str, name: str = "kp.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _coco_header(conf: bool = True) -> str:
    cols = ["frame", "time_s"]
    for n in COCO17:
        cols += [f"{n}_x", f"{n}_y"] + ([f"{n}_conf"] if conf else [])
    return ",".join(cols)


def _coco_row(frame: int, value: str = "10", conf: bool = True) -> str:
    cells = [str(frame), str(frame / 30)]
    for _ in COCO17:
        cells += [value, value] + (["0.9"] if conf else [])
    return ",".join(cells)


def test_csv_layout_detected_from_column_names_and_empty_cells(tmp_path: Path) -> None:
    row1 = _coco_row(1).split(",")
    row1[2] = ""  # nose_x empty
    text = (
        "# fps=30 width=640 height=480\n"
        + _coco_header()
        + "\n"
        + _coco_row(0)
        + "\n"
        + ",".join(row1)
        + "\n"
    )
    series = read_keypoints(_csv(tmp_path, text))
    assert series.layout == "coco17" and series.n_frames == 2 and series.image_size == (640, 480)
    assert np.isnan(series.xy[1, 0]).all() and series.confidence[1, 0] == 0
    assert series.xy[0, 0, 0] == 10 and series.confidence[0, 0] == pytest.approx(0.9)


def test_csv_fps_from_time_column_or_argument_and_confidence_optional(tmp_path: Path) -> None:
    text = _coco_header(conf=False) + "\n" + "\n".join(_coco_row(i, conf=False) for i in range(4)) + "\n"
    path = _csv(tmp_path, text)
    series = read_keypoints(path)
    assert series.fps == pytest.approx(30.0)
    assert np.all(series.confidence == 1.0)
    assert read_keypoints(path, fps=25).fps == 25
    # no image size in the file: the smallest standard frame holding every point
    assert series.image_size == (640, 480)


def test_csv_frame_gaps_become_missing_frames(tmp_path: Path) -> None:
    text = "# fps=30\n" + _coco_header() + "\n" + _coco_row(0) + "\n" + _coco_row(3) + "\n"
    series = read_keypoints(_csv(tmp_path, text))
    assert series.n_frames == 4
    assert np.isnan(series.xy[1:3]).all() and np.all(series.confidence[1:3] == 0)


def test_json_normalised_coordinates_are_scaled(tmp_path: Path) -> None:
    doc = {"fps": 30, "image_size": [1000, 500], "normalized": True,
           "frames": [{"keypoints": [[0.5, 0.25, 0.8]] * 16 + [None]}]}
    path = tmp_path / "n.json"
    path.write_text(json.dumps(doc))
    series = read_keypoints(path)
    assert series.layout == "coco17"  # 17 points and no layout field
    np.testing.assert_allclose(series.xy[0, 0], [500.0, 125.0])
    assert np.isnan(series.xy[0, 16]).all() and series.confidence[0, 16] == 0


def _json(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _frame(n: int = 17, value: object = 1.0) -> dict:
    return {"keypoints": [[value, 2.0, 0.9]] * n}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("{not json", r"not valid JSON at line 1, column 2"),
        ([1, 2], r"top level must be an object"),
        ({"fps": 30}, r'field "frames" is missing or not a list'),
        ({"fps": 30, "frames": []}, r'field "frames" is empty'),
        (
            {"fps": 30, "layout": "openpose25", "frames": [_frame()]},
            r'field "layout": unknown layout .openpose25.; expected one of blazepose33, coco17',
        ),
        (
            {"fps": 30, "frames": [_frame(20)]},
            r"frame 0 has 20 keypoints; expected 33 \(blazepose33\) or 17 \(coco17\)",
        ),
        (
            {"fps": 30, "layout": "coco17", "frames": [_frame(), _frame(16)]},
            r"frame 1: expected 17 keypoints for layout coco17, got 16",
        ),
        (
            {"fps": 30, "frames": [_frame(), _frame(value="abc")]},
            r"frame 1, keypoint 0 \(nose\), x: 'abc' is not a number",
        ),
        ({"frames": [_frame()]}, r"missing fps; add it to the file .* or pass --fps"),
        (
            {"fps": 30, "normalized": True, "frames": [_frame()]},
            r"normalised coordinates need the image size",
        ),
        (
            {"fps": 30, "frames": [{"keypoints": [[1.0, 2.0, 1.5]] * 17}]},
            r"frame 0, keypoint 0 \(nose\), conf: 1.5 is outside 0..1",
        ),
        (
            {"fps": 30, "frames": [{"frame": 2, **_frame()}, {"frame": 1, **_frame()}]},
            r"frame 2 has frame 1 after frame 2; frames must increase",
        ),
    ],
)
def test_json_errors_name_the_frame_and_field(tmp_path: Path, doc: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_keypoints(_json(tmp_path, doc))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "# fps=30\nframe,nose_x\n0,1\n",
            r"cannot tell the keypoint layout .* closest is coco17 but it lacks columns nose_y, left_eye_x, "
            r"left_eye_y, right_eye_x and \d+ more",
        ),
        (
            "# fps=30 layout=coco17\nframe,nose_x,nose_y\n0,1,2\n",
            r"layout coco17 needs columns left_eye_x, left_eye_y, right_eye_x, right_eye_y and 28 more in "
            r"the header \(line 2\)",
        ),
        (
            "# fps=30 layout=mpii\n" + _coco_header() + "\n" + _coco_row(0) + "\n",
            r"'# layout=' line: unknown layout 'mpii'",
        ),
        (
            "# fps=30\n" + _coco_header() + "\n" + _coco_row(0) + "\n" + _coco_row(1, value="x1") + "\n",
            r"data row 2, column 'nose_x': 'x1' is not a number",
        ),
        (
            "# fps=30\n" + _coco_header() + "\n" + _coco_row(0) + ",5\n",
            r"data row 1 has 54 fields but the header has 53",
        ),
        (
            _coco_header() + "\n" + ",".join(["0", ""] + ["1", "2", "0.9"] * 17) + "\n",
            r"missing fps; add it to the file \(CSV '# fps=30' line",
        ),
        ("# fps=30\n" + _coco_header() + "\n", r"no data rows"),
        ("# fps=30\n", r"no header row"),
        (
            "# fps=abc\n" + _coco_header() + "\n" + _coco_row(0) + "\n",
            r"'# fps=' line: 'abc' is not a number",
        ),
        (
            "# fps=30 normalized=maybe\n" + _coco_header() + "\n" + _coco_row(0) + "\n",
            r"'# normalized=' line: expected true or false",
        ),
        (
            "# fps=30\n" + _coco_header() + "\n" + _coco_row(0).replace("0.9", "7", 1) + "\n",
            r"data row 1, column 'nose_conf': confidence 7.0 is outside 0..1",
        ),
    ],
)
def test_csv_errors_name_the_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_keypoints(_csv(tmp_path, text))


def test_file_level_errors(tmp_path: Path, sim_series: PoseSeries) -> None:
    with pytest.raises(InputError, match=r"keypoint file '.*nope.csv' not found"):
        read_keypoints(tmp_path / "nope.csv")
    (tmp_path / "kp.txt").write_text("x")
    with pytest.raises(InputError, match=r"must end in .csv or .json; got '.txt'"):
        read_keypoints(tmp_path / "kp.txt")
    (tmp_path / "empty.json").write_text("  \n")
    with pytest.raises(InputError, match=r"'.*empty.json' is empty"):
        read_keypoints(tmp_path / "empty.json")
    with pytest.raises(InputError, match=r"fps must be a positive number"):
        read_keypoints(write_keypoints(sim_series, tmp_path / "ok.csv"), fps=-1)
    with pytest.raises(OutputError, match=r"must end in .csv or .json"):
        write_keypoints(sim_series, tmp_path / "out.xlsx")
    with pytest.raises(OutputError, match=r"folder '.*missing' does not exist"):
        write_keypoints(sim_series, tmp_path / "missing" / "out.csv")
    assert not list(tmp_path.glob(".*.tmp"))  # no partial files left behind
