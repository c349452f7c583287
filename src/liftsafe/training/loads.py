"""Kilograms in the plan: once the log knows an e1RM or a working load for an exercise, each
loaded prescription of a plan gets the load to put on the bar, rounded to the lifter's
equipment (:mod:`liftsafe.training.equipment`).

The load for ``reps`` with ``rir`` reps in reserve is the e1RM divided by the Epley factor
``1 + (reps + rir) / 30`` (Epley 1985, the same estimate :mod:`e1rm` uses, inverted), rounded
down to a load that exists. Without an e1RM (only sets of more than 10 reps logged) the last
working load is used as it is. Deload prescriptions get about 60 % of it (as the plan says).
"""

from __future__ import annotations

import copy
import re
from typing import Any, Sequence

from liftsafe.training.e1rm import e1rm_trend
from liftsafe.training.equipment import (
    DEFAULT_PROFILE,
    EquipmentProfile,
    describe_load,
    implement,
    round_load,
)
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import SessionRecord

_RIR_RE = re.compile(r"(\d+)\+? (?:reps in reserve|more times)")
DELOAD_SHARE = 0.6  # as the plan's deload text ("about 60% of last week's working weight")


def known_loads(history: Sequence[SessionRecord], exercise_id: str) -> tuple[float | None, float | None]:
    """(latest e1RM by Epley, last working load) of ``exercise_id`` from the log."""
    trend = e1rm_trend(history, exercise_id)
    e1rm = trend.points[-1].epley_kg if trend.points else None
    last = None
    for s in sorted(history, key=lambda x: x.performed_at):
        for st in s.sets:
            if st.exercise_id == exercise_id and st.counts_for_strength and st.load_kg:
                last = st.load_kg
    return e1rm, last


def load_for(prescription: dict[str, Any], e1rm: float | None, last: float | None) -> float | None:
    """Kilograms for one plan prescription (``reps`` and its ``load`` text), before rounding."""
    reps = prescription.get("reps")
    text = str(prescription.get("load", ""))
    if not reps or "bodyweight" in text:
        return None
    if text.startswith("deload") or "very light" in text:
        base = last if last is not None else (e1rm / (1 + 10 / 30) if e1rm else None)
        return None if base is None else base * DELOAD_SHARE
    m = _RIR_RE.search(text)
    if e1rm is not None and m:
        return e1rm / (1 + (int(reps) + int(m.group(1))) / 30)
    return last


def add_loads(
    plan: dict[str, Any],
    history: Sequence[SessionRecord],
    *,
    equipment: EquipmentProfile | None = None,
    library: Library | None = None,
) -> dict[str, Any]:
    """A copy of the plan JSON where every loaded prescription with a known e1RM or working
    load gets ``load_kg`` and a load text that starts with it (e.g. ``62.5 kg (20 kg bar +
    20 + 1.25 kg a side); moderate: ...``)."""
    library = library or load_library()
    equipment = equipment or DEFAULT_PROFILE
    out = copy.deepcopy(plan)
    cache: dict[str, tuple[float | None, float | None]] = {}
    for week in out.get("weeks", []):
        for session in week.get("sessions", []):
            for block in session.get("blocks", []):
                for ex in block.get("exercises", []):
                    lib_ex = library.exercises.get(ex.get("id"))
                    if lib_ex is None or implement(lib_ex) is None:
                        continue
                    if ex["id"] not in cache:
                        cache[ex["id"]] = known_loads(history, ex["id"])
                    kg = load_for(ex, *cache[ex["id"]])
                    if kg is None:
                        continue
                    kg = round_load(lib_ex, kg, equipment, mode="down")
                    ex["load_kg"] = kg
                    ex["load"] = f"{describe_load(lib_ex, kg, equipment)}; {ex['load']}"
    return out
