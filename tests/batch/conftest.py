"""Batch fixtures: a folder of simulated keypoint files (what ``liftsafe analyze`` accepts)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def keypoint_folder(tmp_path_factory) -> Path:
    """lift3.json and sub/lift4.csv (simulated 2-rep deadlifts), a broken keypoint file and a
    text file that is not a clip."""
    from liftsafe.pose.files import write_keypoints
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    root = tmp_path_factory.mktemp("kp")
    (root / "sub").mkdir()
    for seed, name in ((3, "lift3.json"), (4, "sub/lift4.csv")):
        sim = simulate_lift(SimConfig(n_reps=2, seed=seed))
        write_keypoints(sim.series, root / name)
    (root / "broken.json").write_text('{"layout": "blazepose33", "frames": "not a list"}')
    (root / "notes.txt").write_text("not a clip")
    return root


@pytest.fixture()
def clip_folder(keypoint_folder, tmp_path) -> Path:
    """A private copy of ``keypoint_folder`` a test may change."""
    return Path(shutil.copytree(keypoint_folder, tmp_path / "clips"))
