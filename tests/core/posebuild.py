"""Tiny hand-built side-view postures with known angles (independent of the simulator)."""

from __future__ import annotations

import numpy as np

from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.pose.series import PoseSeries


def posture_points(
    trunk_deg, thigh_deg, shin_deg, neck_deg=0.0, *, facing=1, scale=300.0, origin=(640.0, 650.0)
):
    """Pixel positions of a side-view stick figure. Body frame: x forward, y up; lengths in body heights."""
    shin_l, thigh_l, trunk_l, neck_l = 0.246, 0.245, 0.29, 0.12
    t, th, sh, nk = (np.radians(a) for a in (trunk_deg, thigh_deg, shin_deg, neck_deg))
    ankle = np.array([0.0, 0.039])
    knee = ankle + shin_l * np.array([np.sin(sh), np.cos(sh)])
    hip = knee + thigh_l * np.array([-np.sin(th), np.cos(th)])
    shoulder = hip + trunk_l * np.array([np.sin(t), np.cos(t)])
    # neck: rotate the trunk direction counter-clockwise by neck_deg (positive = head back)
    d = np.array([np.sin(t), np.cos(t)])
    c, s = np.cos(nk), np.sin(nk)
    ear = shoulder + neck_l * np.array([c * d[0] - s * d[1], s * d[0] + c * d[1]])
    nose = ear + 0.05 * np.array([1.0, 0.0])
    heel = np.array([-0.05, 0.0])
    toe = np.array([0.15, 0.0])
    wrist = shoulder + 0.33 * np.array([0.0, -1.0])
    elbow = (shoulder + wrist) / 2
    pts = {
        "nose": nose, "ear": ear, "shoulder": shoulder, "elbow": elbow, "wrist": wrist, "hip": hip,
        "knee": knee, "ankle": ankle, "heel": heel, "foot_index": toe,
    }
    out = {}
    for name, p in pts.items():
        px = np.array([origin[0] + facing * p[0] * scale, origin[1] - p[1] * scale])
        if name == "nose":
            out["nose"] = px
        else:
            out[f"left_{name}"] = px
            out[f"right_{name}"] = px
    return out


def series_from_postures(frames, *, fps=30.0, facing=1):
    xy = np.full((len(frames), len(BLAZEPOSE33), 2), np.nan)
    conf = np.zeros((len(frames), len(BLAZEPOSE33)))
    for i, angles in enumerate(frames):
        pts = posture_points(*angles, facing=facing)
        for name, p in pts.items():
            k = BLAZEPOSE33.index(name)
            xy[i, k] = p
            conf[i, k] = 0.95
        for k, name in enumerate(BLAZEPOSE33):  # face points near the nose
            if np.isnan(xy[i, k, 0]) and ("eye" in name or "mouth" in name):
                xy[i, k] = pts["nose"]
                conf[i, k] = 0.9
    return PoseSeries(xy=xy, confidence=conf, fps=fps, layout="blazepose33", image_size=(1280, 720))
