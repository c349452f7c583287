"""Assessment: red flags refer, pain and screens shape the starting point; CLI by flags and prompts."""

from __future__ import annotations

import io
import json

import pytest

from liftsafe.errors import InputError
from liftsafe.training.assessment import (
    Answers,
    HingeTest,
    JobDemand,
    RedFlag,
    ToeTouch,
    assess,
    hinge_test_from_result,
)
from liftsafe.training.library import Level
from liftsafe.training.log import PainType
from liftsafe.training.plan import generate_plan


@pytest.mark.parametrize("flag", list(RedFlag))
def test_every_red_flag_refers_to_a_clinician(flag):
    a = assess(Answers(level=Level.ADVANCED, red_flags=frozenset({flag})))
    assert not a.clear_to_train and a.plan_command() is None
    assert any("red flag" in r for r in a.refer_reasons)


def test_cauda_equina_flags_are_urgent():
    a = assess(Answers(red_flags=frozenset({RedFlag.BLADDER_BOWEL})))
    assert "emergency" in a.refer_reasons[0]


@pytest.mark.parametrize(
    ("pain", "ptype", "cleared"),
    [
        (0, None, True),
        (3, PainType.DULL, True),
        (6, PainType.DULL, True),
        (7, PainType.DULL, False),
        (2, PainType.SHARP, False),
    ],
)
def test_pain_now(pain, ptype, cleared):
    a = assess(Answers(level=Level.INTERMEDIATE, pain_now=pain, pain_type=ptype))
    assert a.clear_to_train is cleared
    if cleared and pain:
        assert a.level is Level.BEGINNER and a.extra_mobility_weeks == 1
    if cleared and not pain:
        assert a.level is Level.INTERMEDIATE and a.extra_mobility_weeks == 0


def test_screens_shape_the_plan():
    a = assess(
        Answers(
            level=Level.ADVANCED,
            toe_touch=ToeTouch.KNEES,
            hinge_test=HingeTest.FAIL,
            job_demand=JobDemand.HEAVY,
            equipment=("kettlebell",),
            sessions_per_week=2,
        )
    )
    assert a.clear_to_train and a.level is Level.BEGINNER and a.extra_mobility_weeks == 2
    assert any("half-kneel" in line for line in a.advice) and any("at work" in line for line in a.advice)
    cmd = a.plan_command()
    assert (
        cmd
        == "liftsafe plan --level beginner --weeks 12 --sessions-per-week 2 --equipment kettlebell "
           "--extra-mobility-weeks 2"
    )
    base = generate_plan("beginner", weeks=12, sessions_per_week=2)
    gated = generate_plan(
        "beginner", weeks=12, sessions_per_week=2, extra_mobility_weeks=a.extra_mobility_weeks
    )
    mob = lambda p: sum(w.phase.value == "mobility" and not w.deload for w in p.weeks)  # noqa: E731
    assert mob(gated) == mob(base) + 2
    ids = lambda p: {
        e.exercise_id for w in p.weeks for s in w.sessions for b in s.blocks for e in b.exercises
    }  # noqa: E731
    assert "half-kneel-lift" in ids(gated) and "half-kneel-lift" not in ids(base)


def test_hinge_test_from_analysis_result():
    assert hinge_test_from_result({"verdict": "good"}, source="r.json") is HingeTest.PASS
    assert hinge_test_from_result({"verdict": "unsafe"}, source="r.json") is HingeTest.FAIL
    # a clip that could not be judged neither passes nor fails the hinge test
    assert hinge_test_from_result({"verdict": "not_judged"}, source="r.json") is HingeTest.UNKNOWN
    with pytest.raises(InputError, match=r"r.json: not a technique-analysis result"):
        hinge_test_from_result({"rep_count": 3}, source="r.json")


def test_assess_me_by_flags(run_cli, tmp_path):
    res = run_cli(
        "assess-me",
        "--no-interactive",
        "--level",
        "intermediate",
        "--no-red-flags",
        "--toe-touch",
        "floor",
        "--hinge-test",
        "pass",
        "--job",
        "none",
        "--equipment",
        "all",
        "--sessions-per-week",
        "2",
        "--json",
    )
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["clear_to_train"] and doc["level"] == "intermediate"
    assert doc["plan_command"] == "liftsafe plan --level intermediate --weeks 12 --sessions-per-week 2"
    result = tmp_path / "hinge.json"
    result.write_text(json.dumps({"exercise": "hip-hinge", "verdict": "needs_work"}))
    res = run_cli(
        "assess-me",
        "--no-interactive",
        "--level",
        "advanced",
        "--no-red-flags",
        "--hinge-result",
        str(result),
        "--json",
    )
    doc = json.loads(res.stdout)
    assert doc["level"] == "beginner" and doc["answers"]["hinge_test"] == "fail"
    res = run_cli("assess-me", "--no-interactive", "--red-flag", "night-pain", "--red-flag", "fever")
    assert res.exit_code == 0 and "Not cleared" in res.stdout and "fever" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], r"answer the red-flag question"),
        (["--red-flag", "headache"], r"--red-flag must be one of groin-numbness"),
        (["--no-red-flags", "--pain", "12"], r"--pain must be 0-10; got 12"),
        (["--no-red-flags", "--toe-touch", "ankles"], r"--toe-touch must be one of floor, shins, knees"),
        (["--no-red-flags", "--pain-type", "sharp"], r"--pain-type given but --pain is 0"),
        (["--no-red-flags", "--equipment", "rower"], r"--equipment: unknown item\(s\) rower"),
    ],
)
def test_assess_me_bad_flags(run_cli, args, message):
    import re

    res = run_cli("assess-me", "--no-interactive", *args)
    assert res.exit_code == 2 and re.search(message, res.stderr), res.stderr


def test_assess_me_interactive_prompts(run_cli, monkeypatch):
    answers = ["n"] * 6 + [
        "intermediate",
        "4",
        "dull",
        "lower back",
        "shins",
        "pass",
        "frequent",
        "dumbbells",
        "2",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    res = run_cli("assess-me", "--interactive", "--json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout[res.stdout.index("{"):])
    assert doc["answers"]["pain_where"] == "lower back" and doc["answers"]["toe_touch"] == "shins"
    assert (
        doc["level"] == "beginner" and doc["extra_mobility_weeks"] == 2 and doc["equipment"] == ["dumbbells"]
    )
