"""LiFFT -- the Lifting Fatigue Failure Tool (cumulative low-back damage of a lifting job).

Source: Gallagher S, Sesek RF, Schall MC Jr, Huangfu R (2017). Development and validation of an
easy-to-use risk assessment tool for cumulative low back loading: The Lifting Fatigue Failure
Tool (LiFFT). *Applied Ergonomics* 63:142-150, doi:10.1016/j.apergo.2017.04.016. The damage
equation is restated as Eq. 1 of Zelik KE, Nurse CA, Schall MC Jr, Sesek RF, Marino MC,
Gallagher S (2022). An ergonomic assessment tool for evaluating the effect of back exoskeletons
on injury risk (Exo-LiFFT). *Applied Ergonomics* 99:103619, doi:10.1016/j.apergo.2021.103619.

Per task, LiFFT needs three inputs: the load, the *maximum* horizontal distance from the
lumbar spine to the load's centre during the lift, and the repetitions per day.

* Peak load moment: ``PLM = load weight x horizontal distance`` in N·m (also reported in kg·m
  and ft·lb).
* Damage per cycle: ``DPC = 1 / (1,902,416 x exp(-(0.038 x PLM + 0.32)))``, PLM in N·m.
* Cumulative damage: ``CD = sum_i reps_per_day_i x DPC_i`` (Palmgren-Miner summation).
* Probability that the job is "high risk" (>= 12 LBD incidents per 200,000 h worked, Marras
  et al. 1993): ``P = exp(Y) / (1 + exp(Y))`` with ``Y = 1.72 + 1.03 x log10(CD)``.

Verification status (also in docs/ergonomics.md): neither paper's full text could be opened in
this session. The constants were taken from a secondary summary of Exo-LiFFT Eq. 1 and of the
LiFFT logistic model. The moment coefficient 0.038 per N·m is cross-checked against the
Exo-LiFFT abstract ("an exo providing a 30 Nm lumbar moment ... reduce cumulative back damage by
~70%": 1 - exp(-0.038 x 30) = 68 %). 1,902,416, 0.32, 1.72, 1.03 and the base-10 logarithm are
not independently verified. All are fields of :class:`LifftConstants`, so a correction is one
edit and callers are unaffected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from liftsafe.errors import InputError
from liftsafe.units import KG_PER_LB, M_PER_IN

__all__ = ["LifftConstants", "LifftResult", "LifftTask", "LifftTaskResult", "lifft", "peak_load_moment_nm"]

G_M_S2 = 9.80665  # standard gravity
NM_PER_FTLB = 1.3558179483314004  # 1 ft·lbf in N·m (exact by definition of the foot and pound-force)


@dataclass(frozen=True)
class LifftConstants:
    """Model constants of LiFFT (Gallagher et al. 2017; Zelik et al. 2022 Eq. 1)."""

    cycles_scale: float = 1_902_416.0  # DPC = 1 / (cycles_scale x exp(-(coef x PLM + offset)))
    moment_coef_per_nm: float = 0.038  # per N·m of peak load moment
    moment_offset: float = 0.32
    logit_intercept: float = 1.72  # beta_0
    logit_slope: float = 1.03  # beta_1, per log unit (base ``log_base``) of cumulative damage
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


def peak_load_moment_nm(load_kg: float, horizontal_distance_m: float) -> float:
    """PLM in N·m: load weight (N) times the maximum horizontal distance (m)."""
    return load_kg * G_M_S2 * horizontal_distance_m


def damage_per_cycle(plm_nm: float, *, constants: LifftConstants = DEFAULT_CONSTANTS) -> float:
    """Fatigue damage of one lift: ``1 / (1,902,416 x exp(-(0.038 x PLM[N·m] + 0.32)))``."""
    exponent = constants.moment_coef_per_nm * plm_nm + constants.moment_offset
    return math.exp(exponent) / constants.cycles_scale


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
    for index, task in enumerate(tasks, start=1):
        who = f"LiFFT task {index} ('{task.name}')"
        for name, value in (
            ("load", task.load_kg),
            ("horizontal distance", task.horizontal_distance_m),
            ("reps per day", task.reps_per_day),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value < 0
            ):
                raise InputError(f"{who}: {name} must be a number >= 0; got {value!r}")
        plm = peak_load_moment_nm(task.load_kg, task.horizontal_distance_m)
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
    return LifftResult(tuple(results), total, probability_high_risk(total, constants=constants), constants)
