"""LiFFT -- the Lifting Fatigue Failure Tool (cumulative low-back damage of a lifting job).

Source: Gallagher S, Sesek RF, Schall MC Jr, Huangfu R (2017). Development and validation of an
easy-to-use risk assessment tool for cumulative low back loading: The Lifting Fatigue Failure
Tool (LiFFT). *Applied Ergonomics* 63:142-150, doi:10.1016/j.apergo.2017.04.016.

Per task, LiFFT needs three inputs: the load, the *maximum* horizontal distance from the
lumbar spine (hip) to the load's centre during the lift, and the repetitions per day.

* Peak load moment: ``PLM = load x horizontal distance`` (reported in N·m, kg·m and ft·lb).
* Damage per cycle from the fatigue-failure curve of lumbar motion segments:
  ``DPC = 1 / (902,416 x exp(-0.162 x PLM))`` with PLM in **ft·lb** (see "Verification").
* Cumulative damage: ``CD = sum_i reps_per_day_i x DPC_i`` (Palmgren-Miner summation).
* Probability that the job is "high risk" (>= 12 LBD incidents per 200,000 h worked, Marras
  et al. 1993): ``P = exp(Y) / (1 + exp(Y))`` with ``Y = 1.72 + 1.03 x log10(CD)``.

Verification status (also in docs/ergonomics.md): the constants 902,416 and 0.162 (fatigue
curve) and 1.72 and 1.03 (logistic model) are as recalled from the paper and agree with a
third-party open-source implementation; in this session the paper's own text could not be
opened to confirm (a) that PLM enters the exponent in ft·lb and (b) that the logarithm is
base 10. Both choices are explicit fields of :class:`LifftConstants`, so they can be corrected
in one place without touching callers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from liftsafe.errors import InputError

__all__ = ["LifftConstants", "LifftResult", "LifftTask", "LifftTaskResult", "lifft", "peak_load_moment_nm"]

G_M_S2 = 9.80665  # standard gravity
NM_PER_FTLB = 1.3558179483314004  # 1 ft·lbf in N·m (exact by definition of the foot and pound-force)
KG_PER_LB = 0.45359237
M_PER_IN = 0.0254


@dataclass(frozen=True)
class LifftConstants:
    """Model constants of LiFFT (Gallagher et al. 2017); see the module docstring."""

    cycles_intercept: float = 902_416.0  # cycles to failure at zero moment
    cycles_slope_per_ftlb: float = 0.162  # exponent per ft·lb of peak load moment
    logit_intercept: float = 1.72  # beta_0
    logit_slope: float = 1.03  # beta_1, per log10 unit of cumulative damage
    log_base: float = 10.0


DEFAULT_CONSTANTS = LifftConstants()


@dataclass(frozen=True)
class LifftTask:
    """One task: load (kg), maximum horizontal distance spine->load (m), repetitions per day."""

    load_kg: float
    horizontal_distance_m: float
    reps_per_day: float
    name: str = "task"

    @classmethod
    def from_units(cls, *, load: float, distance: float, reps_per_day: float, units: str, name: str = "task") -> LifftTask:
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


def peak_load_moment_nm(load_kg: float, horizontal_distance_m: float) -> float:
    """PLM in N·m: load weight (N) times the maximum horizontal distance (m)."""
    return load_kg * G_M_S2 * horizontal_distance_m


def damage_per_cycle(plm_ftlb: float, *, constants: LifftConstants = DEFAULT_CONSTANTS) -> float:
    """Fatigue damage of one lift: ``1 / (902,416 x exp(-0.162 x PLM[ft·lb]))``."""
    return 1.0 / (constants.cycles_intercept * math.exp(-constants.cycles_slope_per_ftlb * plm_ftlb))


def probability_high_risk(cumulative_damage: float, *, constants: LifftConstants = DEFAULT_CONSTANTS) -> float:
    """Logistic probability that the job is high-risk, from the cumulative damage."""
    if cumulative_damage <= 0:
        return 0.0
    y = constants.logit_intercept + constants.logit_slope * math.log(cumulative_damage, constants.log_base)
    return 1.0 / (1.0 + math.exp(-y))


def lifft(tasks: Iterable[LifftTask], *, constants: LifftConstants = DEFAULT_CONSTANTS) -> LifftResult:
    """Cumulative damage of a job (sum over its tasks) and the probability of a high-risk job."""
    results = []
    for index, task in enumerate(tasks, start=1):
        who = f"LiFFT task {index} ('{task.name}')"
        for name, value in (
            ("load", task.load_kg),
            ("horizontal distance", task.horizontal_distance_m),
            ("reps per day", task.reps_per_day),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise InputError(f"{who}: {name} must be a number >= 0; got {value!r}")
        plm = peak_load_moment_nm(task.load_kg, task.horizontal_distance_m)
        ftlb = plm / NM_PER_FTLB
        dpc = damage_per_cycle(ftlb, constants=constants)
        results.append(LifftTaskResult(task, plm, task.load_kg * task.horizontal_distance_m, ftlb, dpc, dpc * task.reps_per_day))
    if not results:
        raise InputError("LiFFT needs at least one task (load, distance, repetitions per day)")
    total = sum(r.cumulative_damage for r in results)
    return LifftResult(tuple(results), total, probability_high_risk(total, constants=constants), constants)
