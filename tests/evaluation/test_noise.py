"""Noise figures, the derived budget and its leave-one-source-out use, on synthetic outcomes;
and the calibration scoring through the product's verdict path."""

import math

from liftsafe.evaluation.calibrate import Rule
from liftsafe.evaluation.noise import (
    derive,
    figures,
    held_out,
    not_checked_counts,
    product_judgements,
    rejudge,
)
from liftsafe.evaluation.run import ClipOutcome
from liftsafe.result import FaultCode, Severity, View
from liftsafe.technique.config import default_config
from liftsafe.technique.verdict import clip_verdict


def clip(name, label, metrics, *, group, faults=(), fault=None, view="side", not_checked=()):
    reps = [{"metrics": metrics, "faults": [{"code": c, "severity": s} for c, s in faults]}]
    verdict = "needs_work" if any(s in ("major", "unsafe") for _, s in faults) else "good"
    result = {
        "judged": True,
        "rep_count": 1,
        "verdict": verdict,
        "view": view,
        "exercise": "deadlift",
        "camera": {"yaw_deg": 5.0},
        "reps": reps,
        "not_checked": list(not_checked),
    }
    return ClipOutcome(name, label, group, 1, 0.1, view, result=result, true_fault=fault)


SOUND = {
    "dorsal_curvature_pull": 0.1,
    "peak_hip_extension_velocity_deg_s": 100.0,
    "neck_deviation_peak_deg": 5.0,
    "knee_to_hip_flexion_ratio": 0.5,
}


def sound_clips(n=12, noisy=()):
    out = []
    for i in range(n):
        m = dict(SOUND)
        if i in noisy:
            m["neck_deviation_peak_deg"] = 30.0  # head_out_of_line at minor (its only level)
        out.append(
            clip(
                f"good/{i}.mp4",
                "good",
                m,
                group=f"g{i % 4}",
                faults=[("head_out_of_line", "minor")] if i in noisy else [],
            )
        )
    return out


def test_false_alarm_rates_and_faults_per_sound_lift():
    outs = sound_clips(noisy=(0, 1, 2))
    fig = figures(outs, product_judgements(outs))
    f = fig["faults"]["head_out_of_line"]
    assert (f["false_alarms"], f["sound_reps"]) == (3, 12)
    assert f["by_view"]["side"] == {"sound_reps": 12, "false_alarms": 3, "rate": 0.25}
    assert math.isclose(fig["mean_distinct_faults_per_sound_lift"], 3 / 12)
    assert fig["sound_lifts_with_major"] == 0


def test_a_noisy_fault_is_not_checked_and_rejudging_drops_it():
    outs = sound_clips(noisy=(0, 1, 2))
    budget = {(b.code, b.view): b for b in derive(outs)}
    assert budget[(FaultCode.HEAD_OUT_OF_LINE, View.SIDE)].floor is None
    assert budget[(FaultCode.JERKED_PULL, View.SIDE)].floor is Severity.MINOR
    from dataclasses import replace

    cfg = replace(default_config(), budget=derive(outs))
    again = rejudge(outs[0], cfg)
    assert again["reps"] == [{}] and again["verdict"] == "good"


def test_recall_and_leave_one_source_out():
    outs = sound_clips(16) + [
        clip(
            "bad/rb.mp4",
            "bad",
            {**SOUND, "dorsal_curvature_pull": 0.6},
            group="b",
            fault="rounded_back",
            faults=[("rounded_back", "unsafe")],
        ),
        clip("bad/rb2.mp4", "bad", {**SOUND, "dorsal_curvature_pull": 0.3}, group="b", fault="rounded_back"),
        clip("bad/sq.mp4", "bad", {**SOUND, "knee_to_hip_flexion_ratio": 0.95}, group="b",
             fault="squatting_the_hinge"),
    ]
    prod = figures(outs, product_judgements(outs))
    assert (
        prod["faults"]["rounded_back"]["found"] == 1 and prod["faults"]["rounded_back"]["labelled_clips"] == 2
    )
    assert prod["named_fault_recall"] == 1 / 3
    assert prod["named_faults_missed"] == ["bad/rb2.mp4", "bad/sq.mp4"]
    loso = held_out(outs)
    assert loso["folds"] == 5 and loso["scheme"] == "leave one source out"
    # with the budget derived from the sound clips squatting the hinge is reportable from minor: sq is found
    assert loso["faults"]["squatting_the_hinge"]["found"] == 1
    # rounded back would fit from minor too, but the simulator's floor keeps it at major: rb2 (0.3) is not
    assert loso["faults"]["rounded_back"]["found"] == 1
    # a minor fault does not make the verdict: sq stays "good", as does rb2 (sensitivity 1/3)
    assert math.isclose(loso["balanced_accuracy"], (1 / 3 + 1) / 2) and loso["judged"] == 19


def test_a_fault_the_sound_clips_never_measured_is_not_checked():
    # 16 sound clips, none of which measured the descent (one-rep pulls that start at the
    # bottom): "fired on 0 of 16" would be no evidence, so it is not checked; held out, the
    # evidence is counted on every clip and the floor on the fold
    outs = sound_clips(16)
    budget = {(b.code, b.view): b for b in derive(outs)}
    assert budget[(FaultCode.UNCONTROLLED_DESCENT, View.SIDE)].floor is None
    assert budget[(FaultCode.UNCONTROLLED_DESCENT, View.SIDE)].sound_reps == 0
    assert budget[(FaultCode.SQUATTING_THE_HINGE, View.SIDE)].floor is Severity.MINOR
    fold = {(b.code, b.view): b for b in derive(outs[:9], evidence=outs)}
    assert fold[(FaultCode.SQUATTING_THE_HINGE, View.SIDE)].floor is Severity.MINOR
    assert fold[(FaultCode.SQUATTING_THE_HINGE, View.SIDE)].sound_reps == 9
    alone = {(b.code, b.view): b for b in derive(outs[:9])}  # 9 reps on their own: too few
    assert alone[(FaultCode.SQUATTING_THE_HINGE, View.SIDE)].floor is None


def test_not_checked_counts_by_reason():
    outs = [
        clip(
            "a.mp4",
            "good",
            SOUND,
            group="g",
            not_checked=[{"code": "heels_rise", "reason": "r1", "kind": "k"}],
        ),
        clip(
            "b.mp4",
            "good",
            SOUND,
            group="g",
            not_checked=[{"code": "heels_rise", "reason": "r1", "kind": "k"}],
        ),
    ]
    assert not_checked_counts(outs) == {"heels_rise": {"r1": 2}}


def test_occlusion_not_checked_survives_rejudging():
    o = clip(
        "a.mp4",
        "bad",
        {**SOUND, "peak_hip_extension_velocity_deg_s": 900.0},
        group="g",
        not_checked=[{"code": "jerked_pull", "reason": "hips hidden", "kind": "occlusion"}],
    )
    assert rejudge(o, default_config())["reps"] == [{}]


def test_calibration_predicts_through_the_product_verdict_path():
    cfg = default_config()
    values = {"dorsal_curvature_pull": 0.45, "peak_hip_extension_velocity_deg_s": 100.0}
    scores = {"rounded_back": 0.45, "jerked_pull": 100.0}
    product = clip_verdict([values], exercise="deadlift", view="side", yaw_deg=5.0, config=cfg)
    assert (
        Rule(()).predict(scores) == ("bad" if product.value in ("needs_work", "unsafe") else "good") == "bad"
    )
    # a fault the budget does not check from the side never makes a clip bad
    assert Rule(()).predict({"heels_rise": 0.5}) == "good"
