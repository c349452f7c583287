"""Job-specific practice: a worker's own job lift as a drill in the plan.

Workplace programs teach the hinge as an athletic drill tailored to each job's lifts. A
:class:`JobLift` holds one lift of the job -- its load, hand heights at the start and the
end, the horizontal reach and an optional carry -- and, when it comes from a NIOSH job
analysis, its recommended weight limit (RWL; Waters T.R. et al., "Applications manual for
the revised NIOSH lifting equation", DHHS (NIOSH) 94-110, 1994). :func:`job_drill` doses
the drill for a plan week; above the job's RWL it tells the worker to get help or a lifting
aid at work, and practises at the RWL.

Dosing (heuristic): stability phase 2 x 5 at about half the job load, 3 s lowering; loading
phase 3 x 5, building from 60 % to 100 % of the practice load over the loading weeks;
deload 2 x 5 at half. The practice load is the job load, capped at the RWL when known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from liftsafe.errors import InputError
from liftsafe.units import CM_PER_IN, KG_PER_LB

MAX_JOB_LOAD_KG = 100.0  # heuristic sanity limit for one person's lift
LB_TO_KG = KG_PER_LB
IN_TO_CM = CM_PER_IN
#: Heights named in the drill text (cm; heuristic bands for an adult of average height).
_HEIGHT_NAMES = (
    (10, "the floor"),
    (45, "below the knee"),
    (65, "knee to mid-thigh"),
    (90, "waist"),
    (130, "chest"),
    (999, "shoulder or above"),
)


@dataclass(frozen=True)
class JobLift:
    name: str
    load_kg: float
    origin_cm: float  # hand height at the start
    destination_cm: float  # hand height at the end
    reach_cm: float | None = None  # horizontal distance ankles -> hands
    carry_m: float | None = None
    rwl_kg: float | None = None  # NIOSH recommended weight limit of the task, when known

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        return {
            "name": self.name,
            "load_kg": self.load_kg,
            "origin_cm": self.origin_cm,
            "destination_cm": self.destination_cm,
            "reach_cm": self.reach_cm,
            "carry_m": self.carry_m,
            "rwl_kg": self.rwl_kg,
        }

    @property
    def over_rwl(self) -> bool:
        """True when the job load is above its recommended weight limit."""
        return self.rwl_kg is not None and self.load_kg > self.rwl_kg + 1e-9

    @property
    def practice_load_kg(self) -> float:
        """The load the drill builds up to: the job load, capped at the RWL."""
        return round(min(self.load_kg, self.rwl_kg) if self.rwl_kg is not None else self.load_kg, 1)


def _height_name(cm: float) -> str:
    return next(name for limit, name in _HEIGHT_NAMES if cm <= limit)


def describe(job: JobLift) -> str:
    """``18 kg from the floor (0 cm) to waist (75 cm), reach 40 cm, carry 5 m``."""
    parts = [
        f"{job.load_kg:g} kg from {_height_name(job.origin_cm)} ({job.origin_cm:g} cm) to "
        f"{_height_name(job.destination_cm)} ({job.destination_cm:g} cm)"
    ]
    if job.reach_cm is not None:
        parts.append(f"reach {job.reach_cm:g} cm")
    if job.carry_m:
        parts.append(f"carry {job.carry_m:g} m")
    return ", ".join(parts)


def _num(text: str, where: str, key: str, lo: float, hi: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}, field '{key}': expected a number, got {text!r}.") from None
    if not lo <= value <= hi:
        raise InputError(
            f"{where}, field '{key}': {text} is impossible; it must be between {lo:g} and {hi:g}."
        )
    return value


def parse_job_lift(spec: str, *, where: str = "--job-lift") -> JobLift:
    """``name=tote to shelf,load_kg=12,from_cm=0,to_cm=150,reach_cm=40,carry_m=3,rwl_kg=10``."""
    fields: dict[str, str] = {}
    for item in (p.strip() for p in spec.split(",")):
        if not item:
            continue
        if "=" not in item:
            raise InputError(f"{where}: expected key=value, got {item!r} (e.g. load_kg=18).")
        key, _, value = item.partition("=")
        fields[key.strip().replace("-", "_")] = value.strip()
    allowed = {"name", "load_kg", "from_cm", "to_cm", "reach_cm", "carry_m", "rwl_kg"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InputError(
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}."
        )
    for key in ("load_kg", "from_cm", "to_cm"):
        if key not in fields:
            raise InputError(f"{where}, field '{key}': missing (e.g. load_kg=18,from_cm=0,to_cm=75).")
    return JobLift(
        name=fields.get("name", "job lift")[:80],
        load_kg=_num(fields["load_kg"], where, "load_kg", 0.5, MAX_JOB_LOAD_KG),
        origin_cm=_num(fields["from_cm"], where, "from_cm", 0, 250),
        destination_cm=_num(fields["to_cm"], where, "to_cm", 0, 250),
        reach_cm=_num(fields["reach_cm"], where, "reach_cm", 0, 120) if "reach_cm" in fields else None,
        carry_m=_num(fields["carry_m"], where, "carry_m", 0, 100) if "carry_m" in fields else None,
        rwl_kg=_num(fields["rwl_kg"], where, "rwl_kg", 0, MAX_JOB_LOAD_KG) if "rwl_kg" in fields else None,
    )


def from_niosh_task(task: Any, rwl: float | None, *, imperial: bool) -> JobLift:
    """A job lift from a NIOSH lifting task (``load``, ``origin.v``/``.h``, ``destination.v``,
    ``name``) and its RWL, in the job's units (cm/kg, or in/lb when ``imperial``)."""
    mass = LB_TO_KG if imperial else 1.0
    length = IN_TO_CM if imperial else 1.0
    return JobLift(
        name=str(getattr(task, "name", "job lift"))[:80],
        load_kg=round(task.peak_load * mass, 1),
        origin_cm=round(task.origin.v * length, 1),
        destination_cm=round(task.destination.v * length, 1),
        reach_cm=round(task.origin.h * length, 1),
        rwl_kg=None if rwl is None else round(rwl * mass, 1),
    )


@dataclass(frozen=True)
class DrillDose:
    sets: int
    reps: int
    load_kg: float
    text: str
    cues: tuple[str, ...]


def job_drill(
    job: JobLift, *, phase: str, deload: bool, loading_week: int, loading_weeks_total: int
) -> DrillDose:
    """The job-lift drill of a plan week (``phase``: mobility | stability | loading)."""
    practice = job.practice_load_kg
    if deload or phase != "loading":
        share, sets = 0.5, 2
    else:
        share = 0.6 + 0.4 * min(1.0, loading_week / max(1, loading_weeks_total - 1))
        sets = 3
    load = round(practice * share * 2) / 2
    cues = [
        f"Practise your job lift ({job.name}): {describe(job)}.",
        "Set up as at work: feet around the load, hips back, flat back, load close; stand by driving "
        "through the heels.",
    ]
    if job.origin_cm <= 45:
        cues.append(
            "From the floor: if you cannot reach it with a flat back, half-kneel beside the load and lift "
            "it to your thigh first."
        )
    if job.carry_m:
        cues.append(
            f"Carry it {job.carry_m:g} m tall and braced, load close, no twisting: turn with your feet."
        )
    if phase != "loading" or deload:
        cues.append("Lower for a slow count of three.")
    if job.over_rwl:
        cues.append(
            f"At work this lift ({job.load_kg:g} kg) is above its recommended weight limit ({job.rwl_kg:g} "
            "kg): get help from "
            "a second person or use a lifting aid (trolley, hoist, lift table); practise here at the limit, "
            "not above it."
        )
    text = (
        f"{load:g} kg box or tote ({'deload: ' if deload else ''}{share:.0%} of {practice:g} kg), "
        f"{describe(job)}"
    )
    return DrillDose(sets, 5, load, text, tuple(cues))


def job_advice(job: JobLift) -> str:
    """One line for the assessment: the job lift becomes a drill; above the RWL, get help."""
    line = (
        f"your job lift ({job.name}: {describe(job)}) becomes a drill in every stability and loading session"
    )
    if job.over_rwl:
        line += (
            f"; at {job.load_kg:g} kg it is above its recommended weight limit ({job.rwl_kg:g} kg): at work "
            "get help "
            "from a second person or use a lifting aid"
        )
    return line


def job_lifts_json(jobs: Sequence[JobLift]) -> list[dict[str, Any]]:
    """The job lifts as JSON-ready dicts."""
    return [j.to_dict() for j in jobs]
