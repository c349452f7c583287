"""Multi-task jobs: FIRWL, STRWL, FILI, STLI and the Composite Lifting Index (CLI).

Procedure of the Applications Manual section 2.4 ("Multi-task jobs"):

1. FIRWL = RWL with FM = 1 (the lower of origin and destination when control is needed).
2. STRWL = FIRWL x FM(task's own F, V at origin, duration).
3. FILI = maximum load / FIRWL; STLI = average load / STRWL.
4. Renumber tasks by decreasing STLI (ties: higher frequency first).
5. CLI = STLI_1 + sum_{k>=2} FILI_k x (1/FM(F_1+..+F_k) - 1/FM(F_1+..+F_{k-1})),
   both FM values read from Table 5 at the *sum* of the frequencies, in the job's duration
   category and in the V column of task k (its origin height).
6. Flags: any FILI > 1 -> strength demands; any STLI > 1 -> overall demands; a task with
   FILI > STLI -> its maximum weight may be the problem.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from liftsafe.ergonomics.niosh import (
    Duration,
    LiftingTask,
    RiskBand,
    ScopeFlag,
    TaskResult,
    Units,
    assess_task,
    frequency_multiplier,
    risk_band,
)

__all__ = ["CompositeResult", "CompositeTerm", "Job", "JobResult", "assess_job", "composite_lifting_index"]


@dataclass(frozen=True)
class Job:
    """A lifting job: tasks in one unit system and one duration category."""

    tasks: tuple[LiftingTask, ...]
    units: Units = Units.METRIC
    duration: Duration = Duration.LONG
    name: str | None = None
    #: flags that apply to every task (e.g. over 8 h, hot environment)
    scope_flags: frozenset[ScopeFlag] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CompositeTerm:
    """One term of the CLI sum, for the task at position ``rank`` (1-based, by STLI)."""

    rank: int
    task_name: str
    stli: float
    fili: float
    frequency_sum: float  # F_1 + ... + F_k
    fm_sum: float  # FM(F_1 + ... + F_k), V column of task k
    fm_previous: float | None  # FM(F_1 + ... + F_{k-1}), None for k = 1
    increment: float  # STLI_1 for k = 1, else FILI_k x (1/fm_sum - 1/fm_previous)


@dataclass(frozen=True)
class CompositeResult:
    cli: float
    terms: tuple[CompositeTerm, ...]
    flags: tuple[str, ...]

    @property
    def band(self) -> RiskBand:
        """Risk band of the Composite Lifting Index."""
        return risk_band(self.cli)


@dataclass(frozen=True)
class JobResult:
    units: Units
    duration: Duration
    tasks: tuple[TaskResult, ...]
    composite: CompositeResult | None
    warnings: tuple[str, ...]

    @property
    def cli(self) -> float | None:
        """The Composite Lifting Index, or None for a single-task job."""
        return None if self.composite is None else self.composite.cli


def composite_lifting_index(
    results: Sequence[TaskResult], *, units: Units | str, duration: Duration | str
) -> CompositeResult:
    """Composite Lifting Index of assessed tasks (each with ``stli`` and ``fili`` set)."""
    units = Units(units)
    duration = Duration(duration)
    usable = [r for r in results if r.stli is not None and r.fili is not None]
    if not usable:
        raise ValueError("composite_lifting_index needs at least one assessed task")
    ranked = sorted(usable, key=lambda r: (-_key(r.stli), -r.task.frequency_per_min))  # type: ignore[arg-type]
    terms: list[CompositeTerm] = []
    first = ranked[0]
    freq_sum = first.task.frequency_per_min
    fm_first = frequency_multiplier(freq_sum, v_origin=first.task.origin.v, duration=duration, units=units)
    terms.append(
        CompositeTerm(1, first.task.name, first.stli, first.fili, freq_sum, fm_first, None, first.stli)  # type: ignore[arg-type]
    )
    cli = first.stli
    for rank, result in enumerate(ranked[1:], start=2):
        v = result.task.origin.v
        fm_prev = frequency_multiplier(freq_sum, v_origin=v, duration=duration, units=units)
        freq_sum += result.task.frequency_per_min
        fm_sum = frequency_multiplier(freq_sum, v_origin=v, duration=duration, units=units)
        increment = result.fili * (_inverse(fm_sum) - _inverse(fm_prev))  # type: ignore[operator]
        if math.isnan(increment):  # inf - inf: both sums beyond the table
            increment = math.inf
        cli += increment  # type: ignore[operator]
        terms.append(
            CompositeTerm(
                rank, result.task.name, result.stli, result.fili, freq_sum, fm_sum, fm_prev, increment  # type: ignore[arg-type]
            )
        )
    flags: list[str] = []
    if any(r.fili > 1.0 for r in usable):  # type: ignore[operator]
        names = ", ".join(r.task.name for r in usable if r.fili > 1.0)  # type: ignore[operator]
        flags.append(
            f"FILI > 1.0 ({names}): strength demands -- some workers cannot lift these loads even "
            f"occasionally"
        )
    if any(r.stli > 1.0 for r in usable):  # type: ignore[operator]
        names = ", ".join(r.task.name for r in usable if r.stli > 1.0)  # type: ignore[operator]
        flags.append(f"STLI > 1.0 ({names}): overall physical demands too high even as a single task")
    for r in usable:
        if r.fili > r.stli:  # type: ignore[operator]
            flags.append(f"FILI > STLI for '{r.task.name}': the maximum weight may be the problem")
    return CompositeResult(cli=cli, terms=tuple(terms), flags=tuple(flags))  # type: ignore[arg-type]


def assess_job(job: Job, *, ignore_scope: bool = False) -> JobResult:
    """Assess every task of a job and, for two or more tasks, the Composite Lifting Index.

    Job-level scope flags are added to every task. The CLI is not computed (None) when a task
    is out of scope (and ``ignore_scope`` is not set) or when the job has a single task (its
    CLI would equal its LI).
    """
    results = []
    for task in job.tasks:
        if job.scope_flags:
            task = replace(task, scope_flags=task.scope_flags | job.scope_flags)
        results.append(assess_task(task, units=job.units, duration=job.duration, ignore_scope=ignore_scope))
    warnings: list[str] = []
    seen: set[str] = set()
    for r in results:
        for w in r.warnings:
            if w not in seen:
                seen.add(w)
                warnings.append(w)
    composite = None
    if len(results) >= 2:
        missing = [r.task.name for r in results if r.stli is None]
        if missing:
            warnings.append(
                f"no Composite Lifting Index: task(s) {', '.join(missing)} outside the equation's scope"
            )
        else:
            composite = composite_lifting_index(results, units=job.units, duration=job.duration)
            if math.isinf(composite.cli):
                warnings.append(
                    "Composite Lifting Index unbounded: the summed frequency is beyond Table 5 (FM = 0)"
                )
            warnings.extend(composite.flags)
    return JobResult(job.units, job.duration, tuple(results), composite, tuple(warnings))


def _inverse(fm: float) -> float:
    return math.inf if fm <= 0 else 1.0 / fm


def _key(value: float) -> float:
    return value if math.isfinite(value) else math.inf
