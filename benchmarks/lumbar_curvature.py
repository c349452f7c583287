"""The lower back outline's curvature on the simulator: an experiment (run on demand; figures in
docs/evaluation.md, "A lower-back (lumbar) outline measure").

    python benchmarks/lumbar_curvature.py [--seeds 2] [--json FILE]

The shipped back-rounding measure (``dorsal_curvature_pull``) fits one parabola to the back outline
from 0.15 to 0.85 of the hip-to-shoulder chord. Lumbar flexion is what loads the lumbar discs
(McGill 2015); the thoracic spine rounds more harmlessly. The candidates measured here read the
*lower* outline only, 11 stations from 0.15 to 0.50 of the chord, where the simulated lumbar arc
lies (a pelvic segment of 5 % of stature, then 10 % lumbar, of a 29 % trunk):

* ``lumbar_curvature``: the same parabola fit on those stations, in the whole chord's frame
  (1 / trunk length, outward positive);
* ``lumbar_bow``: the largest outward distance of those stations from their own end-to-end line
  (trunk lengths);
* ``outline_residual``: the RMS distance of the whole outline (the shipped 15 stations) from its own
  parabola (trunk lengths) -- folds of a loose top raise it, a smooth back does not; a gate for the
  lumbar curvature.

Each is taken per rep as the median over the shipped initial-pull window (0.2 s before lift-off
through half the ascent; not read when the lift-off is not filmed or fewer than half the frames
are measured). For the silhouette conditions of ``benchmarks/sim_conditions.py`` (reference, loose
tops with and without moving folds, roll, floor-level camera) and camera yaws of +-20, +-30 and
+-40 deg, a deadlift and an RDL (3 reps; seeds 0..n-1; 1.5 px noise) are simulated clean and with
the middle rep rounded (45 deg of spine flexion, 55 % of it lumbar), rendered and analysed on the
product's path. Printed: per condition the range of each measure over clean and rounded reps; then
the residual gate and the lumbar limit derived from the simulator alone (each half-way between the
classes it has to separate) and what the gated lumbar curvature flags.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from liftsafe.kinematics.spine import MAX_STEP_SLOPE, dorsal_contour, outline_in_chord_frame
from liftsafe.technique.metrics import MIN_MEASURED_SHARE, RepContext, lift_off_filmed

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sim_conditions import SPINE_CONDITIONS  # noqa: E402 - the sibling benchmark's conditions

#: the lower outline: 0.15 (the shipped lowest station) to 0.50 of the hip-to-shoulder chord
LUMBAR_STATIONS = np.linspace(0.15, 0.50, 11)

#: the spine conditions of benchmarks/sim_conditions.py, plus the yaws the spine is judged at
CONDITIONS: dict[str, dict] = {
    **SPINE_CONDITIONS,
    **{f"yaw {y:+d}": dict(camera_yaw_deg=float(y)) for y in (-40, -30, -20, 20, 30, 40)},
}
EXERCISES = ("deadlift", "rdl")
FEATURES = ("dorsal_curvature", "lumbar_curvature", "lumbar_bow", "outline_residual")


def _lower_outline(mask, shoulder_xy, hip_xy, facing):
    contour = dorsal_contour(mask, shoulder_xy, hip_xy, facing, stations=LUMBAR_STATIONS)
    if contour is None:
        return None
    along, out = outline_in_chord_frame(contour, shoulder_xy, hip_xy, facing)
    if np.max(np.abs(np.diff(out) / np.diff(along))) > MAX_STEP_SLOPE:
        return None  # the shipped measure's steep-step gate
    return along, out


def lumbar_curvature(mask, shoulder_xy, hip_xy, facing: int) -> float:
    """Parabola curvature of the lower outline (1 / trunk length, outward positive); NaN when not measured."""
    lo = None if mask is None else _lower_outline(mask, shoulder_xy, hip_xy, facing)
    return float("nan") if lo is None else float(-2.0 * np.polyfit(lo[0], lo[1], 2)[0])


def lumbar_bow(mask, shoulder_xy, hip_xy, facing: int) -> float:
    """Largest outward distance of the lower outline from its end-to-end line (trunk lengths)."""
    lo = None if mask is None else _lower_outline(mask, shoulder_xy, hip_xy, facing)
    if lo is None:
        return float("nan")
    along, out = lo
    line = out[0] + (out[-1] - out[0]) * (along - along[0]) / (along[-1] - along[0])
    return float(np.max(out - line))


def outline_residual(mask, shoulder_xy, hip_xy, facing: int) -> float:
    """RMS distance of the whole outline (shipped stations) from its own parabola (trunk lengths)."""
    contour = None if mask is None else dorsal_contour(mask, shoulder_xy, hip_xy, facing)
    if contour is None:
        return float("nan")
    along, out = outline_in_chord_frame(contour, shoulder_xy, hip_xy, facing)
    return float(np.sqrt(np.mean((out - np.polyval(np.polyfit(along, out, 2), along)) ** 2)))


def pull(ctx: RepContext, feature: str) -> float:
    """A per-frame feature's median over the shipped initial-pull window, with the shipped abstentions."""
    if not lift_off_filmed(ctx.signals, ctx.rep):
        return float("nan")
    v, _ = ctx.get(feature, "initial_pull")
    if v.size == 0 or np.mean(np.isfinite(v)) < MIN_MEASURED_SHARE:
        return float("nan")
    return float(np.nanmedian(v))


def silhouette_features(sim) -> dict[str, np.ndarray]:
    """Every outline feature on the rendered silhouettes of a simulated clip."""
    from liftsafe.kinematics.signals import mid_joint
    from liftsafe.kinematics.spine import dorsal_curvature
    from liftsafe.simulate.render import render_silhouette

    shoulder, hip = mid_joint(sim.series, "shoulder"), mid_joint(sim.series, "hip")
    fns = {"dorsal_curvature": dorsal_curvature, "lumbar_curvature": lumbar_curvature,
           "lumbar_bow": lumbar_bow, "outline_residual": outline_residual}
    out = {k: np.full(sim.series.n_frames, np.nan) for k in fns}
    for f in range(sim.series.n_frames):
        mask = render_silhouette(sim, f).astype(np.float32)
        for k, fn in fns.items():
            out[k][f] = fn(mask, shoulder[f], hip[f], sim.config.facing)
    return out


def measure(seeds: int) -> dict[str, dict[str, dict[str, list[float]]]]:
    """condition -> feature -> {"clean": [...], "rounded": [...]} (one window median per rep)."""
    from dataclasses import replace

    from liftsafe.pipeline import analyze_series
    from liftsafe.result import FaultCode
    from liftsafe.simulate import SimConfig, simulate_lift

    out: dict[str, dict[str, dict[str, list[float]]]] = {}
    for cname, kw in CONDITIONS.items():
        values: dict[str, dict[str, list[float]]] = {m: {"clean": [], "rounded": []} for m in FEATURES}
        for exercise in EXERCISES:
            for seed in range(seeds):
                for rounded in (False, True):
                    cfg = SimConfig(exercise=exercise, n_reps=3, seed=seed, noise_px=1.5,
                                    faults={1: {FaultCode.ROUNDED_BACK}} if rounded else {}, **kw)
                    sim = simulate_lift(cfg)
                    analysis = analyze_series(replace(sim.series, frame_features=silhouette_features(sim)),
                                              exercise=exercise, simulated=True)
                    true = sim.reps[1]
                    for span in analysis.spans:
                        injected = rounded and true.start_frame <= span.bottom_frame < true.end_frame
                        ctx = RepContext(signals=analysis.signals, rep=span, fps=analysis.result.fps,
                                         baseline={})
                        for m in FEATURES:
                            values[m]["rounded" if injected else "clean"].append(pull(ctx, m))
        out[cname] = values
        print(f"{cname}: " + "; ".join(
            f"{m} clean {_range(values[m]['clean'], d)} / rounded {_range(values[m]['rounded'], d)}"
            for m, d in zip(FEATURES, (2, 2, 3, 4))),
            flush=True)
    return out


def _range(v: list[float], digits: int = 3) -> str:
    f = [x for x in v if math.isfinite(x)]
    miss = len(v) - len(f)
    if not f:
        return f"not measured ({miss})"
    tail = f", {miss} not measured)" if miss else ")"
    return f"{min(f):.{digits}f} to {max(f):.{digits}f} (n={len(f)}{tail}"


def _finite(v) -> list[float]:
    return [x for x in v if math.isfinite(x)]


def summarise(out: dict) -> dict[str, float]:
    """The gate and limits the simulator gives (half-way rules), printed with what they flag."""
    for m in ("lumbar_curvature", "lumbar_bow"):
        clean = _finite(x for c in out.values() for x in c[m]["clean"])
        rnd = _finite(x for c in out.values() for x in c[m]["rounded"])
        lim = (max(clean) + min(rnd)) / 2
        print(f"\n{m} (no gate): clean reps {min(clean):.3f} to {max(clean):.3f}, rounded {min(rnd):.3f} "
              f"to {max(rnd):.3f}; half-way {lim:.3f} flags {sum(x > lim for x in clean)} of {len(clean)} "
              f"clean reps, finds {sum(x > lim for x in rnd)} of {len(rnd)} rounded")
    smooth = [c for c in out if "wrinkles" not in c]
    folded = [c for c in out if "wrinkles" in c]
    r_smooth = _finite(x for c in smooth for x in out[c]["outline_residual"]["rounded"])
    r_fold = _finite(x for c in folded for k in ("clean", "rounded") for x in out[c]["outline_residual"][k])
    gate = (max(r_smooth) + min(r_fold)) / 2
    print(f"\noutline_residual: rounded reps with a smooth outline up to {max(r_smooth):.4f}, any rep "
          f"under moving folds from {min(r_fold):.4f}: gate (half-way) {gate:.4f}")
    kept: dict[str, list[float]] = {"clean": [], "rounded": []}
    for c in out.values():
        for k in kept:
            for lum, res in zip(c["lumbar_curvature"][k], c["outline_residual"][k]):
                if math.isfinite(lum) and math.isfinite(res) and res <= gate:
                    kept[k].append(lum)
    lim = (max(kept["clean"]) + min(kept["rounded"])) / 2
    n = {k: sum(len(c["lumbar_curvature"][k]) for c in out.values()) for k in kept}
    c, r = kept["clean"], kept["rounded"]
    print(f"lumbar_curvature past the gate: clean {min(c):.2f} to {max(c):.2f} ({len(c)} of {n['clean']} "
          f"reps read), rounded {min(r):.2f} to {max(r):.2f} ({len(r)} of {n['rounded']}); limit (half-way) "
          f"{lim:.2f} flags {sum(x > lim for x in c)} clean reps, finds {sum(x > lim for x in r)} rounded")
    return {"residual_gate": gate, "lumbar_limit": lim}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--json", type=str, default=None, help="write the per-rep values here")
    args = ap.parse_args(argv)
    out = measure(args.seeds)
    summarise(out)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
