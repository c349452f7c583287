"""NIOSH geometry from a (simulated) video: H and V against the simulator's exact body points."""

import json
import subprocess
import sys

import numpy as np
import pytest

from liftsafe.ergonomics.video import estimate_geometry
from liftsafe.errors import AnalysisError
from liftsafe.pipeline import analyze_series
from liftsafe.result import Exercise
from liftsafe.simulate.lifter import SimConfig, simulate_lift


def true_hv_cm(sim, frame):
    b = sim.body_m
    hands = np.mean(
        [b[f"{s}_{j}"][frame] for s in ("left", "right") for j in ("wrist", "index", "pinky")], axis=0
    )
    ankle = (b["left_ankle"][frame] + b["right_ankle"][frame]) / 2
    floor = np.mean([min(b[f"{s}_{j}"][frame][1] for j in ("heel", "foot_index")) for s in ("left", "right")])
    return abs(hands[0] - ankle[0]) * 100, (hands[1] - floor) * 100


@pytest.mark.parametrize("exercise", [Exercise.BOX_LIFT, Exercise.DEADLIFT, Exercise.KETTLEBELL_DEADLIFT])
def test_h_and_v_match_the_body_model(exercise):
    sim = simulate_lift(SimConfig(exercise=exercise, n_reps=2, seed=5, body_height_m=1.75))
    analysis = analyze_series(sim.series, exercise=exercise, height_m=1.75)
    lifts = estimate_geometry(analysis, height_m=1.75)
    assert len(lifts) == 2
    for g in lifts:
        h_o, v_o = true_hv_cm(sim, g.origin_frame)
        h_d, v_d = true_hv_cm(sim, g.destination_frame)
        # stature is estimated from the clip (nose-to-ankle / 0.875): about 1 % of scale error
        assert g.h_origin_cm == pytest.approx(h_o, abs=3.0)
        assert g.v_origin_cm == pytest.approx(v_o, abs=3.0)
        assert g.v_destination_cm == pytest.approx(v_d, abs=4.0)
        assert g.h_destination_cm == pytest.approx(h_d, abs=3.0)
        assert g.v_destination_cm > g.v_origin_cm + 20  # a lift goes up
        assert abs(g.a_origin_deg) < 10  # a symmetric lift


def test_front_view_refuses_geometry():
    sim = simulate_lift(SimConfig(n_reps=2, seed=5, camera_yaw_deg=90))
    analysis = analyze_series(sim.series, height_m=1.75)
    with pytest.raises(AnalysisError, match="cannot be measured from the front"):
        estimate_geometry(analysis, height_m=1.75)


def test_assess_command_from_keypoints(tmp_path):
    from liftsafe.pose.files import write_keypoints

    sim = simulate_lift(SimConfig(exercise=Exercise.BOX_LIFT, n_reps=2, seed=5, with_world=False))
    kp = tmp_path / "lift.json"
    write_keypoints(sim.series, kp)
    cmd = [sys.executable, "-m", "liftsafe", "assess", str(kp), "--load", "15kg", "--height", "175cm",
           "--frequency", "2", "--out", str(tmp_path / "o"), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    task = data["tasks"][0]
    assert task["rwl"] > 0 and task["li"] == pytest.approx(15 / task["rwl"], rel=1e-6)
    assert len(data["video"]["lifts"]) == 2
    assert any("0 assumed" in n for n in data["video"]["notes"])  # no world landmarks in a keypoint file
    assert (tmp_path / "o" / "geometry.png").stat().st_size > 1000
    # no frequency: a clear error
    no_freq = [c for c in cmd if c not in ("--frequency", "2")]
    bad = subprocess.run(no_freq, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "give --frequency" in bad.stderr and "Traceback" not in bad.stderr
