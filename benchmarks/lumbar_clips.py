"""The lower-back outline measures on a folder of real clips: an experiment (run on demand; figures in
docs/evaluation.md, "A lower-back (lumbar) outline measure").

    python benchmarks/lumbar_clips.py CLIPS_DIR --labels LABELS.csv [--cache DIR] [-j 2]

For every clip in the label file (columns ``file``, ``label``, ``fault``) BlazePose runs with the
measures of ``benchmarks/lumbar_curvature.py`` as extra frame features (the person mask is only in
memory while a frame is estimated), the clip is analysed on the product's path, and per rep the
shipped ``dorsal_curvature_pull``, the lower-outline curvature and the outline's fit residual (each
the median over the shipped initial-pull window; frames whose whole-back reading the product gated
are left out of the others too) are printed. ``lumbar path``: whether a second way to find a rounded
back -- lumbar curvature above LUMBAR_LIMIT on a rep whose outline residual is at most RESIDUAL_GATE,
both fixed on the simulator before any clip was read -- fires on a rep where the back is judged.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lumbar_curvature as lc  # noqa: E402 - the measures live next to their simulator benchmark

#: from ``python benchmarks/lumbar_curvature.py --seeds 2``: half-way between the largest residual of
#: a rounded rep with a smooth outline (0.0043) and the smallest under moving folds (0.0053)
RESIDUAL_GATE = 0.0048
#: half-way between the largest clean (0.23) and the smallest rounded (0.70) reading past that gate
LUMBAR_LIMIT = 0.47


def _frame_feature(fn):
    def feature(pose, height: int, width: int) -> float:
        from liftsafe.kinematics.spine import _mid, frame_facing

        if pose.mask is None:
            return float("nan")
        shoulder = _mid(pose.xy, pose.confidence, "blazepose33", "shoulder")
        hip = _mid(pose.xy, pose.confidence, "blazepose33", "hip")
        return fn(pose.mask, shoulder, hip, frame_facing(pose.xy, pose.confidence, "blazepose33"))
    return feature


def lumbar_curvature_feature(pose, height: int, width: int) -> float:
    return _frame_feature(lc.lumbar_curvature)(pose, height, width)


def outline_residual_feature(pose, height: int, width: int) -> float:
    return _frame_feature(lc.outline_residual)(pose, height, width)


def estimate(path: Path, workers: int, cache_dir: Path | None):
    from liftsafe.kinematics.spine import dorsal_curvature_feature
    from liftsafe.pipeline import DECODE_MAX_WIDTH
    from liftsafe.pose import cache, parallel
    from liftsafe.pose.estimator import SceneChange

    features = {"dorsal_curvature": dorsal_curvature_feature, "lumbar_curvature": lumbar_curvature_feature,
                "outline_residual": outline_residual_feature}
    image_features = {"scene_change": SceneChange()}
    key = None
    if cache_dir is not None:
        key = cache.cache_key(path, max_width=DECODE_MAX_WIDTH, features=(*features, *image_features),
                              estimation=parallel.estimation_key(path, workers=workers,
                                                                 max_fps=parallel.DEFAULT_MAX_FPS))
        pose = cache.load(cache_dir, key)
        if pose is not None:
            return pose
    pose = parallel.estimate_video_parallel(path, workers=workers, features=features,
                                            image_features=image_features, max_width=DECODE_MAX_WIDTH)
    if key is not None:
        cache.save(cache_dir, key, pose)
    return pose


def main(argv: list[str] | None = None) -> None:
    from liftsafe.pipeline import analyze_series
    from liftsafe.technique.metrics import RepContext

    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("clips", type=Path)
    ap.add_argument("--labels", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=None,
                    help="pose cache for these features (not the product's)")
    ap.add_argument("-j", type=int, default=2, help="pose worker processes per clip")
    args = ap.parse_args(argv)
    print("| clip | label | fault | back judged | per rep: whole / lumbar / residual | lumbar path |")
    print("|---|---|---|---|---|---|")
    for row in csv.DictReader(args.labels.open()):
        path = args.clips / row["file"]
        pose = estimate(path, args.j, args.cache)
        analysis = analyze_series(pose.series, source=str(path), video_path=path, warnings=pose.warnings)
        res, signals = analysis.result, dict(analysis.signals)
        gated = ~np.isfinite(signals["dorsal_curvature"]) if "dorsal_curvature" in signals else None
        for name in ("lumbar_curvature", "outline_residual"):
            if gated is not None and name in signals:
                signals[name] = np.where(gated, np.nan, signals[name])
        cells, fires = [], False
        for span, rep in zip(analysis.spans, res.reps):
            ctx = RepContext(signals=signals, rep=span, fps=res.fps, baseline={})
            whole = rep.metrics.get("dorsal_curvature_pull")
            whole = float("nan") if whole is None else float(whole)
            lumbar, resid = lc.pull(ctx, "lumbar_curvature"), lc.pull(ctx, "outline_residual")
            cells.append(f"{whole:.2f} / {lumbar:.2f} / {resid:.4f}")
            fires |= bool(res.judged and math.isfinite(whole) and resid <= RESIDUAL_GATE
                          and lumbar > LUMBAR_LIMIT)
        judged = "yes" if res.judged else "no"
        print(f"| {row['file']} | {row['label']} | {row.get('fault') or '-'} | {judged} | "
              f"{'; '.join(cells) or 'no reps'} | {'fires' if fires else '-'} |", flush=True)


if __name__ == "__main__":
    main()
