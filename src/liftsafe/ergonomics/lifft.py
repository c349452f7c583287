"""LiFFT -- the Lifting Fatigue Failure Tool (cumulative low-back damage of a lifting job).

Sources:

* Gallagher S, Sesek RF, Schall MC Jr, Huangfu R (2017). Development and validation of an
  easy-to-use risk assessment tool for cumulative low back loading: The Lifting Fatigue Failure
  Tool (LiFFT). *Applied Ergonomics* 63:142-150, doi:10.1016/j.apergo.2017.04.016 -- Eq. 1
  (cycles to failure, constant 902,416), the logistic model of a high-risk job, and the worked
  example "13 kg at 40 cm, 400 repetitions a day: damage per cycle 1.1e-5, cumulative damage
  0.0043".
* The LiFFT calculator, Auburn University, https://lifft.pythonanywhere.com (instructions page,
  version 1.4.1, 26 Aug 2019): damage per cycle ``10^(-5.81636 + 0.0222878 x PLM[ft·lb])``,
  logistic coefficients 1.7229 / 1.0239 (:data:`CALCULATOR_2019`), and the mono-task example
  "30 lb, 16 in, 760 times a day: 40 % probability of a high-risk job".
* Zelik KE et al. (2022). An ergonomic assessment tool for evaluating the effect of back
  exoskeletons on injury risk (Exo-LiFFT). *Applied Ergonomics* 99:103619,
  doi:10.1016/j.apergo.2021.103619 -- Eq. 1 restates the damage per cycle in N·m:
  ``exp(0.038 x PLM[N·m] + 0.32) / 902,416`` (the same curve within 2 % for PLM <= 100 N·m).

Per task, LiFFT needs three inputs: the load, the *maximum* horizontal distance from the
lumbar spine (hip) to the load's centre during the lift, and the repetitions per day.

* Peak load moment ``PLM = load weight x horizontal distance`` (N·m, kg·m and ft·lb reported).
* Damage per cycle ``DPC = 10^(a + b x PLM[ft·lb])``, a = -5.81636, b = 0.0222878.
* Cumulative damage ``CD = sum_i reps_per_day_i x DPC_i`` (Palmgren-Miner summation).
* Probability that the job is "high risk" (>= 12 LBD incidents per 200,000 h worked, Marras et
  al. 1993): ``P = 1 / (1 + exp(-Y))`` with ``Y = beta_0 + beta_1 x log10(CD)``.

Inputs no human lift can have (a load above :data:`MAX_LOAD_KG`, a distance above
:data:`MAX_DISTANCE_M`, a peak moment above :data:`MAX_PLM_NM`, more than
:data:`MAX_REPS_PER_DAY` repetitions) are :class:`~liftsafe.errors.InputError`, naming the
field; a peak moment above :data:`CAUTION_PLM_NM` (100 N·m) gives a warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from liftsafe.errors import InputError
from liftsafe.units import KG_PER_LB, M_PER_IN

__all__ = [
    "CAUTION_PLM_NM",
    "CALCULATOR_2019",
    "PAPER_2017",
    "LifftConstants",
    "LifftResult",
    "LifftTask",
    "LifftTaskResult",
    "damage_per_cycle",
    "lifft",
    "peak_load_moment_nm",
    "probability_high_risk",
    "validate_lifft_task",
]

G_M_S2 = 9.80665  # standard gravity
NM_PER_FTLB = 1.3558179483314004  # 1 ft·lbf in N·m (exact by definition of the foot and pound-force)


@dataclass(frozen=True)
class LifftConstants:
    """Model constants of LiFFT.

    Damage per cycle: the LiFFT calculator's published formula in ft·lb (Eq. 1 of Gallagher et
    al. 2017 with 902,416). Logistic coefficients: by default those printed in Gallagher et al.
    (2017), 1.72 / 1.03, which reproduce the calculator's worked example (40 %);
    :data:`CALCULATOR_2019` has 1.7229 / 1.0239, the coefficients the calculator publishes now,
    which give 40.9 % for that example (0.4 percentage points more; see docs/ergonomics.md).
    """

    log10_dpc_intercept: float = -5.81636  # log10(DPC) = intercept + slope x PLM[ft·lb]
    log10_dpc_slope_per_ftlb: float = 0.0222878
    logit_intercept: float = 1.72  # beta_0
    logit_slope: float = 1.03  # beta_1, per log unit (base ``log_base``) of cumulative damage
    log_base: float = 10.0


#: Eq. 1 of Gallagher et al. (2017): cycles to failure N = 902,416 x exp(-(0.038 x PLM[N·m] + 0.32))
#: in the N·m form restated by Zelik et al. (2022); 10^-5.81636 = exp(0.32) / 902,416 to 0.02 %.
CYCLES_TO_FAILURE_CONSTANT = 902_416.0
#: Logistic coefficients as printed in Gallagher et al. (2017) (the default).
PAPER_2017 = LifftConstants(logit_intercept=1.72, logit_slope=1.03)
#: Logistic coefficients the LiFFT calculator publishes (instructions v1.4.1).
CALCULATOR_2019 = LifftConstants(logit_intercept=1.7229, logit_slope=1.0239)

#: Peak load moment above which LiFFT's authors caution that the estimate is uncertain (warning).
CAUTION_PLM_NM = 100.0
#: Inputs beyond these are not a human lift: refused as bad input, naming the field.
MAX_LOAD_KG = 1000.0
MAX_DISTANCE_M = 5.0
MAX_PLM_NM = 1000.0
MAX_REPS_PER_DAY = 100_000.0

DEFAULT_CONSTANTS = LifftConstants()


@dataclass(frozen=True)
class LifftTask:
    """One task: load (kg), maximum horizontal distance spine->load (m), repetitions per day."""

    load_kg: float
    horizontal_distance_m: float
    reps_per_day: float
    name: str = "task"

    @classmethod
    def from_units(
        cls, *, load: float, distance: float, reps_per_day: float, units: str, name: str = "task"
    ) -> LifftTask:
        """Build from job units: metric (kg, cm) or US (lb, in)."""
        if units == "metric":
            return cls(load, distance / 100.0, reps_per_day, name)
        if units == "us":
            return cls(load * KG_PER_LB, distance * M_PER_IN, reps_per_day, name)
        raise InputError(f"units must be 'metric' or 'us'; got {units!r}")


@dataclass(frozen=True)
class LifftTaskResult:
    task: LifftTask
    peak_load_moment_nm: float
    peak_load_moment_kgm: float
    peak_load_moment_ftlb: float
    damage_per_cycle: float
    cumulative_damage: float  # reps_per_day x damage_per_cycle


@dataclass(frozen=True)
class LifftResult:
    tasks: tuple[LifftTaskResult, ...]
    cumulative_damage: float
    probability_high_risk: float  # 0..1
    constants: LifftConstants = field(default=DEFAULT_CONSTANTS)
    warnings: tuple[str, ...] = ()


def peak_load_moment_nm(load_kg: float, horizontal_distance_m: float) -> float:
    """PLM in N·m: load weight (N) times the maximum horizontal distance (m)."""
    return load_kg * G_M_S2 * horizontal_distance_m


def damage_per_cycle(plm_nm: float, *, constants: LifftConstants = DEFAULT_CONSTANTS) -> float:
    """Fatigue damage of one lift: ``10^(-5.81636 + 0.0222878 x PLM[ft·lb])`` (LiFFT calculator)."""
    ftlb = plm_nm / NM_PER_FTLB
    return 10.0 ** (constants.log10_dpc_intercept + constants.log10_dpc_slope_per_ftlb * ftlb)


def probability_high_risk(
    cumulative_damage: float, *, constants: LifftConstants = DEFAULT_CONSTANTS
) -> float:
    """Logistic probability that the job is high-risk, from the cumulative damage."""
    if cumulative_damage <= 0:
        return 0.0
    y = constants.logit_intercept + constants.logit_slope * math.log(cumulative_damage, constants.log_base)
    return 1.0 / (1.0 + math.exp(-y))


def lifft(tasks: Iterable[LifftTask], *, constants: LifftConstants = DEFAULT_CONSTANTS) -> LifftResult:
    """Cumulative damage of a job (sum over its tasks) and the probability of a high-risk job."""
    results = []
    warnings: list[str] = []
    for index, task in enumerate(tasks, start=1):
        who = f"LiFFT task {index} ('{task.name}')"
        plm = validate_lifft_task(task, who=who)
        if plm > CAUTION_PLM_NM:
            warnings.append(
                f"{who}: peak load moment {plm:.0f} N·m is above {CAUTION_PLM_NM:g} N·m, "
                "where LiFFT's authors caution that the damage estimate is uncertain"
            )
        ftlb = plm / NM_PER_FTLB
        dpc = damage_per_cycle(plm, constants=constants)
        results.append(
            LifftTaskResult(
                task, plm, task.load_kg * task.horizontal_distance_m, ftlb, dpc, dpc * task.reps_per_day
            )
        )
    if not results:
        raise InputError("LiFFT needs at least one task (load, distance, repetitions per day)")
    total = sum(r.cumulative_damage for r in results)
    probability = probability_high_risk(total, constants=constants)
    return LifftResult(tuple(results), total, probability, constants, tuple(warnings))


def validate_lifft_task(task: LifftTask, *, who: str = "LiFFT task") -> float:
    """Check one task's inputs and return its peak load moment (N·m).

    Raises :class:`InputError` naming the field for a negative, non-finite or absurd value
    (load > 1000 kg, distance > 5 m, peak moment > 1000 N·m, > 100,000 repetitions a day).
    """
    limits = (
        ("load", task.load_kg, MAX_LOAD_KG, "kg"),
        ("distance", task.horizontal_distance_m, MAX_DISTANCE_M, "m"),
        ("reps", task.reps_per_day, MAX_REPS_PER_DAY, "per day"),
    )
    for name, value, maximum, unit in limits:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value) or value < 0:
            raise InputError(f"{who}: field '{name}' must be a number >= 0; got {value!r:.80}")
        if value > maximum:
            raise InputError(
                f"{who}: field '{name}' is {value:g} {unit}, above the {maximum:g} {unit} of any human lift"
            )
    plm = peak_load_moment_nm(task.load_kg, task.horizontal_distance_m)
    if plm > MAX_PLM_NM:
        raise InputError(
            f"{who}: fields 'load' x 'distance' give a peak load moment of {plm:.0f} N·m, above the "
            f"{MAX_PLM_NM:g} N·m any human back can hold (LiFFT cautions above {CAUTION_PLM_NM:g} N·m)"
        )
    return plm


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False
