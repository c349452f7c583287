"""OpenPose ``--write_json`` output: a folder with one JSON file per frame.

Each file holds ``{"version": ..., "people": [{"pose_keypoints_2d": [x0, y0, c0, x1, ...]}, ...]}``
(OpenPose documentation, "Output", section "JSON Output Format"). 25 points are BODY_25, 18
are COCO; a point OpenPose did not find is written as ``0, 0, 0``. Coordinates are pixels of
the source image unless OpenPose ran with ``--keypoint_scale`` (not detectable from the file:
pass ``image_size`` for normalised output). Files are taken in name order (OpenPose numbers
them ``<name>_000000000000_keypoints.json``). OpenPose writes no frame rate: give ``--fps``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.formats.common import build_series, check_fps, choose_lifter, fit_image_size
from liftsafe.pose.formats.skeletons import OPENPOSE_BODY25, OPENPOSE_COCO18
from liftsafe.pose.series import PoseSeries

LAYOUTS = {25: ("OpenPose BODY_25", OPENPOSE_BODY25), 18: ("OpenPose COCO-18", OPENPOSE_COCO18)}


def is_openpose_doc(doc: Any) -> bool:
    """True for one OpenPose frame document (an object with a ``people`` list)."""
    return isinstance(doc, dict) and isinstance(doc.get("people"), list)


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"OpenPose file '{path}': not valid JSON ({exc})") from None


def frame_files(folder: Path) -> list[Path]:
    """The folder's ``*.json`` files in name order when the first is an OpenPose frame, else []."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    if files and is_openpose_doc(_load(files[0])):
        return files
    return []


def read_openpose_folder(
    folder: Path, files: list[Path], *, fps: float | None, image_size: tuple[int, int] | None
) -> PoseSeries:
    """Read an OpenPose JSON folder into a liftsafe series (the lifter chosen among people)."""
    where = f"OpenPose folder '{folder}'"
    rate = check_fps(fps, where, "OpenPose does not store the frame rate: pass --fps")
    frames: list[list[tuple[np.ndarray, np.ndarray]]] = []
    count: int | None = None
    for path in files:
        doc = _load(path)
        if not is_openpose_doc(doc):
            raise InputError(f"OpenPose file '{path}': no \"people\" list")
        people = []
        for p, person in enumerate(doc["people"]):
            values = person.get("pose_keypoints_2d") if isinstance(person, dict) else None
            label = f"OpenPose file '{path}', person {p}, field \"pose_keypoints_2d\""
            if not isinstance(values, list) or len(values) % 3:
                raise InputError(f"{label}: expected a flat list x0, y0, c0, x1, ...")
            if count is None:
                count = len(values) // 3
                if count not in LAYOUTS:
                    raise InputError(f"{label}: {count} points; expected 25 (BODY_25) or 18 (COCO)")
            if len(values) // 3 != count:
                raise InputError(f"{label}: {len(values) // 3} points but earlier people have {count}")
            try:
                arr = np.asarray(values, dtype=float).reshape(-1, 3)
            except (TypeError, ValueError):
                raise InputError(f"{label}: holds a value that is not a number") from None
            absent = (arr[:, 2] <= 0) | ~np.isfinite(arr).all(axis=1)
            arr[absent, :2] = np.nan
            arr[absent, 2] = 0.0
            people.append((arr[:, :2], arr[:, 2]))
        frames.append(people)
    if count is None:
        raise InputError(f"{where}: no person in any of its {len(files)} frame files")
    detected, names = LAYOUTS[count]
    xy, conf = choose_lifter(frames, names, where)
    return build_series(
        names, xy, conf, detected=detected, fps=rate, image_size=fit_image_size(xy, image_size),
        source=str(folder), where=where,
    )
