"""Named kinematic signals from a (cleaned) PoseSeries. Definitions live here; see docs/kinematics.md.

**Body frame.** The analysis works in a sagittal frame: ``x`` points the way the lifter
faces, ``y`` points up (image y is flipped). ``facing`` (+1 lifter faces image-right, -1
image-left) is found from the feet (toes ahead of heels) and the head (nose ahead of ears).
Mid-points (mid-hip, mid-shoulder, ...) are the means of the left and right points.

Angles, all in degrees (units in names):

``trunk_inclination_deg``  mid-hip -> mid-shoulder from vertical-up; + shoulders ahead of
                           hips (hinged/leaning forward), - leaning back.
``thigh_inclination_deg``  mid-hip -> mid-knee from vertical-down; + knee ahead of hip.
``shin_angle_deg``         mid-ankle -> mid-knee from vertical-up; + knee ahead of ankle.
``hip_flexion_deg``        trunk_inclination + thigh_inclination: the angle between the trunk
                           line and the thigh (0 standing straight, + flexed, - extended).
``knee_flexion_deg``       thigh_inclination + shin_angle (0 straight knee).
``neck_extension_deg``     signed angle from the trunk line to mid-shoulder -> mid-ear,
                           counter-clockwise in the body frame: + head tilted back/craned,
                           - head dropped (the dowel drill's head-upper back-tailbone line).

Positions are given in **body heights** (suffix ``_bh``; stature estimated from the clip, see
:func:`estimate_stature_px`) and in metres (suffix ``_m``) when the lifter's height is known:

``hip_back_bh``            mid-hip behind the mid-foot (+ = hips pushed back).
``hand_forward_bh``        mid-wrist ahead of the mid-foot (the bar/load position).
``midfoot_forward_bh``, ``midfoot_up_bh``  the mid-foot's own position in the body frame (from the
                           image's corner: only its changes mean something); the occlusion step
                           replaces the landmarks' mid-foot by the planted one it re-estimates
                           (:func:`liftsafe.kinematics.occlusion.planted_midfoot`).
``hip_height_bh``, ``shoulder_height_bh``  above the mid-ankle.
``shoulder_drop_bh``, ``hip_drop_bh``  mid-shoulder / mid-hip below its standing (10th-percentile) image
height; needs
                           a still camera, not the ankles (which plates often hide).
``heel_lift_bh``           heel height above toe height, minus its standing baseline.

Side-to-side (meaningful in oblique and front views):
``knee_lr_diff_deg``, ``hip_lr_diff_deg``  left minus right flexion: 3-D angles from the
                           estimator's world landmarks when present (any view), else per-side
                           planar angles (meaningful in a side view only).
``shoulder_tilt_deg``      angle of the shoulder line from horizontal in the image.
``pelvis_shift_bh``        mid-hip horizontally from mid-ankle (image x), body heights.
``stance_width_ratio``     ankle separation / shoulder separation (front view).
``shoulder_hip_twist_deg`` angle between the shoulder line and the hip line about the trunk
                           axis, from the estimator's 3-D world landmarks (NaN without them).
``shoulder_hip_width_ratio``  projected shoulder width / projected hip width.
``shoulder_width_tl``, ``hip_width_tl``  projected widths in standing trunk lengths (twisting).

These definitions follow the sagittal-plane conventions of Winter (2009) and the joint-angle
conventions of Wu et al. (2002, J Biomech 35:543, ISB recommendations), simplified to 2-D.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from liftsafe.pose.series import PoseSeries

#: Nose-to-ankle height as a share of stature, from segment proportions (Drillis & Contini
#: 1966 via Winter 2009, fig. 4.1: eye height 0.936 H, ankle height 0.039 H; the nose sits
#: about 0.02 H below the eyes): 0.936 - 0.02 - 0.039 ~ 0.875.
NOSE_TO_ANKLE_PER_STATURE = 0.875


@dataclass(frozen=True, eq=False)
class Signals:
    values: dict[str, np.ndarray]
    facing: int
    stature_px: float
    metres_per_px: float | None

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]


def nanmean_quiet(a: np.ndarray, axis: int = 0) -> np.ndarray:
    """``np.nanmean`` without the warning for all-NaN slices (NaN is the answer there)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(a, axis=axis)


def mid_joint(series: PoseSeries, joint: str) -> np.ndarray:
    """Mean of the left and right ``joint`` (pixels); uses one side when the other is missing."""
    both = np.stack([series.joint(f"left_{joint}"), series.joint(f"right_{joint}")])
    return nanmean_quiet(both, axis=0)


def detect_facing(series: PoseSeries) -> int:
    """+1 if the lifter faces image-right, -1 if image-left (votes of feet and head)."""
    votes = []
    toe = mid_joint(series, "foot_index")
    heel = mid_joint(series, "heel")
    if not np.all(np.isnan(toe[:, 0] - heel[:, 0])):
        votes.append(np.nanmedian(toe[:, 0] - heel[:, 0]))
    nose = series.joint("nose")
    ear = mid_joint(series, "ear")
    d = nose[:, 0] - ear[:, 0]
    if not np.all(np.isnan(d)):
        votes.append(np.nanmedian(d))
    wrist = mid_joint(series, "wrist")
    hip = mid_joint(series, "hip")
    if not votes:
        d = wrist[:, 0] - hip[:, 0]
        if not np.all(np.isnan(d)):
            votes.append(np.nanmedian(d))
    total = float(np.nansum(np.sign(votes) * np.minimum(np.abs(votes), 50.0))) if votes else 0.0
    return 1 if total >= 0 else -1


def _percentile(values: np.ndarray, q: float) -> float:
    finite = values[np.isfinite(values)]
    return float(np.percentile(finite, q)) if finite.size else float("nan")


def estimate_stature_px(series: PoseSeries) -> float:
    """Standing height in pixels: the 90th percentile of nose-to-ankle height / 0.875."""
    nose = series.joint("nose")
    ankle = mid_joint(series, "ankle")
    span = ankle[:, 1] - nose[:, 1]
    if np.all(np.isnan(span)):
        shoulder = mid_joint(series, "shoulder")
        span = (ankle[:, 1] - shoulder[:, 1]) / 0.82 * NOSE_TO_ANKLE_PER_STATURE  # shoulder ~0.818 H
    if np.all(np.isnan(span)):
        return float("nan")
    return float(np.nanpercentile(span, 90) / NOSE_TO_ANKLE_PER_STATURE)


def wrap_deg(angle: np.ndarray) -> np.ndarray:
    """Angles wrapped into [-180, 180) (a sum of two inclinations can leave that range)."""
    return (np.asarray(angle, float) + 180.0) % 360.0 - 180.0


def _incl_from_up(vec_x: np.ndarray, vec_y_up: np.ndarray) -> np.ndarray:
    """Angle of a vector from vertical-up, + when it points forward (degrees)."""
    return np.degrees(np.arctan2(vec_x, vec_y_up))


def _signed_angle(ax, ay, bx, by) -> np.ndarray:
    """Counter-clockwise angle from vector a to vector b, degrees in (-180, 180]."""
    return np.degrees(np.arctan2(ax * by - ay * bx, ax * bx + ay * by))


def _side_flexion(series: PoseSeries, side: str, facing: int) -> tuple[np.ndarray, np.ndarray]:
    def body(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return facing * p[:, 0], -p[:, 1]

    sx, sy = body(series.joint(f"{side}_shoulder"))
    hx, hy = body(series.joint(f"{side}_hip"))
    kx, ky = body(series.joint(f"{side}_knee"))
    ax, ay = body(series.joint(f"{side}_ankle"))
    trunk = _incl_from_up(sx - hx, sy - hy)
    thigh = _incl_from_up(kx - hx, -(ky - hy))
    shin = _incl_from_up(kx - ax, ky - ay)
    return wrap_deg(trunk + thigh), wrap_deg(thigh + shin)


def compute_signals(
    series: PoseSeries, *, height_m: float | None = None, facing: int | None = None
) -> Signals:
    """All named signals of :mod:`this module <liftsafe.kinematics.signals>` for ``series``."""
    if facing is None:
        facing = detect_facing(series)

    def body(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return facing * p[:, 0], -p[:, 1]

    sh, hp, kn, an = (mid_joint(series, j) for j in ("shoulder", "hip", "knee", "ankle"))
    ear, wr = mid_joint(series, "ear"), mid_joint(series, "wrist")
    heel, toe = mid_joint(series, "heel"), mid_joint(series, "foot_index")
    if np.all(np.isnan(toe)):  # COCO-17 has no feet: the ankle stands in for the mid-foot
        midfoot = an
    else:
        midfoot = nanmean_quiet(np.stack([heel, toe]), axis=0)
    sx, sy = body(sh)
    hx, hy = body(hp)
    kx, ky = body(kn)
    ax, ay = body(an)
    ex, ey = body(ear)
    wx, wy = body(wr)
    fx, fy = body(midfoot)

    trunk = _incl_from_up(sx - hx, sy - hy)
    thigh = _incl_from_up(kx - hx, -(ky - hy))
    shin = _incl_from_up(kx - ax, ky - ay)
    neck = _signed_angle(sx - hx, sy - hy, ex - sx, ey - sy)

    stature = estimate_stature_px(series)
    per_bh = 1.0 / stature if np.isfinite(stature) and stature > 0 else np.nan
    v: dict[str, np.ndarray] = {
        "trunk_inclination_deg": trunk,
        "thigh_inclination_deg": thigh,
        "shin_angle_deg": shin,
        "hip_flexion_deg": wrap_deg(trunk + thigh),
        "knee_flexion_deg": wrap_deg(thigh + shin),
        "neck_extension_deg": neck,
        "hip_back_bh": (fx - hx) * per_bh,
        "hand_forward_bh": (wx - fx) * per_bh,
        "midfoot_forward_bh": fx * per_bh,
        "midfoot_up_bh": fy * per_bh,
        "hip_height_bh": (hy - ay) * per_bh,
        "shoulder_height_bh": (sy - ay) * per_bh,
        "hand_height_bh": (wy - ay) * per_bh,
        "trunk_length_bh": np.hypot(sx - hx, sy - hy) * per_bh,
        "shoulder_drop_bh": (sh[:, 1] - _percentile(sh[:, 1], 10)) * per_bh,
        "hip_drop_bh": (hp[:, 1] - _percentile(hp[:, 1], 10)) * per_bh,
    }
    # heels: heel height above toe height, relative to its median while standing
    heel_rel = (toe[:, 1] - heel[:, 1]) * per_bh
    if np.all(np.isnan(heel_rel)):
        v["heel_lift_bh"] = np.full(series.n_frames, np.nan)
    else:
        v["heel_lift_bh"] = heel_rel - np.nanpercentile(heel_rel, 20)

    if series.world_m is not None:
        lh, lk = world_flexion_deg(series, "left")
        rh, rk = world_flexion_deg(series, "right")
    else:
        lh, lk = _side_flexion(series, "left", facing)
        rh, rk = _side_flexion(series, "right", facing)
    v["hip_lr_diff_deg"] = lh - rh
    v["knee_lr_diff_deg"] = lk - rk
    ls, rs = series.joint("left_shoulder"), series.joint("right_shoulder")
    lhp, rhp = series.joint("left_hip"), series.joint("right_hip")
    la, ra = series.joint("left_ankle"), series.joint("right_ankle")
    shoulder_w = np.hypot(*(ls - rs).T)
    hip_w = np.hypot(*(lhp - rhp).T)
    with np.errstate(all="ignore"):
        v["shoulder_tilt_deg"] = np.degrees(
            np.arctan2(-(ls[:, 1] - rs[:, 1]), np.abs(ls[:, 0] - rs[:, 0]) + 1e-9)
        )
        v["pelvis_shift_bh"] = (hp[:, 0] - an[:, 0]) * per_bh
        v["stance_width_ratio"] = np.abs(la[:, 0] - ra[:, 0]) / np.abs(ls[:, 0] - rs[:, 0])
        v["shoulder_hip_width_ratio"] = shoulder_w / hip_w
        trunk_px = np.hypot(sx - hx, sy - hy)
        trunk_ref = np.nanpercentile(trunk_px, 90) if np.any(np.isfinite(trunk_px)) else np.nan
        v["shoulder_width_tl"] = shoulder_w / trunk_ref
        v["hip_width_tl"] = hip_w / trunk_ref
    v["shoulder_hip_twist_deg"] = world_twist_deg(series)
    metres_per_px = None
    if height_m is not None and np.isfinite(stature) and stature > 0:
        metres_per_px = height_m / stature
        for name in ("hip_back", "hand_forward", "hip_height", "shoulder_height", "hand_height", "heel_lift"):
            v[f"{name}_m"] = v[f"{name}_bh"] * height_m
    for name, values in series.frame_features.items():
        v[name] = np.asarray(values, dtype=float)
    return Signals(values=v, facing=facing, stature_px=stature, metres_per_px=metres_per_px)


def world_twist_deg(series: PoseSeries) -> np.ndarray:
    """Angle (deg) between the left->right shoulder line and the left->right hip line, both
    projected onto the plane perpendicular to the trunk axis, from 3-D world landmarks."""
    if series.world_m is None:
        return np.full(series.n_frames, np.nan)
    from liftsafe.pose.layouts import joint_index

    def w(name: str) -> np.ndarray:
        i = joint_index(series.layout, name)
        return series.world_m[:, i, :] if i is not None else np.full((series.n_frames, 3), np.nan)  # type: ignore[index]

    ls, rs, lh, rh = w("left_shoulder"), w("right_shoulder"), w("left_hip"), w("right_hip")
    axis = (ls + rs) / 2 - (lh + rh) / 2
    with np.errstate(all="ignore"):
        axis = axis / np.linalg.norm(axis, axis=1, keepdims=True)
        s = rs - ls
        h = rh - lh
        s = s - np.sum(s * axis, axis=1, keepdims=True) * axis
        h = h - np.sum(h * axis, axis=1, keepdims=True) * axis
        cos = np.sum(s * h, axis=1) / (np.linalg.norm(s, axis=1) * np.linalg.norm(h, axis=1))
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _angle3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def world_flexion_deg(series: PoseSeries, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Unsigned 3-D hip and knee flexion of one side (180 minus the joint's inner angle)."""
    from liftsafe.pose.layouts import joint_index

    def w(name: str) -> np.ndarray:
        i = joint_index(series.layout, f"{side}_{name}")
        return series.world_m[:, i, :] if i is not None else np.full((series.n_frames, 3), np.nan)  # type: ignore[index]

    sh, hp, kn, an = w("shoulder"), w("hip"), w("knee"), w("ankle")
    hip = _angle3(sh - hp, kn - hp)
    knee = _angle3(hp - kn, an - kn)
    return 180.0 - hip, 180.0 - knee
