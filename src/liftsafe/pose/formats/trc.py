"""TRC marker files (OpenSim's track-row-column format), as written by Pose2Sim, Sports2D and OpenCap.

Layout (OpenSim documentation, "Marker (.trc) Files"): a ``PathFileType`` line; a line of
header names ``DataRate CameraRate NumFrames NumMarkers Units OrigDataRate ...`` and a line of
their values; a ``Frame# Time <marker> <marker> ...`` line (each marker name over three
columns); an ``X1 Y1 Z1 X2 ...`` line; then one tab-separated row per frame. OpenSim's frame
is Y up; missing values are empty fields or NaN.

Units ``m``, ``mm`` and ``cm`` are converted to metres; ``px`` (Sports2D without
calibration) stays in pixels. The ``DataRate`` must agree with the ``Time`` column (within
1 %), else the file is rejected naming both. Markers are matched by name (Pose2Sim/Sports2D
``RHip``, ``LBigToe``; OpenCap ``RHJC_study``, ``r_knee_study``, ``r_calc_study``...).

liftsafe analyses an image-like side view, so the points are projected: a 2-D file (all Z
zero, Sports2D) keeps X and Y; a 3-D file is viewed along the hip line (the lifter's sagittal
plane: the horizontal direction perpendicular to the median left-to-right hip vector, and
vertical). The view is drawn at :data:`PIXELS_PER_M` with y flipped down.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.formats.common import build_series
from liftsafe.pose.formats.skeletons import liftsafe_name
from liftsafe.pose.series import PoseSeries

UNITS_TO_M = {"m": 1.0, "mm": 0.001, "cm": 0.01}
PIXELS_PER_M = 500.0  # scale of the projected side view (any scale works: angles do not depend on it)
MARGIN_PX = 40
RATE_TOLERANCE = 0.01


def _header(lines: list[str], where: str) -> dict[str, str]:
    if len(lines) < 6 or not lines[0].startswith("PathFileType"):
        raise InputError(f"{where}: not a TRC file (the first line must start with 'PathFileType')")
    keys = [k.strip() for k in lines[1].split("\t")]
    values = [v.strip() for v in lines[2].split("\t")]
    meta = dict(zip(keys, values))
    for key in ("DataRate", "NumFrames", "NumMarkers", "Units"):
        if not meta.get(key):
            raise InputError(f"{where}: header line 3 has no {key} value")
    return meta


def _number(text: str, where: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: {field} {text!r} is not a number") from None


def read_trc(path: Path, *, fps: float | None, image_size: tuple[int, int] | None) -> PoseSeries:
    """Read a TRC file into a liftsafe series (see the module notes for units and the view)."""
    where = f"TRC file '{path}'"
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot read it as text ({exc})") from None
    meta = _header(lines, where)
    unit = meta["Units"].lower()
    if unit not in UNITS_TO_M and unit not in ("px", "pixels"):
        raise InputError(f"{where}: Units {meta['Units']!r} not understood; expected m, mm, cm or px")
    rate = _number(meta["DataRate"], where, "DataRate")
    markers = [m.strip() for m in lines[3].split("\t")[2:] if m.strip()]
    if len(markers) != int(_number(meta["NumMarkers"], where, "NumMarkers")):
        raise InputError(f"{where}: NumMarkers says {meta['NumMarkers']} but line 4 names {len(markers)}")
    rows = [ln.split("\t") for ln in lines[5:] if ln.strip()]
    if not rows:
        raise InputError(f"{where}: no data rows")
    data = np.full((len(rows), 2 + 3 * len(markers)), np.nan)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row[: data.shape[1]]):
            if cell.strip() and cell.strip().lower() != "nan":
                data[r, c] = _number(cell, where, f"row {r + 1}, column {c + 1}")
    if len(rows) != int(_number(meta["NumFrames"], where, "NumFrames")):
        raise InputError(f"{where}: NumFrames says {meta['NumFrames']} but there are {len(rows)} data rows")
    times = data[:, 1]
    steps = np.diff(times[np.isfinite(times)])
    if steps.size and np.median(steps) > 0:
        time_rate = 1.0 / float(np.median(steps))
        if fps is None and abs(time_rate - rate) > RATE_TOLERANCE * rate:
            raise InputError(
                f"{where}: DataRate {rate:g} Hz disagrees with the Time column ({time_rate:.4g} Hz); "
                f"fix the header or pass --fps"
            )
    rate = fps if fps is not None else rate
    if not (math.isfinite(rate) and rate > 0):
        raise InputError(f"{where}: DataRate must be a positive number; got {meta['DataRate']!r}")
    xyz = data[:, 2:].reshape(len(rows), len(markers), 3) * UNITS_TO_M.get(unit, 1.0)
    names = [liftsafe_name(m) for m in markers]
    view = _side_view(xyz, names, pixels=unit not in UNITS_TO_M)
    conf = np.where(np.isfinite(view).all(axis=-1), 1.0, 0.0)
    finite = view[np.isfinite(view).all(axis=-1)]
    if finite.size:
        view = view - finite.min(axis=0) + MARGIN_PX
        extent = finite.max(axis=0) - finite.min(axis=0) + 2 * MARGIN_PX
    else:
        extent = np.array([1280.0, 720.0])
    size = image_size or (int(math.ceil(extent[0])) + 1, int(math.ceil(extent[1])) + 1)
    detected = f"TRC markers {', '.join(markers[:6])}{'...' if len(markers) > 6 else ''} ({meta['Units']})"
    return build_series(
        names, view, conf, detected=detected, fps=rate, image_size=size, source=str(path), where=where
    )


def _side_view(xyz: np.ndarray, names: list[str | None], *, pixels: bool) -> np.ndarray:
    """(frames, markers, 2) image-like points (y down) of the sagittal view."""
    scale = 1.0 if pixels else PIXELS_PER_M
    z = xyz[..., 2]
    if not np.isfinite(z).any() or np.nanmax(np.abs(z)) == 0:
        return np.stack([xyz[..., 0], -xyz[..., 1]], axis=-1) * scale
    forward = np.array([1.0, 0.0, 0.0])
    if "left_hip" in names and "right_hip" in names:
        lateral = np.nanmedian(xyz[:, names.index("left_hip")] - xyz[:, names.index("right_hip")], axis=0)
        if np.isfinite(lateral).all() and math.hypot(lateral[0], lateral[2]) > 0:
            forward = np.array([-lateral[2], 0.0, lateral[0]]) / math.hypot(lateral[0], lateral[2])
    return np.stack([xyz @ forward, -xyz[..., 1]], axis=-1) * scale
