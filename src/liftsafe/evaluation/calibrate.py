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

import math
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from liftsafe.evaluation.metrics import balanced_accuracy, confusion
from liftsafe.evaluation.run import ClipOutcome
from liftsafe.result import Exercise, FaultCode, Verdict, View
from liftsafe.technique.config import AnalysisConfig, default_config
from liftsafe.technique.thresholds import SPINE_PULL_ASCENT_SHARE, SPINE_PULL_ASCENT_SHARES, TABLE, Threshold
from liftsafe.technique.verdict import clip_verdict

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

    def config(
        self, base: AnalysisConfig | None = None, table: tuple[Threshold, ...] | None = None
    ) -> AnalysisConfig:
        """The candidate :class:`AnalysisConfig`: ``base`` (default: the shipped one) with these
        major limits (and only the faults of ``table``, when given)."""
        cfg = base or default_config()
        if table is not None:
            cfg = replace(cfg, thresholds=tuple(table))
        return cfg.with_major_limits(dict(self.limits), self.exercise)

    def predict(
        self,
        scores: dict[str, float],
        view: str = View.SIDE.value,
        table: tuple[Threshold, ...] | None = None,
        *,
        yaw_deg: float = float("nan"),
        base: AnalysisConfig | None = None,
    ) -> str:
        """``bad`` when the product's verdict path (:func:`liftsafe.technique.verdict.clip_verdict`,
        with the candidate config) gives the clip's worst metric values a major or unsafe fault.
        A fault the analysis did not measure (e.g. the spine beyond its yaw limit) has no value
        and is skipped; one the false-alarm budget does not check from ``view`` is skipped too."""
        cfg = self.config(base, table)
        values = {t.metric: scores.get(t.code.value) for t in cfg.thresholds}
        verdict = clip_verdict([values], exercise=self.exercise, view=view, yaw_deg=yaw_deg, config=cfg)
        return "bad" if verdict in (Verdict.NEEDS_WORK, Verdict.UNSAFE) else "good"


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
    #: the spine window (share of the ascent) chosen on all judged clips, and in each outer fold
    spine_share: float = SPINE_PULL_ASCENT_SHARE
    fold_spine_shares: list[float] = field(default_factory=list)
    #: cross-validated balanced accuracy of each candidate window on all judged clips (the
    #: selection criterion; not nested, so optimistic for the best of them)
    spine_share_cv_ba: dict[float, float | None] = field(default_factory=dict)
    #: judged clips the fold's window could not measure (abstentions of the cross-validation)
    cv_abstained: list[str] = field(default_factory=list)
    #: judged clips the window chosen on all clips could not measure (they would abstain)
    final_abstained: list[str] = field(default_factory=list)


def clip_scores(
    outcome: ClipOutcome,
    table: tuple[Threshold, ...] = TABLE,
    spine_share: float | None = None,
) -> dict[str, float]:
    """The worst value of each fault's metric over the clip's reps (NaN when never measured).

    ``spine_share``: read the rounded-back score over that candidate window
    (``ClipOutcome.spine_windows``) instead of the table's.
    """
    out: dict[str, float] = {}
    reps = (outcome.result or {}).get("reps", [])
    for t in table:
        values = [r["metrics"].get(t.metric) for r in reps]
        values = [v for v in values if v is not None and math.isfinite(v)]
        if not values:
            out[t.code.value] = float("nan")
        else:
            out[t.code.value] = max(values) if t.comparison == ">" else min(values)
    if spine_share is not None and spine_share in outcome.spine_windows:
        out[FaultCode.ROUNDED_BACK.value] = outcome.spine_windows[spine_share]
    return out


def _ba(
    rule: Rule,
    X: list[dict[str, float]],
    views: list[str],
    y: list[str],
    config: AnalysisConfig | None = None,
) -> float:
    pairs = [(truth, rule.predict(x, v, base=config)) for x, v, truth in zip(X, views, y)]
    ba = balanced_accuracy(*confusion(pairs))
    return 0.0 if ba is None else ba


def _candidates(values: list[float], plausible: tuple[float, float]) -> list[float | None]:
    v = sorted(set(x for x in values if x is not None and math.isfinite(x)))
    lo, hi = plausible
    return [m for m in ((a + b) / 2 for a, b in zip(v[:-1], v[1:])) if lo <= m <= hi] + [None]


def fit_rule(
    X: list[dict[str, float]],
    y: list[str],
    *,
    views: list[str] | None = None,
    codes: tuple[str, ...] | None = None,
    exercise: str = Exercise.DEADLIFT.value,
    table: tuple[Threshold, ...] = TABLE,
    config: AnalysisConfig | None = None,
) -> Rule:
    """The fitted faults' major limits that maximise training balanced accuracy (module docstring).

    Exhaustive over every combination of candidate limits, evaluated at once with numpy: the
    clips the other faults already call bad, OR each fitted fault's firing at each candidate.
    Ties keep the first combination in ascending order (the lowest limits).
    """
    views = views or [View.SIDE.value] * len(X)
    codes = fitted_codes(table) if codes is None else codes
    by_code = {t.code.value: t for t in table}
    ex = Exercise(exercise)
    others = tuple(t for t in table if t.code.value not in codes)
    base = np.array(
        [Rule((), exercise).predict(x, v, others, base=config) == "bad" for x, v in zip(X, views)], bool
    )
    grids, fires = [], []
    for c in codes:
        t = by_code[c]
        grid = _candidates([x.get(c, float("nan")) for x in X], t.plausible)
        value = np.array([x.get(c, float("nan")) for x in X], float)
        # the fault counts where the product would report it at major: a view it is seen from
        # and whose false-alarm budget reports it at major or below
        budget = {
            v: (config or default_config()).budget_for(t.code, View(v)) if View(v) in t.views else None
            for v in set(views)
        }
        reported = {v: b is not None and b.floor is not None and b.floor.rank <= 2 for v, b in budget.items()}
        seen = np.array([reported[v] for v in views], bool) & np.isfinite(value)
        rows = []
        for m in grid:
            limit = Rule._major(t, {c: m}, ex)
            if limit is None:
                rows.append(np.zeros(len(X), bool))
            else:
                rows.append(seen & t.beyond(value, limit))
        grids.append(grid)
        fires.append(np.array(rows, bool).reshape(len(grid), len(X)))
    pred = base
    for axis, f in enumerate(fires):
        shape = [1] * len(fires) + [len(X)]
        shape[axis] = f.shape[0]
        pred = pred | f.reshape(shape)
    pos = np.array([label == "bad" for label in y], bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return Rule(tuple(zip(codes, (g[0] for g in grids))), exercise)
    ba = ((pred & pos).sum(-1) / n_pos + (~pred & ~pos).sum(-1) / n_neg) / 2
    best = np.unravel_index(int(np.argmax(np.round(ba, 9))), ba.shape) if ba.ndim else ()
    return Rule(tuple((c, grid[i]) for c, grid, i in zip(codes, grids, best)), exercise)


@dataclass(frozen=True)
class _Window:
    """The judged clips' scores with the rounded-back score read over one spine window, and
    whether that window measured the back at all (a clip it cannot measure would abstain)."""

    X: list[dict[str, float]]
    measured: list[bool]


def _window(judged: list[ClipOutcome], share: float) -> _Window:
    X = [clip_scores(o, spine_share=share) for o in judged]
    code = FaultCode.ROUNDED_BACK.value
    return _Window(X, [not o.spine_windows or math.isfinite(x[code]) for o, x in zip(judged, X)])


def _cv_predictions(
    w: _Window,
    y: list[str],
    views: list[str],
    groups: list[str],
    idx: list[int],
    *,
    codes: tuple[str, ...],
    exercise: str,
    config: AnalysisConfig | None = None,
) -> dict[int, str | None]:
    """Leave-one-group-out predictions for the clips ``idx`` (limits fitted on the other groups'
    measured clips); None for a clip the window does not measure."""
    out: dict[int, str | None] = {}
    for g in dict.fromkeys(groups[i] for i in idx):
        train = [i for i in idx if groups[i] != g and w.measured[i]]
        rule = fit_rule(
            [w.X[i] for i in train],
            [y[i] for i in train],
            views=[views[i] for i in train],
            codes=codes,
            exercise=exercise,
            config=config,
        )
        for i in idx:
            if groups[i] == g:
                out[i] = rule.predict(w.X[i], views[i], base=config) if w.measured[i] else None
    return out


def _select_share(
    windows: dict[float, _Window],
    y: list[str],
    views: list[str],
    groups: list[str],
    idx: list[int],
    *,
    codes: tuple[str, ...],
    exercise: str,
    config: AnalysisConfig | None = None,
) -> tuple[float, Rule, dict[float, float | None]]:
    """The spine window with the best cross-validated balanced accuracy on the clips ``idx``, a
    clip the window cannot measure counting as misjudged (a window cannot win by abstaining);
    ties: the table's window, else the nearest to it, else the shorter. Returns it, the limits
    fitted on the clips of ``idx`` it measures, and every window's score."""
    shares = sorted(windows)
    flip = {"bad": "good", "good": "bad"}
    scores: dict[float, float | None] = {}
    if len(shares) > 1:
        for share in shares:
            pred = _cv_predictions(
                windows[share], y, views, groups, idx, codes=codes, exercise=exercise, config=config
            )
            scores[share] = balanced_accuracy(*confusion([(y[i], pred[i] or flip[y[i]]) for i in idx]))
        share = min(shares, key=lambda s: (-round(scores[s] or 0.0, 9), abs(s - SPINE_PULL_ASCENT_SHARE), s))
    else:
        share = shares[0]
    w = windows[share]
    train = [i for i in idx if w.measured[i]]
    rule = fit_rule(
        [w.X[i] for i in train],
        [y[i] for i in train],
        views=[views[i] for i in train],
        codes=codes,
        exercise=exercise,
        config=config,
    )
    return share, rule, scores


def cross_validate(
    outcomes: list[ClipOutcome],
    *,
    by_group: bool = True,
    codes: tuple[str, ...] | None = None,
    exercise: str = Exercise.DEADLIFT.value,
    config: AnalysisConfig | None = None,
) -> Calibration:
    """Leave-one-group-out (``by_group`` and groups labelled) or leave-one-clip-out cross-validation.

    When the outcomes carry the rounded-back score over the candidate spine windows
    (``ClipOutcome.spine_windows``), the window is chosen *inside* each outer fold by an inner
    cross-validation on that fold's training clips (nested cross-validation), so the reported
    score includes the choice of window. A held-out clip the fold's window cannot measure is an
    abstention of the cross-validation (``cv_abstained``), as it would be in the product.
    """
    codes = fitted_codes() if codes is None else codes
    if len(codes) > MAX_FITTED:
        raise ValueError(f"at most {MAX_FITTED} faults can be fitted at once; got {len(codes)}")
    judged = [o for o in outcomes if o.predicted is not None]
    shares = [s for s in SPINE_PULL_ASCENT_SHARES if any(s in o.spine_windows for o in judged)]
    if FaultCode.ROUNDED_BACK.value not in codes or not shares:
        shares = [SPINE_PULL_ASCENT_SHARE]
    windows = {s: _window(judged, s) for s in shares}
    views = [o.result.get("view", View.SIDE.value) for o in judged]
    y = [o.label for o in judged]
    groups = [(o.group if by_group else None) or o.file for o in judged]
    everyone = list(range(len(judged)))
    predictions: list[str | None] = [None] * len(judged)
    fold_shares: list[float] = []
    unique = list(dict.fromkeys(groups))
    for g in unique:
        train = [i for i in everyone if groups[i] != g]
        share, rule, _ = _select_share(
            windows, y, views, groups, train, codes=codes, exercise=exercise, config=config
        )
        fold_shares.append(share)
        w = windows[share]
        for i in everyone:
            if groups[i] == g and w.measured[i]:
                predictions[i] = rule.predict(w.X[i], views[i], base=config)
    tp, fn, fp, tn = confusion([(t, p) for t, p in zip(y, predictions) if p is not None])
    share, final, share_scores = _select_share(
        windows, y, views, groups, everyone, codes=codes, exercise=exercise, config=config
    )
    X = windows[share].X
    shipped = Rule((), exercise)
    X_shipped = (
        windows[SPINE_PULL_ASCENT_SHARE].X
        if SPINE_PULL_ASCENT_SHARE in windows
        else [clip_scores(o) for o in judged]
    )
    measured = [i for i in everyone if windows[share].measured[i]]
    return Calibration(
        rule=final,
        training_ba=_ba(
            final, [X[i] for i in measured], [views[i] for i in measured], [y[i] for i in measured], config
        ),
        cv_ba=balanced_accuracy(tp, fn, fp, tn),
        cv_sensitivity=tp / (tp + fn) if tp + fn else None,
        cv_specificity=tn / (tn + fp) if tn + fp else None,
        cv_confusion=(tp, fn, fp, tn),
        folds=len(unique),
        judged=len(judged),
        scheme="leave one group out" if by_group and any(o.group for o in judged) else "leave one clip out",
        table_ba=_ba(shipped, X_shipped, views, y, config) if judged else None,
        reproduced=sum(
            shipped.predict(x, v, base=config) == o.predicted for x, v, o in zip(X_shipped, views, judged)
        ),
        per_clip=[
            {
                "file": o.file,
                "label": o.label,
                "group": o.group,
                "predicted": o.predicted,
                "cv_predicted": p,
                **{k: (None if not math.isfinite(v) else round(v, 4)) for k, v in x.items()},
            }
            for o, x, p in zip(judged, X, predictions)
        ],
        spine_share=share,
        fold_spine_shares=fold_shares,
        spine_share_cv_ba=share_scores,
        cv_abstained=[o.file for o, p in zip(judged, predictions) if p is None],
        final_abstained=[judged[i].file for i in everyone if not windows[share].measured[i]],
    )


def describe(cal: Calibration) -> str:
    """A plain-text summary of the cross-validated calibration."""

    def f(x):
        return "-" if x is None else f"{x:.2f}"

    by_code = {t.code.value: t for t in TABLE}
    terms = (
        "; ".join(
            f"{c}: {by_code[c].metric} {by_code[c].comparison} {'(never major)' if v is None else f'{v:.4g}'}"
            for c, v in cal.rule.limits
        )
        or "(no fitted faults)"
    )
    tp, fn, fp, tn = cal.cv_confusion
    windows = ""
    if cal.spine_share_cv_ba:
        by_window = ", ".join(f"{k:g}: {f(v)}" for k, v in cal.spine_share_cv_ba.items())
        chosen = ", ".join(f"{k:g} x{n}" for k, n in sorted(Counter(cal.fold_spine_shares).items()))
        windows = (
            f"spine window (share of the ascent) chosen inside each fold: {chosen}; on all judged clips: "
            f"{cal.spine_share:g} (table: {SPINE_PULL_ASCENT_SHARE:g}); cross-validated balanced accuracy "
            f"by window "
            f"(not nested, optimistic): {by_window}\n"
        )
        if cal.cv_abstained:
            windows += (
                f"held-out clips the fold's window could not measure (left out above): "
                f"{', '.join(cal.cv_abstained)}\n"
            )
    return (
        f"judged clips {cal.judged}, {cal.folds} cross-validation folds ({cal.scheme})\n"
        f"cross-validated balanced accuracy {f(cal.cv_ba)} (sensitivity {f(cal.cv_sensitivity)}, "
        f"specificity {f(cal.cv_specificity)}; TP {tp} FN {fn} FP {fp} TN {tn})\n"
        + windows
        + f"major limits fitted on all judged "
        f"clips{f' with window {cal.spine_share:g}' if windows else ''}: {terms} "
        f"(training balanced accuracy {f(cal.training_ba)}, optimistic)\n"
        f"the table as shipped on these clips: balanced accuracy {f(cal.table_ba)} (optimistic where its "
        f"limits were "
        f"fitted on them); it reproduces {cal.reproduced} of {cal.judged} product verdicts\n"
    )
