"""The estimator interface and the video → PoseSeries loop.

An estimator turns one RGB frame into a :class:`FramePose` (or ``None`` when it finds
nobody). Anything with that shape plugs in: see :class:`PoseEstimator`. The default is
MediaPipe BlazePose full (:mod:`liftsafe.pose.blazepose`).

While a frame is in hand, *frame feature* functions may compute per-frame scalars from the
estimator's extra outputs (e.g. the segmentation mask) so the mask never has to be stored:
memory stays constant in the clip length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from liftsafe.errors import AnalysisError
from liftsafe.pose.frame import FramePose
from liftsafe.pose.layouts import layout_names
from liftsafe.pose.series import PoseSeries
from liftsafe.pose.video import FrameReader, VideoInfo


class PoseEstimator(Protocol):
    """Protocol every pose estimator implements."""

    layout: str

    def process(self, rgb: np.ndarray, timestamp_ms: int) -> FramePose | None:
        """Pose of one RGB frame, or None when no person is found."""

    def close(self) -> None:
        """Release the model's resources."""


#: A frame feature: (frame pose, image height, image width) -> float (NaN if unknown).
FrameFeature = Callable[[FramePose, int, int], float]
#: An image feature: RGB frame -> float, computed for every frame whether or not a person is found.
ImageFeature = Callable[[np.ndarray], float]


class SceneChange:
    """Image feature: how much the picture changed since the previous frame (0-255).

    Mean absolute difference of 32x18 grey thumbnails. Edited clips (tutorials, social
    media) cut between shots; a cut shows as a spike far above the frame-to-frame change of a
    filmed lift (heuristic; see :func:`liftsafe.kinematics.clean.shots`).
    """

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None

    def __call__(self, rgb: np.ndarray) -> float:
        """The feature value of the next frame."""
        import cv2

        thumb = cv2.resize(
            cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (32, 18), interpolation=cv2.INTER_AREA
        ).astype(np.float32)
        prev, self._previous = self._previous, thumb
        return float("nan") if prev is None else float(np.mean(np.abs(thumb - prev)))


@dataclass
class VideoPoseResult:
    series: PoseSeries
    info: VideoInfo
    warnings: list[str] = field(default_factory=list)


def estimate_video(
    path: str | Path,
    *,
    estimator: PoseEstimator | None = None,
    features: dict[str, FrameFeature] | None = None,
    image_features: dict[str, ImageFeature] | None = None,
    max_width: int | None = 960,
    progress: Callable[[int, int], None] | None = None,
) -> VideoPoseResult:
    """Run ``estimator`` (BlazePose by default) over every frame of a video.

    Landmarks are returned in pixel coordinates of the full-size, rotation-corrected frame
    even when frames are decoded smaller (``max_width``) for speed.
    """
    from liftsafe.pose.blazepose import quiet_native_stderr

    with quiet_native_stderr():
        return _estimate(
            path, estimator=estimator, features=features, image_features=image_features or {},
            max_width=max_width, progress=progress,
        )


def _estimate(path, *, estimator, features, image_features, max_width, progress) -> VideoPoseResult:
    reader = FrameReader(path, max_width=max_width)
    info = reader.info
    own_estimator = estimator is None
    if estimator is None:
        from liftsafe.pose.blazepose import BlazePoseEstimator

        estimator = BlazePoseEstimator(segmentation=bool(features))
    names = layout_names(estimator.layout)
    k = len(names)
    xy_rows: list[np.ndarray] = []
    conf_rows: list[np.ndarray] = []
    world_rows: list[np.ndarray] = []
    feature_rows: dict[str, list[float]] = {name: [] for name in (features or {})}
    feature_rows.update({name: [] for name in image_features})
    try:
        for index, rgb in reader:
            h, w = rgb.shape[:2]
            scale = np.array([info.width / w, info.height / h])
            for name, image_fn in image_features.items():
                feature_rows[name].append(float(image_fn(rgb)))
            pose = estimator.process(rgb, int(round(index * 1000.0 / info.fps)))
            if pose is None:
                xy_rows.append(np.full((k, 2), np.nan))
                conf_rows.append(np.zeros(k))
                world_rows.append(np.full((k, 3), np.nan))
                for name in features or {}:
                    feature_rows[name].append(np.nan)
            else:
                xy_rows.append(pose.xy * scale)
                conf_rows.append(pose.confidence)
                world_rows.append(pose.world_m if pose.world_m is not None else np.full((k, 3), np.nan))
                for name, fn in (features or {}).items():
                    feature_rows[name].append(float(fn(pose, h, w)))
            if progress is not None:
                progress(index + 1, max(info.n_frames, index + 1))
    finally:
        if own_estimator:
            estimator.close()
    warnings: list[str] = []
    if reader.error:
        if not xy_rows:
            raise AnalysisError(f"{path}: {reader.error}. No frame could be decoded.")
        warnings.append(f"{reader.error}; analysed the first {len(xy_rows)} frames only")
    if not xy_rows:
        raise AnalysisError(f"{path} contains no decodable frames. Record the lift again.")
    series = PoseSeries(
        xy=np.stack(xy_rows),
        confidence=np.stack(conf_rows),
        fps=info.fps,
        layout=estimator.layout,
        image_size=(info.width, info.height),
        source=str(path),
        world_m=np.stack(world_rows),
        frame_features={name: np.asarray(v, dtype=float) for name, v in feature_rows.items()},
    )
    return VideoPoseResult(series=series, info=info, warnings=warnings)
