"""Revised NIOSH lifting equation (RNLE): multipliers, RWL/LI, scope checks, duration.

Source: Waters TR, Putz-Anderson V, Garg A (1994, revised 2021). *Applications Manual for the
Revised NIOSH Lifting Equation*, DHHS (NIOSH) Pub. 94-110, doi:10.26616/NIOSHPUB94110revised092021;
Waters et al. (1993), Ergonomics 36(7):749-776.

    RWL = LC x HM x VM x DM x AM x FM x CM,   LI = load / RWL

Every multiplier except FM and CM is computed from its formula, natively in the job's unit
system (metric: cm and kg; US: inches and pounds -- the two systems are *not* exact
conversions of each other, so nothing is converted). FM and CM come from
:mod:`liftsafe.ergonomics.tables`.

Public entry points:

* :func:`assess_task` -- one task (geometry, load, frequency, coupling) -> :class:`TaskResult`;
* :func:`assess_lift` -- the same with plain keyword arguments (for callers that measured a
  lift, e.g. from video);
* :func:`liftsafe.ergonomics.composite.assess_job` -- several tasks and the Composite LI.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from liftsafe.ergonomics.tables import (
    CM_TABLE,
    FM_FREQUENCIES,
    Coupling,
    Duration,
    fm_column,
    fm_column_max_frequency,
)
from liftsafe.errors import InputError

__all__ = [
    "Coupling",
    "Duration",
    "DurationBlock",
    "DurationAssessment",
    "HandLocation",
    "LiftingTask",
    "Multipliers",
    "Point",
    "PointResult",
    "RiskBand",
    "ScopeFlag",
    "TaskResult",
    "Units",
    "UnitConstants",
    "assess_lift",
    "assess_task",
    "asymmetric_multiplier",
    "coupling_class",
    "coupling_multiplier",
    "distance_multiplier",
    "duration_from_schedule",
    "duration_from_times",
    "frequency_multiplier",
    "governing_li",
    "horizontal_multiplier",
    "risk_band",
    "round_half_up",
    "scope_flags_from_conditions",
    "validate_task",
    "vertical_multiplier",
]


class Units(StrEnum):
    """Unit system of a job: metric (cm, kg) or US customary (in, lb)."""

    METRIC = "metric"
    US = "us"


@dataclass(frozen=True)
class UnitConstants:
    """Constants of the RNLE in one unit system (manual section 1.3, Table 1-4 headers)."""

    load_constant: float  # LC: 23 kg / 51 lb
    h_min: float  # H below this -> H = h_min, HM = 1 (25 cm / 10 in)
    h_max: float  # H above this -> HM = 0 (63 cm / 25 in)
    h_numerator: float  # HM = h_numerator / H (25 cm / 10 in)
    v_optimal: float  # VM = 1 - v_coef * |V - v_optimal| (75 cm / 30 in)
    v_coef: float  # 0.003 per cm / 0.0075 per in
    v_max: float  # V above this -> VM = 0 (175 cm / 70 in)
    d_min: float  # D below this -> D = d_min, DM = 1 (25 cm / 10 in)
    d_max: float  # D above this -> DM = 0 (175 cm / 70 in)
    d_numerator: float  # DM = 0.82 + d_numerator / D (4.5 cm / 1.8 in)
    v_split: float  # Table 5 and Table 7 column split (75 cm / 30 in)
    length_unit: str
    load_unit: str


CONSTANTS: Final[dict[Units, UnitConstants]] = {
    Units.METRIC: UnitConstants(
        23.0, 25.0, 63.0, 25.0, 75.0, 0.003, 175.0, 25.0, 175.0, 4.5, 75.0, "cm", "kg"
    ),
    Units.US: UnitConstants(51.0, 10.0, 25.0, 10.0, 30.0, 0.0075, 70.0, 10.0, 70.0, 1.8, 30.0, "in", "lb"),
}

#: AM = 1 - 0.0032 * A (A in degrees); A > 135 deg -> AM = 0 (manual section 1.3.4).
AM_COEF_PER_DEG: Final[float] = 0.0032
A_MAX_DEG: Final[float] = 135.0
#: F below 0.2 lifts/min is rated at 0.2 (Table 5 footnote).
F_MIN_PER_MIN: Final[float] = 0.2
#: Inputs beyond these are not a manual lift (in the job's units: kg or lb, cm or in, lifts/min):
#: refused as bad input naming the field, before any arithmetic can overflow.
MAX_LOAD: Final[float] = 1000.0
MAX_LENGTH: Final[float] = 1000.0
MAX_FREQUENCY_PER_MIN: Final[float] = 100.0
#: LI bands (manual section 1.4): <= 1 nearly all healthy workers; > 3 highly stressful.
LI_DESIGN_GOAL: Final[float] = 1.0
LI_HIGH: Final[float] = 3.0


def constants(units: Units | str) -> UnitConstants:
    """The :class:`UnitConstants` of a unit system ("metric" or "us")."""
    return CONSTANTS[Units(units)]


# --------------------------------------------------------------------------- rounding ----


def round_half_up(value: float, ndigits: int) -> float:
    """Round like the manual's printed tables (half away from zero, decimal not binary).

    ``round()`` in Python rounds half to even on the binary value, so 25/40 = 0.625 would print
    as 0.62; the manual prints 0.63. Non-finite values are returned unchanged.
    """
    if not math.isfinite(value):
        return value
    exact = Decimal(repr(round(value, 12)))  # strip binary noise such as 0.80499999999
    try:
        return float(exact.quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than the decimal context holds: nothing left to round
        return float(value)


# ------------------------------------------------------------------------ multipliers ----


def horizontal_multiplier(h: float, *, units: Units | str = Units.METRIC) -> float:
    """HM = 25/H (cm) or 10/H (in); H < 25 cm (10 in) -> 1; H > 63 cm (25 in) -> 0.

    H is the horizontal distance from the midpoint between the inner ankle bones to the point
    on the floor below the midpoint of the hands.
    """
    c = constants(units)
    _check_non_negative(h, "h")
    if h > c.h_max:
        return 0.0
    return c.h_numerator / max(h, c.h_min)


def vertical_multiplier(v: float, *, units: Units | str = Units.METRIC) -> float:
    """VM = 1 - 0.003|V - 75| (cm) or 1 - 0.0075|V - 30| (in); V > 175 cm (70 in) -> 0."""
    c = constants(units)
    _check_non_negative(v, "v")
    if v > c.v_max:
        return 0.0
    return 1.0 - c.v_coef * abs(v - c.v_optimal)


def distance_multiplier(d: float, *, units: Units | str = Units.METRIC) -> float:
    """DM = 0.82 + 4.5/D (cm) or 0.82 + 1.8/D (in); D < 25 cm (10 in) -> 1; D > 175 (70) -> 0."""
    c = constants(units)
    _check_non_negative(d, "d")
    if d > c.d_max:
        return 0.0
    if d <= c.d_min:
        return 1.0
    return 0.82 + c.d_numerator / d


def asymmetric_multiplier(a_deg: float) -> float:
    """AM = 1 - 0.0032 A (A in degrees, magnitude); A > 135 deg -> 0."""
    a = abs(_finite(a_deg, "a"))
    if a > A_MAX_DEG:
        return 0.0
    return 1.0 - AM_COEF_PER_DEG * a


def frequency_multiplier(
    frequency_per_min: float,
    *,
    v_origin: float,
    duration: Duration | str,
    units: Units | str = Units.METRIC,
) -> float:
    """FM from Table 5, with linear interpolation between rows for non-integer F.

    * F < 0.2 lifts/min is rated at 0.2 (table footnote).
    * The column is chosen by the duration category and by V at the *origin* (< 75 cm / 30 in).
    * Interpolation is linear between the two nearest table rows.
    * Zero rule (the manual leaves it open): FM = 0 for any F above the column's last non-zero
      row -- including F between that row and the next (zero) row. We never interpolate into a
      0 cell: that would invent FM values the manual does not publish, and a lower RWL is the
      protective choice. E.g. long duration, V < 75 cm: FM(8) = 0.18, FM(8.01) = 0.
    """
    f = _finite(frequency_per_min, "frequency")
    if f < 0:
        raise InputError(f"field 'frequency' must be >= 0 lifts/min; got {f:g}")
    f = max(f, F_MIN_PER_MIN)
    v_low = _finite(v_origin, "origin.v") < constants(units).v_split
    column = fm_column(Duration(duration), v_low=v_low)
    if f > fm_column_max_frequency(Duration(duration), v_low=v_low):
        return 0.0
    i = bisect_left(FM_FREQUENCIES, f)
    if FM_FREQUENCIES[i] == f:
        return column[i]
    f0, f1 = FM_FREQUENCIES[i - 1], FM_FREQUENCIES[i]
    fm0, fm1 = column[i - 1], column[i]
    return fm0 + (fm1 - fm0) * (f - f0) / (f1 - f0)


def coupling_multiplier(coupling: Coupling | str, *, v: float, units: Units | str = Units.METRIC) -> float:
    """CM from Table 7; the column uses V at the point evaluated (< 75 cm / 30 in)."""
    v_low = _finite(v, "v") < constants(units).v_split
    return CM_TABLE[(Coupling(coupling), v_low)]


def coupling_class(
    *,
    loose_object: bool,
    optimal_container: bool = True,
    optimal_handles: bool = False,
    bulky: bool = False,
    optimal_grip: bool = False,
    fingers_flexed_90: bool = False,
) -> Coupling:
    """Coupling class from the manual's decision tree (p. 18).

    Container: not optimal -> poor; optimal with optimal handles -> good; otherwise fair when the
    fingers can be flexed about 90 degrees under the container, poor when not.
    Loose object: bulky -> poor; optimal grip -> good; otherwise fair if fingers flexed 90
    degrees, poor if not.
    """
    if not loose_object:
        if not optimal_container:
            return Coupling.POOR
        if optimal_handles:
            return Coupling.GOOD
        return Coupling.FAIR if fingers_flexed_90 else Coupling.POOR
    if bulky:
        return Coupling.POOR
    if optimal_grip:
        return Coupling.GOOD
    return Coupling.FAIR if fingers_flexed_90 else Coupling.POOR


# ------------------------------------------------------------------------------- scope ----


class ScopeFlag(StrEnum):
    """Conditions under which the RNLE does not apply (manual section 1.2).

    The string values are the boolean task fields of the job file (``"one_handed": true``).
    """

    ONE_HANDED = "one_handed"
    SEATED = "seated"
    KNEELING = "kneeling"
    RESTRICTED_WORKSPACE = "restricted_workspace"
    UNSTABLE_LOAD = "unstable_load"
    CARRYING = "carrying"
    PUSHING_PULLING = "pushing_pulling"
    WHEELBARROW_OR_SHOVEL = "wheelbarrow_or_shovel"
    FAST_MOTION = "fast_motion"
    POOR_FLOOR_FRICTION = "poor_floor_friction"
    ADVERSE_ENVIRONMENT = "adverse_environment"
    OVER_8_HOURS = "over_8_hours"


SCOPE_MESSAGES: Final[dict[ScopeFlag, str]] = {
    ScopeFlag.ONE_HANDED: "one-handed lifting",
    ScopeFlag.SEATED: "lifting while seated",
    ScopeFlag.KNEELING: "lifting while kneeling",
    ScopeFlag.RESTRICTED_WORKSPACE: "lifting in a restricted workspace",
    ScopeFlag.UNSTABLE_LOAD: "an unstable object (shifting contents, liquids, people)",
    ScopeFlag.CARRYING: "lifting combined with carrying",
    ScopeFlag.PUSHING_PULLING: "lifting combined with pushing or pulling",
    ScopeFlag.WHEELBARROW_OR_SHOVEL: "wheelbarrow or shovel work",
    ScopeFlag.FAST_MOTION: "fast or jerky lifting (faster than about 76 cm/s)",
    ScopeFlag.POOR_FLOOR_FRICTION: "poor floor friction (coefficient below 0.4)",
    ScopeFlag.ADVERSE_ENVIRONMENT: "temperature or humidity outside 19-26 degC / 35-50 %",
    ScopeFlag.OVER_8_HOURS: "more than 8 hours of lifting in a shift",
}

#: Thresholds of manual section 1.2 (restated in the reference).
FAST_MOTION_CM_S: Final[float] = 76.0
MIN_FLOOR_FRICTION: Final[float] = 0.4
TEMPERATURE_RANGE_C: Final[tuple[float, float]] = (19.0, 26.0)
HUMIDITY_RANGE_PCT: Final[tuple[float, float]] = (35.0, 50.0)
MAX_SHIFT_H: Final[float] = 8.0


def scope_flags_from_conditions(
    *,
    shift_hours: float | None = None,
    temperature_c: float | None = None,
    humidity_pct: float | None = None,
    floor_friction: float | None = None,
    hand_speed_cm_s: float | None = None,
) -> frozenset[ScopeFlag]:
    """Scope flags implied by measured conditions (None = not measured, no flag)."""
    flags: set[ScopeFlag] = set()
    if shift_hours is not None and shift_hours > MAX_SHIFT_H:
        flags.add(ScopeFlag.OVER_8_HOURS)
    if temperature_c is not None and not TEMPERATURE_RANGE_C[0] <= temperature_c <= TEMPERATURE_RANGE_C[1]:
        flags.add(ScopeFlag.ADVERSE_ENVIRONMENT)
    if humidity_pct is not None and not HUMIDITY_RANGE_PCT[0] <= humidity_pct <= HUMIDITY_RANGE_PCT[1]:
        flags.add(ScopeFlag.ADVERSE_ENVIRONMENT)
    if floor_friction is not None and floor_friction < MIN_FLOOR_FRICTION:
        flags.add(ScopeFlag.POOR_FLOOR_FRICTION)
    if hand_speed_cm_s is not None and hand_speed_cm_s > FAST_MOTION_CM_S:
        flags.add(ScopeFlag.FAST_MOTION)
    return frozenset(flags)


# ---------------------------------------------------------------------------- duration ----

#: Duration rules (manual section 1.3.5, 2021 revision; restated in the reference).
SHORT_MAX_MIN: Final[float] = 60.0
MODERATE_MAX_MIN: Final[float] = 120.0
LONG_MAX_MIN: Final[float] = 480.0
SHORT_RECOVERY_RATIO: Final[float] = 1.0
MODERATE_RECOVERY_RATIO: Final[float] = 0.3


@dataclass(frozen=True)
class DurationBlock:
    """A stretch of lifting whose work times were added up, and the recovery that closed it."""

    work_min: float
    recovery_min: float | None  # None: end of the shift
    category: Duration


@dataclass(frozen=True)
class DurationAssessment:
    """Duration category of a schedule: the longest category among its blocks."""

    category: Duration
    blocks: tuple[DurationBlock, ...]
    total_work_min: float
    over_8_hours: bool


def _category_by_length(work_min: float) -> Duration:
    if work_min <= SHORT_MAX_MIN:
        return Duration.SHORT
    if work_min <= MODERATE_MAX_MIN:
        return Duration.MODERATE
    return Duration.LONG


def duration_from_schedule(periods: Sequence[tuple[float, float | None]]) -> DurationAssessment:
    """Classify a schedule of ``(work_min, recovery_min)`` periods.

    Rules (reference "Duration categories"): short = <= 1 h of lifting followed by recovery
    >= 1.0 x the work time; moderate = > 1 h and <= 2 h followed by recovery >= 0.3 x the work
    time; long = > 2 h and <= 8 h. When a period's recovery does not meet the requirement of its
    (accumulated) work time, the work times add up with the next period. A recovery of ``None``
    means the end of the shift (always sufficient). The job's category is the longest category
    of any block; ``over_8_hours`` is set when the total lifting time exceeds 8 h (out of scope).
    """
    if not periods:
        raise InputError("a duration schedule needs at least one (work_min, recovery_min) period")
    blocks: list[DurationBlock] = []
    accumulated = 0.0
    total = 0.0
    for index, (work, recovery) in enumerate(periods):
        work = _finite(work, f"schedule[{index}].work_min")
        if work < 0:
            raise InputError(f"field 'schedule[{index}].work_min' must be >= 0 minutes; got {work:g}")
        if recovery is not None:
            recovery = _finite(recovery, f"schedule[{index}].recovery_min")
            if recovery < 0:
                raise InputError(
                    f"field 'schedule[{index}].recovery_min' must be >= 0 minutes; got {recovery:g}"
                )
        accumulated += work
        total += work
        rest = math.inf if recovery is None else recovery
        if accumulated <= SHORT_MAX_MIN:
            met = rest >= SHORT_RECOVERY_RATIO * accumulated
        elif accumulated <= MODERATE_MAX_MIN:
            met = rest >= MODERATE_RECOVERY_RATIO * accumulated
        else:
            met = True  # long: standard breaks
        if met:
            blocks.append(DurationBlock(accumulated, recovery, _category_by_length(accumulated)))
            accumulated = 0.0
    if accumulated > 0:  # last recovery insufficient but no more lifting follows
        blocks.append(DurationBlock(accumulated, periods[-1][1], _category_by_length(accumulated)))
    order = [Duration.SHORT, Duration.MODERATE, Duration.LONG]
    category = max((b.category for b in blocks), key=order.index, default=Duration.SHORT)
    return DurationAssessment(category, tuple(blocks), total, total > LONG_MAX_MIN)


def duration_from_times(work_min: float, recovery_min: float | None = None) -> Duration:
    """Duration category of one lifting period followed by ``recovery_min`` (None: end of shift).

    >>> duration_from_times(45, 60)
    <Duration.SHORT: 'short'>
    >>> duration_from_times(90, 30)
    <Duration.MODERATE: 'moderate'>
    """
    return duration_from_schedule([(work_min, recovery_min)]).category


# ------------------------------------------------------------------------------- tasks ----


@dataclass(frozen=True)
class HandLocation:
    """Hand position at the origin or destination of a lift, in the job's length unit.

    ``h``: horizontal distance from the midpoint between the inner ankle bones to the point on
    the floor below the midpoint of the hands; ``v``: hand height above the floor; ``a_deg``:
    asymmetry angle in degrees from the mid-sagittal line (sign ignored).
    """

    h: float
    v: float
    a_deg: float = 0.0


@dataclass(frozen=True)
class LiftingTask:
    """One lifting task of a job, in the job's unit system (cm/kg or in/lb).

    ``load`` is the average load, ``max_load`` the maximum (defaults to ``load``; used for the
    frequency-independent FILI of the composite procedure). ``frequency_per_min`` is the mean
    lift rate over a 15-minute sample.
    """

    load: float
    origin: HandLocation
    destination: HandLocation
    frequency_per_min: float
    coupling: Coupling = Coupling.GOOD
    control_at_destination: bool = False
    name: str = "task"
    max_load: float | None = None
    scope_flags: frozenset[ScopeFlag] = field(default_factory=frozenset)

    @property
    def vertical_travel(self) -> float:
        """D = |V_destination - V_origin|."""
        return abs(self.destination.v - self.origin.v)

    @property
    def peak_load(self) -> float:
        """The load the RWL is compared with: the maximum load if given, else the typical one."""
        return self.load if self.max_load is None else self.max_load


class Point(StrEnum):
    ORIGIN = "origin"
    DESTINATION = "destination"


class RiskBand(StrEnum):
    """Interpretation of the lifting index (manual section 1.4; reference "Interpretation")."""

    ACCEPTABLE = "acceptable"  # LI <= 1.0: nearly all healthy workers
    INCREASED = "increased"  # 1.0 < LI <= 3.0: increased risk for some fraction of workers
    HIGH = "high"  # LI > 3.0: highly stressful for nearly all workers


BAND_TEXT: Final[dict[RiskBand, str]] = {
    RiskBand.ACCEPTABLE: "LI <= 1.0: nearly all healthy workers can do this lift",
    RiskBand.INCREASED: "LI > 1.0: increased risk of lifting-related low back pain for some workers",
    RiskBand.HIGH: "LI > 3.0: highly stressful for nearly all workers",
}


def risk_band(li: float) -> RiskBand:
    """Interpretation band of a lifting index."""
    if li <= LI_DESIGN_GOAL:
        return RiskBand.ACCEPTABLE
    if li <= LI_HIGH:
        return RiskBand.INCREASED
    return RiskBand.HIGH


@dataclass(frozen=True)
class Multipliers:
    """The six RNLE multipliers at one point of a lift."""

    hm: float
    vm: float
    dm: float
    am: float
    fm: float
    cm: float

    @property
    def product(self) -> float:
        """Product of the six multipliers (HM x VM x DM x AM x FM x CM)."""
        return self.hm * self.vm * self.dm * self.am * self.fm * self.cm

    def as_dict(self) -> dict[str, float]:
        """The multipliers by name."""
        return {"hm": self.hm, "vm": self.vm, "dm": self.dm, "am": self.am, "fm": self.fm, "cm": self.cm}

    def rounded(self, ndigits: int = 2) -> Multipliers:
        """Each multiplier rounded half-up, as in the manual's worked examples (2 decimals)."""
        return Multipliers(*(round_half_up(v, ndigits) for v in self.as_dict().values()))


@dataclass(frozen=True)
class PointResult:
    """RWL and LI at the origin or at the destination of a lift.

    ``rwl``/``li`` are full precision; ``rwl_rounded``/``li_rounded`` follow the manual's
    convention: multipliers rounded to 2 decimals, RWL = LC x rounded multipliers rounded to 1
    decimal, LI = load / (LC x rounded multipliers) rounded to 1 decimal.
    """

    point: Point
    multipliers: Multipliers
    rwl: float
    li: float
    firwl: float  # frequency-independent RWL (FM = 1)
    rwl_rounded: float
    li_rounded: float


@dataclass(frozen=True)
class TaskResult:
    """Full RNLE result for one task.

    When the task is outside the equation's scope (``in_scope`` False) the numbers are None
    and ``warnings`` says why -- unless the caller asked to compute anyway.
    """

    task: LiftingTask
    units: Units
    duration: Duration
    in_scope: bool
    warnings: tuple[str, ...]
    origin: PointResult | None = None
    destination: PointResult | None = None
    governing: Point | None = None
    rwl: float | None = None
    li: float | None = None
    firwl: float | None = None
    strwl: float | None = None
    fili: float | None = None
    stli: float | None = None
    band: RiskBand | None = None
    rwl_rounded: float | None = None
    li_rounded: float | None = None

    @property
    def governing_point(self) -> PointResult | None:
        """The point (origin or destination) that governs the RWL, if assessed."""
        if self.governing is None:
            return None
        return self.origin if self.governing is Point.ORIGIN else self.destination


def validate_task(task: LiftingTask, *, label: str | None = None) -> None:
    """Raise :class:`InputError` naming the task and the field when an input is unusable."""
    who = label or f"task '{task.name}'"

    def need(
        value: float, name: str, *, minimum: float | None = 0.0, maximum: float | None = None, what: str = ""
    ) -> None:
        if not _is_finite_number(value):
            raise InputError(f"{who}: field '{name}' must be a finite number; got {value!r:.80}")
        if minimum is not None and value < minimum:
            raise InputError(
                f"{who}: field '{name}' must be >= {minimum:g} (distances and loads cannot be negative); "
                f"got {value:g}"
            )
        if maximum is not None and value > maximum:
            raise InputError(f"{who}: field '{name}' must be <= {maximum:g} {what}; got {value:g}")

    need(task.load, "load", maximum=MAX_LOAD, what="(kg or lb: no manual lift is heavier)")
    if task.max_load is not None:
        need(task.max_load, "max_load", maximum=MAX_LOAD, what="(kg or lb: no manual lift is heavier)")
        if task.max_load < task.load:
            raise InputError(
                f"{who}: field 'max_load' ({task.max_load:g}) is smaller than 'load' ({task.load:g})"
            )
    for point_name, loc in (("origin", task.origin), ("destination", task.destination)):
        need(loc.h, f"{point_name}.h", maximum=MAX_LENGTH, what="(cm or in)")
        need(loc.v, f"{point_name}.v", maximum=MAX_LENGTH, what="(cm or in)")
        need(loc.a_deg, f"{point_name}.a", minimum=None)
        if abs(loc.a_deg) > 180:
            raise InputError(
                f"{who}: field '{point_name}.a' must be an angle between -180 and 180 degrees; "
                f"got {loc.a_deg:g}"
            )
    # above 15 lifts/min Table 5 gives FM = 0 (RWL = 0, with a warning); beyond this it is not lifting
    need(task.frequency_per_min, "frequency", maximum=MAX_FREQUENCY_PER_MIN, what="lifts/min")
    try:
        Coupling(task.coupling)
    except ValueError:
        raise InputError(
            f"{who}: field 'coupling' must be one of good, fair, poor; got {task.coupling!r}"
        ) from None


def _point_result(task: LiftingTask, point: Point, *, units: Units, duration: Duration) -> PointResult:
    c = constants(units)
    loc = task.origin if point is Point.ORIGIN else task.destination
    m = Multipliers(
        hm=horizontal_multiplier(loc.h, units=units),
        vm=vertical_multiplier(loc.v, units=units),
        dm=distance_multiplier(task.vertical_travel, units=units),
        am=asymmetric_multiplier(loc.a_deg),
        fm=frequency_multiplier(
            task.frequency_per_min, v_origin=task.origin.v, duration=duration, units=units
        ),
        cm=coupling_multiplier(task.coupling, v=loc.v, units=units),
    )
    rwl = c.load_constant * m.product
    firwl = c.load_constant * replace(m, fm=1.0).product
    rounded_rwl = c.load_constant * m.rounded().product
    return PointResult(
        point=point,
        multipliers=m,
        rwl=rwl,
        li=_ratio(task.load, rwl),
        firwl=firwl,
        rwl_rounded=round_half_up(rounded_rwl, 1),
        li_rounded=round_half_up(_ratio(task.load, rounded_rwl), 1),
    )


def assess_task(
    task: LiftingTask,
    *,
    units: Units | str = Units.METRIC,
    duration: Duration | str = Duration.LONG,
    ignore_scope: bool = False,
) -> TaskResult:
    """Assess one lifting task with the RNLE.

    Computes the six multipliers, RWL and LI at the origin and -- when the task needs
    significant control at the destination -- at the destination too, and takes the governing
    point (lower RWL, i.e. higher LI). Also returns FIRWL (FM = 1), STRWL = FIRWL x FM,
    FILI = max load / FIRWL and STLI = load / STRWL for the composite procedure.

    Tasks outside the equation's scope (``task.scope_flags``) get warnings and no numbers,
    unless ``ignore_scope`` is set (the warnings stay).
    """
    units = Units(units)
    duration = Duration(duration)
    validate_task(task)
    c = constants(units)
    warnings = [
        f"task '{task.name}': the NIOSH equation does not apply to {SCOPE_MESSAGES[flag]}"
        for flag in sorted(task.scope_flags)
    ]
    in_scope = not task.scope_flags
    if not in_scope and not ignore_scope:
        warnings.append(f"task '{task.name}': no RWL/LI reported (a number here would be meaningless)")
        return TaskResult(task=task, units=units, duration=duration, in_scope=False, warnings=tuple(warnings))
    if not in_scope:
        warnings.append(
            f"task '{task.name}': RWL/LI computed anyway on request; treat them as rough indications"
        )
    warnings.extend(_range_warnings(task, c, duration=duration, units=units))

    origin = _point_result(task, Point.ORIGIN, units=units, duration=duration)
    destination = (
        _point_result(task, Point.DESTINATION, units=units, duration=duration)
        if task.control_at_destination
        else None
    )
    governing = origin if destination is None or origin.rwl <= destination.rwl else destination
    firwl = min(p.firwl for p in (origin, destination) if p is not None)
    fm = origin.multipliers.fm  # FM uses V at the origin, hence identical at both points
    strwl = firwl * fm
    return TaskResult(
        task=task,
        units=units,
        duration=duration,
        in_scope=in_scope,
        warnings=tuple(warnings),
        origin=origin,
        destination=destination,
        governing=governing.point,
        rwl=governing.rwl,
        li=governing.li,
        firwl=firwl,
        strwl=strwl,
        fili=_ratio(task.peak_load, firwl),
        stli=_ratio(task.load, strwl),
        band=risk_band(governing.li),
        rwl_rounded=governing.rwl_rounded,
        li_rounded=governing.li_rounded,
    )


def governing_li(task: LiftingTask, *, units: Units | str, duration: Duration | str) -> float:
    """LI at the governing point at full precision -- what :func:`assess_task` returns as ``li`` --
    without validation, warnings, scope or rounding. For search loops over valid tasks (what-if)."""
    units = Units(units)
    c = constants(units)
    fm = frequency_multiplier(
        task.frequency_per_min, v_origin=task.origin.v, duration=Duration(duration), units=units
    )
    dm = distance_multiplier(task.vertical_travel, units=units)

    def rwl(loc: HandLocation) -> float:
        return (
            c.load_constant
            * horizontal_multiplier(loc.h, units=units)
            * vertical_multiplier(loc.v, units=units)
            * dm
            * asymmetric_multiplier(loc.a_deg)
            * fm
            * coupling_multiplier(task.coupling, v=loc.v, units=units)
        )

    limit = rwl(task.origin)
    if task.control_at_destination:
        limit = min(limit, rwl(task.destination))
    return _ratio(task.load, limit)


def assess_lift(
    *,
    load: float,
    h_origin: float,
    v_origin: float,
    h_destination: float,
    v_destination: float,
    frequency_per_min: float,
    a_origin_deg: float = 0.0,
    a_destination_deg: float = 0.0,
    coupling: Coupling | str = Coupling.GOOD,
    duration: Duration | str = Duration.LONG,
    control_at_destination: bool = False,
    units: Units | str = Units.METRIC,
    max_load: float | None = None,
    scope_flags: Iterable[ScopeFlag | str] = (),
    name: str = "lift",
    ignore_scope: bool = False,
) -> TaskResult:
    """One-call RNLE assessment from measured geometry (e.g. estimated from a video).

    Lengths in cm (metric) or inches (US), load in kg or lb, angles in degrees.
    """
    task = LiftingTask(
        load=load,
        origin=HandLocation(h_origin, v_origin, a_origin_deg),
        destination=HandLocation(h_destination, v_destination, a_destination_deg),
        frequency_per_min=frequency_per_min,
        coupling=Coupling(coupling),
        control_at_destination=control_at_destination,
        name=name,
        max_load=max_load,
        scope_flags=frozenset(ScopeFlag(f) for f in scope_flags),
    )
    return assess_task(task, units=units, duration=duration, ignore_scope=ignore_scope)


# ------------------------------------------------------------------------------ helpers ----


def _range_warnings(task: LiftingTask, c: UnitConstants, *, duration: Duration, units: Units) -> list[str]:
    out: list[str] = []
    points = [("origin", task.origin)]
    if task.control_at_destination:
        points.append(("destination", task.destination))
    for point_name, loc in points:
        if loc.h > c.h_max:
            out.append(
                f"task '{task.name}': {point_name} H = {loc.h:g} {c.length_unit} > {c.h_max:g}: HM = 0 "
                f"(load too far away)"
            )
        if loc.v > c.v_max:
            out.append(
                f"task '{task.name}': {point_name} V = {loc.v:g} {c.length_unit} > {c.v_max:g}: VM = 0 "
                f"(hands too high)"
            )
        if abs(loc.a_deg) > A_MAX_DEG:
            out.append(f"task '{task.name}': {point_name} A = {abs(loc.a_deg):g} deg > 135: AM = 0")
    if task.vertical_travel > c.d_max:
        out.append(f"task '{task.name}': D = {task.vertical_travel:g} {c.length_unit} > {c.d_max:g}: DM = 0")
    fm = frequency_multiplier(task.frequency_per_min, v_origin=task.origin.v, duration=duration, units=units)
    if fm == 0.0:
        out.append(
            f"task '{task.name}': {task.frequency_per_min:g} lifts/min is beyond Table 5 for {duration} "
            f"duration "
            f"at this origin height: FM = 0"
        )
    return out


def _ratio(load: float, limit: float) -> float:
    if limit > 0:
        return load / limit
    return 0.0 if load == 0 else math.inf


def _is_finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _finite(value: float, name: str) -> float:
    if not _is_finite_number(value):
        raise InputError(f"field '{name}' must be a finite number; got {value!r:.80}")
    return float(value)


def _check_non_negative(value: float, name: str) -> None:
    if _finite(value, name) < 0:
        raise InputError(f"field '{name}' must be >= 0 (distances cannot be negative); got {value:g}")
