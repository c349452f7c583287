"""Assessment before a plan: red flags, current pain, mobility screens, job demands.

Rules (McGill 2015; Haff & Triplett 2016; red flags from NICE guideline NG59
"Low back pain and sciatica in over 16s" (2016, updated 2020) and Finucane L.M. et al.,
"International framework for red flags for potential serious spinal pathologies", JOSPT
50(7):350-372, 2020):

* any red flag -- numbness in the groin/saddle area, loss of bladder or bowel control
  (possible cauda equina syndrome), unexplained weight loss or night pain (possible
  malignancy), fever (possible infection), leg weakness (progressive neurological deficit)
  -> not cleared: see a clinician first, no plan;
* sharp pain now, or pain >= 7/10 now (heuristic "severe" cut-off) -> not cleared: pause
  and get it assessed ("sharp or lingering pain means pause and assess");
* any current pain 1-6 (dull) -> cleared, but the plan starts at beginner level and the
  mobility phase is one week longer (heuristic);
* toe-touch screen: fingertips reach only the knees -> two extra mobility weeks; only the
  shins -> one (heuristic) and floor pick-ups from a half-kneel ("build flexibility first,
  use a lunge-type posture to reach the floor");
* hip-hinge test failed (self-tested with wall taps, or a technique-analysis verdict other
  than "good") -> level capped at beginner: learn the hinge first (heuristic);
* job lifting demands -> advice to practise the job's own lifts as hinge drills.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping, Sequence

from liftsafe.errors import InputError
from liftsafe.result import VERDICT_VALUES, Verdict
from liftsafe.training.library import Level
from liftsafe.training.log import PainType

SEVERE_PAIN = 7  # heuristic: 7-10 on the 0-10 numeric rating scale is usually called severe


class RedFlag(StrEnum):
    GROIN_NUMBNESS = "groin-numbness"
    BLADDER_BOWEL = "bladder-bowel"
    WEIGHT_LOSS = "weight-loss"
    FEVER = "fever"
    NIGHT_PAIN = "night-pain"
    LEG_WEAKNESS = "leg-weakness"


RED_FLAG_TEXT = {
    RedFlag.GROIN_NUMBNESS: "numbness in the groin or saddle area",
    RedFlag.BLADDER_BOWEL: "loss of bladder or bowel control",
    RedFlag.WEIGHT_LOSS: "unexplained weight loss",
    RedFlag.FEVER: "fever with back pain",
    RedFlag.NIGHT_PAIN: "back pain at night that rest does not ease",
    RedFlag.LEG_WEAKNESS: "weakness in a leg",
}


class ToeTouch(StrEnum):
    FLOOR = "floor"
    SHINS = "shins"
    KNEES = "knees"
    UNKNOWN = "unknown"


class HingeTest(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class JobDemand(StrEnum):
    NONE = "none"
    OCCASIONAL = "occasional"
    FREQUENT = "frequent"
    HEAVY = "heavy"


EXTRA_MOBILITY_WEEKS = {
    ToeTouch.FLOOR: 0,
    ToeTouch.SHINS: 1,
    ToeTouch.KNEES: 2,
    ToeTouch.UNKNOWN: 0,
}  # heuristic


@dataclass(frozen=True)
class Answers:
    level: Level = Level.BEGINNER
    pain_now: int = 0
    pain_where: str = ""
    pain_type: PainType | None = None
    red_flags: frozenset[RedFlag] = frozenset()
    toe_touch: ToeTouch = ToeTouch.UNKNOWN
    hinge_test: HingeTest = HingeTest.UNKNOWN
    hinge_source: str = "self"
    job_demand: JobDemand = JobDemand.NONE
    equipment: tuple[str, ...] | None = None
    sessions_per_week: int = 3


@dataclass(frozen=True)
class Assessment:
    clear_to_train: bool
    level: Level
    sessions_per_week: int
    extra_mobility_weeks: int
    equipment: tuple[str, ...] | None
    refer_reasons: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    answers: Answers | None = field(default=None, compare=False)

    def plan_command(self, *, weeks: int = 12) -> str | None:
        """The ``liftsafe plan create`` command for this assessment, or None when not cleared."""
        if not self.clear_to_train:
            return None
        cmd = (
            f"liftsafe plan --level {self.level.value} --weeks {weeks} --sessions-per-week "
            f"{self.sessions_per_week}"
        )
        if self.equipment is not None:
            cmd += f" --equipment {','.join(self.equipment) or 'none'}"
        if self.extra_mobility_weeks:
            cmd += f" --extra-mobility-weeks {self.extra_mobility_weeks}"
        return cmd

    def to_dict(self) -> dict[str, Any]:
        """The assessment as a JSON-ready dict."""
        a = self.answers
        return {
            "clear_to_train": self.clear_to_train,
            "refer_reasons": list(self.refer_reasons),
            "level": self.level.value,
            "sessions_per_week": self.sessions_per_week,
            "extra_mobility_weeks": self.extra_mobility_weeks,
            "equipment": None if self.equipment is None else list(self.equipment),
            "advice": list(self.advice),
            "plan_command": self.plan_command(),
            "answers": None
            if a is None
            else {
                "level": a.level.value,
                "pain_now": a.pain_now,
                "pain_where": a.pain_where,
                "pain_type": None if a.pain_type is None else a.pain_type.value,
                "red_flags": sorted(f.value for f in a.red_flags),
                "toe_touch": a.toe_touch.value,
                "hinge_test": a.hinge_test.value,
                "hinge_source": a.hinge_source,
                "job_demand": a.job_demand.value,
                "equipment": None if a.equipment is None else list(a.equipment),
                "sessions_per_week": a.sessions_per_week,
            },
        }


def hinge_test_from_result(result: Mapping[str, Any], *, source: str) -> HingeTest:
    """Hip-hinge test from a technique-analysis result: ``good`` -> pass, ``needs_work`` and
    ``unsafe`` -> fail, ``not_judged`` -> unknown (the clip could not be judged)."""
    verdict = Verdict.parse(result.get("verdict")) if isinstance(result, Mapping) else None
    if verdict is None:
        raise InputError(
            f"{source}: not a technique-analysis result (expected a 'verdict' of "
            f"{', '.join(VERDICT_VALUES)})."
        )
    if verdict is Verdict.NOT_JUDGED:
        return HingeTest.UNKNOWN
    return HingeTest.PASS if verdict is Verdict.GOOD else HingeTest.FAIL


def assess(answers: Answers) -> Assessment:
    """Turn answers into a decision: cleared or not, level, extra mobility, advice."""
    if not 0 <= answers.pain_now <= 10:
        raise InputError(f"pain must be 0-10; got {answers.pain_now}.", field="pain")
    if answers.sessions_per_week not in (2, 3):
        raise InputError(
            f"sessions_per_week must be 2 or 3; got {answers.sessions_per_week}.", field="sessions_per_week"
        )
    refer: list[str] = []
    advice: list[str] = []
    for flag in sorted(answers.red_flags):
        if flag in (RedFlag.GROIN_NUMBNESS, RedFlag.BLADDER_BOWEL):
            refer.append(
                f"red flag: {RED_FLAG_TEXT[flag]} -- seek emergency medical care today, before any training"
            )
        else:
            refer.append(f"red flag: {RED_FLAG_TEXT[flag]} -- see a doctor before any training")
    where = f" ({answers.pain_where})" if answers.pain_where else ""
    if answers.pain_now and answers.pain_type is PainType.SHARP:
        refer.append(
            f"sharp pain now{where}, {answers.pain_now}/10 -- pause and have it assessed before loading"
        )
    elif answers.pain_now >= SEVERE_PAIN:
        refer.append(f"severe pain now{where}, {answers.pain_now}/10 -- have it assessed before training")

    level = answers.level
    extra = EXTRA_MOBILITY_WEEKS[answers.toe_touch]
    if answers.pain_now and not refer:
        if level is not Level.BEGINNER:
            advice.append(
                f"you have {answers.pain_now}/10 pain now{where}: starting at beginner level until it settles"
            )
        level = Level.BEGINNER
        extra += 1
        advice.append(
            "one extra mobility week while the pain settles; stop any exercise that causes sharp pain "
            "(ordinary effort discomfort is fine)"
        )
    if answers.hinge_test is HingeTest.FAIL:
        if level is not Level.BEGINNER:
            advice.append(
                "the hip-hinge test was not passed: learn the hinge first with wall taps and the dowel drill"
            )
        level = Level.BEGINNER
    if answers.toe_touch in (ToeTouch.SHINS, ToeTouch.KNEES):
        advice.append(
            f"fingertips reach only the {answers.toe_touch.value}: "
            f"{EXTRA_MOBILITY_WEEKS[answers.toe_touch]} extra mobility week(s) for hamstrings and hips; "
            "until then pick loads up from the floor in a half-kneel, or get help with heavy ones"
        )
    if answers.job_demand in (JobDemand.FREQUENT, JobDemand.HEAVY):
        advice.append(
            "you lift at work: practise your job's own lifts as hinge drills (film one for `liftsafe "
            "analyze` with the box-lift check) "
            "and keep loads close to the body"
        )
    if answers.hinge_test is HingeTest.UNKNOWN:
        advice.append(
            "film a few wall taps or a light hinge and run the technique analysis to test your hinge"
        )
    return Assessment(
        clear_to_train=not refer,
        level=level,
        sessions_per_week=answers.sessions_per_week,
        extra_mobility_weeks=extra if not refer else 0,
        equipment=answers.equipment,
        refer_reasons=tuple(refer),
        advice=tuple(advice),
        answers=answers,
    )


def parse_choice(value: str, enum: type[StrEnum], option: str) -> Any:
    """The enum member named by ``value``, or an InputError naming ``option`` and the choices."""
    try:
        return enum(value.strip().lower())
    except ValueError:
        raise InputError(
            f"{option} must be one of {', '.join(m.value for m in enum)}; got '{value}'.", field=option
        ) from None


def parse_red_flags(values: Sequence[str]) -> frozenset[RedFlag]:
    """Red flags from their names."""
    return frozenset(parse_choice(v, RedFlag, "red_flag") for v in values)
