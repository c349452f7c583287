"""How long a chunk's tracker warm-up must be: the same chunk edge with different warm-ups.

    python benchmarks/chunk_warmup.py [CLIP ...]   # default: the shared clips of 5 s or more

For every clip, one serial BlazePose run, then chunks that start at the same edge (the middle,
or 40 % and 60 % of clips of 8 s or more) after a warm-up of 2, 1 and 0.5 s. Prints one JSON
row per clip, edge and warm-up: the median and 95th percentile distance of the torso and leg
landmarks to the serial run, in per cent of the lifter's on-screen stature, over the first half
second after the edge (``first_*``) and the next second (``after_median``). The clips are read at
run time; no frame or keypoint is stored. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

import numpy as np

from liftsafe.kinematics.spine import dorsal_curvature_feature
from liftsafe.pose.estimator import SceneChange
from liftsafe.pose.parallel import Chunk, ChunkTask, frame_pts, frame_stride, probe_video, run_chunk

CORE = [11, 12, 23, 24, 25, 26, 27, 28]  # shoulders, hips, knees, ankles
WARMUPS_S = (2.0, 1.0, 0.5)
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "deadlift-clips"


def _run(clip: str, info, stride: int, pts: list[int], chunk: Chunk):
    frames = tuple(pts[chunk.warm_start * stride : chunk.end * stride])
    task = ChunkTask(clip, chunk, stride, frames, info, 960,
                     {"dorsal_curvature": dorsal_curvature_feature}, {"scene_change": SceneChange()})
    return run_chunk(task).arrays


def _distance(serial: dict, part: dict, start: int, stature: float) -> np.ndarray:
    m = min(len(part["xy"]), len(serial["xy"]) - start)
    a_xy, a_c = serial["xy"][start : start + m, CORE], serial["confidence"][start : start + m, CORE]
    b_xy, b_c = part["xy"][:m, CORE], part["confidence"][:m, CORE]
    d = np.linalg.norm(a_xy - b_xy, axis=2)
    return np.where((a_c > 0.5) & (b_c > 0.5), d, np.nan) / stature * 100


def main() -> None:
    clips = sys.argv[1:] or sorted(glob.glob(str(SHARED / "*" / "*.mp4")))
    for clip in clips:
        info, pts = probe_video(clip), frame_pts(clip)
        if not pts:
            continue
        stride = frame_stride(info.fps, 30.0)
        n, fps = -(-len(pts) // stride), info.fps / stride
        if n < 5 * fps:
            continue
        serial = _run(clip, info, stride, pts, Chunk(0, 0, 0, n))
        stature = float(np.nanmedian(np.abs(serial["xy"][:, 11, 1] - serial["xy"][:, 27, 1])))
        edges = [int(n * q) for q in (0.4, 0.6)] if n >= 8 * fps else [n // 2]
        for edge in edges:
            for warm_s in WARMUPS_S:
                warm = int(round(warm_s * fps))
                if edge < warm:
                    continue
                end = min(n, edge + int(1.5 * fps))
                part = _run(clip, info, stride, pts, Chunk(1, edge - warm, edge, end))
                d = _distance(serial, part, edge, stature)
                first, rest = d[: int(fps // 2)], d[int(fps // 2) :]
                row = {
                    "clip": Path(clip).name, "edge": edge, "warmup_s": warm_s,
                    "first_median": round(float(np.nanmedian(first)), 2),
                    "first_p95": round(float(np.nanpercentile(first, 95)), 2),
                    "after_median": round(float(np.nanmedian(rest)), 2) if rest.size else None,
                }
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
