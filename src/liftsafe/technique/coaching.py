"""Coaching output for a set: one priority cue, the top faults, what went well, a summary.

* **Ranking** (:func:`ranked_faults`): each reported fault code once, with its worst severity
  and the reps it affected; ordered by severity, then the number of reps, then the threshold
  table's order (which lists the faults that load the back most first: rounded back,
  squatting the hinge, hips rising first, ...).
* **Priority**: the first of that ranking -- the one thing to work on in the next set.
* **Went well**: faults that were checked and never seen, in table order (at most two).
* **Summary**: a sentence or two for the lifter, no development notes; the provenance of each
  threshold stays in the JSON evidence and in docs/thresholds.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from liftsafe.result import FaultCode, Rep, Severity, Verdict
from liftsafe.technique.thresholds import TABLE

TOP_FAULTS = 3  # the terminal and HTML show this many faults first; the rest under details
WENT_WELL_MAX = 2
_ORDER = {t.code: i for i, t in enumerate(TABLE)}


@dataclass(frozen=True)
class RankedFault:
    code: FaultCode
    severity: Severity
    reps: tuple[int, ...]  # 1-based indices of the reps it was reported on
    cue: str

    @property
    def name(self) -> str:
        """``rounded_back`` -> ``Rounded back``."""
        text = self.code.value.replace("_", " ")
        return text[:1].upper() + text[1:]


def ranked_faults(reps: Sequence[Rep]) -> list[RankedFault]:
    """Every reported fault code once, most important first (module docstring)."""
    worst: dict[FaultCode, Severity] = {}
    where: dict[FaultCode, list[int]] = {}
    cue: dict[FaultCode, str] = {}
    for rep in reps:
        for f in rep.faults:
            if f.code not in worst or f.severity.rank > worst[f.code].rank:
                worst[f.code] = f.severity
            where.setdefault(f.code, [])
            if rep.index not in where[f.code]:
                where[f.code].append(rep.index)
            cue.setdefault(f.code, f.cue)
    ranked = [RankedFault(c, worst[c], tuple(where[c]), cue[c]) for c in worst]
    ranked.sort(key=lambda r: (-r.severity.rank, -len(r.reps), _ORDER.get(r.code, 99)))
    return ranked


def priority(reps: Sequence[Rep]) -> dict | None:
    """The priority fault as JSON-ready data, or None when no fault was reported.

    Always the same keys (batch summaries and the web read them): ``code``, ``severity``,
    ``reps`` (1-based indices), ``reps_affected``, ``cue``, ``why``, ``drill``."""
    from liftsafe.technique.rules import cues

    ranked = ranked_faults(reps)
    if not ranked:
        return None
    top = ranked[0]
    text = cues()[top.code.value]
    return {
        "code": top.code.value,
        "severity": top.severity.value,
        "reps": list(top.reps),
        "reps_affected": len(top.reps),
        "cue": top.cue,
        "why": text.get("why", ""),
        "drill": text.get("drill", ""),
    }


def went_well(reps: Sequence[Rep], checked: Iterable[FaultCode]) -> str:
    """What went well: up to two faults that were checked and never seen (table order)."""
    from liftsafe.technique.rules import cues

    if not reps:
        return ""
    seen = {f.code for r in reps for f in r.faults}
    good = [c for c in sorted(set(checked), key=lambda c: _ORDER.get(c, 99)) if c not in seen]
    phrases = [cues()[c.value].get("well", "") for c in good][:WENT_WELL_MAX]
    phrases = [p for p in phrases if p]
    if not phrases:
        return ""
    n = len(reps)
    on = "on the rep" if n == 1 else f"on all {n} reps"
    text = " and ".join(phrases)
    return f"Went well: {text} {on}."


def summary(
    verdict: Verdict,
    reps: Sequence[Rep],
    *,
    reason: str | None = None,
    well: str = "",
    n_not_checked: int = 0,
    back_checked: bool = True,
) -> str:
    """One or two short sentences for the lifter (the priority's cue is in ``priority``).

    ``back_checked`` False (the clip could not show whether the back rounds) is said in its own
    sentence: a "good" that did not look at the back must not read as a sound back.
    ``n_not_checked`` counts the other faults not checked."""
    if verdict == Verdict.NOT_JUDGED:
        return f"Not judged: {(reason or 'nothing could be checked in this clip').rstrip('. ')}."
    n = len(reps)
    head = {Verdict.GOOD: "Good", Verdict.NEEDS_WORK: "Needs work", Verdict.UNSAFE: "Unsafe"}[verdict]
    reps_text = f"{n} rep" + ("" if n == 1 else "s")
    ranked = ranked_faults(reps)
    if ranked:
        top = ranked[0]
        parts = [
            f"{head}: {reps_text} checked; top priority: {top.name.lower()} ({top.severity.value}, "
            f"{len(top.reps)} of {n} rep{'' if n == 1 else 's'})."
        ]
    else:
        parts = [f"{head}: {reps_text} checked, no fault found."]
    if not back_checked:
        parts.append("Back rounding could not be checked in this clip (see details).")
    if well:
        parts.append(well)
    if n_not_checked > 0:
        parts.append(
            f"{n_not_checked} {'other ' if not back_checked else ''}fault{'' if n_not_checked == 1 else 's'} "
            "could not be checked in this clip (see details)."
        )
    return " ".join(parts)
