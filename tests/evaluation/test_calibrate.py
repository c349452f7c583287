"""Cross-validated calibration on synthetic clip scores: it re-fits the table's fitted major
limits, finds a real separation and does not invent one in noise."""

import numpy as np

from liftsafe.evaluation.calibrate import Rule, cross_validate, fit_rule, fitted_codes
from liftsafe.evaluation.run import ClipOutcome


def clip(i, label, metrics, group=None):
    faults = []
    result = {"judged": True, "rep_count": 1, "verdict": "good", "view": "side", "reps": [{"metrics": metrics, "faults": faults}]}
    return ClipOutcome(f"c{i}.mp4", label, group, 1, 0.1, "side", result=result)


def test_the_fitted_faults_are_the_ones_the_table_marks():
    assert set(fitted_codes()) == {"rounded_back", "hips_rise_first"}


def test_rule_uses_the_whole_table_with_fitted_majors_replaced():
    rule = Rule((("rounded_back", 0.30),))
    assert rule.predict({"rounded_back": 0.35}) == "bad"  # above the fitted major
    assert Rule(()).predict({"rounded_back": 0.35}) == "good"  # the table's own major is higher
    assert rule.predict({"rounded_back": 0.25}) == "good"
    # a fault that is not fitted keeps the table's major limit (hip flexion at lockout, 18 deg for a deadlift)
    assert rule.predict({"rounded_back": 0.1, "incomplete_lockout": 25.0}) == "bad"
    # "never major" still fires at the unsafe limit
    assert Rule((("rounded_back", None),)).predict({"rounded_back": 0.9}) == "bad"
    assert Rule((("rounded_back", None),)).predict({"rounded_back": 0.5}) == "good"
    # back rounding is judged from side views only
    assert rule.predict({"rounded_back": 0.9}, view="front") == "good"
    assert rule.predict({"rounded_back": float("nan")}) == "good"


def test_separable_metric_is_found_and_cross_validates():
    rng = np.random.default_rng(0)
    outs = []
    for i in range(30):
        bad = i % 2 == 0
        metrics = {"dorsal_curvature_pull": (0.45 if bad else 0.1) + rng.normal(0, 0.04),
                   "early_ascent_trunk_drop_deg": rng.normal(3, 1)}
        outs.append(clip(i, "bad" if bad else "good", metrics, group=f"g{i // 3}"))
    cal = cross_validate(outs)
    assert cal.cv_ba == 1.0
    limits = dict(cal.rule.limits)
    assert 0.15 < limits["rounded_back"] < 0.4
    assert cal.folds == 10
    # the fake results all say "good": the shipped table (major 0.37) agrees wherever the curvature is below it
    assert cal.reproduced == sum(o.result["reps"][0]["metrics"]["dorsal_curvature_pull"] <= 0.37 for o in outs)


def test_noise_does_not_cross_validate():
    rng = np.random.default_rng(1)
    outs = [clip(i, "bad" if i % 2 else "good", {"dorsal_curvature_pull": rng.normal(0.3, 0.1),
                                                  "early_ascent_trunk_drop_deg": rng.normal(8, 3)})
            for i in range(40)]
    cal = cross_validate(outs)
    assert cal.training_ba > cal.cv_ba  # the fitted limits are optimistic on their own data
    assert cal.cv_ba < 0.75


def test_fit_with_no_signal_keeps_the_lowest_equally_good_limit_or_never():
    X = [{"rounded_back": 0.3}] * 4
    rule = fit_rule(X, ["good", "bad", "good", "bad"], codes=("rounded_back",))
    assert rule.predict({"rounded_back": 0.3}) == "good"


def test_leave_one_clip_out_when_asked_even_with_groups():
    rng = np.random.default_rng(2)
    outs = [clip(i, "bad" if i % 2 else "good", {"dorsal_curvature_pull": (0.45 if i % 2 else 0.1) + rng.normal(0, 0.04)},
                 group=f"g{i // 4}") for i in range(12)]
    by_group = cross_validate(outs)
    by_clip = cross_validate(outs, by_group=False)
    assert (by_group.folds, by_group.scheme) == (3, "leave one group out")
    assert (by_clip.folds, by_clip.scheme) == (12, "leave one clip out")
