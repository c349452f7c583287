"""movement poses datasets saved as netCDF (``ds.to_netcdf(...)``), read with xarray alone.

A movement poses dataset (movement documentation, "Input/Output" and "The movement
datasets") holds ``position`` with dims ``(time, space, keypoints, individuals)`` and
``confidence`` with ``(time, keypoints, individuals)``; coordinates ``time`` (seconds when
``attrs["time_unit"] == "seconds"``, else frame numbers), ``space`` (``x``, ``y``[, ``z``]),
``keypoints`` and ``individuals`` names; attributes such as ``fps``, ``source_software`` and
``ds_type``. Older movement versions ordered the dims differently: they are taken by name.

Coordinates are image pixels (y down) for 2-D data; for 3-D only x and y are read.
Keypoint names are matched to liftsafe's joints (``left_hip``, ``LHip``, ``hip_left``...).
Several individuals: the lifter is chosen per frame as video tracking does (see
:func:`~liftsafe.pose.formats.common.choose_lifter`). Needs the ``interop`` extra
(xarray; h5netcdf and h5py for netCDF-4 files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.formats.common import build_series, check_fps, choose_lifter, fit_image_size
from liftsafe.pose.formats.skeletons import liftsafe_name
from liftsafe.pose.series import PoseSeries

POSITION_DIMS = ("time", "space", "keypoints", "individuals")


def read_movement_netcdf(path: Path, *, fps: float | None, image_size: tuple[int, int] | None) -> PoseSeries:
    """Read a movement poses netCDF file into a liftsafe series."""
    where = f"netCDF file '{path}'"
    try:
        import xarray as xr
    except ImportError:
        raise InputError(f"{where}: reading netCDF needs xarray: pip install 'liftsafe[interop]'") from None
    try:
        ds = xr.open_dataset(path)
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{where}: cannot open it ({str(exc).splitlines()[0][:160]}); netCDF-4 files need "
            f"h5netcdf and h5py: pip install 'liftsafe[interop]'"
        ) from None
    with ds:
        if "position" not in ds:
            raise InputError(f"{where}: no 'position' variable; not a movement poses dataset")
        pos = ds["position"]
        if set(pos.dims) != set(POSITION_DIMS):
            raise InputError(f"{where}: 'position' has dims {tuple(pos.dims)}; expected {POSITION_DIMS}")
        space = [str(s) for s in pos["space"].values]
        if "x" not in space or "y" not in space:
            raise InputError(f"{where}: coordinate 'space' must include x and y; got {space}")
        position = pos.transpose("time", "individuals", "keypoints", "space").sel(space=["x", "y"]).values
        if "confidence" in ds:
            confidence = ds["confidence"].transpose("time", "individuals", "keypoints").values
        else:
            confidence = np.where(np.isfinite(position).all(axis=-1), 1.0, 0.0)
        keypoints = [str(k) for k in pos["keypoints"].values]
        time = np.asarray(pos["time"].values, dtype=float)
        attrs = dict(ds.attrs)
    rate = fps
    if rate is None and attrs.get("fps") is not None and np.isfinite(float(attrs["fps"])):
        rate = float(attrs["fps"])
    if rate is None and attrs.get("time_unit") == "seconds" and len(time) > 1:
        rate = 1.0 / float(np.median(np.diff(time)))
    rate = check_fps(rate, where, "the dataset has no fps attribute and time is in frames: pass --fps")
    frames = []
    for f in range(position.shape[0]):
        people = []
        for i in range(position.shape[1]):
            xy = np.asarray(position[f, i], float)
            if np.isfinite(xy).any():
                conf = np.nan_to_num(np.asarray(confidence[f, i], float))
                people.append((xy, conf))
        frames.append(people)
    names = [liftsafe_name(k) for k in keypoints]
    xy, conf = choose_lifter(frames, names, where)
    software = attrs.get("source_software") or "unknown software"
    detected = f"movement dataset from {software}, keypoints {', '.join(keypoints[:6])}" + (
        "..." if len(keypoints) > 6 else ""
    )
    return build_series(
        names, xy, conf, detected=detected, fps=rate, image_size=fit_image_size(xy, image_size),
        source=str(path), where=where,
    )
