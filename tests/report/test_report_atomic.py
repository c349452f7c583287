"""Atomic writes: no partial file at the target after a failure; unwritable targets → OutputError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from liftsafe.errors import OutputError
from liftsafe.report import (
    atomic_path,
    drawing,
    write_annotated_video,
    write_html_report,
    write_json,
    write_signals_csv,
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def test_atomic_path_renames_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("done")
        assert not target.exists()  # nothing visible until the body finishes
    assert target.read_text() == "done"
    assert _leftovers(tmp_path) == []


def test_atomic_path_failure_keeps_old_file_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_atomic_path_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.json"
    with atomic_path(target) as tmp:
        tmp.write_text("{}")
    assert target.read_text() == "{}"


def test_parent_is_a_file_raises_output_error(tmp_path: Path, analysis) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    with pytest.raises(
        OutputError, match=r"cannot write to folder .*not_a_folder.*Choose another output folder"
    ):
        write_json(analysis, blocker / "result.json")


def test_target_is_a_folder_raises_output_error(tmp_path: Path, analysis) -> None:
    with pytest.raises(OutputError, match=r"is a folder; give a file name"):
        write_signals_csv(analysis, tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_raises_output_error(tmp_path: Path, analysis) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match=r"cannot write to folder .*ro \(permission denied\)"):
            write_html_report(analysis, ro / "report.html")
    finally:
        ro.chmod(0o700)


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs Linux /proc (a file system nobody can write)"
)
def test_read_only_filesystem_raises_output_error(analysis) -> None:
    target = Path("/proc/liftsafe-report-test/result.json")
    with pytest.raises(OutputError, match=r"cannot write to folder /proc/liftsafe-report-test"):
        write_json(analysis, target)


def _fail_after(calls: int):
    real = drawing.draw_skeleton
    state = {"n": 0}

    def flaky(*args, **kwargs):
        state["n"] += 1
        if state["n"] > calls:
            raise RuntimeError("simulated crash while drawing")
        return real(*args, **kwargs)

    return flaky, state


def test_video_crash_midway_leaves_no_file(tmp_path: Path, analysis, monkeypatch) -> None:
    flaky, state = _fail_after(20)
    monkeypatch.setattr(drawing, "draw_skeleton", flaky)
    target = tmp_path / "annotated.mp4"
    with pytest.raises(RuntimeError, match="simulated crash"):
        write_annotated_video(analysis, target)
    assert state["n"] == 21  # it really failed midway, after encoding frames
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_html_crash_leaves_no_file(tmp_path: Path, analysis, monkeypatch) -> None:
    flaky, _ = _fail_after(0)
    monkeypatch.setattr(drawing, "draw_skeleton", flaky)
    target = tmp_path / "report.html"
    with pytest.raises(RuntimeError, match="simulated crash"):
        write_html_report(analysis, target)
    assert list(tmp_path.iterdir()) == []
