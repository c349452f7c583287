"""Planar multi-segment body model of the simulated lifter (sagittal plane + lateral offsets).

Frame ("body frame"): x = the direction the lifter faces, y = up, z = the lifter's right
(right-handed), metres. The origin is on the floor below the midpoint of the two ankles.

Segments (lengths as fractions of body height ``H``; Winter D.A. 2009, *Biomechanics and
Motor Control of Human Movement*, 4th ed., Fig. 4.1, after Drillis & Contini 1966):

==============================  ==========  =========================================
segment                          length/H    source
==============================  ==========  =========================================
ankle height (floor-malleolus)   0.039       Winter Fig. 4.1
shank (ankle-knee)               0.246       Winter: knee height 0.285 - 0.039
thigh (knee-hip joint)           0.245       Winter: hip height 0.530 - 0.285
hip joint - shoulder joint       0.288       Winter: shoulder height 0.818 - 0.530
  pelvis (hip joint - L5/S1)     0.050       heuristic split of the trunk
  lumbar (L5/S1 - T12/L1)        0.100       heuristic (adult lumbar spine ~17-18 cm)
  thoracic (T12/L1 - shoulder)   0.138       remainder of the trunk
shoulder - ear (neck + head)     0.097       Winter: ear ~0.915 (eye 0.936) - 0.818
foot length                      0.152       Winter Fig. 4.1
upper arm / forearm / hand       0.186 / 0.146 / 0.108   Winter Fig. 4.1
shoulder width / hip width       0.259 / 0.191           Winter Fig. 4.1
==============================  ==========  =========================================

The posture is given directly in the measurement variables the analysis uses (trunk
inclination, hip and knee flexion, ...; see :class:`Posture`), so the true value of each
signal is known by construction. The lumbar and thoracic segments are circular arcs of
uniform curvature whose total bend is the lumbar / thoracic flexion; a neutral spine is a
straight line from the hip joint to the shoulder.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np

from liftsafe.pose.layouts import BLAZEPOSE33

# Fractions of body height (see the module docstring for sources).
ANKLE_HEIGHT_FRAC = 0.039
SHANK_FRAC = 0.246
THIGH_FRAC = 0.245
PELVIS_FRAC = 0.050  # heuristic split of the 0.288 H trunk
LUMBAR_FRAC = 0.100  # heuristic
THORACIC_FRAC = 0.138  # remainder: 0.288 - 0.050 - 0.100
NECK_FRAC = 0.097
FOOT_FRAC = 0.152
HEEL_BEHIND_ANKLE = 0.25  # share of the foot length behind the ankle (heuristic)
UPPER_ARM_FRAC = 0.186
FOREARM_FRAC = 0.146
HAND_FRAC = 0.108
SHOULDER_WIDTH_FRAC = 0.259
HIP_WIDTH_FRAC = 0.191

#: Arm reach used when the hands hang towards a target (slightly bent elbows; heuristic).
ARM_REACH_SHARE = 0.98

#: Extra (non-BlazePose) points the model also returns.
EXTRA_POINTS: tuple[str, ...] = ("mid_hip", "l5s1", "t12l1", "mid_shoulder", "mid_ear", "head_centre")

#: Head points in the head frame, in units of H: (forward, up, lateral toward the right).
#: Heuristic placements on a head about 0.13 H deep and 0.086 H wide.
_HEAD_POINTS: dict[str, tuple[float, float, float]] = {
    "nose": (0.062, -0.010, 0.0),
    "left_eye_inner": (0.055, 0.012, -0.009),
    "left_eye": (0.052, 0.012, -0.017),
    "left_eye_outer": (0.048, 0.012, -0.026),
    "right_eye_inner": (0.055, 0.012, 0.009),
    "right_eye": (0.052, 0.012, 0.017),
    "right_eye_outer": (0.048, 0.012, 0.026),
    "left_ear": (0.0, 0.0, -0.043),
    "right_ear": (0.0, 0.0, 0.043),
    "mouth_left": (0.055, -0.030, -0.012),
    "mouth_right": (0.055, -0.030, 0.012),
    "head_centre": (0.022, 0.025, 0.0),
}


@dataclass(frozen=True)
class BodyDims:
    """Segment lengths in metres for a lifter of ``height_m``."""

    height_m: float
    ankle_height_m: float
    shank_m: float
    thigh_m: float
    pelvis_m: float
    lumbar_m: float
    thoracic_m: float
    neck_m: float
    foot_m: float
    upper_arm_m: float
    forearm_m: float
    hand_m: float
    shoulder_width_m: float
    hip_width_m: float

    @classmethod
    def for_height(cls, height_m: float) -> "BodyDims":
        """Segment lengths scaled to a body height (anthropometric proportions)."""
        h = float(height_m)
        return cls(
            height_m=h,
            ankle_height_m=ANKLE_HEIGHT_FRAC * h,
            shank_m=SHANK_FRAC * h,
            thigh_m=THIGH_FRAC * h,
            pelvis_m=PELVIS_FRAC * h,
            lumbar_m=LUMBAR_FRAC * h,
            thoracic_m=THORACIC_FRAC * h,
            neck_m=NECK_FRAC * h,
            foot_m=FOOT_FRAC * h,
            upper_arm_m=UPPER_ARM_FRAC * h,
            forearm_m=FOREARM_FRAC * h,
            hand_m=HAND_FRAC * h,
            shoulder_width_m=SHOULDER_WIDTH_FRAC * h,
            hip_width_m=HIP_WIDTH_FRAC * h,
        )

    @property
    def mid_foot_forward_m(self) -> float:
        """x of the mid-foot (midpoint of heel and toe) in front of the ankle, standing."""
        return self.foot_m * (0.5 - HEEL_BEHIND_ANKLE)


@dataclass(frozen=True)
class Posture:
    """One body posture in measurement variables (degrees / metres).

    ``trunk_deg`` is the inclination of mid-hip -> mid-shoulder from vertical (forward +),
    ``hip_deg`` = trunk + thigh inclination, ``knee_deg`` = thigh + shin inclination (as in
    the analysis definitions). ``lumbar_deg``/``thoracic_deg`` are spinal flexion (bend) of
    the two spine segments. ``neck_deg`` is neck extension relative to the trunk line
    (+ = head tilted back). ``hand_forward_m`` is where the hands are held, in front of the
    mid-foot. ``twist_deg`` rotates the shoulder line about the vertical relative to the hip
    line (+ = right shoulder forward). ``knee_diff_deg``/``hip_diff_deg`` are left minus
    right flexion. ``pelvis_shift_m`` moves the pelvis to the lifter's right (+z).
    """

    trunk_deg: float = 0.0
    hip_deg: float = 0.0
    knee_deg: float = 0.0
    lumbar_deg: float = 0.0
    thoracic_deg: float = 0.0
    neck_deg: float = 0.0
    hand_forward_m: float = 0.02
    heel_lift_m: float = 0.0
    pelvis_shift_m: float = 0.0
    twist_deg: float = 0.0
    knee_diff_deg: float = 0.0
    hip_diff_deg: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """The dimensions by field name."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


POSTURE_PARAMS: tuple[str, ...] = tuple(f.name for f in fields(Posture))

STANDING = Posture()


def _sinc_half(bend_rad: np.ndarray) -> np.ndarray:
    """Chord/arc ratio of a circular arc with total bend ``bend_rad``: sin(b/2)/(b/2)."""
    half = bend_rad / 2.0
    return np.where(np.abs(half) < 1e-9, 1.0, np.sin(half) / np.where(half == 0, 1.0, half))


def _spine_chain_angle(
    dims: BodyDims, lumbar: np.ndarray, thoracic: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Angle (rad from vertical, forward +) and length of hip->shoulder when the pelvis is vertical."""
    cl = dims.lumbar_m * _sinc_half(lumbar)
    ct = dims.thoracic_m * _sinc_half(thoracic)
    vx = cl * np.sin(lumbar / 2) + ct * np.sin(lumbar + thoracic / 2)
    vy = dims.pelvis_m + cl * np.cos(lumbar / 2) + ct * np.cos(lumbar + thoracic / 2)
    return np.arctan2(vx, vy), np.hypot(vx, vy)


def trunk_chord_m(dims: BodyDims, lumbar_deg: float, thoracic_deg: float) -> float:
    """Distance hip joint -> shoulder for a given spinal flexion (shorter when flexed)."""
    _, length = _spine_chain_angle(dims, np.radians([lumbar_deg]), np.radians([thoracic_deg]))
    return float(length[0])


def _rot_y(vec: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """Rotate (..., 3) vectors about the vertical axis: + turns +z (right) towards +x (forward)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    x, y, z = vec[..., 0], vec[..., 1], vec[..., 2]
    return np.stack([x * c + z * s, y, -x * s + z * c], axis=-1)


def _two_link_ik(
    root: np.ndarray, target: np.ndarray, l1: float, l2: float, pole: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Elbow and (reachable) wrist for a two-segment limb from ``root`` towards ``target``.

    The elbow bends towards ``pole`` (a direction). Unreachable targets are pulled in along
    the root->target line. All arrays are (frames, 3).
    """
    d = target - root
    dist = np.linalg.norm(d, axis=-1, keepdims=True)
    u = d / np.maximum(dist, 1e-9)
    dist_c = np.clip(dist, abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6)
    wrist = root + u * dist_c
    a = (l1**2 - l2**2 + dist_c**2) / (2 * dist_c)
    h = np.sqrt(np.maximum(l1**2 - a**2, 0.0))
    p = pole - np.sum(pole * u, axis=-1, keepdims=True) * u
    p = p / np.maximum(np.linalg.norm(p, axis=-1, keepdims=True), 1e-9)
    elbow = root + a * u + h * p
    return elbow, wrist


def build_body(
    params: Mapping[str, np.ndarray], dims: BodyDims, *, arm_mode: str = "hang"
) -> dict[str, np.ndarray]:
    """3-D body-frame positions (frames, 3) of every BlazePose-33 point plus :data:`EXTRA_POINTS`.

    ``params`` maps each name in :data:`POSTURE_PARAMS` to a (frames,) array (or scalar).
    ``arm_mode`` is ``"hang"`` (hands towards ``hand_forward_m`` in front of the mid-foot,
    arms nearly straight) or ``"bar_on_back"`` (hands beside the shoulders, squat bar).
    Also returns ``"pelvis_deg"`` (1-D): the pelvis segment's inclination, used by the renderer.
    """
    n = max(int(np.size(v)) for v in params.values())
    p = {k: np.broadcast_to(np.asarray(params[k], dtype=float), (n,)).copy() for k in POSTURE_PARAMS}
    rad = np.radians
    trunk = rad(p["trunk_deg"])
    hip = rad(p["hip_deg"])
    knee = rad(p["knee_deg"])
    thigh = hip - trunk
    shin = knee - thigh
    hip_diff = rad(p["hip_diff_deg"])
    knee_diff = rad(p["knee_diff_deg"])
    shift = p["pelvis_shift_m"]
    out: dict[str, np.ndarray] = {}

    # --- legs (feet planted; heels may rise with the foot pivoting about the toe) --------
    lift = np.clip(p["heel_lift_m"], 0.0, 0.9 * dims.foot_m)
    phi = np.arcsin(lift / dims.foot_m)
    toe_x = dims.foot_m * (1 - HEEL_BEHIND_ANKLE)
    ah = dims.ankle_height_m
    ankle_x = toe_x + (-(toe_x) * np.cos(phi) + ah * np.sin(phi))
    ankle_y = toe_x * np.sin(phi) + ah * np.cos(phi)
    heel_x = toe_x - dims.foot_m * np.cos(phi)
    heel_y = dims.foot_m * np.sin(phi)
    hips = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        z0 = sign * dims.hip_width_m / 2
        t_side = thigh + sign * -0.5 * hip_diff  # left (sign -1) gets +diff/2
        s_side = shin + sign * -0.5 * (knee_diff - hip_diff)
        ankle = np.stack([ankle_x, ankle_y, np.full(n, z0)], axis=-1)
        knee_p = ankle + np.stack(
            [dims.shank_m * np.sin(s_side), dims.shank_m * np.cos(s_side), shift / 2], axis=-1
        )
        hip_p = knee_p + np.stack(
            [-dims.thigh_m * np.sin(t_side), dims.thigh_m * np.cos(t_side), shift / 2], axis=-1
        )
        out[f"{side}_ankle"] = ankle
        out[f"{side}_heel"] = np.stack([heel_x, heel_y, np.full(n, z0)], axis=-1)
        out[f"{side}_foot_index"] = np.stack([np.full(n, toe_x), np.zeros(n), np.full(n, z0)], axis=-1)
        out[f"{side}_knee"] = knee_p
        out[f"{side}_hip"] = hip_p
        hips[side] = hip_p
    mid_hip = (hips["left"] + hips["right"]) / 2
    out["mid_hip"] = mid_hip
    hip_line = hips["right"] - hips["left"]
    pelvis_yaw = np.arctan2(hip_line[:, 0], hip_line[:, 2])

    # --- spine: pelvis segment, lumbar arc, thoracic arc (chord hip->shoulder at trunk) --
    lum = rad(p["lumbar_deg"])
    tho = rad(p["thoracic_deg"])
    chain_angle, _ = _spine_chain_angle(dims, lum, tho)
    pelvis_ang = trunk - chain_angle
    out["pelvis_deg"] = np.degrees(pelvis_ang)

    def step(start: np.ndarray, angle: np.ndarray, length: np.ndarray | float) -> np.ndarray:
        return start + np.stack([length * np.sin(angle), length * np.cos(angle), np.zeros(n)], axis=-1)

    l5s1 = step(mid_hip, pelvis_ang, dims.pelvis_m)
    t12l1 = step(l5s1, pelvis_ang + lum / 2, dims.lumbar_m * _sinc_half(lum))
    mid_sh = step(t12l1, pelvis_ang + lum + tho / 2, dims.thoracic_m * _sinc_half(tho))
    out["l5s1"], out["t12l1"], out["mid_shoulder"] = l5s1, t12l1, mid_sh

    # shoulders turn with the pelvis plus the twist
    sh_yaw = pelvis_yaw + rad(p["twist_deg"])
    for side, sign in (("left", -1.0), ("right", 1.0)):
        off = np.zeros((n, 3))
        off[:, 2] = sign * dims.shoulder_width_m / 2
        out[f"{side}_shoulder"] = mid_sh + _rot_y(off, sh_yaw)

    # --- neck and head ----------------------------------------------------------------
    neck_ang = trunk - rad(p["neck_deg"])
    mid_ear = step(mid_sh, neck_ang, dims.neck_m)
    out["mid_ear"] = mid_ear
    fwd = np.stack([np.cos(neck_ang), -np.sin(neck_ang), np.zeros(n)], axis=-1)
    up = np.stack([np.sin(neck_ang), np.cos(neck_ang), np.zeros(n)], axis=-1)
    lat = np.tile(np.array([0.0, 0.0, 1.0]), (n, 1))
    h = dims.height_m
    for name, (a, b, c) in _HEAD_POINTS.items():
        local = h * (a * fwd + b * up + c * lat)
        out[name] = mid_ear + _rot_y(local, sh_yaw)

    # --- arms --------------------------------------------------------------------------
    reach = ARM_REACH_SHARE * (dims.upper_arm_m + dims.forearm_m)
    mid_foot_x = (heel_x + toe_x) / 2
    for side, sign in (("left", -1.0), ("right", 1.0)):
        sh = out[f"{side}_shoulder"]
        if arm_mode == "bar_on_back":
            thor_dir = pelvis_ang + lum + tho  # tangent at the top of the thoracic arc
            target = sh + np.stack(
                [-0.06 * h * np.cos(thor_dir) + 0.02 * h * np.sin(thor_dir),
                 0.06 * h * np.sin(thor_dir) + 0.02 * h * np.cos(thor_dir),
                 np.full(n, sign * 0.05 * h)],
                axis=-1,
            )
            pole = np.tile(np.array([-0.3, -1.0, 0.0]), (n, 1))
        elif arm_mode == "hang":
            tx = mid_foot_x + p["hand_forward_m"]
            dx = np.clip(tx - sh[:, 0], -0.99 * reach, 0.99 * reach)
            ty = sh[:, 1] - np.sqrt(reach**2 - dx**2)
            target = np.stack([sh[:, 0] + dx, ty, sh[:, 2]], axis=-1)
            pole = np.tile(np.array([-1.0, 0.0, 0.0]), (n, 1))
        else:
            raise ValueError(f"arm_mode must be 'hang' or 'bar_on_back'; got {arm_mode!r}")
        elbow, wrist = _two_link_ik(sh, target, dims.upper_arm_m, dims.forearm_m, pole)
        out[f"{side}_elbow"] = elbow
        out[f"{side}_wrist"] = wrist
        fdir = wrist - elbow
        fdir = fdir / np.maximum(np.linalg.norm(fdir, axis=-1, keepdims=True), 1e-9)
        inward = np.zeros((n, 3))
        inward[:, 2] = -sign
        forward = np.tile(np.array([1.0, 0.0, 0.0]), (n, 1))
        out[f"{side}_index"] = wrist + h * (0.055 * fdir + 0.008 * inward)
        out[f"{side}_pinky"] = wrist + h * (0.048 * fdir - 0.012 * inward)
        out[f"{side}_thumb"] = wrist + h * (0.030 * fdir + 0.010 * inward + 0.012 * forward)

    missing = [name for name in BLAZEPOSE33 if name not in out]
    if missing:  # pragma: no cover - guards the table above
        raise RuntimeError(f"body model lacks points {missing}")
    return out


def spine_centreline(
    body: Mapping[str, np.ndarray],
    params: Mapping[str, np.ndarray],
    dims: BodyDims,
    frame: int,
    *,
    samples: int = 8,
) -> tuple[np.ndarray, np.ndarray]:
    """Points (k, 3) along the spine line of ``frame`` (hip joint level to shoulder level) and
    the sagittal tangent angle (rad from vertical, forward +) at each point.

    Pelvis: straight; lumbar and thoracic: circular arcs of uniform curvature.
    """
    pelvis = np.radians(float(body["pelvis_deg"][frame]))
    lum = np.radians(_at(params["lumbar_deg"], frame))
    tho = np.radians(_at(params["thoracic_deg"], frame))
    start = np.asarray(body["mid_hip"][frame], dtype=float)
    pts = [start]
    angles = [pelvis]
    pos = start.copy()
    segments = (
        (dims.pelvis_m, pelvis, 0.0),
        (dims.lumbar_m, pelvis, lum),
        (dims.thoracic_m, pelvis + lum, tho),
    )
    for length, a0, bend in segments:
        step_bend = bend / samples
        ds = length / samples * float(_sinc_half(np.array(step_bend)))  # exact chord of each sub-arc
        for i in range(samples):
            a_mid = a0 + bend * (i + 0.5) / samples
            pos = pos + np.array([ds * np.sin(a_mid), ds * np.cos(a_mid), 0.0])
            pts.append(pos.copy())
            angles.append(a0 + bend * (i + 1) / samples)
    return np.array(pts), np.array(angles)


def _at(values: np.ndarray | float, frame: int) -> float:
    arr = np.asarray(values, dtype=float).reshape(-1)
    return float(arr[frame] if arr.size > 1 else arr[0])
