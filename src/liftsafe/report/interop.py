"""Files other tools open: TRC markers and an OpenSim ``.mot`` of the joint angles, and a
movement poses dataset in netCDF (``liftsafe analyze ... --export trc,mot,netcdf``).

* **TRC** (OpenSim "Marker (.trc) Files"): one marker per keypoint the layout has, X to the
  image right, Y up (the image y flipped), Z = 0 (a 2-D side view). In metres when the
  lifter's height is known (pixels scaled by height / estimated stature in pixels), else in
  pixels (``Units px``).
* **MOT** (OpenSim "Storage (.sto) and Motion (.mot) Files"): ``time`` and every angle
  signal of the analysis in degrees (``inDegrees=yes``), named as liftsafe names them without
  the ``_deg`` suffix; the sign conventions are liftsafe's (docs/kinematics.md), listed in
  docs/interop.md. They are 2-D sagittal angles, not OpenSim model coordinates.
* **netCDF**: the layout movement uses for poses (movement documentation, "The movement
  datasets"): ``position`` (time, space, keypoints, individuals) in image pixels,
  ``confidence`` (time, keypoints, individuals), ``time`` in seconds, one individual
  ``lifter``, attributes ``source_software``, ``fps``, ``time_unit``, ``source_file``,
  ``ds_type``. Written with xarray's h5netcdf engine (netCDF-4, as movement writes it), so
  ``xarray.open_dataset`` opens it in a numpy-2 environment with movement.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.atomic import atomic_path
from liftsafe.errors import InputError, OutputError
from liftsafe.kinematics.signals import estimate_stature_px
from liftsafe.pose.series import PoseSeries

EXPORT_KINDS: tuple[str, ...] = ("trc", "mot", "netcdf")
SUFFIX = {"trc": ".trc", "mot": ".mot", "netcdf": ".nc"}
INDIVIDUAL = "lifter"


def parse_exports(text: str) -> list[str]:
    """The export kinds of a comma-separated list, or an InputError naming the bad one."""
    kinds = [k.strip().lower() for k in text.split(",") if k.strip()]
    for kind in kinds:
        if kind not in EXPORT_KINDS:
            raise InputError(
                f"--export: unknown kind '{kind}'; expected {', '.join(EXPORT_KINDS)}", field="export"
            )
    return list(dict.fromkeys(kinds))


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    with atomic_path(path) as tmp:
        write(Path(tmp))
    return path


def _num(value: float) -> str:
    return "" if not math.isfinite(value) else f"{value:.6f}"


def trc_text(series: PoseSeries, *, height_m: float | None = None, name: str = "liftsafe.trc") -> str:
    """TRC text of ``series``: metres when ``height_m`` is given (and a stature is found), else pixels."""
    scale, units = 1.0, "px"
    stature = estimate_stature_px(series)
    if height_m is not None and math.isfinite(stature) and stature > 0:
        scale, units = height_m / stature, "m"
    keep = [k for k in range(len(series.names)) if np.isfinite(series.xy[:, k]).any()]
    markers = [series.names[k] for k in keep]
    n = series.n_frames
    rate = _num(series.fps).rstrip("0").rstrip(".")
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{rate}\t{rate}\t{n}\t{len(markers)}\t{units}\t{rate}\t1\t{n}",
        "\t".join(["Frame#", "Time", *(f"{m}\t\t" for m in markers)]).rstrip("\t"),
        "\t".join(["", "", *(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(markers) + 1))]),
        "",
    ]
    for f in range(n):
        row = [str(f + 1), f"{f / series.fps:.6f}"]
        for k in keep:
            x, y = series.xy[f, k]
            if math.isfinite(x) and math.isfinite(y):
                row += [_num(x * scale), _num(-y * scale), _num(0.0)]
            else:
                row += ["", "", ""]
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def mot_text(analysis: Analysis, *, name: str = "liftsafe.mot") -> str:
    """OpenSim motion text: ``time`` and every ``*_deg`` signal in degrees."""
    signals = {k[: -len("_deg")]: v for k, v in analysis.signals.items() if k.endswith("_deg")}
    time = analysis.series.time_s
    lines = [
        name, "version=1", f"nRows={len(time)}", f"nColumns={len(signals) + 1}", "inDegrees=yes", "endheader",
        "\t".join(["time", *signals]),
    ]
    for f, t in enumerate(time):
        values = [float(v[f]) for v in signals.values()]
        lines.append("\t".join([f"{t:.6f}", *(f"{v:.4f}" if math.isfinite(v) else "NaN" for v in values)]))
    return "\n".join(lines) + "\n"


def movement_dataset(series: PoseSeries):
    """The series as an xarray Dataset laid out as a movement poses dataset (one individual)."""
    import xarray as xr

    position = np.transpose(series.xy, (0, 2, 1))[..., None]  # time, space, keypoints, individuals
    confidence = series.confidence[..., None]
    return xr.Dataset(
        data_vars={
            "position": (("time", "space", "keypoints", "individuals"), position),
            "confidence": (("time", "keypoints", "individuals"), confidence),
        },
        coords={
            "time": series.time_s,
            "space": ["x", "y"],
            "keypoints": list(series.names),
            "individuals": [INDIVIDUAL],
        },
        attrs={
            "source_software": "liftsafe",
            "fps": float(series.fps),
            "time_unit": "seconds",
            "source_file": str(series.source),
            "ds_type": "poses",
        },
    )


def write_netcdf(series: PoseSeries, path: Path) -> Path:
    """Write the movement-layout netCDF (netCDF-4 through h5netcdf) atomically."""
    try:
        import h5netcdf  # noqa: F401
        import xarray  # noqa: F401
    except ImportError:
        raise OutputError(
            f"cannot write '{path}': netCDF export needs xarray and h5netcdf: pip install 'liftsafe[interop]'"
        ) from None
    ds = movement_dataset(series)
    return _atomic(path, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))


def _write_text(path: Path, text: str) -> Path:
    return _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_exports(
    analysis: Analysis, out_dir: Path, kinds: list[str], *, height_m: float | None = None,
    stem: str = "keypoints",
) -> dict[str, Path]:
    """Write each export kind into ``out_dir``; return the paths by kind."""
    written: dict[str, Path] = {}
    for kind in kinds:
        path = out_dir / f"{stem}{SUFFIX[kind]}" if kind != "mot" else out_dir / "angles.mot"
        if kind == "trc":
            written[kind] = _write_text(path, trc_text(analysis.series, height_m=height_m, name=path.name))
        elif kind == "mot":
            written[kind] = _write_text(path, mot_text(analysis, name=path.name))
        else:
            written[kind] = write_netcdf(analysis.series, path)
    return written
