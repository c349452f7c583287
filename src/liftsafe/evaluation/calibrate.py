"""Threshold calibration by cross-validation on labelled clips.

The clip verdict is an OR-rule: a clip is *bad* when any rep has a major fault. Calibrating
it means choosing, for a few faults, the *major* limit that separates good from bad clips.
To avoid fitting noise on ~25 judged clips:

* each clip is reduced to one score per fault: the worst value of that fault's metric over
  its reps (the metric the threshold table names);
* the rule is learned greedily: start with no fault driving the verdict (everything
  ``good``), then repeatedly add the (fault, limit) pair that most raises training balanced
  accuracy, at most ``max_terms`` pairs, stopping when nothing improves it; a limit is put
  halfway between two neighbouring training values, and only inside the fault's plausible
  range from the threshold table (so a fault keeps its meaning: no "incomplete lockout" at
  0 deg of hip flexion because the bad clips of one source happened to stand that way);
* the score reported is **cross-validated**: leave-one-group-out when the labels give groups
  (clips of one source video or lifter are held out together), else leave-one-clip-out. The
  rule fitted on all clips is what goes into the threshold table; its training score is shown
  only for contrast.

Only judged clips (side or oblique view, at least one complete rep, measurable outline) take
part; abstentions are reported as coverage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from liftsafe.evaluation.metrics import balanced_accuracy, confusion
from liftsafe.evaluation.run import ClipOutcome
from liftsafe.technique.thresholds import TABLE, Threshold


@dataclass(frozen=True)
class Term:
    code: str
    metric: str
    comparison: str
    limit: float

    def fires(self, value: float) -> bool:
        if value is None or not math.isfinite(value):
            return False
        return value > self.limit if self.comparison == ">" else value < self.limit


@dataclass(frozen=True)
class Rule:
    terms: tuple[Term, ...]

    def predict(self, scores: dict[str, float]) -> str:
        return "bad" if any(t.fires(scores.get(t.code, float("nan"))) for t in self.terms) else "good"


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


def _ba(rule: Rule, X: list[dict[str, float]], y: list[str]) -> float:
    pairs = [(truth, rule.predict(x)) for x, truth in zip(X, y)]
    ba = balanced_accuracy(*confusion(pairs))
    return 0.0 if ba is None else ba


def _candidates(values: list[float]) -> list[float]:
    v = sorted(set(x for x in values if math.isfinite(x)))
    return [(a + b) / 2 for a, b in zip(v[:-1], v[1:])]


def fit_rule(X: list[dict[str, float]], y: list[str], *, table: tuple[Threshold, ...] = TABLE, max_terms: int = 2) -> Rule:
    """Greedy OR-rule maximising training balanced accuracy (see the module docstring)."""
    rule = Rule(())
    best = _ba(rule, X, y)
    for _ in range(max_terms):
        step: tuple[float, float, Term] | None = None
        for t in table:
            code = t.code.value
            if any(term.code == code for term in rule.terms):
                continue
            lo, hi = t.plausible
            for limit in _candidates([x.get(code, float("nan")) for x in X]):
                if not lo <= limit <= hi:
                    continue
                term = Term(code, t.metric, t.comparison, limit)
                trial = Rule(rule.terms + (term,))
                ba = _ba(trial, X, y)
                positives = sum(trial.predict(x) == "bad" for x in X)
                key = (ba, -positives)
                if step is None or key > (step[0], step[1]):
                    step = (ba, -positives, term)
        if step is None or step[0] <= best + 1e-9:
            break
        best = step[0]
        rule = Rule(rule.terms + (step[2],))
    return rule


def cross_validate(outcomes: list[ClipOutcome], *, max_terms: int = 2, by_group: bool = True) -> Calibration:
    """Leave-one-group-out (``by_group`` and groups labelled) or leave-one-clip-out cross-validation."""
    judged = [o for o in outcomes if o.predicted is not None or (o.judged and o.result is not None)]
    X = [clip_scores(o) for o in judged]
    y = [o.label for o in judged]
    groups = [(o.group if by_group else None) or o.file for o in judged]
    predictions: list[str | None] = [None] * len(judged)
    unique = list(dict.fromkeys(groups))
    for g in unique:
        train = [i for i, gi in enumerate(groups) if gi != g]
        test = [i for i, gi in enumerate(groups) if gi == g]
        rule = fit_rule([X[i] for i in train], [y[i] for i in train], max_terms=max_terms)
        for i in test:
            predictions[i] = rule.predict(X[i])
    pairs = list(zip(y, predictions))
    tp, fn, fp, tn = confusion(pairs)
    final = fit_rule(X, y, max_terms=max_terms)
    return Calibration(
        rule=final,
        training_ba=_ba(final, X, y),
        cv_ba=balanced_accuracy(tp, fn, fp, tn),
        cv_sensitivity=tp / (tp + fn) if tp + fn else None,
        cv_specificity=tn / (tn + fp) if tn + fp else None,
        cv_confusion=(tp, fn, fp, tn),
        folds=len(unique),
        judged=len(judged),
        scheme="leave one group out" if by_group and any(o.group for o in judged) else "leave one clip out",
        per_clip=[
            {"file": o.file, "label": o.label, "group": o.group, "cv_predicted": p,
             **{k: (None if not math.isfinite(v) else round(v, 4)) for k, v in x.items()}}
            for o, x, p in zip(judged, X, predictions)
        ],
    )


def describe(cal: Calibration) -> str:
    def f(x):
        return "-" if x is None else f"{x:.2f}"

    terms = "; ".join(f"{t.code}: {t.metric} {t.comparison} {t.limit:.4g}" for t in cal.rule.terms) or "(no fault separates the clips)"
    tp, fn, fp, tn = cal.cv_confusion
    return (
        f"judged clips {cal.judged}, {cal.folds} cross-validation folds ({cal.scheme})\n"
        f"cross-validated balanced accuracy {f(cal.cv_ba)} (sensitivity {f(cal.cv_sensitivity)}, "
        f"specificity {f(cal.cv_specificity)}; TP {tp} FN {fn} FP {fp} TN {tn})\n"
        f"rule fitted on all judged clips: {terms} (training balanced accuracy {f(cal.training_ba)}, optimistic)\n"
    )


