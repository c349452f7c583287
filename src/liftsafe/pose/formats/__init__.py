"""Readers for other tools' keypoint files, auto-detected (docs/keypoint-files.md).

* OpenPose ``--write_json`` folders (BODY_25, COCO-18) -- :mod:`.openpose`;
* MMPose / RTMPose / rtmlib prediction JSON (COCO-17, Halpe-26, COCO-WholeBody) -- :mod:`.mmpose`;
* TRC marker files (Pose2Sim, Sports2D, OpenCap) -- :mod:`.trc`;
* movement poses datasets in netCDF -- :mod:`.netcdf`.

:func:`read_foreign` returns ``None`` for liftsafe's own CSV/JSON so :mod:`liftsafe.pose.files`
reads them as before.
"""

from __future__ import annotations

import json
from pathlib import Path

from liftsafe.pose.formats.common import ReadWarning
from liftsafe.pose.series import PoseSeries

__all__ = ["FOREIGN_SUFFIXES", "KEYPOINT_SUFFIXES", "ReadWarning", "is_foreign", "is_keypoint_input",
           "read_foreign"]

#: Suffixes only other tools' readers take (plus folders and some .json files).
FOREIGN_SUFFIXES: tuple[str, ...] = (".trc", ".nc")
#: Suffixes of keypoint files (liftsafe's own, or another tool's JSON); anything else is a video.
KEYPOINT_SUFFIXES: tuple[str, ...] = (".csv", ".json")


def is_foreign(path: Path) -> bool:
    """True for a path only these readers take: a folder, a .trc or a .nc file."""
    return path.is_dir() or path.suffix.lower() in FOREIGN_SUFFIXES


def is_keypoint_input(path: Path) -> bool:
    """True for a keypoint file or folder (read, not pose-estimated); False for a video."""
    return path.suffix.lower() in KEYPOINT_SUFFIXES or is_foreign(path)


def read_foreign(
    path: Path, *, fps: float | None = None, image_size: tuple[int, int] | None = None
) -> PoseSeries | None:
    """Read ``path`` when it is another tool's keypoint file; None for anything else."""
    from liftsafe.pose.formats import mmpose, netcdf, openpose, trc

    suffix = path.suffix.lower()
    if path.is_dir():
        files = openpose.frame_files(path)
        return openpose.read_openpose_folder(path, files, fps=fps, image_size=image_size) if files else None
    if suffix == ".trc":
        return trc.read_trc(path, fps=fps, image_size=image_size)
    if suffix == ".nc":
        return netcdf.read_movement_netcdf(path, fps=fps, image_size=image_size)
    if suffix == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # liftsafe's own reader reports the problem
        if openpose.is_openpose_doc(doc):
            return openpose.read_openpose_folder(path.parent, [path], fps=fps, image_size=image_size)
        frames = mmpose.mmpose_frames(doc)
        if frames is not None:
            return mmpose.read_mmpose(path, frames, fps=fps, image_size=image_size)
    return None
