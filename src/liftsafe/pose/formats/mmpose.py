"""MMPose / RTMPose (also through rtmlib) keypoint JSON: per frame a list of ``instances``.

Two published shapes are read (MMPose documentation, "Inference with existing models":
``MMPoseInferencer(..., pred_out_dir=...)`` and the demo's ``--save-predictions``):

* a list of frames ``[{"frame_id": 0, "instances": [{"keypoints": [[x, y], ...],
  "keypoint_scores": [s, ...], "bbox": [...], "bbox_score": s}, ...]}, ...]``;
* ``{"meta_info": {"dataset_name": "coco", ...}, "instance_info": [<the same frames>]}``.

The point count tells the layout: 17 COCO, 26 Halpe-26, 133 COCO-WholeBody (body and feet
read). Coordinates are image pixels; scores are taken as confidences (clipped to 0..1; RTMPose
SimCC scores can exceed 1). Neither shape stores the frame rate: give ``--fps``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.formats.common import build_series, check_fps, choose_lifter, fit_image_size
from liftsafe.pose.formats.skeletons import COCO17, COCO_WHOLEBODY_BODY, COCO_WHOLEBODY_POINTS, HALPE26
from liftsafe.pose.series import PoseSeries

LAYOUTS: dict[int, tuple[str, tuple[str | None, ...]]] = {
    17: ("MMPose COCO-17", tuple(COCO17)),
    26: ("MMPose Halpe-26", HALPE26),
    COCO_WHOLEBODY_POINTS: ("MMPose COCO-WholeBody", COCO_WHOLEBODY_BODY),
}


def mmpose_frames(doc: Any) -> list[Any] | None:
    """The frame list of an MMPose prediction document, or None when it is not one."""
    frames = doc.get("instance_info") if isinstance(doc, dict) else doc
    if isinstance(frames, list) and frames and isinstance(frames[0], dict) and "instances" in frames[0]:
        return frames
    return None


def read_mmpose(
    path: Path, frames: list[Any], *, fps: float | None, image_size: tuple[int, int] | None
) -> PoseSeries:
    """Read MMPose/rtmlib predictions into a liftsafe series (the lifter chosen among people)."""
    where = f"MMPose file '{path}'"
    rate = check_fps(fps, where, "MMPose predictions do not store the frame rate: pass --fps")
    people_per_frame: list[list[tuple[np.ndarray, np.ndarray]]] = []
    count: int | None = None
    numbers: list[int] = []
    for i, fr in enumerate(frames):
        label = f"{where}: frame {i}"
        instances = fr.get("instances") if isinstance(fr, dict) else None
        if not isinstance(instances, list):
            raise InputError(f"{label}: field \"instances\" is missing or not a list")
        numbers.append(int(fr.get("frame_id", i)) if str(fr.get("frame_id", i)).isdigit() else i)
        people = []
        for p, inst in enumerate(instances):
            plabel = f"{label}, instance {p}"
            try:
                kps = np.asarray(inst["keypoints"], dtype=float)
                scores = np.asarray(inst.get("keypoint_scores", np.ones(len(kps))), dtype=float)
            except (KeyError, TypeError, ValueError):
                raise InputError(
                    f"{plabel}: needs \"keypoints\" [[x, y], ...] and \"keypoint_scores\" numbers"
                ) from None
            if kps.ndim != 2 or kps.shape[1] < 2 or scores.shape != (len(kps),):
                raise InputError(f"{plabel}: \"keypoints\" must be [[x, y], ...] with one score each")
            if count is None:
                count = len(kps)
                if count not in LAYOUTS:
                    raise InputError(
                        f"{plabel}: {count} keypoints; expected 17 (COCO), 26 (Halpe) or 133 (COCO-WholeBody)"
                    )
            if len(kps) != count:
                raise InputError(f"{plabel}: {len(kps)} keypoints but earlier instances have {count}")
            xy = kps[:, :2].copy()
            xy[~np.isfinite(xy).all(axis=1)] = np.nan
            people.append((xy[: len(LAYOUTS[count][1])], np.nan_to_num(scores[: len(LAYOUTS[count][1])])))
        people_per_frame.append(people)
    if count is None:
        raise InputError(f"{where}: no instance in any of its {len(frames)} frames")
    detected, names = LAYOUTS[count]
    if numbers != sorted(set(numbers)):
        raise InputError(f"{where}: \"frame_id\" values must increase")
    xy, conf = choose_lifter(people_per_frame, names, where)
    return build_series(
        names, xy, conf, detected=detected, fps=rate, image_size=fit_image_size(xy, image_size),
        source=str(path), where=where,
    )
