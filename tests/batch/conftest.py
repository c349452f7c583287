"""Batch fixtures: a folder of simulated keypoint files (what ``liftsafe analyze`` accepts) and the
``liftsafe analyze`` JSON of one clip, which a batch result must equal."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
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


@pytest.fixture()
def analyze_json(run_cli, tmp_path) -> Callable[[Path], str]:
    """``liftsafe analyze CLIP --json FILE`` without reports: the text of FILE (a failed run fails
    the test)."""
    runs = itertools.count()

    def analyze(clip: Path) -> str:
        single = tmp_path / f"analyze-{next(runs)}.json"
        res = run_cli(
            "analyze",
            str(clip),
            "--out",
            str(tmp_path / "a"),
            "--json",
            str(single),
            "--no-html",
            "--no-video",
            "--no-csv",
            "-q",
        )
        assert res.exit_code == 0, res.stderr
        return single.read_text()

    return analyze
