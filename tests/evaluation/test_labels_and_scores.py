import pytest

from liftsafe.errors import InputError
from liftsafe.evaluation.labels import read_labels
from liftsafe.evaluation.metrics import balanced_accuracy, confusion, score
from liftsafe.evaluation.run import ClipOutcome


@pytest.fixture
def clips(tmp_path):
    for name in ("good/a.mp4", "good/b.mp4", "bad/c.mp4"):
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x")
    return tmp_path


def write(tmp_path, text):
    p = tmp_path / "labels.csv"
    p.write_text(text)
    return p


def test_labels_with_header_and_optional_columns(clips, tmp_path):
    rows = read_labels(
        write(
            tmp_path,
            "file,label,rep_count,group,view\n# note\ngood/a.mp4,good,2,g1,side\nbad/c.mp4,BAD,,g2,\n",
        ),
        clips,
    )
    assert [(r.file, r.label, r.rep_count, r.group, r.view) for r in rows] == [
        ("good/a.mp4", "good", 2, "g1", "side"), ("bad/c.mp4", "bad", None, "g2", None)]


def test_labels_without_header(clips, tmp_path):
    rows = read_labels(write(tmp_path, "good/a.mp4,good,1\ngood/b.mp4,good\n"), clips)
    assert [r.rep_count for r in rows] == [1, None]


def test_every_problem_is_reported_before_running(clips, tmp_path):
    text = "file,label,rep_count,fault\ngood/a.mp4,great\ngood/a.mp4,good\nmissing.mp4,bad\ngood/b.mp4,good,-1\nbad/c.mp4,bad,1,bent_back\n"  # noqa: E501
    with pytest.raises(InputError) as err:
        read_labels(write(tmp_path, text), clips)
    msg = str(err.value)
    assert "5 problem(s), nothing was run" in msg
    assert "row 2: label 'great'" in msg
    assert "row 3: 'good/a.mp4' is listed again (first on row 2)" in msg
    assert "row 4: clip 'missing.mp4' not found" in msg
    assert "row 5: rep_count '-1'" in msg
    assert "row 6: fault 'bent_back' is not a liftsafe fault code" in msg


def test_missing_labels_file(clips, tmp_path):
    with pytest.raises(InputError, match="labels file .* not found"):
        read_labels(tmp_path / "nope.csv", clips)


def outcome(
    file, label, verdict=None, *, judged=True, reps=1, true_reps=1, view="side", error=None, seconds=1.0
):
    result = (
        None
        if error
        else {"judged": judged, "rep_count": reps, "verdict": verdict or "good", "view": view, "reps": []}
    )
    return ClipOutcome(file, label, None, true_reps, seconds, "side", result=result, error=error)


def test_scores():
    outs = [
        outcome("1", "bad", "needs_work"), outcome("2", "bad", "unsafe"), outcome("3", "bad", "good"),
        outcome("4", "good", "good"), outcome("5", "good", "needs_work"),
        outcome("6", "good", judged=False, view="front"), outcome("7", "bad", error="corrupt", seconds=9.0),
        outcome("8", "good", "good", reps=2, true_reps=1),
    ]
    s = score(outs)
    assert (s.tp, s.fn, s.fp, s.tn) == (2, 1, 1, 2)
    assert s.sensitivity == pytest.approx(2 / 3) and s.specificity == pytest.approx(2 / 3)
    assert s.balanced_accuracy == pytest.approx(2 / 3)
    assert s.judged == 6 and s.clips == 8 and s.errors == 1
    assert s.coverage == pytest.approx(6 / 8)
    assert s.rep_count_exact == pytest.approx(6 / 7)
    reasons = {a["file"]: a["reason"] for a in s.abstentions}
    assert reasons["6"].startswith("camera view 'front'") and reasons["7"] == "error: corrupt"
    assert s.slowest[0] == {"file": "7", "seconds": 9.0}


def test_coverage_of_side_views_and_of_those_holding_a_lift():
    def o(name, judged, true_reps, true_view):
        result = {
            "judged": judged,
            "rep_count": 1 if true_reps is None else true_reps,
            "verdict": "good",
            "view": true_view,
            "reps": [],
        }
        return ClipOutcome(name, "good", None, true_reps, 1.0, true_view, result=result)

    outs = [
        o("a", True, 1, "side"), o("b", False, 1, "oblique"), o("c", False, 0, "side"),  # c: set-up only
        o("d", False, 1, "front"), o("e", True, None, "side"),  # e: reps not counted -> kept
    ]
    s = score(outs)
    assert s.coverage == pytest.approx(2 / 5)
    assert s.coverage_side_oblique == pytest.approx(2 / 4)
    assert s.coverage_side_oblique_lifts == pytest.approx(2 / 3)


def test_confusion_and_ba_edge_cases():
    assert confusion([("bad", "bad"), ("good", "bad")]) == (1, 0, 1, 0)
    assert balanced_accuracy(1, 0, 0, 0) is None
