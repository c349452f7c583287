"""PoseSeries: the one pose container every pipeline step reads.

Fixed schema (modelled on the ``movement`` project's poses dataset, one individual; to open a
series in movement, write it with :func:`liftsafe.report.interop.write_netcdf`):

``xy``          float array (frames, keypoints, 2): image coordinates in **pixels**, x to the
                right, y **down** (image convention). NaN where a point is missing.
``confidence``  float array (frames, keypoints) in [0, 1] (BlazePose "visibility");
                0 where a point is missing.
``world_m``     optional float array (frames, keypoints, 3): metric 3-D coordinates from the
                estimator (BlazePose world landmarks, origin between the hips), or ``None``.
``fps``         frames per second of the source; ``time_s`` = frame index / fps.
``layout``      keypoint layout name (see :mod:`liftsafe.pose.layouts`).
``image_size``  (width, height) in pixels of the (rotation-corrected) frames.
``frame_features``  optional per-frame scalar signals an estimator computed while it had
                the frame (for instance the dorsal-contour deviation from the segmentation
                mask), each an array of length ``frames``.

Instances are treated as immutable: functions return new series instead of editing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from liftsafe.pose.layouts import joint_index, layout_names


@dataclass(frozen=True, eq=False)
class PoseSeries:
    xy: np.ndarray
    confidence: np.ndarray
    fps: float
    layout: str = "blazepose33"
    image_size: tuple[int, int] = (1280, 720)
    source: str = ""
    world_m: np.ndarray | None = None
    frame_features: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = layout_names(self.layout)
        xy = np.asarray(self.xy, dtype=float)
        conf = np.asarray(self.confidence, dtype=float)
        if xy.ndim != 3 or xy.shape[2] != 2:
            raise ValueError(f"xy must have shape (frames, keypoints, 2); got {xy.shape}")
        if xy.shape[1] != len(names):
            raise ValueError(
                f"layout {self.layout!r} has {len(names)} keypoints but xy has {xy.shape[1]}"
            )
        if conf.shape != xy.shape[:2]:
            raise ValueError(f"confidence must have shape {xy.shape[:2]}; got {conf.shape}")
        if not (self.fps > 0 and np.isfinite(self.fps)):
            raise ValueError(f"fps must be a positive number; got {self.fps!r}")
        for name, values in self.frame_features.items():
            if len(values) != xy.shape[0]:
                raise ValueError(f"frame feature {name!r} has {len(values)} values, expected {xy.shape[0]}")
        object.__setattr__(self, "xy", xy)
        object.__setattr__(self, "confidence", conf)

    # ------------------------------------------------------------------ shape
    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return int(self.xy.shape[0])

    @property
    def names(self) -> tuple[str, ...]:
        """Keypoint names of the layout, in column order."""
        return layout_names(self.layout)

    @property
    def time_s(self) -> np.ndarray:
        """Time of each frame in seconds."""
        return np.arange(self.n_frames, dtype=float) / self.fps

    @property
    def duration_s(self) -> float:
        """Length of the series in seconds."""
        return self.n_frames / self.fps

    # ------------------------------------------------------------------ access
    def has(self, joint: str) -> bool:
        """True when the layout has this joint."""
        return joint_index(self.layout, joint) is not None

    def joint(self, joint: str) -> np.ndarray:
        """(frames, 2) pixel positions of ``joint``; all-NaN when the layout lacks it."""
        idx = joint_index(self.layout, joint)
        if idx is None:
            return np.full((self.n_frames, 2), np.nan)
        return self.xy[:, idx, :]

    def joint_confidence(self, joint: str) -> np.ndarray:
        """Per-frame confidence of a joint (zeros when the layout lacks it)."""
        idx = joint_index(self.layout, joint)
        if idx is None:
            return np.zeros(self.n_frames)
        return self.confidence[:, idx]

    def with_xy(self, xy: np.ndarray, confidence: np.ndarray | None = None) -> "PoseSeries":
        """A copy with new coordinates (and optionally confidences)."""
        return replace(self, xy=xy, confidence=self.confidence if confidence is None else confidence)

    def slice(self, start: int, stop: int) -> "PoseSeries":
        """Frames ``start:stop`` as a new series (features and world coordinates sliced too)."""
        return replace(
            self,
            xy=self.xy[start:stop],
            confidence=self.confidence[start:stop],
            world_m=None if self.world_m is None else self.world_m[start:stop],
            frame_features={k: v[start:stop] for k, v in self.frame_features.items()},
        )

    def detected_fraction(self) -> float:
        """Share of frames in which the estimator found a person (any confident point)."""
        if self.n_frames == 0:
            return 0.0
        return float(np.mean(np.nanmax(self.confidence, axis=1) > 0.0))
