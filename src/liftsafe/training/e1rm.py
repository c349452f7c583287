"""Estimated one-repetition maximum (e1RM) and its trend.

Formulas (load ``w`` lifted for ``r`` repetitions):

* Epley (1985): ``e1RM = w * (1 + r / 30)`` -- Epley B., *Poundage Chart*, Boyd Epley
  Workout, Lincoln NE, 1985.
* Brzycki (1993): ``e1RM = w * 36 / (37 - r)`` -- Brzycki M., "Strength testing: predicting a
  one-rep max from reps-to-fatigue", JOPERD 64(1):88-90, 1993.

Both are used only for ``1 <= r <= 10``: their error grows quickly above ten repetitions
(LeSuer D.A. et al., "The accuracy of prediction equations for estimating 1-RM performance in
the bench press, squat, and deadlift", J Strength Cond Res 11(4):211-213, 1997). A single
(``r == 1``) is its own 1RM. When reps in reserve are logged, ``r`` is the repetitions the set
could have reached (``reps + rir``, Helms et al. 2016) and must still be <= 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Sequence

from liftsafe.errors import InputError
from liftsafe.training.log import SessionRecord

MAX_REPS_FOR_E1RM = 10


class Formula(StrEnum):
    EPLEY = "epley"
    BRZYCKI = "brzycki"


def e1rm_kg(
    load_kg: float, reps: int, *, rir: int = 0, formula: Formula | str = Formula.EPLEY
) -> float | None:
    """Estimated 1RM in kg, or None when ``reps + rir`` is outside 1..10 (not estimable)."""
    formula = Formula(formula)
    if load_kg < 0:
        raise InputError(f"load_kg must be 0 or more for an e1RM; got {load_kg}.")
    possible = reps + (rir or 0)
    if reps < 1 or possible > MAX_REPS_FOR_E1RM:
        return None
    if possible == 1:
        return float(load_kg)
    if formula is Formula.EPLEY:
        return load_kg * (1 + possible / 30)
    return load_kg * 36 / (37 - possible)


@dataclass(frozen=True)
class E1rmPoint:
    performed_at: datetime
    session_id: int | None
    load_kg: float
    reps: int
    epley_kg: float
    brzycki_kg: float


@dataclass(frozen=True)
class E1rmTrend:
    exercise_id: str
    points: tuple[E1rmPoint, ...]
    slope_kg_per_week: float | None  # least-squares slope of the Epley estimate; None with < 2 points


def e1rm_trend(sessions: Sequence[SessionRecord], exercise_id: str) -> E1rmTrend:
    """Best (highest Epley) e1RM per session for ``exercise_id``, oldest first, and its slope.
    Only working sets not stopped by pain count (no warm-up, drop or pain-stopped sets)."""
    points = []
    for s in sorted(sessions, key=lambda x: x.performed_at):
        best = None
        for st in s.sets:
            if st.exercise_id != exercise_id or not st.load_kg or not st.reps or not st.counts_for_strength:
                continue
            ep = e1rm_kg(st.load_kg, st.reps, rir=st.rir or 0, formula=Formula.EPLEY)
            if ep is None:
                continue
            br = e1rm_kg(st.load_kg, st.reps, rir=st.rir or 0, formula=Formula.BRZYCKI)
            cand = E1rmPoint(s.performed_at, s.id, st.load_kg, st.reps, round(ep, 2), round(br, 2))  # type: ignore[arg-type]
            if best is None or cand.epley_kg > best.epley_kg:
                best = cand
        if best is not None:
            points.append(best)
    slope = None
    if len(points) >= 2:
        t0 = points[0].performed_at
        xs = [(p.performed_at - t0).total_seconds() / (7 * 86400) for p in points]
        ys = [p.epley_kg for p in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx > 0:
            slope = round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx, 3)
    return E1rmTrend(exercise_id=exercise_id, points=tuple(points), slope_kg_per_week=slope)
