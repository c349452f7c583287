"""Readers of other tools' keypoint files, on the small examples in tests/data/interop."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from liftsafe.errors import InputError
from liftsafe.pose.files import read_keypoints
from liftsafe.pose.formats import ReadWarning

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"


def _joint(series, name):
    return series.xy[:, series.names.index(name)]


def test_openpose_body25_folder_maps_joints_and_follows_the_lifter():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        s = read_keypoints(DATA / "openpose_body25", fps=30)
    assert s.layout == "blazepose33" and s.n_frames == 3 and s.fps == 30
    # BODY_25 index 12 is LHip at (625, 420); the bystander in frame 1 is more confident but far away
    np.testing.assert_allclose(_joint(s, "left_hip"), [[625, 420], [627, 420], [629, 420]])
    np.testing.assert_allclose(_joint(s, "left_foot_index")[0], [675, 702])  # LBigToe
    assert np.isnan(_joint(s, "right_ear")[2]).all() and s.confidence[2, s.names.index("right_ear")] == 0
    assert np.isnan(_joint(s, "left_eye_inner")).all()  # BODY_25 has no inner eye
    assert any("several people" in str(w.message) for w in caught if w.category is ReadWarning)


def test_openpose_without_fps_names_the_option():
    with pytest.raises(InputError, match="--fps"):
        read_keypoints(DATA / "openpose_body25")


def test_openpose_starts_with_the_most_confident_person(tmp_path):
    folder = tmp_path / "op"
    shutil.copytree(DATA / "openpose_body25", folder)
    second = folder / "lift_000000000001_keypoints.json"
    (folder / "lift_000000000000_keypoints.json").write_text(second.read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        s = read_keypoints(folder, fps=30)
    # frame 0 now has both people: the more confident bystander starts the track (BlazePose's
    # detector), and frame 1 keeps following them
    assert _joint(s, "left_hip")[0, 0] < 300 and _joint(s, "left_hip")[1, 0] < 300


def test_mmpose_halpe26_and_coco17():
    halpe = read_keypoints(DATA / "mmpose_halpe26.json", fps=25)
    assert halpe.layout == "blazepose33" and halpe.n_frames == 3
    np.testing.assert_allclose(_joint(halpe, "right_heel")[1], [616, 702])
    coco = read_keypoints(DATA / "mmpose_coco17.json", fps=25)
    assert coco.layout == "coco17" and coco.n_frames == 3
    assert np.all(coco.confidence <= 1.0) and np.all(coco.confidence[:, 0] == 1.0)  # 1.12 clipped


def test_missing_hips_and_ankles_name_the_joints_and_the_layout(tmp_path):
    frames = json.loads((DATA / "mmpose_halpe26.json").read_text())
    for fr in frames:
        for inst in fr["instances"]:
            for k in (11, 12, 15, 16):  # hips, ankles
                inst["keypoint_scores"][k] = 0.0  # MMPose keeps a guess with score 0
    path = tmp_path / "nohips.json"
    path.write_text(json.dumps(frames))
    with pytest.raises(InputError) as err:
        read_keypoints(path, fps=30)
    msg = str(err.value)
    assert "MMPose Halpe-26" in msg and "left_hip, right_hip, left_ankle, right_ankle" in msg
    assert "\n" not in msg


def test_trc_3d_metres_is_viewed_from_the_side():
    s = read_keypoints(DATA / "pose2sim_halpe26_m.trc")
    assert s.layout == "blazepose33" and s.fps == 30 and s.n_frames == 3
    hip, knee, ankle = (_joint(s, f"left_{j}")[0] for j in ("hip", "knee", "ankle"))
    # side view: X forward becomes image x, Y up becomes image y down; 500 px per metre
    assert ankle[1] - hip[1] == pytest.approx((0.94 - 0.09) * 500)
    assert knee[0] - hip[0] == pytest.approx(0.05 * 500)
    assert _joint(s, "left_hip")[1, 0] - hip[0] == pytest.approx(0.01 * 500)  # moves 1 cm per frame


def test_trc_millimetres_read_as_metres_with_opencap_names():
    mm = read_keypoints(DATA / "opencap_mm.trc")
    m = read_keypoints(DATA / "pose2sim_halpe26_m.trc")
    assert mm.fps == 60
    for joint in ("left_hip", "right_knee", "left_ankle", "right_heel", "left_foot_index", "left_shoulder"):
        np.testing.assert_allclose(_joint(mm, joint)[0] - _joint(mm, "left_ankle")[0],
                                   _joint(m, joint)[0] - _joint(m, "left_ankle")[0], atol=1e-6)


def test_trc_rate_that_disagrees_with_time_column_is_rejected(tmp_path):
    lines = (DATA / "pose2sim_halpe26_m.trc").read_text().splitlines()
    lines[2] = lines[2].replace("30\t30", "60\t60", 1)
    path = tmp_path / "bad.trc"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"DataRate 60 Hz disagrees with the Time column \(30 Hz\)"):
        read_keypoints(path)
    assert read_keypoints(path, fps=30).fps == 30  # --fps settles it


def test_trc_unknown_units_and_marker_names(tmp_path):
    text = (DATA / "pose2sim_halpe26_m.trc").read_text()
    (tmp_path / "in.trc").write_text(text.replace("\tm\t", "\tinch\t", 1))
    with pytest.raises(InputError, match="Units 'inch'"):
        read_keypoints(tmp_path / "in.trc")
    (tmp_path / "x.trc").write_text(text.replace("RHip", "Marker1").replace("LHip", "Marker2"))
    with pytest.raises(InputError, match="TRC markers .*no left_hip, right_hip"):
        read_keypoints(tmp_path / "x.trc")


def test_movement_netcdf_with_two_individuals(tmp_path):
    xr = pytest.importorskip("xarray")
    s = read_keypoints(DATA / "pose2sim_halpe26_m.trc")
    names = ["LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle", "LShoulder", "RShoulder"]
    liftsafe = ["left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
                "left_shoulder", "right_shoulder"]
    lifter = np.stack([_joint(s, n) for n in liftsafe], axis=1)  # (time, keypoints, 2)
    other = lifter + 400.0
    position = np.stack([lifter, other], axis=-1).transpose(0, 2, 1, 3)  # time, space, keypoints, individuals
    conf = np.stack([np.full(lifter.shape[:2], 0.8), np.full(lifter.shape[:2], 0.9)], axis=-1)
    conf[1:, :, 1] = 0.1
    ds = xr.Dataset(
        {"position": (("time", "space", "keypoints", "individuals"), position),
         "confidence": (("time", "keypoints", "individuals"), conf)},
        coords={"time": np.arange(3) / 30, "space": ["x", "y"], "keypoints": names,
                "individuals": ["a", "b"]},
        attrs={"source_software": "DeepLabCut", "fps": 30.0, "time_unit": "seconds", "ds_type": "poses"},
    )
    path = tmp_path / "dlc.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        got = read_keypoints(path)
    assert got.layout == "coco17" and got.fps == 30
    # frame 0: 'b' is more confident and starts the track, then it is followed
    np.testing.assert_allclose(_joint(got, "left_hip"), other[:, 0])
    assert any("several people" in str(w.message) for w in caught)


def test_openpose_coco18_reads_as_coco17(tmp_path):
    from liftsafe.pose.formats.skeletons import OPENPOSE_BODY25, OPENPOSE_COCO18

    folder = tmp_path / "coco18"
    folder.mkdir()
    # BODY_25 -> COCO-18 by point name (neck at index 1 in both)
    order = [1 if n is None else OPENPOSE_BODY25.index(n) for n in OPENPOSE_COCO18]
    for src in sorted((DATA / "openpose_body25").glob("*.json")):
        doc = json.loads(src.read_text())
        for person in doc["people"]:
            flat = person["pose_keypoints_2d"]
            person["pose_keypoints_2d"] = [v for i in order for v in flat[3 * i:3 * i + 3]]
        (folder / src.name).write_text(json.dumps(doc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        s = read_keypoints(folder, fps=30)
    assert s.layout == "coco17" and s.n_frames == 3
    np.testing.assert_allclose(_joint(s, "right_knee")[0], [642, 562])


def test_mmpose_coco_wholebody_reads_body_and_feet(tmp_path):
    frames = json.loads((DATA / "mmpose_halpe26.json").read_text())
    for fr in frames:
        for inst in fr["instances"]:
            k, sc = inst["keypoints"], inst["keypoint_scores"]
            # COCO-17, then left big toe, small toe, heel, right big toe, small toe, heel, then 110 more
            feet = [20, 22, 24, 21, 23, 25]
            inst["keypoints"] = k[:17] + [k[i] for i in feet] + [[0.0, 0.0]] * 110
            inst["keypoint_scores"] = sc[:17] + [sc[i] for i in feet] + [0.0] * 110
    path = tmp_path / "wholebody.json"
    path.write_text(json.dumps(frames))
    s = read_keypoints(path, fps=30)
    halpe = read_keypoints(DATA / "mmpose_halpe26.json", fps=30)
    assert s.layout == "blazepose33"
    for joint in ("left_heel", "right_foot_index", "left_hip", "nose"):
        np.testing.assert_allclose(_joint(s, joint), _joint(halpe, joint))


@pytest.mark.parametrize("engine", ["h5netcdf", "scipy"])  # netCDF-4 (movement's default) and netCDF-3
def test_movement_netcdf_written_by_liftsafe_reads_back(tmp_path, engine):
    pytest.importorskip("xarray")
    from liftsafe.report.interop import movement_dataset

    s = read_keypoints(DATA / "mmpose_halpe26.json", fps=25)
    path = tmp_path / f"{engine}.nc"
    movement_dataset(s).to_netcdf(path, engine=engine)
    back = read_keypoints(path)
    assert back.fps == 25 and back.layout == s.layout
    np.testing.assert_allclose(back.xy, s.xy)
    np.testing.assert_allclose(back.confidence, s.confidence)


def test_trc_counts_in_the_header_must_match_the_data(tmp_path):
    lines = (DATA / "opencap_mm.trc").read_text().splitlines()
    short = tmp_path / "short.trc"
    short.write_text("\n".join(lines[:-1]) + "\n")  # NumFrames says 3, two rows left
    with pytest.raises(InputError, match="NumFrames says 3 but there are 2 data rows"):
        read_keypoints(short)
    lines[2] = lines[2].replace("\t17\t", "\t16\t", 1)
    (tmp_path / "markers.trc").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="NumMarkers says 16 but line 4 names 17"):
        read_keypoints(tmp_path / "markers.trc")
