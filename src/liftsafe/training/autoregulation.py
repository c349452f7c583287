"""Auto-regulation: explainable next-session decisions from the workout log.

Rules after McGill S. (2015), *Low Back Disorders*, 3rd ed., Human Kinetics, and Haff G.G. and
Triplett N.T. (eds.) (2016), *Essentials of Strength Training and Conditioning*, 4th ed.,
Human Kinetics; quoted phrases below paraphrase the program they describe.

:data:`RULES` is an ordered list of small rule functions; :func:`decide` asks each in turn
and the first that fires decides. Every rule has one sentence saying when it fires
(:attr:`Rule.summary`, shown in the docs and by ``liftsafe log rules``) and every decision
carries the rule id, the action and one sentence with the evidence. The rules read only the
past: sessions dated after ``now`` are ignored.

1. ``sharp-pain-stop`` -- sharp pain during a set of the exercise (or sharp pain after the
   session) in its latest session stops the exercise and regresses it ("sharp or lingering
   pain means pause and assess").
2. ``lingering-pain-reassess`` -- dull pain after each of the last two sessions: cut volume
   and ask for a reassessment ("sharp or lingering pain means pause and assess").
3. ``soreness-reassess`` -- soreness lasting beyond 72 h after a recent session, or
   worsening, cuts the next session's volume and asks for a reassessment ("soreness lasting
   beyond 72 hours or worsening with activity means reassess volume, load and exercise
   choice").
4. ``form-breakdown`` -- form broke down in a set of the latest session: reduce the load
   ("if technique deteriorates, reduce the weight").
5. ``deload-week`` -- the next week is a deload week ("three loading weeks, then one lighter
   week").
6. ``flawless-progress`` -- the last N working sets at the current load were flawless and
   pain-free and span at least two sessions: add load ("add load only when form has stayed
   flawless for several consecutive sets").
7. ``hold`` -- otherwise keep the load, and say what is missing.

Working sets only: warm-up and drop sets, and sets stopped by pain, are left out of the
progression streak and of the current load (they never break a streak either). Custom
exercises (imported names outside the library) get no auto-regulation until mapped.

Heuristic numbers (not fixed by the reference): N = 4 / 5 / 6 flawless working sets for
beginner / intermediate / advanced lifters (fewer for beginners, who adapt fastest; any two
sessions of the plan's 3-5 sets reach it), across 2 sessions; -10 % load on a breakdown;
deload to 60 % load with one set fewer; volume x 2/3 after excess soreness or lingering
pain; load steps by implement (barbell and trap bar 2.5 kg -- the smallest common plate
pair; dumbbells 2 kg; kettlebells 4 kg -- the usual bell steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Callable, Sequence

from liftsafe.training.equipment import DEFAULT_PROFILE, EquipmentProfile, describe_load, round_load
from liftsafe.training.library import Level, Library, LibraryExercise, load_library
from liftsafe.training.log import FormQuality, PainType, SessionRecord, SetRecord, is_custom

SORENESS_LIMIT_H = 72.0  # DOMS peaks 24-72 h after exercise (Cheung et al. 2003, Sports Med 33(2):145-164)
RECENT_SORENESS_WINDOW = timedelta(days=14)  # heuristic: older soreness no longer drives volume
#: Flawless, pain-free working sets in a row needed before load goes up, by level (heuristic
#: reading of "several consecutive sets").
MIN_FLAWLESS_SETS: dict[Level, int] = {Level.BEGINNER: 4, Level.INTERMEDIATE: 5, Level.ADVANCED: 6}
DEFAULT_LEVEL = Level.INTERMEDIATE
MIN_FLAWLESS_SESSIONS = 2  # heuristic: one good day is not yet a pattern
LINGERING_PAIN_SESSIONS = 2  # "lingering": dull pain after this many sessions in a row
BREAKDOWN_LOAD_FACTOR = 0.9  # heuristic
DELOAD_LOAD_FACTOR = 0.6  # heuristic, as in the plan's deload weeks
SORENESS_VOLUME_FACTOR = 2 / 3  # heuristic
LOAD_STEP_KG = {"barbell": 2.5, "trap-bar": 2.5, "dumbbells": 2.0, "kettlebell": 4.0}  # heuristic
DEFAULT_LOAD_STEP_KG = 2.5  # heuristic
HOLD_STEP_S, REPS_STEP, DISTANCE_STEP_M = 5, 2, 10  # heuristic dose steps for unloaded work


class RuleId(StrEnum):
    SHARP_PAIN_STOP = "sharp-pain-stop"
    LINGERING_PAIN_REASSESS = "lingering-pain-reassess"
    SORENESS_REASSESS = "soreness-reassess"
    FORM_BREAKDOWN = "form-breakdown"
    DELOAD_WEEK = "deload-week"
    FLAWLESS_PROGRESS = "flawless-progress"
    HOLD = "hold"
    NOT_MAPPED = "not-mapped"


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
        """The record as a JSON-ready dict."""
        return {
            "rule": self.rule.value,
            "action": self.action.value,
            "exercise_id": self.exercise_id,
            "explanation": self.explanation,
            "load_kg": self.load_kg,
            "load_change_kg": self.load_change_kg,
            "volume_factor": self.volume_factor,
            "regress_to": self.regress_to,
            "reassess": self.reassess,
        }


@dataclass(frozen=True)
class Context:
    """What every rule may read: the past sessions (oldest first, none after ``now``)."""

    exercise: LibraryExercise
    sessions: tuple[SessionRecord, ...]  # every past session, oldest first
    own: tuple[SessionRecord, ...]  # past sessions with a set of the exercise
    now: datetime
    next_week_deload: bool
    min_sets: int
    min_sessions: int
    latest_sets: tuple[tuple[int, SetRecord], ...] = field(
        default=()
    )  # (1-based position, set) of the latest own session
    equipment: EquipmentProfile = DEFAULT_PROFILE  # what exists: loads are rounded to it

    @property
    def exercise_id(self) -> str:
        """The exercise the decision is about."""
        return self.exercise.id

    @property
    def latest(self) -> SessionRecord:
        """The newest past session with a set of the exercise."""
        return self.own[-1]

    @property
    def current_load(self) -> float | None:
        """Load of the last working, pain-free set that had one (warm-ups and drops excluded)."""
        for s in reversed(self.own):
            for st in reversed([st for st in s.sets if st.exercise_id == self.exercise_id]):
                if st.counts_for_strength and st.load_kg is not None:
                    return st.load_kg
        return None


@dataclass(frozen=True)
class Rule:
    id: RuleId
    summary: str  # one sentence: when the rule fires and what it does
    check: Callable[[Context], Decision | None]


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


def min_flawless_sets(level: Level | str | None) -> int:
    """Flawless sets in a row that add load at ``level`` (default: intermediate)."""
    return MIN_FLAWLESS_SETS[Level(level) if level is not None else DEFAULT_LEVEL]


# --- the rules, in order -------------------------------------------------------------------


def sharp_pain_stop(c: Context) -> Decision | None:
    """Rule: sharp pain stops the exercise and regresses it."""
    latest = c.latest
    sharp = [(i, st) for i, st in c.latest_sets if st.sharp_pain]
    if not sharp and not (latest.pain_after_type is PainType.SHARP and (latest.pain_after or 0) > 0):
        return None
    ex = c.exercise
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
        c.exercise_id,
        f"stop {c.exercise_id} and {then} because {evidence}; sharp pain means pause and get it assessed if "
        "it persists",
        regress_to=regress,
        reassess=True,
    )


def lingering_pain_reassess(c: Context) -> Decision | None:
    """Rule: dull pain after the last two sessions cuts volume and asks for a reassessment."""
    recent = c.sessions[-LINGERING_PAIN_SESSIONS:]
    if len(recent) < LINGERING_PAIN_SESSIONS:
        return None
    if not all(s.pain_after and s.pain_after_type is not PainType.SHARP for s in recent):
        return None
    days = " and ".join(f"{_day(s.performed_at)} ({s.pain_after}/10)" for s in recent)
    return Decision(
        RuleId.LINGERING_PAIN_REASSESS,
        Action.CUT_VOLUME_AND_REASSESS,
        c.exercise_id,
        "cut the next session's volume to about two thirds and have the pain assessed because dull pain "
        "lingered after "
        f"{LINGERING_PAIN_SESSIONS} sessions in a row: {days}; lingering pain means pause and assess",
        load_kg=c.current_load,
        volume_factor=round(SORENESS_VOLUME_FACTOR, 3),
        reassess=True,
    )


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


def soreness_reassess(c: Context) -> Decision | None:
    """Rule: soreness beyond 72 h or worsening cuts volume and asks for a reassessment."""
    for s in reversed(c.sessions):  # soreness is whole-body: any recent session counts
        if c.now - s.performed_at > RECENT_SORENESS_WINDOW:
            break
        why = _excess_soreness(s, c.now)
        if why:
            return Decision(
                RuleId.SORENESS_REASSESS,
                Action.CUT_VOLUME_AND_REASSESS,
                c.exercise_id,
                "cut the next session's volume to about two thirds (one set in three fewer) and reassess "
                f"volume, load and exercise choice because {why}",
                load_kg=c.current_load,
                volume_factor=round(SORENESS_VOLUME_FACTOR, 3),
                reassess=True,
            )
    return None


def form_breakdown(c: Context) -> Decision | None:
    """Rule: a broken-down working set lowers the load."""
    broken = [(i, st) for i, st in c.latest_sets if st.form is FormQuality.BREAKDOWN and st.working]
    if not broken:
        return None
    i, st = broken[0]
    when = _day(c.latest.performed_at)
    if st.load_kg:
        new = round_load(c.exercise, st.load_kg * BREAKDOWN_LOAD_FACTOR, c.equipment, mode="down")
        if new >= st.load_kg:  # nothing lighter between: the next lighter implement
            new = round_load(c.exercise, st.load_kg - 0.01, c.equipment, mode="down")
        if new < st.load_kg:
            return Decision(
                RuleId.FORM_BREAKDOWN,
                Action.REDUCE_LOAD,
                c.exercise_id,
                f"load {new - st.load_kg:+g} kg to {describe_load(c.exercise, new, c.equipment)} because "
                f"form broke down in set {i} on {when} at {st.load_kg:g} kg",
                load_kg=new,
                load_change_kg=round(new - st.load_kg, 2),
            )
    regress = c.exercise.regressions[0] if c.exercise.regressions else None
    return Decision(
        RuleId.FORM_BREAKDOWN,
        Action.HOLD,
        c.exercise_id,
        f"repeat the same dose, slower, because form broke down in set {i} on {when}; regress to "
        f"{regress or 'an easier variation'} if it breaks again",
        regress_to=regress,
    )


def deload_week(c: Context) -> Decision | None:
    """Rule: before a deload week, about 60 % load and one set fewer."""
    if not c.next_week_deload:
        return None
    current = c.current_load
    new = None if not current else round_load(c.exercise, current * DELOAD_LOAD_FACTOR, c.equipment)
    load_txt = "" if new is None else f" to {describe_load(c.exercise, new, c.equipment)}"
    return Decision(
        RuleId.DELOAD_WEEK,
        Action.DELOAD,
        c.exercise_id,
        f"deload{load_txt}: one set fewer at about 60% of the working load because three loading weeks are "
        "done",
        load_kg=new,
        load_change_kg=None if new is None or current is None else round(new - current, 2),
        volume_factor=0.75,
    )


@dataclass(frozen=True)
class Streak:
    """The run of working sets at the current load, newest first, up to the first that is
    not flawless or not pain-free (which is ``stopper``)."""

    sets: tuple[tuple[SessionRecord, int, SetRecord], ...]
    stopper: tuple[SessionRecord, int, SetRecord] | None

    @property
    def n_sessions(self) -> int:
        """How many sessions the streak spans."""
        return len({(s.performed_at, id(s)) for s, _, _ in self.sets})


def flawless_streak(c: Context) -> Streak:
    """The run of flawless, pain-free working sets at the current load, newest first."""
    current = c.current_load
    run: list[tuple[SessionRecord, int, SetRecord]] = []
    for s in reversed(c.own):
        own_sets = [(i, st) for i, st in enumerate(s.sets, start=1) if st.exercise_id == c.exercise_id]
        for i, st in reversed(own_sets):
            if not st.working:
                continue  # warm-up and drop sets neither count nor break the run
            if st.form is not FormQuality.FLAWLESS or st.pain_during > 0:
                return Streak(tuple(run), (s, i, st))
            if st.load_kg != current:
                return Streak(tuple(run), None)
            run.append((s, i, st))
    return Streak(tuple(run), None)


def flawless_progress(c: Context) -> Decision | None:
    """Rule: enough flawless working sets across two sessions add one load step."""
    streak = flawless_streak(c)
    if len(streak.sets) < c.min_sets or streak.n_sessions < c.min_sessions:
        return None
    ex, current = c.exercise, c.current_load
    evidence = (
        f"the last {len(streak.sets)} working sets across {streak.n_sessions} sessions were flawless and "
        f"pain-free"
    )
    if current:
        new = round_load(ex, current + load_step_kg(ex), c.equipment, mode="up")
        if new > current:
            step = round(new - current, 3)
            return Decision(
                RuleId.FLAWLESS_PROGRESS,
                Action.INCREASE_LOAD,
                c.exercise_id,
                f"load +{step:g} kg to {describe_load(ex, new, c.equipment)} because {evidence}",
                load_kg=new,
                load_change_kg=step,
            )
        return Decision(
            RuleId.FLAWLESS_PROGRESS,
            Action.INCREASE_DOSE,
            c.exercise_id,
            f"dose +{REPS_STEP} reps per set at {current:g} kg, the heaviest you have, because {evidence}"
            + (f"; or move on to {ex.progressions[0]}" if ex.progressions else ""),
            load_kg=current,
            load_change_kg=0.0,
        )
    dose = {
        "reps": f"+{REPS_STEP} reps",
        "hold_s": f"+{HOLD_STEP_S} s",
        "distance_m": f"+{DISTANCE_STEP_M} m",
    }[ex.dose.value]
    return Decision(
        RuleId.FLAWLESS_PROGRESS,
        Action.INCREASE_DOSE,
        c.exercise_id,
        f"dose {dose} per set because {evidence}"
        + (f"; or move on to {ex.progressions[0]}" if ex.progressions else ""),
    )


def hold(c: Context) -> Decision:
    """Rule: keep the load and say what is missing."""
    streak = flawless_streak(c)
    current = c.current_load
    if streak.stopper is not None:
        s, i, st = streak.stopper
        if st.pain_during > 0:
            why = f"set {i} on {_day(s.performed_at)} was not pain-free ({st.pain_during}/10)"
        else:
            why = (
                f"set {i} on {_day(s.performed_at)} was "
                f"{'not rated for form' if st.form is None else 'rated ' + st.form.value}"
            )
    elif streak.n_sessions < c.min_sessions:
        why = (
            f"the {len(streak.sets)} flawless working set(s) in a row at this load span only "
            f"{streak.n_sessions} session(s); "
            f"{c.min_sets} in a row across {c.min_sessions} sessions are needed"
        )
    else:
        why = (
            f"only {len(streak.sets)} flawless working set(s) in a row at this load so far; {c.min_sets} "
            f"are needed"
        )
    what = f"the load at {current:g} kg" if current else "the same dose"
    return Decision(
        RuleId.HOLD,
        Action.HOLD,
        c.exercise_id,
        f"keep {what} because {why}",
        load_kg=current,
        load_change_kg=0.0 if current else None,
    )


RULES: tuple[Rule, ...] = (
    Rule(
        RuleId.SHARP_PAIN_STOP,
        "Sharp pain in a set of the exercise, or after its latest session, stops the exercise, regresses it "
        "and asks for an assessment.",
        sharp_pain_stop,
    ),
    Rule(
        RuleId.LINGERING_PAIN_REASSESS,
        "Dull pain after each of the last two sessions cuts volume to about two thirds and asks for a "
        "reassessment.",
        lingering_pain_reassess,
    ),
    Rule(
        RuleId.SORENESS_REASSESS,
        "Soreness lasting beyond 72 hours, or getting worse, in the last 14 days cuts volume to about two "
        "thirds and asks for a reassessment.",
        soreness_reassess,
    ),
    Rule(
        RuleId.FORM_BREAKDOWN,
        "A working set whose form broke down in the latest session lowers the load by 10 % (or repeats an "
        "unloaded dose slower).",
        form_breakdown,
    ),
    Rule(
        RuleId.DELOAD_WEEK,
        "Before a deload week the load drops to about 60 % with one set fewer.",
        deload_week,
    ),
    Rule(
        RuleId.FLAWLESS_PROGRESS,
        "Enough flawless, pain-free working sets in a row at the current load, across at least two "
        "sessions, add one load step.",
        flawless_progress,
    ),
    Rule(RuleId.HOLD, "Otherwise the load stays and the explanation says what is still missing.", hold),
)


def decide(
    history: Sequence[SessionRecord],
    exercise_id: str,
    *,
    now: datetime,
    next_week_deload: bool = False,
    level: Level | str | None = None,
    min_sets: int | None = None,
    min_sessions: int = MIN_FLAWLESS_SESSIONS,
    library: Library | None = None,
    equipment: EquipmentProfile | None = None,
) -> Decision:
    """The decision for the next session of ``exercise_id`` given the log ``history``.

    ``level`` (the lifter's plan level) sets how many flawless sets in a row add load
    (:data:`MIN_FLAWLESS_SETS`); ``min_sets`` overrides it. Sessions after ``now`` are ignored.
    Every load is rounded to what ``equipment`` has (default: a common gym's kit).
    """
    if is_custom(exercise_id):
        return Decision(
            RuleId.NOT_MAPPED,
            Action.HOLD,
            exercise_id,
            "no load advice for your own exercises until you map this one to a library exercise "
            "(`liftsafe exercises map NAME ID`)",
        )
    library = library or load_library()
    ex = library.get(exercise_id)
    sessions = tuple(
        sorted((s for s in history if s.performed_at <= now), key=lambda s: (s.performed_at, s.id or 0))
    )
    own = tuple(s for s in sessions if any(st.exercise_id == exercise_id for st in s.sets))
    if not own:
        return Decision(
            RuleId.HOLD,
            Action.HOLD,
            exercise_id,
            f"keep the planned dose of {exercise_id}: no logged sets yet, so start light and rate your form",
        )
    latest_sets = tuple(
        (i, st) for i, st in enumerate(own[-1].sets, start=1) if st.exercise_id == exercise_id
    )
    ctx = Context(
        exercise=ex,
        sessions=sessions,
        own=own,
        now=now,
        next_week_deload=next_week_deload,
        min_sets=min_sets if min_sets is not None else min_flawless_sets(level),
        min_sessions=min_sessions,
        latest_sets=latest_sets,
        equipment=equipment or DEFAULT_PROFILE,
    )
    for rule in RULES:
        decision = rule.check(ctx)
        if decision is not None:
            return decision
    raise AssertionError("the hold rule always decides")  # pragma: no cover


def decide_all(
    history: Sequence[SessionRecord],
    *,
    now: datetime,
    next_week_deload: bool = False,
    level: Level | str | None = None,
    library: Library | None = None,
    equipment: EquipmentProfile | None = None,
) -> list[Decision]:
    """Decisions for every exercise of the newest past session, in the order they were done."""
    past = [s for s in history if s.performed_at <= now]
    if not past:
        return []
    latest = max(past, key=lambda s: (s.performed_at, s.id or 0))
    ids = list(dict.fromkeys(st.exercise_id for st in latest.sets))
    return [
        decide(
            history,
            ex_id,
            now=now,
            next_week_deload=next_week_deload,
            level=level,
            library=library,
            equipment=equipment,
        )
        for ex_id in ids
    ]
