"""One frame's pose estimate: what every estimator returns (:mod:`liftsafe.pose.estimator`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class FramePose:
    """One frame's estimate. ``xy`` in pixels of the frame given to the estimator."""

    xy: np.ndarray  # (K, 2)
    confidence: np.ndarray  # (K,)
    world_m: np.ndarray | None = None  # (K, 3)
    mask: np.ndarray | None = None  # (H, W) float person probability, if requested
