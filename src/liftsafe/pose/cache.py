"""On-disk cache of pose estimates, so re-analysing a video (evaluation, calibration,
changing a threshold) does not run the pose model again.

The key is the SHA-256 of the video's bytes plus everything that changes the estimate: the
decode width, the frames analysed and how they were split between workers (``estimation``,
see :func:`liftsafe.pose.parallel.estimation_key`), the frame features requested, the
mediapipe version and :data:`CACHE_VERSION`
(bumped whenever the estimator or a frame-feature function changes). Entries are ``.npz``
files written atomically; a damaged entry is ignored and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from liftsafe.pose.series import PoseSeries
from liftsafe.pose.video import VideoInfo

CACHE_VERSION = "6"


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_key(
    path: str | Path, *, max_width: int | None, features: tuple[str, ...], estimation: str = ""
) -> str:
    """Cache key of a pose estimate: the video content, decode width, frames analysed and chunks,
    frame features and model version."""
    try:
        from importlib.metadata import version

        mp_version = version("mediapipe")
    except Exception:  # noqa: BLE001 - metadata missing: still a usable key
        mp_version = "?"
    parts = [file_digest(path), str(max_width), ",".join(sorted(features)), mp_version, CACHE_VERSION,
             estimation]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def load(cache_dir: str | Path, key: str):
    """The cached :class:`~liftsafe.pose.estimator.VideoPoseResult`, or None."""
    from liftsafe.pose.estimator import VideoPoseResult

    p = Path(cache_dir) / f"{key}.npz"
    if not p.is_file():
        return None
    try:
        with np.load(p, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            features = {k[5:]: data[k] for k in data.files if k.startswith("feat_")}
            world = data["world_m"] if "world_m" in data.files else None
            series = PoseSeries(
                xy=data["xy"],
                confidence=data["confidence"],
                fps=meta["fps"],
                layout=meta["layout"],
                image_size=tuple(meta["image_size"]),
                source=meta["source"],
                world_m=world,
                frame_features=features,
            )
        info = VideoInfo(
            path=Path(meta["info"]["path"]), **{k: v for k, v in meta["info"].items() if k != "path"}
        )
        return VideoPoseResult(series=series, info=info, warnings=list(meta["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None


def save(cache_dir: str | Path, key: str, result) -> None:
    """Store a pose estimate under ``key`` in ``cache_dir`` (atomically)."""
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    s = result.series
    info = result.info
    meta = {
        "fps": s.fps,
        "layout": s.layout,
        "image_size": list(s.image_size),
        "source": s.source,
        "warnings": list(result.warnings),
        "info": {
            "path": str(info.path), "fps": info.fps, "width": info.width, "height": info.height,
            "rotation_deg": info.rotation_deg, "n_frames": info.n_frames, "duration_s": info.duration_s,
            "codec": info.codec,
        },
    }
    arrays = {"xy": s.xy, "confidence": s.confidence, "meta": np.array(json.dumps(meta))}
    if s.world_m is not None:
        arrays["world_m"] = s.world_m
    for name, values in s.frame_features.items():
        arrays[f"feat_{name}"] = np.asarray(values)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".npz")
    os.close(fd)
    try:
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, folder / f"{key}.npz")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
