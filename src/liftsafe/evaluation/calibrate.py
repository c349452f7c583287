"""Threshold calibration by cross-validation on labelled clips.

The clip verdict is an OR-rule over the threshold table: a clip is *bad* when any rep has a
fault at *major* (or *unsafe*) severity. Most limits come from the literature or from the
simulator; the few whose metric is this project's own construct (no published number: the
back outline's curvature, the trunk's tip-forward as the hips rise) are marked ``fitted`` in
the table, and only their **major** limits are calibrated here. The classifier that is
cross-validated is therefore the one the product ships -- the whole table -- not a separate
model:

* each clip is reduced to one score per fault: the worst value of that fault's metric over
  its reps (the metric the threshold table names);
* a clip is predicted *bad* when any fault judgeable from its view crosses its major limit
  (the table's, or the fitted one) or its unsafe limit;
* fitting = an exhaustive search over the fitted faults' major limits (each halfway between
  two neighbouring training values, inside the fault's plausible range, or "never major")
  for the highest training balanced accuracy; among equally good limits the lowest (the
  most sensitive) is kept: missing a rounded back costs more than a second look at a sound
  lift;
* the score reported is **cross-validated**: leave-one-group-out when the labels give groups
  (clips of one source video or lifter are held out together), else leave-one-clip-out. The
  limits fitted on all clips are what goes into the threshold table; their training score is
  shown only for contrast.

Only judged clips (side view, at least one complete rep, measurable outline) take part;
abstentions are reported as coverage.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from liftsafe.evaluation.metrics import balanced_accuracy, confusion
from liftsafe.evaluation.run import ClipOutcome
from liftsafe.result import Exercise, View
from liftsafe.technique.thresholds import TABLE, Threshold

MAX_FITTED = 3  # the search is exhaustive: candidates ** faults


def fitted_codes(table: tuple[Threshold, ...] = TABLE) -> tuple[str, ...]:
    """Faults whose major limit the table marks as fitted on labelled clips."""
    return tuple(t.code.value for t in table if t.fitted)


@dataclass(frozen=True)
class Rule:
    """The table's verdict rule with the major limits of some faults replaced.

    ``limits``: (fault code, major limit or None for "never major") pairs.
    """

    limits: tuple[tuple[str, float | None], ...]
    exercise: str = Exercise.DEADLIFT.value

    @staticmethod
    def _major(t: Threshold, fitted: dict[str, float | None], exercise: Exercise) -> float | None:
        limits = t.limits.get(exercise)
        if limits is None:
            return None
        major = fitted[t.code.value] if t.code.value in fitted else limits.major
        bounds = [x for x in (major, limits.unsafe) if x is not None]
        if not bounds:
            return None
        return min(bounds) if t.comparison == ">" else max(bounds)

    def predict(self, scores: dict[str, float], view: str = View.SIDE.value, table: tuple[Threshold, ...] = TABLE) -> str:
        fitted, exercise, seen_from = dict(self.limits), Exercise(self.exercise), View(view)  # once per clip
        for t in table:
            if seen_from not in t.views:
                continue
            limit = self._major(t, fitted, exercise)
            value = scores.get(t.code.value, float("nan"))
            if limit is None or value is None or not math.isfinite(value):
                continue
            if (value > limit) if t.comparison == ">" else (value < limit):
                return "bad"
        return "good"


@dataclass
class Calibration:
    rule: Rule
    training_ba: float | None
    cv_ba: float | None
    cv_sensitivity: float | None
    cv_specificity: float | None
    cv_confusion: tuple[int, int, int, int]
    folds: int
    judged: int
    scheme: str = "leave one group out"
    table_ba: float | None = None  # the table as shipped, on the same clips (optimistic where fitted on them)
    reproduced: int = 0  # judged clips whose product verdict the table rule reproduces
    per_clip: list[dict] = field(default_factory=list)


def clip_scores(outcome: ClipOutcome, table: tuple[Threshold, ...] = TABLE) -> dict[str, float]:
    """The worst value of each fault's metric over the clip's reps (NaN when never measured)."""
    out: dict[str, float] = {}
    reps = (outcome.result or {}).get("reps", [])
    for t in table:
        values = [r["metrics"].get(t.metric) for r in reps]
        values = [v for v in values if v is not None and math.isfinite(v)]
        if not values:
            out[t.code.value] = float("nan")
        else:
            out[t.code.value] = max(values) if t.comparison == ">" else min(values)
    return out


def _ba(rule: Rule, X: list[dict[str, float]], views: list[str], y: list[str], table: tuple[Threshold, ...] = TABLE) -> float:
    pairs = [(truth, rule.predict(x, v, table)) for x, v, truth in zip(X, views, y)]
    ba = balanced_accuracy(*confusion(pairs))
    return 0.0 if ba is None else ba


def _candidates(values: list[float], plausible: tuple[float, float]) -> list[float | None]:
    v = sorted(set(x for x in values if x is not None and math.isfinite(x)))
    lo, hi = plausible
    return [m for m in ((a + b) / 2 for a, b in zip(v[:-1], v[1:])) if lo <= m <= hi] + [None]


def fit_rule(
    X: list[dict[str, float]], y: list[str], *, views: list[str] | None = None, codes: tuple[str, ...] | None = None,
    exercise: str = Exercise.DEADLIFT.value, table: tuple[Threshold, ...] = TABLE,
) -> Rule:
    """The fitted faults' major limits that maximise training balanced accuracy (module docstring)."""
    views = views or [View.SIDE.value] * len(X)
    codes = fitted_codes(table) if codes is None else codes
    by_code = {t.code.value: t for t in table}
    grids = [_candidates([x.get(c, float("nan")) for x in X], by_code[c].plausible) for c in codes]
    best, rule = -1.0, Rule((), exercise)
    for combo in itertools.product(*grids):  # candidates ascending: ties keep the lowest limits
        trial = Rule(tuple(zip(codes, combo)), exercise)
        ba = _ba(trial, X, views, y, table)
        if ba > best + 1e-9:
            best, rule = ba, trial
    return rule


def cross_validate(
    outcomes: list[ClipOutcome], *, by_group: bool = True, codes: tuple[str, ...] | None = None,
    exercise: str = Exercise.DEADLIFT.value,
) -> Calibration:
    """Leave-one-group-out (``by_group`` and groups labelled) or leave-one-clip-out cross-validation."""
    codes = fitted_codes() if codes is None else codes
    if len(codes) > MAX_FITTED:
        raise ValueError(f"at most {MAX_FITTED} faults can be fitted at once; got {len(codes)}")
    judged = [o for o in outcomes if o.predicted is not None]
    X = [clip_scores(o) for o in judged]
    views = [o.result.get("view", View.SIDE.value) for o in judged]
    y = [o.label for o in judged]
    groups = [(o.group if by_group else None) or o.file for o in judged]
    predictions: list[str | None] = [None] * len(judged)
    unique = list(dict.fromkeys(groups))
    for g in unique:
        train = [i for i, gi in enumerate(groups) if gi != g]
        rule = fit_rule([X[i] for i in train], [y[i] for i in train], views=[views[i] for i in train],
                        codes=codes, exercise=exercise)
        for i, gi in enumerate(groups):
            if gi == g:
                predictions[i] = rule.predict(X[i], views[i])
    tp, fn, fp, tn = confusion(list(zip(y, predictions)))
    final = fit_rule(X, y, views=views, codes=codes, exercise=exercise)
    shipped = Rule((), exercise)
    return Calibration(
        rule=final,
        training_ba=_ba(final, X, views, y),
        cv_ba=balanced_accuracy(tp, fn, fp, tn),
        cv_sensitivity=tp / (tp + fn) if tp + fn else None,
        cv_specificity=tn / (tn + fp) if tn + fp else None,
        cv_confusion=(tp, fn, fp, tn),
        folds=len(unique),
        judged=len(judged),
        scheme="leave one group out" if by_group and any(o.group for o in judged) else "leave one clip out",
        table_ba=_ba(shipped, X, views, y) if judged else None,
        reproduced=sum(shipped.predict(x, v) == o.predicted for x, v, o in zip(X, views, judged)),
        per_clip=[
            {"file": o.file, "label": o.label, "group": o.group, "predicted": o.predicted, "cv_predicted": p,
             **{k: (None if not math.isfinite(v) else round(v, 4)) for k, v in x.items()}}
            for o, x, p in zip(judged, X, predictions)
        ],
    )


def describe(cal: Calibration) -> str:
    def f(x):
        return "-" if x is None else f"{x:.2f}"

    by_code = {t.code.value: t for t in TABLE}
    terms = "; ".join(
        f"{c}: {by_code[c].metric} {by_code[c].comparison} {'(never major)' if v is None else f'{v:.4g}'}"
        for c, v in cal.rule.limits
    ) or "(no fitted faults)"
    tp, fn, fp, tn = cal.cv_confusion
    return (
        f"judged clips {cal.judged}, {cal.folds} cross-validation folds ({cal.scheme})\n"
        f"cross-validated balanced accuracy {f(cal.cv_ba)} (sensitivity {f(cal.cv_sensitivity)}, "
        f"specificity {f(cal.cv_specificity)}; TP {tp} FN {fn} FP {fp} TN {tn})\n"
        f"major limits fitted on all judged clips: {terms} (training balanced accuracy {f(cal.training_ba)}, optimistic)\n"
        f"the table as shipped on these clips: balanced accuracy {f(cal.table_ba)} (optimistic where its limits were "
        f"fitted on them); it reproduces {cal.reproduced} of {cal.judged} product verdicts\n"
    )


