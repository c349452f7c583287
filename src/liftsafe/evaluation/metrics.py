"""Scores of an evaluation: balanced accuracy on the judged clips, coverage, rep counts, faults.

``bad`` is the positive class: sensitivity = bad clips called bad / bad clips judged;
specificity = good clips called good / good clips judged; balanced accuracy = their mean
(robust to the 20 good / 15 bad imbalance). Abstentions are left out of accuracy and
reported as coverage = judged / clips; with views in the labels, also of the side and oblique
clips (the views the back can be judged from), and of those among them that hold a lift
(labelled rep count above 0: a clip of someone setting up has nothing to judge, and
abstaining on it is right).

Fault agreement (when the labels name the fault a clip shows): for each labelled code, how
many of its clips the analysis gave that fault at major or unsafe severity (*found*), which
it missed, and which ``good`` clips it gave that fault (*false alarms*). The target, for
``rounded_back``: every bad clip that shows it gets it, no good clip does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from liftsafe.evaluation.run import ClipOutcome


@dataclass(frozen=True)
class Scores:
    clips: int
    errors: int
    judged: int
    coverage: float
    coverage_side_oblique: float | None
    coverage_side_oblique_lifts: float | None
    tp: int
    fn: int
    fp: int
    tn: int
    sensitivity: float | None
    specificity: float | None
    balanced_accuracy: float | None
    rep_count_exact: float | None
    rep_count_labelled: int
    faults: dict[str, dict[str, int]] = field(default_factory=dict)
    abstentions: list[dict[str, str]] = field(default_factory=list)
    slowest: list[dict[str, Any]] = field(default_factory=list)
    total_seconds: float = 0.0
    fault_agreement: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The scores as a JSON-ready dict."""
        from dataclasses import asdict

        return asdict(self)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def confusion(pairs: list[tuple[str, str]]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) from (truth, predicted) pairs, ``bad`` positive."""
    tp = sum(1 for t, p in pairs if t == "bad" and p == "bad")
    fn = sum(1 for t, p in pairs if t == "bad" and p == "good")
    fp = sum(1 for t, p in pairs if t == "good" and p == "bad")
    tn = sum(1 for t, p in pairs if t == "good" and p == "good")
    return tp, fn, fp, tn


def balanced_accuracy(tp: int, fn: int, fp: int, tn: int) -> float | None:
    """Mean of sensitivity and specificity (bad = positive); None when either is undefined."""
    sens, spec = _ratio(tp, tp + fn), _ratio(tn, tn + fp)
    if sens is None or spec is None:
        return None
    return (sens + spec) / 2


def score(outcomes: list[ClipOutcome]) -> Scores:
    """Score the clip outcomes: confusion counts, balanced accuracy, coverage, rep counts, faults."""
    pairs = [(o.label, o.predicted) for o in outcomes if o.predicted is not None]
    tp, fn, fp, tn = confusion(pairs)
    judged = len(pairs)
    side = [o for o in outcomes if o.true_view in ("side", "oblique")]
    cov_side = _ratio(sum(1 for o in side if o.judged), len(side)) if side else None
    lifts = [o for o in side if o.true_reps is None or o.true_reps > 0]
    cov_lifts = _ratio(sum(1 for o in lifts if o.judged), len(lifts)) if lifts else None
    counted = [o for o in outcomes if o.true_reps is not None and o.result is not None]
    exact = sum(1 for o in counted if o.result["rep_count"] == o.true_reps)
    faults: dict[str, Counter] = {}
    for o in outcomes:
        if o.result is None:
            continue
        for code in o.found_faults():
            faults.setdefault(code, Counter())[o.label] += 1
    agreement: dict[str, dict[str, Any]] = {}
    for code in sorted({o.true_fault for o in outcomes if o.true_fault}):
        shown = [o for o in outcomes if o.true_fault == code]
        judged_shown = [o for o in shown if o.judged]
        agreement[code] = {
            "labelled": len(shown),
            "judged": len(judged_shown),
            "found": sum(1 for o in judged_shown if code in o.found_faults()),
            "missed": [o.file for o in judged_shown if code not in o.found_faults()],
            "false_alarms": [
                o.file for o in outcomes if o.label == "good" and o.judged and code in o.found_faults()
            ],
        }
    abst = [
        {"file": o.file, "label": o.label, "reason": o.abstain_reason}
        for o in outcomes
        if o.predicted is None
    ]
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    return Scores(
        clips=len(outcomes),
        errors=sum(1 for o in outcomes if o.error),
        judged=judged,
        coverage=judged / len(outcomes) if outcomes else 0.0,
        coverage_side_oblique=cov_side,
        coverage_side_oblique_lifts=cov_lifts,
        tp=tp, fn=fn, fp=fp, tn=tn,
        sensitivity=_ratio(tp, tp + fn),
        specificity=_ratio(tn, tn + fp),
        balanced_accuracy=balanced_accuracy(tp, fn, fp, tn),
        rep_count_exact=_ratio(exact, len(counted)),
        rep_count_labelled=len(counted),
        faults={code: dict(c) for code, c in sorted(faults.items())},
        abstentions=abst,
        slowest=[{"file": o.file, "seconds": round(o.seconds, 2)} for o in slow],
        total_seconds=sum(o.seconds for o in outcomes),
        fault_agreement=agreement,
    )
