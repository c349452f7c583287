"""What the program asks for beyond lifting: personal-record detection (with the belt advice
for a personal-best attempt), the daily hip-flexor and mobility reminder, and recovery
guidance for the plan and the "today" view.

Sources: kneeling hip-flexor stretch 20-30 s per side daily; recovery = sleep, protein,
hydration, gentle mobility and low-intensity cardio on rest days; belt for loads heavier
than about a 5-rep max or a personal-best attempt, as support for bracing, not protection.
Numbers: sleep at least 7 hours for adults (Watson N.F. et al., "Recommended amount of sleep
for a healthy adult", Sleep 38(6):843-844, 2015); about 1.6 g protein per kg body mass a day
for strength gains (Morton R.W. et al., Br J Sports Med 52(6):376-384, 2018); water intake
about 2.0 L a day for women and 2.5 L for men from all sources (EFSA Journal 8(3):1459, 2010).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from liftsafe.training.e1rm import e1rm_kg
from liftsafe.training.equipment import implement
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import SessionRecord, is_custom

RECOVERY_GUIDANCE: tuple[tuple[str, str], ...] = (
    ("sleep", "Sleep at least 7 hours a night; strength and pain both recover during sleep."),
    (
        "protein",
        "Eat protein at every meal: about 1.6 g per kg of body weight a day supports strength gains.",
    ),
    (
        "hydration",
        "Drink through the day (about 2-2.5 litres from all drinks and food); more on hot or long work days.",
    ),
    (
        "easy cardio",
        "On rest days, 20-30 minutes of easy walking or cycling keeps the back moving without tiring it.",
    ),
)
HIP_FLEXOR_REMINDER = (
    "Daily: kneeling hip-flexor stretch, 20-30 s per side (after training or before bed); "
    "tight hips can drive low-back pain even with good form."
)
REST_DAY_MOBILITY = "Rest day: gentle mobility (open book, hamstring floss) and easy cardio, no hard lifting."
#: The published sources of the reminders and the recovery guidance, as printed with a plan.
SOURCES: tuple[str, ...] = (
    "Haff G.G., Triplett N.T. (eds.), Essentials of Strength Training and Conditioning, 4th ed., "
    "Human Kinetics, 2016 (static stretching, 20-30 s holds; recovery between sessions).",
    "Watson N.F. et al., Recommended amount of sleep for a healthy adult, Sleep 38(6):843-844, 2015.",
    "Morton R.W. et al., A systematic review, meta-analysis and meta-regression of the effect of protein "
    "supplementation on resistance training-induced gains, Br J Sports Med 52(6):376-384, 2018.",
    "EFSA Panel on Dietetic Products, Nutrition and Allergies, Scientific opinion on dietary reference "
    "values for water, EFSA Journal 8(3):1459, 2010.",
    "Pocovi N.C. et al., Effectiveness of a progressive, individualised walking and education intervention "
    "for the prevention of low back pain recurrence (WalkBack), The Lancet 404(10448):134-144, 2024.",
)
BELT_PR_ADVICE = (
    "For your next personal-best attempt a belt can help you brace if you use one; "
    "it supports performance, it does not protect your back or replace core strength."
)


@dataclass(frozen=True)
class PersonalRecord:
    exercise_id: str
    kind: str  # "load" (heaviest working set) or "e1rm" (best estimated one-rep max)
    value_kg: float
    previous_kg: float
    belt_advice: bool  # a barbell or trap-bar hinge: the belt note applies

    @property
    def text(self) -> str:
        """One line for the lifter, with the belt note where it applies."""
        what = "heaviest working set" if self.kind == "load" else "best estimated 1RM"
        out = (
            f"personal record on {self.exercise_id}: {what} {self.value_kg:g} kg (was {self.previous_kg:g} "
            f"kg)"
        )
        return out + (f". {BELT_PR_ADVICE}" if self.belt_advice else "")

    def to_dict(self) -> dict:
        """The record as a JSON-ready dict."""
        return {
            "exercise_id": self.exercise_id,
            "kind": self.kind,
            "value_kg": self.value_kg,
            "previous_kg": self.previous_kg,
            "belt_advice": self.belt_advice,
            "text": self.text,
        }


def _bests(session: SessionRecord, exercise_id: str) -> tuple[float | None, float | None]:
    loads, e1rms = [], []
    for st in session.sets:
        if st.exercise_id != exercise_id or not st.counts_for_strength or not st.load_kg:
            continue
        loads.append(st.load_kg)
        if st.reps:
            e = e1rm_kg(st.load_kg, st.reps, rir=st.rir or 0)
            if e is not None:
                e1rms.append(e)
    return (max(loads) if loads else None), (round(max(e1rms), 1) if e1rms else None)


def personal_records(
    history: Sequence[SessionRecord], session: SessionRecord, *, library: Library | None = None
) -> list[PersonalRecord]:
    """Records ``session`` sets against every earlier session (working sets only; an exercise
    needs earlier history to set a record)."""
    library = library or load_library()
    earlier = [s for s in history if s.performed_at < session.performed_at]
    out: list[PersonalRecord] = []
    for ex_id in dict.fromkeys(st.exercise_id for st in session.sets):
        load, e1rm = _bests(session, ex_id)
        past = [_bests(s, ex_id) for s in earlier]
        past_loads = [x for x, _ in past if x is not None]
        past_e1rms = [y for _, y in past if y is not None]
        belt = False
        if not is_custom(ex_id) and ex_id in library:
            ex = library.get(ex_id)
            belt = ex.hinge and implement(ex) in ("barbell", "trap-bar")
        if load is not None and past_loads and load > max(past_loads):
            out.append(PersonalRecord(ex_id, "load", load, max(past_loads), belt))
        elif e1rm is not None and past_e1rms and e1rm > max(past_e1rms):
            out.append(PersonalRecord(ex_id, "e1rm", e1rm, max(past_e1rms), belt))
    return out


def plan_guidance() -> dict:
    """What a printed plan says beyond its sessions: the daily hip-flexor reminder, rest-day
    mobility, the recovery guidance (sleep, protein, hydration, easy cardio) and its sources."""
    return {
        "daily": HIP_FLEXOR_REMINDER,
        "rest_days": REST_DAY_MOBILITY,
        "recovery": [{"topic": t, "advice": a} for t, a in RECOVERY_GUIDANCE],
        "sources": list(SOURCES),
    }


def today(history: Sequence[SessionRecord], *, now: datetime) -> dict:
    """The "today" guidance: training or rest day, the daily hip-flexor reminder and recovery."""
    trained_today = any(s.performed_at.date() == now.date() for s in history if s.performed_at <= now)
    reminders = [HIP_FLEXOR_REMINDER] + ([] if trained_today else [REST_DAY_MOBILITY])
    return {
        "date": date.isoformat(now.date()),
        "trained_today": trained_today,
        "reminders": reminders,
        "recovery": [{"topic": t, "advice": a} for t, a in RECOVERY_GUIDANCE],
    }
