"""The simulated camera: pinhole or orthographic, at a yaw around the lifter.

The camera stands level with the point ``(target_x_m, height_m, 0)`` of the body frame
(x forward, y up, z to the lifter's right) and looks at it horizontally, then turned by
``pitch_deg`` (+ looking up, as a phone on the floor) and ``roll_deg`` (rotation about the
viewing axis; + makes the world's horizontal appear turned counter-clockwise on screen, the
sign :mod:`liftsafe.kinematics.gravity` estimates). ``yaw_deg`` = 0 is a pure side view and 90 faces
the lifter's front. ``facing`` = +1 puts the camera on the lifter's right side so the lifter
faces image-right; -1 puts it on the left side (lifter faces image-left). Image coordinates:
pixels, x to the right, y down, origin at the top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Camera:
    yaw_deg: float = 0.0
    facing: int = 1
    distance_m: float = 3.0
    height_m: float = 0.875
    target_x_m: float = 0.1
    pixels_per_m: float = 330.0  # image scale at the lifter's plane (focal = this * distance)
    image_size: tuple[int, int] = (1280, 720)
    projection: str = "pinhole"  # or "orthographic"
    pitch_deg: float = 0.0
    roll_deg: float = 0.0

    @property
    def focal_px(self) -> float:
        """Focal length in pixels."""
        return self.pixels_per_m * self.distance_m

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Camera centre and its right, up and forward unit vectors in the body frame."""
        return self._axes

    @cached_property
    def _axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        yaw = np.radians(self.yaw_deg)
        to_cam = np.array([np.sin(yaw), 0.0, self.facing * np.cos(yaw)])
        target = np.array([self.target_x_m, self.height_m, 0.0])
        centre = target + self.distance_m * to_cam
        forward = -to_cam
        right = np.cross(forward, np.array([0.0, 1.0, 0.0]))
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        p, r = np.radians(self.pitch_deg), np.radians(self.roll_deg)
        forward, up = forward * np.cos(p) + up * np.sin(p), up * np.cos(p) - forward * np.sin(p)
        right, up = right * np.cos(r) - up * np.sin(r), up * np.cos(r) + right * np.sin(r)
        return centre, right, up, forward

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) body-frame points -> (..., 3) camera coordinates (right, up, depth)."""
        centre, right, up, forward = self.axes()
        v = np.asarray(points, dtype=float) - centre
        return np.stack([v @ right, v @ up, v @ forward], axis=-1)

    def scale_at(self, points: np.ndarray) -> np.ndarray:
        """Pixels per metre at the depth of each point (constant when orthographic)."""
        return self._scale(self.to_camera(points))

    def _scale(self, cam: np.ndarray) -> np.ndarray:
        if self.projection == "orthographic":
            return np.full(cam.shape[:-1], self.pixels_per_m)
        return self.focal_px / np.maximum(cam[..., 2], 1e-6)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) body-frame points -> (..., 2) pixel coordinates (x right, y down)."""
        cam = self.to_camera(points)
        s = self._scale(cam)
        w, h = self.image_size
        u = w / 2 + s * cam[..., 0]
        v = h / 2 - s * cam[..., 1]
        return np.stack([u, v], axis=-1)
