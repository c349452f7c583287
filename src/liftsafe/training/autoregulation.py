"""Auto-regulation: explainable next-session decisions from the workout log.

Rules (progression, pain and periodisation after McGill 2015; Haff & Triplett 2016), checked in this order;
the first
that fires decides, and every decision carries the rule id, the action and one sentence with
the evidence:

1. ``sharp-pain-stop`` -- sharp pain during a set of the exercise (or sharp pain after the
   session) in its latest session stops the exercise and regresses it to the first
   regression in the library ("sharp or lingering pain means pause and assess").
2. ``soreness-reassess`` -- soreness lasting beyond 72 h after a recent session, or
   worsening, cuts the next session's volume and asks for a reassessment ("soreness lasting
   beyond 72 hours or worsening with activity means reassess volume, load and exercise
   choice").
3. ``form-breakdown`` -- form broke down in a set of the latest session: reduce the load
   ("if technique deteriorates, reduce the weight").
4. ``deload-week`` -- the next week is a deload week ("three loading weeks, then one lighter
   week").
5. ``flawless-progress`` -- the last ``min_sets`` sets at the current load, across at least
   ``min_sessions`` sessions, were flawless and pain-free: add load ("add load only when form
   has stayed flawless for several consecutive sets").
6. ``hold`` -- otherwise keep the load, and say what is missing.

Heuristic numbers (not fixed by the reference): 3 sets across 2 sessions, -10 % load on a
breakdown, deload to 60 % load with one set fewer, volume x 2/3 after excess soreness, and
load steps by implement (barbell and trap bar 2.5 kg -- the smallest common plate pair;
dumbbells 2 kg; kettlebells 4 kg -- the usual bell steps).

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Sequence

from liftsafe.training.library import Library, LibraryExercise, load_library
from liftsafe.training.log import FormQuality, PainType, SessionRecord, SetRecord

SORENESS_LIMIT_H = 72.0  # DOMS peaks 24-72 h after exercise (Cheung et al. 2003, Sports Med 33(2):145-164)
RECENT_SORENESS_WINDOW = timedelta(days=14)  # heuristic: older soreness no longer drives volume
MIN_FLAWLESS_SETS = 3  # heuristic reading of "several consecutive sets"
MIN_FLAWLESS_SESSIONS = 2  # heuristic
BREAKDOWN_LOAD_FACTOR = 0.9  # heuristic
DELOAD_LOAD_FACTOR = 0.6  # heuristic, as in the plan's deload weeks
SORENESS_VOLUME_FACTOR = 2 / 3  # heuristic
LOAD_STEP_KG = {"barbell": 2.5, "trap-bar": 2.5, "dumbbells": 2.0, "kettlebell": 4.0}  # heuristic
DEFAULT_LOAD_STEP_KG = 2.5  # heuristic
HOLD_STEP_S, REPS_STEP, DISTANCE_STEP_M = 5, 2, 10  # heuristic dose steps for unloaded work


class RuleId(StrEnum):
    SHARP_PAIN_STOP = "sharp-pain-stop"
    SORENESS_REASSESS = "soreness-reassess"
    FORM_BREAKDOWN = "form-breakdown"
    DELOAD_WEEK = "deload-week"
    FLAWLESS_PROGRESS = "flawless-progress"
    HOLD = "hold"


class Action(StrEnum):
    STOP_AND_REGRESS = "stop_and_regress"
    CUT_VOLUME_AND_REASSESS = "cut_volume_and_reassess"
    REDUCE_LOAD = "reduce_load"
    DELOAD = "deload"
    INCREASE_LOAD = "increase_load"
    INCREASE_DOSE = "increase_dose"
    HOLD = "hold"


@dataclass(frozen=True)
class Decision:
    """One explainable decision for the next session of ``exercise_id``."""

    rule: RuleId
    action: Action
    exercise_id: str
    explanation: str
    load_kg: float | None = None
    load_change_kg: float | None = None
    volume_factor: float = 1.0
    regress_to: str | None = None
    reassess: bool = False

    def to_dict(self) -> dict:
        """The decision as a JSON-ready dict."""
        return {
            "rule": self.rule.value, "action": self.action.value, "exercise_id": self.exercise_id,
            "explanation": self.explanation, "load_kg": self.load_kg, "load_change_kg": self.load_change_kg,
            "volume_factor": self.volume_factor, "regress_to": self.regress_to, "reassess": self.reassess,
        }


def _round_half(x: float) -> float:
    return round(x * 2) / 2


def _day(dt: datetime) -> str:
    return dt.date().isoformat()


def load_step_kg(ex: LibraryExercise) -> float:
    """Smallest load step of the exercise's equipment (kg)."""
    for item in ex.equipment:
        if item in LOAD_STEP_KG:
            return LOAD_STEP_KG[item]
    return DEFAULT_LOAD_STEP_KG


def _sets_of(
    sessions: Sequence[SessionRecord], exercise_id: str
) -> list[tuple[SessionRecord, int, SetRecord]]:
    return [
        (s, i, st) for s in sessions for i, st in enumerate(s.sets, start=1) if st.exercise_id == exercise_id
    ]


def _excess_soreness(s: SessionRecord, now: datetime) -> str | None:
    if not s.soreness:
        return None
    if s.soreness_worsening:
        return f"soreness ({s.soreness}/10) after the session on {_day(s.performed_at)} is getting worse"
    if s.soreness_end_h is not None:
        if s.soreness_end_h > SORENESS_LIMIT_H:
            return (
                f"soreness ({s.soreness}/10) after the session on {_day(s.performed_at)} lasted "
                f"{s.soreness_end_h:g} h, beyond 72 h"
            )
        return None
    if s.soreness_onset_h is not None:
        elapsed_h = (now - s.performed_at).total_seconds() / 3600
        if elapsed_h > SORENESS_LIMIT_H:
            return (
                f"soreness ({s.soreness}/10) after the session on {_day(s.performed_at)} is still there "
                f"{elapsed_h:.0f} h later, beyond 72 h"
            )
    return None


def decide(  # noqa: C901
    history: Sequence[SessionRecord],
    exercise_id: str,
    *,
    now: datetime,
    next_week_deload: bool = False,
    min_sets: int = MIN_FLAWLESS_SETS,
    min_sessions: int = MIN_FLAWLESS_SESSIONS,
    library: Library | None = None,
) -> Decision:
    """The decision for the next session of ``exercise_id`` given the log ``history``."""
    library = library or load_library()
    ex = library.get(exercise_id)
    sessions = sorted(history, key=lambda s: (s.performed_at, s.id or 0))
    own = [s for s in sessions if any(st.exercise_id == exercise_id for st in s.sets)]
    if not own:
        return Decision(
            RuleId.HOLD,
            Action.HOLD,
            exercise_id,
            f"keep the planned dose of {exercise_id}: no logged sets yet, so start light and rate your form",
        )
    latest = own[-1]
    latest_sets = [(i, st) for i, st in enumerate(latest.sets, start=1) if st.exercise_id == exercise_id]
    current_load = next((st.load_kg for _, st in reversed(latest_sets) if st.load_kg is not None), None)

    # 1. sharp pain
    sharp = [(i, st) for i, st in latest_sets if st.sharp_pain]
    if sharp or (latest.pain_after_type is PainType.SHARP and (latest.pain_after or 0) > 0):
        regress = ex.regressions[0] if ex.regressions else None
        if sharp:
            i, st = sharp[0]
            evidence = f"set {i} on {_day(latest.performed_at)} caused sharp pain ({st.pain_during}/10)"
        else:
            evidence = f"the session on {_day(latest.performed_at)} left sharp pain ({latest.pain_after}/10)"
        then = f"regress to {regress}" if regress else "do not replace it until the pain is assessed"
        return Decision(
            RuleId.SHARP_PAIN_STOP,
            Action.STOP_AND_REGRESS,
            exercise_id,
            f"stop {exercise_id} and {then} because {evidence}; sharp pain means pause and get it assessed "
            f"if it persists",
            regress_to=regress,
            reassess=True,
        )

    # 2. soreness beyond 72 h or worsening (any recent session: soreness is whole-body)
    for s in reversed(sessions):
        if now - s.performed_at > RECENT_SORENESS_WINDOW:
            break
        why = _excess_soreness(s, now)
        if why:
            return Decision(
                RuleId.SORENESS_REASSESS,
                Action.CUT_VOLUME_AND_REASSESS,
                exercise_id,
                f"cut the next session's volume to about two thirds (one set in three fewer) and reassess "
                f"volume, load and exercise choice because {why}",
                load_kg=current_load,
                volume_factor=round(SORENESS_VOLUME_FACTOR, 3),
                reassess=True,
            )

    # 3. form breakdown
    broken = [(i, st) for i, st in latest_sets if st.form is FormQuality.BREAKDOWN]
    if broken:
        i, st = broken[0]
        if st.load_kg:
            new = _round_half(st.load_kg * BREAKDOWN_LOAD_FACTOR)
            return Decision(
                RuleId.FORM_BREAKDOWN,
                Action.REDUCE_LOAD,
                exercise_id,
                f"load {new - st.load_kg:+g} kg (to {new:g} kg) because form broke down in set {i} on "
                f"{_day(latest.performed_at)} at {st.load_kg:g} kg",
                load_kg=new,
                load_change_kg=round(new - st.load_kg, 2),
            )
        return Decision(
            RuleId.FORM_BREAKDOWN,
            Action.HOLD,
            exercise_id,
            f"repeat the same dose, slower, because form broke down in set {i} on "
            f"{_day(latest.performed_at)}; regress to "
            f"{ex.regressions[0] if ex.regressions else 'an easier variation'} if it breaks again",
            regress_to=ex.regressions[0] if ex.regressions else None,
        )

    # 4. deload
    if next_week_deload:
        new = None if current_load is None else _round_half(current_load * DELOAD_LOAD_FACTOR)  # type: ignore[assignment]
        load_txt = "" if new is None else f" (about {new:g} kg)"
        return Decision(
            RuleId.DELOAD_WEEK,
            Action.DELOAD,
            exercise_id,
            f"deload{load_txt}: one set fewer at about 60% of the working load because three loading weeks "
            f"are done",
            load_kg=new,
            load_change_kg=None if new is None else round(new - current_load, 2),  # type: ignore[operator]
            volume_factor=0.75,
        )

    # 5. flawless progress: the last `min_sets` sets at the current load
    all_sets = _sets_of(own, exercise_id)
    at_load = []
    for s, i, st in reversed(all_sets):
        if st.load_kg != current_load:
            break
        at_load.append((s, i, st))
        if len(at_load) == min_sets:
            break
    window = list(reversed(at_load))
    not_flawless = [(s, i, st) for s, i, st in window if st.form is not FormQuality.FLAWLESS]
    painful = [(s, i, st) for s, i, st in window if st.pain_during > 0]
    n_sessions = len({id(s) for s, _, _ in window})
    ready = len(window) >= min_sets and not not_flawless and not painful and n_sessions >= min_sessions
    if ready:
        evidence = f"the last {len(window)} sets across {n_sessions} sessions were flawless and pain-free"
        if current_load:
            step = load_step_kg(ex)
            return Decision(
                RuleId.FLAWLESS_PROGRESS, Action.INCREASE_LOAD, exercise_id,
                f"load +{step:g} kg (to {current_load + step:g} kg) because {evidence}",
                load_kg=current_load + step, load_change_kg=step,
            )
        dose = {
            "reps": f"+{REPS_STEP} reps",
            "hold_s": f"+{HOLD_STEP_S} s",
            "distance_m": f"+{DISTANCE_STEP_M} m",
        }[ex.dose.value]
        return Decision(
            RuleId.FLAWLESS_PROGRESS,
            Action.INCREASE_DOSE,
            exercise_id,
            f"dose {dose} per set because {evidence}"
            + (f"; or move on to {ex.progressions[0]}" if ex.progressions else ""),
        )

    # 6. hold, saying what is missing
    if painful:
        s, i, st = painful[-1]
        why = f"set {i} on {_day(s.performed_at)} was not pain-free ({st.pain_during}/10)"
    elif not_flawless:
        s, i, st = not_flawless[-1]
        why = (
            f"set {i} on {_day(s.performed_at)} was "
            f"{'not rated for form' if st.form is None else 'rated ' + st.form.value}"
        )
    elif len(window) < min_sets:
        why = f"only {len(window)} set(s) at this load so far; {min_sets} flawless sets are needed"
    else:
        why = f"the flawless sets span only {n_sessions} session(s); {min_sessions} are needed"
    what = f"the load at {current_load:g} kg" if current_load else "the same dose"
    return Decision(
        RuleId.HOLD,
        Action.HOLD,
        exercise_id,
        f"keep {what} because {why}",
        load_kg=current_load,
        load_change_kg=0.0 if current_load else None,
    )


def decide_all(
    history: Sequence[SessionRecord],
    *,
    now: datetime,
    next_week_deload: bool = False,
    library: Library | None = None,
) -> list[Decision]:
    """Decisions for every exercise of the newest session, in the order they were done."""
    if not history:
        return []
    latest = max(history, key=lambda s: (s.performed_at, s.id or 0))
    ids = list(dict.fromkeys(st.exercise_id for st in latest.sets))
    return [
        decide(history, ex_id, now=now, next_week_deload=next_week_deload, library=library) for ex_id in ids
    ]
