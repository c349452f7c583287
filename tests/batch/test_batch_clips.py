"""Batch on real clips: a worker's warm BlazePose (reset between clips) gives exactly the
``liftsafe analyze`` result of each clip."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.clips


def test_batch_results_equal_analyze_on_real_clips(clips_dir, run_cli, analyze_json, tmp_path):
    src = tmp_path / "in"
    (src / "good").mkdir(parents=True)
    (src / "bad").mkdir()
    good = sorted((clips_dir / "good").glob("*.mp4"))[0]
    bad = sorted((clips_dir / "bad").glob("*.mp4"))[0]
    shutil.copy(good, src / "good" / good.name)
    shutil.copy(bad, src / "bad" / bad.name)
    out = tmp_path / "out"
    # one worker: the second clip runs on the estimator the first clip used (reset in between)
    res = run_cli("batch", str(src), "--out", str(out), "-j", "1", "--reports")
    assert res.exit_code == 0, res.stderr
    for rel in (f"good/{good.name}", f"bad/{bad.name}"):
        assert json.loads((out / f"{rel}.json").read_text()) == json.loads(analyze_json(src / rel))
        assert (out / f"{rel}.html").is_file()
