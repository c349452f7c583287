"""What the person-segmentation mask costs per frame (BlazePose full, frames already decoded).

    python benchmarks/segmentation_cost.py [CLIP] [--frames 200] [--rounds 3]

The back-rounding measure reads the mask's dorsal outline (kinematics/spine.py). MediaPipe's
pose graph makes the mask for every frame or none, so the choice is between paying for it
on every frame and a second pose pass over the pull. This measures the price: the same
frames through a graph without and with segmentation (plus the outline measure), in
alternating rounds so a busy machine slows both alike. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

DEFAULT_CLIP = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "deadlift-clips" / "good" / "good008.mp4"
)


def main() -> None:
    from liftsafe.kinematics.spine import dorsal_curvature_feature
    from liftsafe.pose.blazepose import BlazePoseEstimator, quiet_native_stderr
    from liftsafe.pose.video import FrameReader

    ap = argparse.ArgumentParser(description="segmentation cost per frame")
    ap.add_argument("clip", nargs="?", type=Path, default=DEFAULT_CLIP)
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    frames = []
    for _, rgb in FrameReader(args.clip, max_width=960):
        frames.append(rgb)
        if len(frames) >= args.frames:
            break
    times: dict[bool, list[float]] = {False: [], True: []}
    with quiet_native_stderr():
        for _ in range(args.rounds):
            for seg in (False, True):
                est = BlazePoseEstimator(segmentation=seg)
                est.process(frames[0], 0)  # graph start-up not timed
                t0 = time.perf_counter()
                for rgb in frames:
                    pose = est.process(rgb, 0)
                    if seg and pose is not None:
                        dorsal_curvature_feature(pose, *rgb.shape[:2])
                times[seg].append((time.perf_counter() - t0) / len(frames) * 1000)
                est.close()
    off, on = statistics.median(times[False]), statistics.median(times[True])
    h, w = frames[0].shape[:2]
    print(
        f"{len(frames)} frames of {args.clip.name} at {w}x{h}, {args.rounds} alternating rounds "
        "(median ms/frame)"
    )
    print(
        f"without segmentation: {off:.1f} ms/frame; with segmentation + outline measure: {on:.1f} ms/frame; "
        f"cost {on - off:.1f} ms/frame ({(on - off) / off:+.0%})"
    )


if __name__ == "__main__":
    main()
