"""The analysis result: plain frozen data, serialised once (``to_dict``) for JSON, store and web.

JSON contract (other tools read it; extend freely, never rename)::

    source, exercise, fps, duration_s, view (side|oblique|front|unknown), rep_count,
    verdict (good|needs_work|unsafe|not_judged), reps: [index, start_s, end_s, phases, tempo,
    metrics, faults: [code, severity, start_s, end_s, evidence, cue], not_checked: [code, reason,
    kind]], warnings: [str]

``verdict`` is ``good`` only when no rep has a major or unsafe fault, and ``not_judged`` when
no rep was found or no fault could be checked (``summary`` says why). Schema 1.1 adds
``priority`` (the one fault to work on first), ``not_checked`` (faults not checked in this
clip, with the reason), ``summary`` and ``went_well`` (sentences for the lifter) and ``config``
(hash and values of the :class:`~liftsafe.technique.config.AnalysisConfig`). Each rep's
``not_checked`` lists the faults whose joints were hidden in that rep only (a fault hidden in
every rep is in the result's ``not_checked``). ``priority`` always has the keys ``code``,
``severity``, ``reps`` (1-based indices), ``reps_affected`` (their number), ``cue``, ``why`` and
``drill``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

SCHEMA_VERSION = "1.1"


Comparison = Literal[">", "<"]
"""How a metric is compared with its limit: ``>`` larger is worse, ``<`` smaller is worse."""


class FaultCode(StrEnum):
    """Stable fault identifiers, shared by JSON, database and API."""

    ROUNDED_BACK = "rounded_back"
    SQUATTING_THE_HINGE = "squatting_the_hinge"
    HIPS_RISE_FIRST = "hips_rise_first"
    JERKED_PULL = "jerked_pull"
    LOAD_FAR_FROM_BODY = "load_far_from_body"
    HEAD_OUT_OF_LINE = "head_out_of_line"
    TWISTING = "twisting"
    LATERAL_SHIFT = "lateral_shift"
    INCOMPLETE_LOCKOUT = "incomplete_lockout"
    HYPEREXTENDED_LOCKOUT = "hyperextended_lockout"
    UNCONTROLLED_DESCENT = "uncontrolled_descent"
    SHALLOW_HINGE = "shallow_hinge"
    HEELS_RISE = "heels_rise"
    ASYMMETRY = "asymmetry"


class Severity(StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    UNSAFE = "unsafe"

    @property
    def rank(self) -> int:
        """Order of severities: minor 1, major 2, unsafe 3."""
        return {"minor": 1, "major": 2, "unsafe": 3}[self.value]


class View(StrEnum):
    SIDE = "side"
    OBLIQUE = "oblique"
    FRONT = "front"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    GOOD = "good"
    NEEDS_WORK = "needs_work"
    UNSAFE = "unsafe"
    NOT_JUDGED = "not_judged"  # no rep found, or nothing could be checked: never "good"

    @property
    def label(self) -> str:
        """What a lifter reads: ``Good``, ``Needs work``, ``Unsafe``, ``Not judged``."""
        return VERDICT_LABEL[self]

    @classmethod
    def parse(cls, value: object) -> Verdict | None:
        """The verdict named by ``value`` (a result's ``verdict`` field), None when it is not one."""
        try:
            return cls(value) if isinstance(value, str) else None
        except ValueError:
            return None


VERDICT_LABEL: dict[Verdict, str] = {
    Verdict.GOOD: "Good",
    Verdict.NEEDS_WORK: "Needs work",
    Verdict.UNSAFE: "Unsafe",
    Verdict.NOT_JUDGED: "Not judged",
}
#: every verdict value, in order, for messages that list them
VERDICT_VALUES: tuple[str, ...] = tuple(v.value for v in Verdict)


class Exercise(StrEnum):
    DEADLIFT = "deadlift"
    RDL = "rdl"
    KETTLEBELL_DEADLIFT = "kettlebell-deadlift"
    HIP_HINGE = "hip-hinge"
    SQUAT = "squat"
    BOX_LIFT = "box-lift"


@dataclass(frozen=True)
class Evidence:
    """The measurement behind a fault: ``value`` compared with ``threshold``."""

    metric: str
    value: float
    threshold: float
    unit: str
    comparison: Comparison  # the fault fires when value <comparison> threshold
    frame: int | None = None
    time_s: float | None = None
    source: str = ""  # where the threshold comes from (citation or "heuristic")


@dataclass(frozen=True)
class Fault:
    code: FaultCode
    severity: Severity
    start_s: float
    end_s: float
    evidence: Evidence
    cue: str


@dataclass(frozen=True)
class Tempo:
    descent_s: float
    pause_s: float
    ascent_s: float


@dataclass(frozen=True)
class Rep:
    index: int  # 1-based
    start_s: float
    end_s: float
    phases: dict[str, tuple[float, float]]  # setup, descent, bottom, ascent, lockout
    tempo: Tempo
    metrics: dict[str, float]
    faults: tuple[Fault, ...] = ()
    start_frame: int = 0
    end_frame: int = 0
    bottom_frame: int = 0
    complete: bool = True  # False when the clip ends before the lifter is back at the top
    #: faults not checked in this rep only (their joints were hidden): ``code``, ``reason``, ``kind``
    not_checked: tuple[dict[str, str], ...] = ()

    @property
    def worst_severity(self) -> Severity | None:
        """The most severe fault of the rep, or None when it has none."""
        if not self.faults:
            return None
        return max((f.severity for f in self.faults), key=lambda s: s.rank)


@dataclass(frozen=True)
class AnalysisResult:
    source: str
    exercise: str
    fps: float
    duration_s: float
    view: View
    rep_count: int
    verdict: Verdict
    reps: tuple[Rep, ...]
    warnings: tuple[str, ...] = ()
    camera: dict[str, Any] = field(default_factory=dict)
    judged: bool = True  # False when the spine could not be judged from this clip
    simulated: bool = False
    schema_version: str = SCHEMA_VERSION
    #: the fault that matters most for the back in this set (severity, then reps affected):
    #: ``code``, ``severity``, ``reps`` (indices), ``cue``, ``why``, ``drill``; None when no fault
    priority: dict[str, Any] | None = None
    #: faults not checked in this clip: ``code``, ``reason`` (for the lifter), ``kind``
    #: (camera_view, camera_angle, false_alarm_budget, lift_off_not_filmed, or what hid the landmarks)
    not_checked: tuple[dict[str, str], ...] = ()
    summary: str = ""  # one or two sentences for the lifter: verdict, priority, what went well
    went_well: str = ""
    config: dict[str, Any] = field(default_factory=dict)  # {"hash": ..., "values": {...}}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (enums as strings, tuples as lists, NaN as null)."""
        return _clean(asdict(self))


def verdict_for(reps: tuple[Rep, ...] | list[Rep]) -> Verdict:
    """``unsafe`` if any fault is unsafe, ``needs_work`` if any is major, else ``good``."""
    worst = 0
    for rep in reps:
        for fault in rep.faults:
            worst = max(worst, fault.severity.rank)
    if worst >= 3:
        return Verdict.UNSAFE
    if worst == 2:
        return Verdict.NEEDS_WORK
    return Verdict.GOOD


def _clean(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 4)
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return _clean(value.item())
    return value
