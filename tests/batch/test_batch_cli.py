"""``liftsafe batch`` end to end on real files: results, summary, resuming, bad input, full disk."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from liftsafe.batch.state import LEDGER_DIR, LEDGER_NAME
from liftsafe.result import Verdict


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "summary.csv").open(newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def test_a_folder_gives_one_json_per_clip_equal_to_analyze_and_an_error_row(
    run_cli, analyze_json, clip_folder, tmp_path
):
    out = tmp_path / "out"
    res = run_cli("batch", str(clip_folder), "--exercise", "deadlift", "--out", str(out), "--workers", "2")
    assert res.exit_code == 3, res.stderr
    rows = _summary(out)
    assert set(rows) == {"broken.json", "lift3.json", "sub/lift4.csv"}  # notes.txt is not a clip
    assert rows["broken.json"]["error"] and "frames" in rows["broken.json"]["error"]
    assert rows["lift3.json"]["error"] == ""
    assert rows["lift3.json"]["verdict"] in {v.value for v in Verdict}
    assert (
        int(rows["sub/lift4.csv"]["rep_count"])
        == json.loads((out / "sub/lift4.csv.json").read_text())["rep_count"]
    )
    assert not (out / "broken.json.json").exists()
    for name, row in rows.items():  # the priority fault is the result's, empty when it has none
        if row["error"] == "":
            result = json.loads((out / f"{name}.json").read_text())
            assert row["priority_fault"] == ((result.get("priority") or {}).get("code") or "")
    # the same JSON contract, byte for byte, as liftsafe analyze on the same path
    assert (out / "sub/lift4.csv.json").read_text() == analyze_json(clip_folder / "sub/lift4.csv")
    assert "broken.json" in res.stderr and "1 without a result" in res.stderr
    doc = json.loads(run_cli("batch", str(clip_folder), "--out", str(out), "--json", "-q").stdout)
    assert (doc["clips"], doc["analysed"], doc["already_done"], doc["without_result"]) == (3, 0, 3, 1)
    assert {r["file"]: r["verdict"] for r in doc["rows"]} == {f: r["verdict"] for f, r in rows.items()}


def test_a_rerun_skips_done_clips_and_redoes_changed_ones(run_cli, clip_folder, tmp_path):
    out = tmp_path / "out"
    (clip_folder / "broken.json").unlink()
    assert run_cli("batch", str(clip_folder), "--out", str(out), "-j", "1").exit_code == 0
    ledger = out / LEDGER_DIR / LEDGER_NAME
    assert len(ledger.read_text().splitlines()) == 2
    first = (out / "lift3.json.json").stat().st_mtime_ns
    again = run_cli("batch", str(clip_folder), "--out", str(out), "-j", "1")
    assert again.exit_code == 0 and "0 analysed, 2 already done" in again.stderr
    assert (out / "lift3.json.json").stat().st_mtime_ns == first
    # new content under the same name is analysed again; so is a clip whose result was deleted
    (clip_folder / "lift3.json").write_bytes(
        (clip_folder / "lift3.json").read_bytes().replace(b'"fps":', b' "fps":', 1)
    )
    (out / "sub/lift4.csv.json").unlink()
    third = run_cli("batch", str(clip_folder), "--out", str(out), "-j", "1")
    assert third.exit_code == 0 and "2 analysed, 0 already done" in third.stderr
    # another exercise is another analysis; --force redoes everything
    assert "2 analysed" in run_cli("batch", str(clip_folder), "--out", str(out), "-e", "squat").stderr
    assert (
        "2 analysed" in run_cli("batch", str(clip_folder), "--out", str(out), "-e", "squat", "--force").stderr
    )
    assert json.loads((out / "lift3.json.json").read_text())["exercise"] == "squat"


def test_a_torn_ledger_line_is_ignored(run_cli, clip_folder, tmp_path):
    out = tmp_path / "out"
    run_cli("batch", str(clip_folder), "--out", str(out))
    ledger = out / LEDGER_DIR / LEDGER_NAME
    with ledger.open("a") as fh:
        fh.write('{"file": "lift3.json", "exer')  # killed in the middle of an append
    res = run_cli("batch", str(clip_folder), "--out", str(out))
    assert res.exit_code == 3 and "0 analysed, 3 already done" in res.stderr


def test_a_manifest_names_its_bad_row_before_any_work(run_cli, clip_folder, tmp_path):
    out = tmp_path / "out"
    manifest = clip_folder / "clips.csv"
    manifest.write_text("file,exercise,height\nlift3.json,deadlift,178cm\nsub/lift4.csv,dedlift,\n")
    res = run_cli("batch", str(manifest), "--out", str(out))
    assert (
        res.exit_code == 2
        and "clips.csv row 3" in res.stderr
        and "dedlift" in res.stderr
        and "deadlift" in res.stderr
    )
    assert not out.exists()
    manifest.write_text("file,exercise\nlift3.json,deadlift\nmissing.mp4,deadlift\n")
    res = run_cli("batch", str(manifest), "--out", str(out))
    assert res.exit_code == 2 and "row 3" in res.stderr and "missing.mp4" in res.stderr
    manifest.write_text("file,exercise,height\nlift3.json,deadlift,tall\n")
    res = run_cli("batch", str(manifest), "--out", str(out))
    assert res.exit_code == 2 and "row 2" in res.stderr and "height" in res.stderr
    manifest.write_text("file,exercise,height\nlift3.json,squat,1.80m\nsub/lift4.csv,,\n")
    assert run_cli("batch", str(manifest), "--out", str(out), "-e", "deadlift").exit_code == 0
    assert json.loads((out / "lift3.json.json").read_text())["exercise"] == "squat"
    assert json.loads((out / "lift3.json.json").read_text())["camera"]["height_m"] == pytest.approx(1.80)
    assert _summary(out)["sub/lift4.csv"]["exercise"] == "deadlift"


@pytest.mark.parametrize("case", ["missing", "empty", "exercise"])
def test_bad_input_is_one_line_before_any_work(run_cli, tmp_path, case, clip_folder):
    out = tmp_path / "out"
    folder = {"missing": tmp_path / "nope", "empty": tmp_path / "empty", "exercise": clip_folder}[case]
    if case == "empty":
        folder.mkdir()
        (folder / "readme.txt").write_text("x")
    args = ["batch", str(folder), "--out", str(out)] + (
        ["--exercise", "benchpress"] if case == "exercise" else []
    )
    res = run_cli(*args)
    assert res.exit_code == 2, res.stderr
    assert res.stderr.count("error:") == 1 and "Traceback" not in res.stderr
    assert {"missing": "does not exist", "empty": "no video", "exercise": "--exercise"}[case] in res.stderr
    assert not out.exists()


def test_an_unwritable_out_is_exit_4(run_cli, clip_folder, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = run_cli("batch", str(clip_folder), "--out", str(blocker / "out"))
    assert res.exit_code == 4 and "--out" in res.stderr


def test_a_full_disk_stops_cleanly_and_keeps_what_was_written(clip_folder, tmp_path):
    """OUT on a 48 kB file system: the batch stops with exit 4, written results stay whole."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        many = tmp_path / "many"
        many.mkdir()
        for i in range(12):  # each result is ~10 kB: the file system fills after a few
            (many / f"c{i:02d}.json").write_bytes((clip_folder / "lift3.json").read_bytes())
        res = subprocess.run(
            [sys.executable, "-m", "liftsafe", "batch", str(many), "--out", str(mnt / "out"), "-j", "1"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 4, res.stderr
        assert "Traceback" not in res.stderr and "disk" in res.stderr
        written = sorted((mnt / "out").glob("*.json"))
        assert 0 < len(written) < 12
        for path in written:  # whole JSON, no partial files left behind
            assert json.loads(path.read_text())["rep_count"] >= 0
        assert not list((mnt / "out").glob(".*partial*"))
        ledger = (mnt / "out" / LEDGER_DIR / LEDGER_NAME).read_text().splitlines()
        assert len([json.loads(line) for line in ledger if line.endswith("}")]) >= len(written) - 1
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_killing_the_batch_loses_at_most_the_clips_in_flight(clip_folder, tmp_path):
    import signal
    import time

    many = tmp_path / "many"
    many.mkdir()
    for i in range(16):
        (many / f"c{i:02d}.json").write_bytes((clip_folder / "lift3.json").read_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "liftsafe", "batch", str(many), "--out", str(out), "-j", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    ledger = out / LEDGER_DIR / LEDGER_NAME
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and (not ledger.exists() or len(ledger.read_text().splitlines()) < 3):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its worker, mid-batch
    proc.wait(30)
    kept = [json.loads(line)["file"] for line in ledger.read_text().splitlines() if line.endswith("}")]
    assert 3 <= len(kept) < 16
    for name in kept:  # every clip in the ledger has its whole result
        assert json.loads((out / f"{name}.json").read_text())["rep_count"] == 2
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{16 - len(kept)} analysed, {len(kept)} already done" in " ".join(res.stderr.split())
    assert len(list(out.glob("*.json"))) == 16 and not list(out.rglob(".*partial*"))


def test_reports_asked_for_later_are_written(run_cli, clip_folder, tmp_path):
    out = tmp_path / "out"
    (clip_folder / "broken.json").unlink()
    assert run_cli("batch", str(clip_folder), "--out", str(out)).exit_code == 0
    assert not list(out.rglob("*.html"))
    res = run_cli("batch", str(clip_folder), "--out", str(out), "--reports")
    assert res.exit_code == 0 and "2 analysed" in res.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == [
        "lift3.json.html",
        "sub/lift4.csv.html",
    ]
    assert (
        "0 analysed, 2 already done"
        in run_cli("batch", str(clip_folder), "--out", str(out), "--reports").stderr
    )


def test_a_clip_over_the_worker_memory_limit_is_an_error_row(
    run_cli, clip_folder, tmp_path, write_hostile_keypoints
):
    """A 2 kB keypoint file whose frame numbers run to 1,000,000 needs gigabytes. (The input
    limits refuse it before it is read; the fixture lifts them so the worker's memory limit is
    what is tested.)"""
    write_hostile_keypoints(clip_folder / "hostile.json")
    out = tmp_path / "out"
    res = run_cli("batch", str(clip_folder), "--out", str(out), "--worker-memory-mb", "1024", "-j", "1")
    assert res.exit_code == 3
    rows = _summary(out)
    assert "out of memory" in rows["hostile.json"]["error"]
    assert rows["lift3.json"]["error"] == "" and rows["sub/lift4.csv"]["error"] == ""


def test_a_killed_worker_process_is_an_error_row_and_the_batch_goes_on(clip_folder):
    import signal

    from liftsafe.batch.engines import LocalEngine
    from liftsafe.batch.work import ClipTask

    tasks = [ClipTask(str(clip_folder / "lift3.json"), f"c{i}", "deadlift") for i in range(6)]
    engine = LocalEngine(workers=1)
    outcomes = []
    for outcome in engine.run(tasks):
        outcomes.append(outcome)
        if len(outcomes) == 1:  # kill the pool's worker while the next clip is in flight
            for proc in list(engine._pool._processes.values()):
                os.kill(proc.pid, signal.SIGKILL)
    assert sorted(o.rel for o in outcomes) == [f"c{i}" for i in range(6)]
    killed = [o for o in outcomes if o.error_kind == "killed"]
    assert killed and all("worker process died" in o.error for o in killed)
    assert sum(1 for o in outcomes if o.result is not None) >= 3  # a new pool took the rest
