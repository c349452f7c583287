"""Camera checks: which way the camera looks at the lifter, and whether the body is in frame.

**View.** With 3-D world landmarks the yaw is read from the shoulder line's direction (see
:func:`world_yaw_deg`). Without them: in a side view the left and right shoulders overlap in the image;
facing the camera
they are a shoulder-width apart. With the camera's yaw ``theta`` from the lifter's side
(0 = side-on, 90 = front or back), the projected shoulder width is ``W sin(theta)`` while the
trunk length ``L`` (mid-hip to mid-shoulder, standing) does not depend on yaw. With
biacromial breadth 0.259 H and a shoulder-to-hip-joint height of about 0.288 H (Drillis &
Contini segment proportions, Winter 2009 fig. 4.1), ``W/L`` is about 0.9, so

    theta ~ asin( (shoulder_width / trunk_length) / 0.9 )

measured on the most upright frames (a hinge viewed from the front foreshortens the trunk).
Bands (heuristic): theta < 30 deg side, < 60 deg oblique, otherwise front (or back: the face
is not visible -- the nose's confidence is low).

**Framing.** Nose, wrists, ankles and heels inside the image (with a small margin) in most
frames; otherwise a warning saying what is cut off.

**Filming advice** (shown with every warning): side-on, camera at hip height, the whole body
in frame, 2-4 m away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftsafe.kinematics.signals import mid_joint
from liftsafe.pose.series import PoseSeries
from liftsafe.result import View

FILMING_ADVICE = (
    "Film side-on (camera level with the hips, at right angles to the lifter), "
    "with the whole body and the load in frame, 2-4 m away, and keep the phone still."
)
WIDTH_OVER_TRUNK_AT_FRONT = 0.9  # Winter 2009 fig. 4.1 proportions (see module docstring)
SIDE_MAX_YAW_DEG = 30.0  # heuristic
OBLIQUE_MAX_YAW_DEG = 60.0  # heuristic
FACE_VISIBLE_MIN_CONF = 0.5  # heuristic
IN_FRAME_MIN_SHARE = 0.8  # heuristic: share of frames a landmark must be inside the image


@dataclass(frozen=True)
class CameraCheck:
    view: View
    yaw_deg: float
    facing_camera: bool | None  # True front, False back, None when side/unknown
    in_frame: dict[str, float]  # landmark group -> share of frames inside the image
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The camera check as a JSON-ready dict."""
        return {
            "view": self.view.value,
            "yaw_deg": None if not np.isfinite(self.yaw_deg) else round(self.yaw_deg, 1),
            "facing_camera": self.facing_camera,
            "in_frame": {k: round(v, 3) for k, v in self.in_frame.items()},
            "advice": FILMING_ADVICE,
        }


def estimate_yaw_deg(series: PoseSeries, *, upright_mask: np.ndarray | None = None) -> float:
    """Camera yaw from the lifter's side, 0-90 degrees (NaN when the shoulders are not seen).

    With 3-D world landmarks (BlazePose), the yaw is the angle of the left-right shoulder
    line out of the depth axis (0 when the line points at the camera: a side view), median
    over frames. On the shared clips this agreed with the view seen by eye where the 2-D
    width ratio failed (a plate hiding a shoulder); the 2-D ratio is the fallback for keypoint
    files without world landmarks.
    """
    world = world_yaw_deg(series)
    if np.isfinite(world):
        return world
    ls, rs = series.joint("left_shoulder"), series.joint("right_shoulder")
    sh, hp = mid_joint(series, "shoulder"), mid_joint(series, "hip")
    width = np.hypot(*(ls - rs).T)
    trunk = np.hypot(*(sh - hp).T)
    with np.errstate(all="ignore"):
        ratio = width / trunk
    if upright_mask is not None and np.any(upright_mask & np.isfinite(ratio)):
        ratio = ratio[upright_mask]
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size == 0:
        return float("nan")
    s = np.clip(np.median(ratio) / WIDTH_OVER_TRUNK_AT_FRONT, 0.0, 1.0)
    return float(np.degrees(np.arcsin(s)))


def world_yaw_deg(series: PoseSeries) -> float:
    """Median yaw of the shoulder line from the world landmarks' depth axis (NaN without them)."""
    if series.world_m is None or not (series.has("left_shoulder") and series.has("right_shoulder")):
        return float("nan")
    from liftsafe.pose.layouts import joint_index

    i, j = joint_index(series.layout, "left_shoulder"), joint_index(series.layout, "right_shoulder")
    v = series.world_m[:, j, :] - series.world_m[:, i, :]
    ok = np.all(np.isfinite(v), axis=1) & (series.confidence[:, i] > 0) & (series.confidence[:, j] > 0)
    if ok.sum() < 3:
        return float("nan")
    yaw = np.degrees(np.arctan2(np.abs(v[ok, 0]), np.abs(v[ok, 2])))
    return float(np.median(yaw))


def check_camera(
    series: PoseSeries, *, trunk_inclination_deg: np.ndarray | None = None,
    side_max_yaw_deg: float = SIDE_MAX_YAW_DEG, oblique_max_yaw_deg: float = OBLIQUE_MAX_YAW_DEG,
) -> CameraCheck:
    """View, yaw, facing and framing checks with warnings a user can act on."""
    warnings: list[str] = []
    upright = None
    if trunk_inclination_deg is not None and np.any(np.isfinite(trunk_inclination_deg)):
        absinc = np.abs(trunk_inclination_deg)
        upright = absinc <= np.nanpercentile(absinc, 30)
    yaw = estimate_yaw_deg(series, upright_mask=upright)
    facing_camera: bool | None = None
    if not np.isfinite(yaw):
        view = View.UNKNOWN
        warnings.append("could not tell where the camera is (shoulders not seen). " + FILMING_ADVICE)
    elif yaw < side_max_yaw_deg:
        view = View.SIDE
    elif yaw < oblique_max_yaw_deg:
        view = View.OBLIQUE
        warnings.append(
            f"the camera is about {yaw:.0f} deg off the side view: angles are approximate. " + FILMING_ADVICE
        )
    else:
        view = View.FRONT
        nose_conf = series.joint_confidence("nose")
        facing_camera = bool(np.nanmedian(nose_conf) >= FACE_VISIBLE_MIN_CONF) if series.has("nose") else None
        where = (
            "in front of"
            if facing_camera
            else "behind"
            if facing_camera is False
            else "in front of or behind"
        )
        warnings.append(
            f"the camera is {where} the lifter: hip hinge, back rounding and bar path cannot be judged "
            "from this view (only side-to-side faults are checked). " + FILMING_ADVICE
        )
    in_frame = framing(series)
    cut = [name for name, share in in_frame.items() if share < IN_FRAME_MIN_SHARE]
    if cut:
        warnings.append(f"part of the body is out of frame ({', '.join(cut)}). " + FILMING_ADVICE)
    return CameraCheck(
        view=view, yaw_deg=yaw, facing_camera=facing_camera, in_frame=in_frame, warnings=tuple(warnings)
    )


def framing(series: PoseSeries, *, margin: float = 0.01) -> dict[str, float]:
    """Share of frames in which each landmark group lies inside the image."""
    w, h = series.image_size
    groups = {
        "head": ["nose"],
        "hands": ["left_wrist", "right_wrist"],
        "feet": ["left_ankle", "right_ankle"],
    }
    out: dict[str, float] = {}
    for name, joints in groups.items():
        present = [j for j in joints if series.has(j)]
        if not present:
            continue
        pts = np.stack([series.joint(j) for j in present])  # (J, T, 2)
        conf = np.stack([series.joint_confidence(j) for j in present])
        inside = (
            (pts[..., 0] >= -margin * w)
            & (pts[..., 0] <= (1 + margin) * w)
            & (pts[..., 1] >= -margin * h)
            & (pts[..., 1] <= (1 + margin) * h)
            & (conf > 0.0)
        )
        out[name] = float(np.mean(np.any(inside, axis=0))) if inside.size else 0.0
    return out
