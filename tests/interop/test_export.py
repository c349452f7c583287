"""``liftsafe analyze ... --export trc,mot,netcdf`` on a simulated lift given as an OpenPose folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from liftsafe.app.demo import demo_analysis
from liftsafe.cli import main
from liftsafe.pipeline import analyze_path
from liftsafe.pose.files import read_keypoints
from liftsafe.pose.formats.skeletons import OPENPOSE_BODY25
from liftsafe.pose.layouts import BLAZEPOSE33


def _run(args: list[str], capsys) -> tuple[int, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def demo():
    return demo_analysis(n_reps=3, seed=3)


def _body25(xy, conf) -> list[float]:
    flat: list[float] = []
    for name in OPENPOSE_BODY25:
        if name is None or np.isnan(xy[BLAZEPOSE33.index(name)]).any():
            flat += [0.0, 0.0, 0.0]
        else:
            x, y = xy[BLAZEPOSE33.index(name)]
            flat += [float(x), float(y), float(conf[BLAZEPOSE33.index(name)])]
    return flat


def _write_openpose(series, folder: Path) -> None:
    """One OpenPose frame file per frame; a bystander (smaller, less sure) walks through 40 frames."""
    folder.mkdir()
    for f in range(series.n_frames):
        people = [{"person_id": [-1], "pose_keypoints_2d": _body25(series.xy[f], series.confidence[f])}]
        if 20 <= f < 60:
            other = series.xy[0] * 0.6 + np.array([series.image_size[0] * 0.55, 40.0])
            flat = _body25(other, series.confidence[0] * 0.7)
            people.append({"person_id": [-1], "pose_keypoints_2d": flat})
        doc = {"version": 1.3, "people": people}
        (folder / f"clip_{f:012d}_keypoints.json").write_text(json.dumps(doc))


def test_analyze_openpose_folder_and_export_all(demo, tmp_path, capsys):
    folder = tmp_path / "openpose"
    _write_openpose(demo.series, folder)
    out = tmp_path / "out"
    code, output = _run([
        "analyze", str(folder), "--fps", str(demo.series.fps), "--height", "1.80m", "--out", str(out),
        "--no-video", "--no-html", "--export", "trc,mot,netcdf", "--json", str(tmp_path / "r.json"), "-q",
    ], capsys)
    assert code == 0, output
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["rep_count"] == demo.result.rep_count == 3
    assert any("40 frame(s) have several people" in w for w in result["warnings"])
    with pytest.warns(UserWarning, match="several people"):
        followed = read_keypoints(folder, fps=demo.series.fps)
    hip = BLAZEPOSE33.index("left_hip")
    np.testing.assert_allclose(followed.xy[:, hip], demo.series.xy[:, hip], atol=1e-6)  # never the bystander

    trc = (out / "keypoints.trc").read_text().splitlines()
    assert trc[2].split("\t")[4] == "m"
    back = read_keypoints(out / "keypoints.trc")  # liftsafe reads its own TRC
    assert back.n_frames == demo.series.n_frames and back.fps == pytest.approx(demo.series.fps)
    # metres: the ankle-to-shoulder height of a 1.80 m lifter standing is about 1.2-1.5 m
    cols = trc[3].split("\t")
    sh, an = cols.index("left_shoulder"), cols.index("left_ankle")
    row = [float(v) for v in trc[6].split("\t")[:sh + 2]] + [float(v) for v in trc[6].split("\t")[an:an + 2]]
    assert 1.1 < row[sh + 1] - row[-1] < 1.6

    mot = (out / "angles.mot").read_text().splitlines()
    assert mot[4] == "inDegrees=yes" and mot[5] == "endheader"
    header = mot[6].split("\t")
    assert header[0] == "time" and "hip_flexion" in header and "knee_flexion" in header
    hip = np.array([float(r.split("\t")[header.index("hip_flexion")]) for r in mot[7:]])
    assert len(hip) == demo.series.n_frames and np.nanmax(hip) > 45  # the hinge shows

    xr = pytest.importorskip("xarray")
    with xr.open_dataset(out / "keypoints.nc") as ds:
        assert ds["position"].dims == ("time", "space", "keypoints", "individuals")
        assert ds.attrs["source_software"] == "liftsafe" and ds.attrs["fps"] == demo.series.fps
        assert list(ds["individuals"].values) == ["lifter"]
    again = read_keypoints(out / "keypoints.nc")  # and reads it back
    assert again.layout == "blazepose33" and again.n_frames == demo.series.n_frames
    for exported in ("keypoints.trc", "keypoints.nc"):  # and analyses what it exported alike
        assert analyze_path(out / exported, exercise="deadlift").result.rep_count == 3


def test_unknown_export_kind_is_a_bad_input(tmp_path, capsys):
    code, output = _run(["analyze", str(tmp_path / "x.trc"), "--export", "trc,c3d"], capsys)
    assert code == 2 and "--export: unknown kind 'c3d'" in output
