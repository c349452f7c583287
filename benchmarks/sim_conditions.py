"""Filming conditions that break real analyses, on the simulator (run on demand).

    python benchmarks/sim_conditions.py [--seeds 2] [--json]

For each filming condition (camera height from the floor to chest height, pitch +-20 deg, roll
+-8 deg, plates hiding the hips and knees with the estimator putting the hip on the plate,
24-60 fps, 480p-1080p) and exercise, simulates three-rep clips -- clean, and with each fault
injected into the middle rep -- runs the product's own path (``liftsafe.pipeline.analyze_series``)
and prints:

* **false alarms**: share of clean reps on which a fault fired (any severity), per fault;
* **rep count**: clips (clean and faulty) whose rep count is not the simulated 3;
* **detection**: share of injected reps on which the injected fault fired (any severity),
  among the clips where the fault was checkable; ``nb`` counts the clips where the false-alarm
  budget does not report it from the clip's view (measured, never shown); ``nc`` counts the clips
  where it was *not checked*: listed as unavailable for the clip, or its metric was not measured
  on the injected rep (hidden landmarks; ``rounded_back`` needs the body outline, which
  keypoint-only simulations do not have).

Noise: 1.5 px AR(1) (rho 0.6) landmark jitter, 0.05 tempo jitter, far-side landmarks at
visibility 0.4-0.8. Each condition is a fixed configuration (no tuning to a clip). Back rounding
(which reads the body outline) runs separately on rendered silhouettes, including a loose top
(ease over the back, with or without moving wrinkles; the landmarks do not see clothing).
Figures: docs/kinematics.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

PORTRAIT = dict(image_size=(1080, 1920), pixels_per_m=500.0)  # phone upright, ~65 deg vertical field of view

CONDITIONS: dict[str, dict] = {
    "reference (hip height, level)": {},
    "floor level, pitch +20": dict(camera_height_m=0.10, camera_pitch_deg=20.0, **PORTRAIT),
    "knee height, pitch +10": dict(camera_height_m=0.45, camera_pitch_deg=10.0, **PORTRAIT),
    "chest height, pitch -20": dict(camera_height_m=1.40, camera_pitch_deg=-20.0, **PORTRAIT),
    "roll +8": dict(camera_roll_deg=8.0),
    "roll -8": dict(camera_roll_deg=-8.0),
    "floor, pitch +15, roll -8": dict(
        camera_height_m=0.15, camera_pitch_deg=15.0, camera_roll_deg=-8.0, **PORTRAIT
    ),
    "plates hide hips (on plate)": dict(load="plates", hip_on_plate=0.8),
    "plates, floor level, hip on plate": dict(
        load="plates", hip_on_plate=1.0, camera_height_m=0.15, camera_pitch_deg=15.0, **PORTRAIT
    ),
    "24 fps": dict(fps=24.0),
    "60 fps": dict(fps=60.0),
    "480p": dict(image_size=(854, 480), pixels_per_m=220.0),
    "1080p": dict(image_size=(1920, 1080), pixels_per_m=495.0),
}

EXERCISES = ("deadlift", "rdl", "kettlebell-deadlift", "hip-hinge", "squat")

#: BlazePose-like keypoint noise of the sweep (module docstring); benchmarks/brisk_tempo.py uses it too
KEYPOINT_NOISE = dict(
    noise_px=1.5, noise_correlation=0.6, tempo_jitter=0.05, far_side_confidence_range=(0.4, 0.8)
)

#: back rounding reads the body outline: these run on rendered silhouettes (slower)
SPINE_CONDITIONS: dict[str, dict] = {
    "reference": {},
    "loose top, smooth (4 cm)": dict(loose_top_m=0.04, loose_top_wrinkles=0.0),
    "loose top, 6 mm wrinkles": dict(loose_top_m=0.04, loose_top_wrinkles=0.15),
    "loose top, 14 mm wrinkles": dict(loose_top_m=0.04, loose_top_wrinkles=0.35),
    "roll +8": dict(camera_roll_deg=8.0),
    "floor level, pitch +20": dict(camera_height_m=0.10, camera_pitch_deg=20.0, **PORTRAIT),
}
SPINE_EXERCISES = ("deadlift", "rdl")


def run_spine(seeds: int = 2) -> dict:
    """Back rounding on rendered silhouettes: clean reps flagged, rounded reps found (any severity)."""
    from liftsafe.app.demo import analyze_simulation
    from liftsafe.result import FaultCode
    from liftsafe.simulate import SimConfig, simulate_lift

    out: dict[str, dict[str, int]] = {}
    for cname, kw in SPINE_CONDITIONS.items():
        c = {"clean_reps": 0, "clean_flagged": 0, "rounded": 0, "rounded_found": 0}
        for exercise in SPINE_EXERCISES:
            for seed in range(seeds):
                for rounded in (False, True):
                    cfg = SimConfig(
                        exercise=exercise,
                        n_reps=3,
                        seed=seed,
                        noise_px=1.5,
                        faults={1: {FaultCode.ROUNDED_BACK}} if rounded else {},
                        **kw,
                    )
                    res = analyze_simulation(simulate_lift(cfg)).result
                    for i, rep in enumerate(res.reps):
                        flagged = any(f.code is FaultCode.ROUNDED_BACK for f in rep.faults)
                        if rounded and i == 1:
                            c["rounded"] += 1
                            c["rounded_found"] += flagged
                        else:
                            c["clean_reps"] += 1
                            c["clean_flagged"] += flagged
        out[cname] = c
    return out


PLATE_EXERCISES = ("deadlift", "rdl")


def _injected_rep(reps, true, fps: float):
    """The detected rep that overlaps the true (injected) rep the most, or None."""
    best, overlap = None, 0.0
    for rep in reps:
        ov = min(rep.end_s * fps, true.end_frame) - max(rep.start_s * fps, true.start_frame)
        if ov > overlap:
            best, overlap = rep, ov
    return best


def _sweep(exercise: str, kw: dict) -> list:
    """The faults swept for ``exercise`` under condition ``kw``, None (clean) first; lateral shift
    is a front-view fault and not in this side-view sweep."""
    from liftsafe.result import FaultCode
    from liftsafe.technique.thresholds import BY_CODE

    if kw.get("load") and exercise not in PLATE_EXERCISES:
        return []
    faults = [
        f
        for f in FaultCode
        if f in BY_CODE
        and exercise in {e.value for e in BY_CODE[f].limits}
        and f is not FaultCode.LATERAL_SHIFT
    ]
    return [None, *faults]


def run(seeds: int = 2) -> dict:
    """The keypoint sweep (module docstring)."""
    import numpy as np

    from liftsafe.pipeline import analyze_series
    from liftsafe.simulate import SimConfig, simulate_lift
    from liftsafe.technique.config import default_config
    from liftsafe.technique.thresholds import BY_CODE

    config = default_config()  # what analyze_series uses
    clean_reps: dict[str, int] = defaultdict(int)
    clips: dict[str, int] = defaultdict(int)
    wrong_count: dict[str, int] = defaultdict(int)
    fired: dict[tuple[str, str], int] = defaultdict(int)
    det: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # found, checked, nc, budget
    for cname, kw in CONDITIONS.items():
        for exercise in EXERCISES:
            for seed in range(seeds):
                for fault in _sweep(exercise, kw):
                    cfg = SimConfig(
                        exercise=exercise,
                        n_reps=3,
                        seed=seed,
                        **KEYPOINT_NOISE,
                        faults={1: {fault}} if fault else {},
                        **kw,
                    )
                    sim = simulate_lift(cfg)
                    analysis = analyze_series(sim.series, exercise=exercise, simulated=True)
                    res = analysis.result
                    clips[cname] += 1
                    wrong_count[cname] += res.rep_count != cfg.n_reps
                    if fault is None:
                        for rep in res.reps:
                            clean_reps[cname] += 1
                            for code in {f.code.value for f in rep.faults}:
                                fired[(cname, code)] += 1
                        continue
                    best = _injected_rep(res.reps, sim.reps[1], cfg.fps)
                    hit = best is not None and any(f.code is fault for f in best.faults)
                    value = best.metrics.get(BY_CODE[fault].metric, np.nan) if best is not None else np.nan
                    budget = config.budget_for(fault, res.view)
                    if budget is None or not budget.checked:  # the budget: never reported from this view
                        det[(cname, fault.value)][3] += 1
                        continue
                    unavailable = fault.value in analysis.unavailable_faults
                    if unavailable or not (hit or np.isfinite(value)):  # hidden landmarks: not checked
                        det[(cname, fault.value)][2] += 1
                        continue
                    det[(cname, fault.value)][0] += int(hit)
                    det[(cname, fault.value)][1] += 1
    codes = sorted({c for (_, c) in fired} | {c for (_, c) in det})
    out = {
        "conditions": list(CONDITIONS),
        "false_alarm": {},
        "detection": {},
        "clean_reps": dict(clean_reps),
        "clips": dict(clips),
        "wrong_rep_count": dict(wrong_count),
    }
    for cname in CONDITIONS:
        n = max(1, clean_reps[cname])
        out["false_alarm"][cname] = {c: round(fired[(cname, c)] / n, 3) for c in codes if fired[(cname, c)]}
        out["detection"][cname] = {
            c: {"found": v[0], "checked": v[1], "not_checked": v[2], "not_reported_budget": v[3]}
            for (cn, c), v in det.items()
            if cn == cname
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--spine-only", action="store_true", help="only the back-rounding part (rendered silhouettes)"
    )
    args = parser.parse_args(argv)
    out = {"conditions": [], "false_alarm": {}, "detection": {}} if args.spine_only else run(args.seeds)
    out["rounded_back"] = run_spine(args.seeds)
    if args.json:
        json.dump(out, sys.stdout, indent=1)
        print()
        return 0
    print("False alarms on clean reps (share of reps on which the fault fired, any severity; blank = none):")
    for cname in out["conditions"]:
        fa = out["false_alarm"][cname]
        text = ", ".join(f"{c} {v:.2f}" for c, v in sorted(fa.items())) or "none"
        print(
            f"  {cname:36s} ({out['clean_reps'].get(cname, 0)} reps): {text}; rep count wrong on "
            f"{out['wrong_rep_count'].get(cname, 0)} of {out['clips'].get(cname, 0)} clips"
        )
    print("\nDetection of injected faults (found/checked; nc = clips where the fault was not checked; "
          "nb = clips where the budget does not report it from that view):")
    for cname in out["conditions"]:
        d = out["detection"][cname]
        cells = [
            f"{c} {v['found']}/{v['checked']}"
            + (f" nc{v['not_checked']}" if v["not_checked"] else "")
            + (f" nb{v['not_reported_budget']}" if v["not_reported_budget"] else "")
            for c, v in sorted(d.items())
        ]
        print(f"  {cname:36s}: " + "; ".join(cells))
    print(
        "\nBack rounding on rendered silhouettes "
        "(deadlift, RDL; clean clips, and clips with a rounded middle rep):"
    )
    for cname, c in out["rounded_back"].items():
        print(
            f"  {cname:36s}: clean reps flagged {c['clean_flagged']}/{c['clean_reps']}, "
            f"rounded reps found {c['rounded_found']}/{c['rounded']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
