"""`liftsafe evaluate` on the shared clips: rep counts against the by-eye counts kept in
tests/data (facts only; the clips stay in ../shared), error rows, reports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.clips

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "shared_clip_labels.py"


def labels_file(clips_dir: Path, target: Path, extra_rows=()):
    """The labels the docs use (scripts/shared_clip_labels.py), plus ``extra_rows``."""
    subprocess.run(
        [sys.executable, str(SCRIPT), str(clips_dir), str(target)], check=True, capture_output=True
    )
    with open(target, "a") as fh:
        for row in extra_rows:
            fh.write(row + "\n")
    return target


@pytest.fixture(scope="session")
def evaluation(clips_dir, tmp_path_factory):
    """One evaluation of all shared clips (plus a corrupt one), reused by the tests below."""
    work = tmp_path_factory.mktemp("evaluate")
    folder = work / "clips"
    for sub in ("good", "bad"):
        (folder / sub).mkdir(parents=True)
        for clip in (clips_dir / sub).glob("*.mp4"):
            (folder / sub / clip.name).symlink_to(clip)
    (folder / "bad" / "corrupt.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)
    labels = labels_file(clips_dir, work / "labels.csv", extra_rows=["bad/corrupt.mp4,bad,1,,corrupt,side"])
    out = work / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "liftsafe",
            "evaluate",
            str(folder),
            "--labels",
            str(labels),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--json",
            "--calibrate",
            "--no-reports",
        ],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), out


def test_rep_counts_match_the_by_eye_counts(evaluation):
    data, _ = evaluation
    clips = [c for c in data["clips"] if c["error"] is None]
    exact = [c for c in clips if c["rep_count"] == c["true_rep_count"]]
    misses = [(c["file"], c["rep_count"], c["true_rep_count"]) for c in clips if c not in exact]
    # the target is 0.95; measured 34 of 35 (0.97) -- bad016, whose lifter is tracked
    # upside down through the lift, is the miss (docs/evaluation.md)
    assert len(exact) / len(clips) >= 0.95, misses


def test_corrupt_clip_is_an_error_row_and_the_run_goes_on(evaluation):
    data, out = evaluation
    corrupt = next(c for c in data["clips"] if c["file"] == "bad/corrupt.mp4")
    assert corrupt["error"] and corrupt["predicted"] is None
    assert corrupt["abstain_reason"].startswith("error:")
    assert data["scores"]["errors"] == 1 and data["scores"]["clips"] == 36
    md = (out / "evaluation.md").read_text()
    assert "bad/corrupt.mp4" in md and "balanced accuracy" in md
    assert (out / "evaluation.html").read_text().count("<tr>") >= 36


def test_front_and_back_views_abstain(evaluation):
    data, _ = evaluation
    by_file = {c["file"]: c for c in data["clips"]}
    for name in ("good/good010.mp4", "good/good017.mp4", "bad/bad017.mp4"):  # front views by eye
        assert by_file[name]["predicted"] is None, by_file[name]


def test_calibration_reports_a_cross_validated_score(evaluation):
    data, _ = evaluation
    cal = data["calibration"]
    assert cal["folds"] >= 5 and cal["judged"] == data["scores"]["judged"]
    assert 0.0 <= cal["cv_ba"] <= 1.0
    # a held-out clip the fold's spine window cannot measure is an abstention of the cross-validation
    assert sum(cal["cv_confusion"]) + len(cal["cv_abstained"]) == cal["judged"]
    assert (
        set(cal["fold_spine_shares"]) <= {0.25, 0.5, 0.75, 1.0}
        and len(cal["fold_spine_shares"]) == cal["folds"]
    )
    # what is cross-validated is what ships: the table's rule reproduces every product verdict
    assert cal["reproduced"] == cal["judged"]
    assert {code for code, _ in cal["rule"]["limits"]} == {"rounded_back", "hips_rise_first"}


def test_rounded_back_agreement_with_the_labelled_clips(evaluation):
    """Issue 3: every bad clip showing a rounded back gets rounded_back, no good clip does.
    Measured: found in 6 of 7 judged rounded clips (bad011 only minor), no false alarm (good007,
    flagged before, starts after its lift-off and is not judged; docs/spine.md)."""
    data, _ = evaluation
    agreement = data["scores"]["fault_agreement"]["rounded_back"]
    assert agreement["labelled"] == 7
    assert agreement["found"] >= agreement["judged"] - 2, agreement
    assert len(agreement["false_alarms"]) <= 1, agreement


def test_oblique_clips_are_judged_within_the_spine_yaw_limit_only(evaluation):
    """Back rounding is judged up to 40 deg off side-on (simulator sweep, docs/spine.md); the
    powerlifter's clips sit at about 39-41 deg, so both sides of the limit are exercised."""
    data, _ = evaluation
    oblique = [c for c in data["clips"] if c["view"] == "oblique" and c["rep_count"]]
    assert {c["yaw_deg"] <= 40 for c in oblique} == {True, False}, oblique
    for c in oblique:
        if c["yaw_deg"] <= 40:
            assert c["predicted"] is not None, c
        else:
            assert c["predicted"] is None and "judged within 40 deg" in c["abstain_reason"], c


def test_noise_figures_and_the_shipped_budget_is_the_derived_one(evaluation):
    """`liftsafe evaluate` reports noise; the shipped false-alarm budget (technique/budget.json)
    is exactly what `--budget-out` derives from these clips (the budget is rerunnable), and
    leave one source out sound lifts get at most 1.0 distinct faults on average (measured 0.20)."""
    import json as _json
    from importlib import resources

    data, out = evaluation
    noise = data["noise"]
    shipped = _json.loads(resources.files("liftsafe.technique").joinpath("budget.json").read_text())
    derived = noise["derived_budget"]
    key = lambda r: (r["code"], r["view"])  # noqa: E731
    assert sorted(((key(r), r["floor"] or "not checked") for r in shipped)) == sorted(
        (key(r), r["floor"]) for r in derived)
    for code, f in noise["product"]["faults"].items():  # in-sample, every reported fault fits its budget
        for view, cell in f["by_view"].items():
            if cell["sound_reps"] >= 10:
                assert cell["rate"] <= 0.1, (code, view, cell)
    held = noise["held_out"]
    assert held["scheme"] == "leave one source out" and held["folds"] >= 8
    assert held["mean_distinct_faults_per_sound_lift"] <= 1.0
    # a major fault on at most 1 sound lift in 10 (measured: none of 15)
    assert held["sound_lifts_with_major"] <= 0.1 * held["sound_lifts"]
    assert held["rounded_back"]["found"] >= 6
    assert "## Noise" in (out / "evaluation.md").read_text() and (out / "noise.json").exists()
