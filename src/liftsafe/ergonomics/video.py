"""Lift geometry from video: NIOSH H, V, D and A at the origin and destination of each lift.

The technique-analysis pipeline gives cleaned landmarks in pixels and the lifter's stature in
pixels; ``--height`` turns pixels into centimetres (metres per pixel = height / stature_px,
see :mod:`liftsafe.kinematics.signals`). For every rep:

* **origin** = the frame where the hands are lowest in the bottom stretch (the pick-up);
* **destination** = the frame where the hands are highest in the lockout hold after the ascent;
* **hands** = mean of both wrists, index and pinky landmarks (the middle of the grip);
* **H** = horizontal distance from the mid-ankle (between the ankle bones) to the hands,
  along the image x axis (a side view sees the sagittal plane);
* **V** = height of the hands above the floor, the floor being the lowest heel/toe landmark
  at that frame;
* **A** = asymmetry: the angle, in the horizontal plane of BlazePose's 3-D world landmarks,
  between the lifter's forward direction (normal to the hip line) and the line from the
  mid-hip to the hands; 0 when no world landmarks exist (keypoint files) -- say so.

Definitions of H, V, D and A: Waters et al. (1994), Applications Manual for the Revised NIOSH
Lifting Equation. Limits: a side view is needed for H (from the
front H is foreshortened: liftsafe refuses, see :func:`estimate_geometry`); one camera cannot
see depth, so A is only as good as BlazePose's depth estimate (often +-15 deg): check it on the
keyframe and override it with ``--asymmetry`` when you measured it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.errors import AnalysisError
from liftsafe.kinematics.signals import mid_joint, nanmean_quiet
from liftsafe.pose.layouts import joint_index
from liftsafe.result import View


@dataclass(frozen=True)
class LiftGeometry:
    rep_index: int
    origin_frame: int
    destination_frame: int
    h_origin_cm: float
    v_origin_cm: float
    h_destination_cm: float
    v_destination_cm: float
    a_origin_deg: float
    a_destination_deg: float
    trunk_flexion_origin_deg: float
    spine_h_cm: float  # horizontal mid-hip (about L5/S1) to hands at the origin, for LiFFT and L5/S1
    hands_px: tuple[tuple[float, float], tuple[float, float]]  # origin, destination
    ankle_px: tuple[tuple[float, float], tuple[float, float]]
    floor_y_px: tuple[float, float]

    @property
    def d_cm(self) -> float:
        """Vertical travel distance D in centimetres."""
        return abs(self.v_destination_cm - self.v_origin_cm)


def hand_centre(series) -> np.ndarray:
    """(frames, 2) mean of wrists, index and pinky landmarks (whichever exist)."""
    parts = [
        series.joint(f"{side}_{j}")
        for side in ("left", "right")
        for j in ("wrist", "index", "pinky")
        if series.has(f"{side}_{j}")
    ]
    return nanmean_quiet(np.stack(parts), axis=0)


def floor_y(series) -> np.ndarray:
    """(frames,) image y of the floor under the body's midline.

    Per side, the lowest of heel and toe (the sole on the floor); then the mean of the two
    sides, so that -- like the hands' midpoint -- it sits in the mid-sagittal plane (the near
    foot looks lower than the far one through a perspective camera).
    """
    sides = []
    for side in ("left", "right"):
        names = [n for n in (f"{side}_heel", f"{side}_foot_index") if series.has(n)] or [f"{side}_ankle"]
        sides.append(np.stack([series.joint(n)[:, 1] for n in names]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a side never seen: NaN is the answer
        lowest = np.stack([np.nanmax(s, axis=0) for s in sides])
    return nanmean_quiet(lowest, axis=0)


def world_asymmetry_deg(series, frame: int) -> float:
    """Asymmetry angle A at ``frame`` from 3-D world landmarks (NaN without them)."""
    if series.world_m is None:
        return float("nan")
    w = series.world_m[frame]

    def p(name: str) -> np.ndarray:
        i = joint_index(series.layout, name)
        return w[i] if i is not None else np.full(3, np.nan)

    hip_line = p("right_hip") - p("left_hip")
    hands = np.nanmean([p(f"{s}_wrist") for s in ("left", "right")], axis=0)
    to_hands = hands - (p("left_hip") + p("right_hip")) / 2
    # horizontal plane of BlazePose world coordinates: x (right) and z (depth); y is down
    a = np.array([hip_line[0], hip_line[2]])
    b = np.array([to_hands[0], to_hands[2]])
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))) or np.hypot(*a) < 1e-6 or np.hypot(*b) < 1e-6:
        return float("nan")
    cos_to_line = abs(float(a @ b)) / (np.hypot(*a) * np.hypot(*b))
    # 90 deg from the hip line = straight ahead (A = 0)
    return float(90.0 - np.degrees(np.arccos(np.clip(cos_to_line, 0.0, 1.0))))


def estimate_geometry(analysis: Analysis, *, height_m: float) -> list[LiftGeometry]:
    """H, V, A at origin and destination of every rep of an analysed lift (centimetres)."""
    result = analysis.result
    if result.view == View.FRONT:
        raise AnalysisError(
            "the camera faces the lifter: horizontal distances cannot be measured from the front. "
            "Film the lift side-on to estimate NIOSH geometry."
        )
    if not result.reps:
        raise AnalysisError("no lift found in the clip, so there is no origin or destination to measure.")
    series = analysis.series
    stature_px = result.camera.get("stature_px")
    if not stature_px:
        raise AnalysisError(
            "could not estimate the lifter's size in the image (head or feet not seen). Film the whole body."
        )
    cm_per_px = height_m * 100.0 / stature_px
    hands = hand_centre(series)
    ankle = mid_joint(series, "ankle")
    floor = floor_y(series)
    trunk_incl = analysis.signals.get("trunk_inclination_deg")
    hip = mid_joint(series, "hip")
    lifts = []
    reps = [r for r in result.reps if r.complete] or list(result.reps)
    for rep in reps:
        b0, b1 = _phase_frames(rep.phases.get("bottom"), series.fps, rep.bottom_frame)
        origin = _argext(hands[:, 1], b0, b1 + 1, largest=True) if b1 >= b0 else rep.bottom_frame
        l0, l1 = _phase_frames(
            rep.phases.get("lockout") or rep.phases.get("ascent"), series.fps, rep.end_frame - 1
        )
        l1 = min(l1, l0 + int(0.6 * series.fps))
        destination = _argext(hands[:, 1], l0, l1 + 1, largest=False)

        def hv(f: int) -> tuple[float, float]:
            h = abs(hands[f, 0] - ankle[f, 0]) * cm_per_px
            v = (floor[f] - hands[f, 1]) * cm_per_px
            return float(h), float(max(v, 0.0))

        ho, vo = hv(origin)
        hd, vd = hv(destination)
        if not all(np.isfinite(x) for x in (ho, vo, hd, vd)):
            raise AnalysisError(
                f"rep {rep.index}: the hands or feet were not seen at the pick-up or the set-down."
            )
        lifts.append(
            LiftGeometry(
                rep_index=rep.index,
                origin_frame=int(origin),
                destination_frame=int(destination),
                h_origin_cm=ho,
                v_origin_cm=vo,
                h_destination_cm=hd,
                v_destination_cm=vd,
                a_origin_deg=world_asymmetry_deg(series, origin),
                a_destination_deg=world_asymmetry_deg(series, destination),
                trunk_flexion_origin_deg=float(trunk_incl[origin])
                if trunk_incl is not None
                else float("nan"),
                spine_h_cm=float(abs(hands[origin, 0] - hip[origin, 0]) * cm_per_px),
                hands_px=(tuple(map(float, hands[origin])), tuple(map(float, hands[destination]))),  # type: ignore[arg-type]
                ankle_px=(tuple(map(float, ankle[origin])), tuple(map(float, ankle[destination]))),  # type: ignore[arg-type]
                floor_y_px=(float(floor[origin]), float(floor[destination])),
            )
        )
    return lifts


def _phase_frames(span: tuple[float, float] | None, fps: float, fallback: int) -> tuple[int, int]:
    if span is None:
        return fallback, fallback
    return int(round(span[0] * fps)), max(int(round(span[0] * fps)), int(round(span[1] * fps)) - 1)


def _argext(values: np.ndarray, a: int, b: int, *, largest: bool) -> int:
    a = max(0, a)
    b = min(len(values), max(b, a + 1))
    seg = values[a:b]
    if np.all(np.isnan(seg)):
        return a
    return a + int(np.nanargmax(seg) if largest else np.nanargmin(seg))


def median_geometry(lifts: list[LiftGeometry]) -> dict[str, float]:
    """The task's geometry: the median over reps (robust to one odd rep)."""
    def med(name: str) -> float:
        vals = np.array([getattr(g, name) for g in lifts], dtype=float)
        vals = vals[np.isfinite(vals)]
        return float(np.median(vals)) if vals.size else float("nan")

    return {name: med(name) for name in (
        "h_origin_cm", "v_origin_cm", "h_destination_cm", "v_destination_cm",
        "a_origin_deg", "a_destination_deg", "trunk_flexion_origin_deg", "spine_h_cm",
    )}
