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


class PoseRows:
    """Per-frame estimates collected while frames stream past (constant memory per frame).

    Shared by the serial loop below and the chunk workers of :mod:`liftsafe.pose.parallel`,
    so both turn a frame into the same row.
    """

    def __init__(self, layout: str, info: VideoInfo, features: dict[str, FrameFeature] | None,
                 image_features: dict[str, ImageFeature]) -> None:
        self.k = len(layout_names(layout))
        self.info = info
        self.features = dict(features or {})
        self.image_features = image_features
        self.xy: list[np.ndarray] = []
        self.conf: list[np.ndarray] = []
        self.world: list[np.ndarray] = []
        self.values: dict[str, list[float]] = {name: [] for name in (*self.features, *image_features)}

    def __len__(self) -> int:
        return len(self.xy)

    def add(self, estimator: PoseEstimator, rgb: np.ndarray, timestamp_ms: int, *, keep: bool = True) -> None:
        """Run ``estimator`` on ``rgb``; record the row unless ``keep`` is false (tracker warm-up)."""
        h, w = rgb.shape[:2]
        image_values = {name: float(fn(rgb)) for name, fn in self.image_features.items()}
        pose = estimator.process(rgb, timestamp_ms)
        if not keep:
            return
        k = self.k
        for name, value in image_values.items():
            self.values[name].append(value)
        if pose is None:
            self.xy.append(np.full((k, 2), np.nan))
            self.conf.append(np.zeros(k))
            self.world.append(np.full((k, 3), np.nan))
            for name in self.features:
                self.values[name].append(np.nan)
            return
        scale = np.array([self.info.width / w, self.info.height / h])
        self.xy.append(pose.xy * scale)
        self.conf.append(pose.confidence)
        self.world.append(pose.world_m if pose.world_m is not None else np.full((k, 3), np.nan))
        for name, fn in self.features.items():
            self.values[name].append(float(fn(pose, h, w)))

    def arrays(self) -> dict[str, np.ndarray]:
        """The rows as arrays: ``xy``, ``confidence``, ``world_m`` and ``feat_<name>``."""
        k = self.k
        out = {
            "xy": np.stack(self.xy) if self.xy else np.zeros((0, k, 2)),
            "confidence": np.stack(self.conf) if self.conf else np.zeros((0, k)),
            "world_m": np.stack(self.world) if self.world else np.zeros((0, k, 3)),
        }
        out.update({f"feat_{name}": np.asarray(v, dtype=float) for name, v in self.values.items()})
        return out


def series_from_arrays(
    arrays: dict[str, np.ndarray], *, info: VideoInfo, stride: int, layout: str, source: str
) -> PoseSeries:
    """A :class:`PoseSeries` at the analysed rate (``info.fps / stride``) from row arrays."""
    return PoseSeries(
        xy=arrays["xy"],
        confidence=arrays["confidence"],
        fps=info.fps / stride,
        layout=layout,
        image_size=(info.width, info.height),
        source=source,
        world_m=arrays["world_m"],
        frame_features={key[5:]: v for key, v in arrays.items() if key.startswith("feat_")},
    )


def estimate_video(
    path: str | Path,
    *,
    estimator: PoseEstimator | None = None,
    features: dict[str, FrameFeature] | None = None,
    image_features: dict[str, ImageFeature] | None = None,
    max_width: int | None = 960,
    stride: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> VideoPoseResult:
    """Run ``estimator`` (BlazePose by default) over every ``stride``-th frame of a video, in
    this process (see :func:`liftsafe.pose.parallel.estimate_video_parallel` for several).

    Landmarks are returned in pixel coordinates of the full-size, rotation-corrected frame
    even when frames are decoded smaller (``max_width``) for speed. The series' frame rate is
    the analysed rate, ``fps / stride``.
    """
    from liftsafe.pose.blazepose import quiet_native_stderr

    with quiet_native_stderr():
        return _estimate(
            path, estimator=estimator, features=features, image_features=image_features or {},
            max_width=max_width, stride=max(1, int(stride)), progress=progress,
        )


def _estimate(path, *, estimator, features, image_features, max_width, stride, progress) -> VideoPoseResult:
    reader = FrameReader(path, max_width=max_width, stride=stride)
    info = reader.info
    own_estimator = estimator is None
    if estimator is None:
        from liftsafe.pose.blazepose import BlazePoseEstimator

        estimator = BlazePoseEstimator(segmentation=bool(features))
    rows = PoseRows(estimator.layout, info, features, image_features)
    total = -(-info.n_frames // stride) if info.n_frames else 0
    try:
        for index, rgb in reader:
            rows.add(estimator, rgb, int(round(index * stride * 1000.0 / info.fps)))
            if progress is not None:
                progress(index + 1, max(total, index + 1))
    finally:
        if own_estimator:
            estimator.close()
    warnings: list[str] = []
    if reader.error:
        if not len(rows):
            raise AnalysisError(f"{path}: {reader.error}. No frame could be decoded.")
        warnings.append(f"{reader.error}; analysed the first {len(rows) * stride} frames only")
    if not len(rows):
        raise AnalysisError(f"{path} contains no decodable frames. Record the lift again.")
    series = series_from_arrays(rows.arrays(), info=info, stride=stride, layout=estimator.layout,
                                source=str(path))
    return VideoPoseResult(series=series, info=info, warnings=warnings)
