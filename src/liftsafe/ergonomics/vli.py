"""Variable Lifting Index (VLI): the NIOSH method for jobs with many different lifts.

Source: Waters T, Occhipinti E, Colombini D, Alvarez-Casado E, Fox R (2016). Variable Lifting
Index (VLI): A New Method for Evaluating Variable Lifting Tasks. *Human Factors* 58(5):695-711,
doi:10.1177/0018720815612256. The method, as its abstract states it: compute the Frequency
Independent Lifting Index (FILI) of every sub-task, aggregate the FILI values into (at most) six
categories with their frequencies, and apply the Composite Lifting Index equation to the
categories.

Steps implemented here (each sub-task is a task of the job, assessed with the RNLE):

1. FILI_i = maximum load / FIRWL_i (FIRWL: RWL with FM = 1), from :func:`assess_task`.
2. Categories: the range [min FILI, max FILI] is cut into ``n_categories`` (default 6) classes
   of equal width, or at the ``boundaries`` the caller gives. Empty classes are dropped; with no
   more sub-tasks than categories every sub-task is its own category (no aggregation).
3. Sub-task weighting: a category's FILI is the frequency-weighted mean of its sub-tasks' FILI,
   ``FILI_c = sum(F_i x FILI_i) / sum(F_i)``; its frequency is ``F_c = sum(F_i)``.
4. Categories are ordered by decreasing FILI_c and combined with the CLI equation:
   ``VLI = FILI_1 / FM(F_1) + sum_{k>=2} FILI_k x (1/FM(F_1+..+F_k) - 1/FM(F_1+..+F_{k-1}))``,
   FM from Table 5 at the summed frequency, in the job's duration category. The V column of
   category k is the one holding most of its lifts (by frequency; a tie takes V < 75 cm, the
   lower FM).

The category rule (equal-width classes) and the V-column rule are this implementation's
choices, stated in docs/ergonomics.md: the paper's full text could not be consulted while this
was written, so its own cut points and its worked example are not reproduced here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from liftsafe.ergonomics.composite import Job
from liftsafe.ergonomics.niosh import (
    Duration,
    RiskBand,
    TaskResult,
    Units,
    assess_task,
    constants,
    frequency_multiplier,
    risk_band,
)
from liftsafe.errors import InputError

__all__ = [
    "DEFAULT_CATEGORIES",
    "VliCategory",
    "VliResult",
    "VliTerm",
    "assess_vli",
    "variable_lifting_index",
]

#: Number of FILI categories of the VLI method (Waters et al. 2016: "six categories").
DEFAULT_CATEGORIES = 6


@dataclass(frozen=True)
class VliCategory:
    """A FILI category: its bounds, weighted FILI, summed frequency and sub-tasks."""

    lower: float  # lowest FILI of its sub-tasks
    upper: float  # highest FILI of its sub-tasks
    fili: float  # frequency-weighted mean FILI of its sub-tasks
    frequency: float  # lifts/min, summed over its sub-tasks
    v_low: bool  # FM column: V at origin < 75 cm (30 in) for most of its lifts
    subtasks: tuple[str, ...]


@dataclass(frozen=True)
class VliTerm:
    """One term of the VLI sum (categories ranked by decreasing FILI, 1-based)."""

    rank: int
    fili: float
    frequency_sum: float
    fm_sum: float
    fm_previous: float | None
    increment: float


@dataclass(frozen=True)
class VliResult:
    vli: float
    categories: tuple[VliCategory, ...]  # ranked: highest FILI first
    terms: tuple[VliTerm, ...]
    subtasks: tuple[TaskResult, ...]
    warnings: tuple[str, ...]

    @property
    def band(self) -> RiskBand:
        """Interpretation band of the VLI (same bands as the LI)."""
        return risk_band(self.vli)


def variable_lifting_index(
    results: Sequence[TaskResult],
    *,
    units: Units | str,
    duration: Duration | str,
    n_categories: int = DEFAULT_CATEGORIES,
    boundaries: Sequence[float] | None = None,
) -> VliResult:
    """VLI of assessed sub-tasks (each with ``fili`` set: in scope, or assessed with ignore_scope)."""
    units = Units(units)
    duration = Duration(duration)
    if isinstance(n_categories, bool) or not isinstance(n_categories, int) or n_categories < 1:
        raise InputError(f"field 'categories' must be a whole number >= 1; got {n_categories!r}")
    usable = [r for r in results if r.fili is not None]
    if not usable:
        raise InputError("the Variable Lifting Index needs at least one assessed sub-task")
    categories = _categorise(usable, units=units, n_categories=n_categories, boundaries=boundaries)
    ranked = sorted(categories, key=lambda c: (-_key(c.fili), -c.frequency))
    terms: list[VliTerm] = []
    warnings: list[str] = []
    freq_sum = 0.0
    vli = 0.0
    for rank, cat in enumerate(ranked, start=1):
        v = 0.0 if cat.v_low else constants(units).v_split  # a V in the category's column
        fm_prev = (
            None if rank == 1 else frequency_multiplier(freq_sum, v_origin=v, duration=duration, units=units)
        )
        freq_sum += cat.frequency
        fm_sum = frequency_multiplier(freq_sum, v_origin=v, duration=duration, units=units)
        if fm_prev is None:
            increment = cat.fili * _inverse(fm_sum)
        else:
            increment = cat.fili * (_inverse(fm_sum) - _inverse(fm_prev))
        if math.isnan(increment):  # inf - inf (both sums beyond the table) or 0 x inf
            increment = math.inf if cat.fili > 0 else 0.0
        vli += increment
        terms.append(VliTerm(rank, cat.fili, freq_sum, fm_sum, fm_prev, increment))
    if math.isinf(vli):
        warnings.append(
            f"Variable Lifting Index unbounded: {freq_sum:g} lifts/min in all is beyond Table 5 for "
            f"{duration} duration (FM = 0)"
        )
    return VliResult(vli, tuple(ranked), tuple(terms), tuple(usable), tuple(warnings))


def assess_vli(
    job: Job,
    *,
    n_categories: int = DEFAULT_CATEGORIES,
    boundaries: Sequence[float] | None = None,
    ignore_scope: bool = False,
) -> VliResult:
    """Assess every task of ``job`` as a VLI sub-task and compute the Variable Lifting Index.

    Out-of-scope sub-tasks (and job-level scope flags) make the VLI meaningless: an
    :class:`InputError` says which, unless ``ignore_scope`` is set.
    """
    results = []
    for task in job.tasks:
        if job.scope_flags:
            task = replace(task, scope_flags=task.scope_flags | job.scope_flags)
        results.append(assess_task(task, units=job.units, duration=job.duration, ignore_scope=ignore_scope))
    missing = [r.task.name for r in results if r.fili is None]
    if missing:
        raise InputError(
            f"no Variable Lifting Index: sub-task(s) {', '.join(missing)} outside the NIOSH equation's scope "
            "(use --ignore-scope for a rough indication)"
        )
    res = variable_lifting_index(
        results, units=job.units, duration=job.duration, n_categories=n_categories, boundaries=boundaries
    )
    warnings = list(dict.fromkeys(w for r in results for w in r.warnings))  # unique, in order
    return replace(res, warnings=tuple(warnings) + res.warnings)


def _categorise(
    results: Sequence[TaskResult], *, units: Units, n_categories: int, boundaries: Sequence[float] | None
) -> list[VliCategory]:
    filis = [_fili(r) for r in results]
    finite = [f for f in filis if math.isfinite(f)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 0.0)
    if boundaries is not None:
        cuts = sorted(float(b) for b in boundaries)
        if any(not math.isfinite(b) or b <= 0 for b in cuts):
            raise InputError(f"field 'boundaries' must be finite FILI values > 0; got {list(boundaries)!r}")
        edges = [-math.inf, *cuts, math.inf]
    elif len(results) <= n_categories:
        edges = []  # every sub-task its own category: nothing to aggregate
    elif hi == lo:
        edges = [-math.inf, math.inf]
    else:
        width = (hi - lo) / n_categories
        edges = [-math.inf, *(lo + width * i for i in range(1, n_categories)), math.inf]
    if edges:
        groups: list[list[TaskResult]] = [[] for _ in range(len(edges) - 1)]
        for r, f in zip(results, filis, strict=True):
            groups[next(i for i in range(len(edges) - 1) if f <= edges[i + 1])].append(r)
    else:
        groups = [[r] for r in results]
    split = constants(units).v_split
    out = []
    for group in groups:
        if not group:
            continue
        freq = sum(_rated_frequency(r) for r in group)
        if freq > 0:
            fili = sum(_rated_frequency(r) * _fili(r) for r in group) / freq
        else:  # every sub-task at 0 lifts/min: plain mean
            fili = sum(_fili(r) for r in group) / len(group)
        if math.isnan(fili):  # inf x 0
            fili = math.inf
        low = sum(_rated_frequency(r) for r in group if r.task.origin.v < split)
        out.append(
            VliCategory(
                lower=min(_fili(r) for r in group),
                upper=max(_fili(r) for r in group),
                fili=fili,
                frequency=freq,
                v_low=low >= freq - low,
                subtasks=tuple(r.task.name for r in group),
            )
        )
    return out


def _fili(r: TaskResult) -> float:
    assert r.fili is not None
    return float(r.fili)


def _rated_frequency(r: TaskResult) -> float:
    # Table 5 footnote: less than 0.2 lifts/min is rated at 0.2 -- but for summing the frequencies
    # of sub-tasks the actual rates add up (0.1 + 0.1 lifts/min is 0.2 lifts/min).
    f = float(r.task.frequency_per_min)
    return f if f > 0 else 0.0


def _inverse(fm: float) -> float:
    return math.inf if fm <= 0 else 1.0 / fm


def _key(value: float) -> float:
    return value if math.isfinite(value) else math.inf
