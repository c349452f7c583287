"""Cross-validated calibration on synthetic clip scores: it finds a real separation and does
not invent one in noise."""

import numpy as np

from liftsafe.evaluation.calibrate import Rule, Term, cross_validate, fit_rule
from liftsafe.evaluation.run import ClipOutcome


def clip(i, label, metrics, group=None):
    result = {"judged": True, "rep_count": 1, "verdict": "good", "view": "side", "reps": [{"metrics": metrics, "faults": []}]}
    return ClipOutcome(f"c{i}.mp4", label, group, 1, 0.1, "side", result=result)


def test_rule_predicts_with_either_comparison():
    rule = Rule((Term("rounded_back", "dorsal_curvature_pull", ">", 0.35), Term("shallow_hinge", "bottom_hip_flexion_deg", "<", 40)))
    assert rule.predict({"rounded_back": 0.6, "shallow_hinge": 90}) == "bad"
    assert rule.predict({"rounded_back": 0.01, "shallow_hinge": 30}) == "bad"
    assert rule.predict({"rounded_back": 0.01, "shallow_hinge": 90}) == "good"
    assert rule.predict({"rounded_back": float("nan"), "shallow_hinge": 90}) == "good"


def test_separable_metric_is_found_and_cross_validates():
    rng = np.random.default_rng(0)
    outs = []
    for i in range(30):
        bad = i % 2 == 0
        metrics = {"dorsal_curvature_pull": (0.6 if bad else 0.1) + rng.normal(0, 0.05),
                   "neck_deviation_peak_deg": rng.normal(25, 5)}
        outs.append(clip(i, "bad" if bad else "good", metrics, group=f"g{i // 3}"))
    cal = cross_validate(outs, max_terms=2)
    assert cal.cv_ba == 1.0
    assert cal.rule.terms[0].code == "rounded_back"
    assert 0.2 < cal.rule.terms[0].limit < 0.5
    assert cal.folds == 10


def test_noise_does_not_cross_validate():
    rng = np.random.default_rng(1)
    outs = [clip(i, "bad" if i % 2 else "good", {"dorsal_curvature_pull": rng.normal(0.3, 0.1),
                                                  "neck_deviation_peak_deg": rng.normal(25, 5)})
            for i in range(40)]
    cal = cross_validate(outs, max_terms=2)
    assert cal.training_ba > cal.cv_ba  # the fitted rule is optimistic on its own data
    assert cal.cv_ba < 0.75


def test_fit_rule_with_no_signal_stays_empty():
    X = [{"rounded_back": 0.3}] * 4
    assert fit_rule(X, ["good", "bad", "good", "bad"]).terms == ()


def test_leave_one_clip_out_when_asked_even_with_groups():
    rng = np.random.default_rng(2)
    outs = [clip(i, "bad" if i % 2 else "good", {"dorsal_curvature_pull": (0.6 if i % 2 else 0.1) + rng.normal(0, 0.05)},
                 group=f"g{i // 4}") for i in range(12)]
    by_group = cross_validate(outs, max_terms=1)
    by_clip = cross_validate(outs, max_terms=1, by_group=False)
    assert (by_group.folds, by_group.scheme) == (3, "leave one group out")
    assert (by_clip.folds, by_clip.scheme) == (12, "leave one clip out")
