"""Fault injections for the simulated lifter: how each fault code changes a rep's motion.

Each fault has a default magnitude (overridable per config) chosen clearly beyond a normal
rep so that a detector with a sensible threshold must fire, while clean reps stay well
inside normal ranges. All magnitudes are **heuristic** test-design values, not thresholds
from the literature. The truth signal named here (see :mod:`liftsafe.simulate.lifter`)
shows the fault.

=======================  ========  =====  ======================================================
fault                    default   unit   motion (truth signal)
=======================  ========  =====  ======================================================
rounded_back             45        deg    lumbar (55 %) + thoracic (45 %) flexion reach this total
                                          in the first 40 % of the ascent (spine_flexion_deg;
                                          clean reps <= 10)
squatting_the_hinge      105       deg    bottom knee flexion; trunk 32 deg, hips low
                                          (knee_flexion_deg, trunk_inclination_deg)
hips_rise_first          0.4       share  in the first 40 % of the ascent the knees extend to 30 %
                                          of their bottom flexion while the trunk inclines further
                                          so the shoulders stay at their bottom height
jerked_pull              0.3       s      ascent duration (clean default 1.0 s)
load_far_from_body       0.20      m      hands in front of the mid-foot at the bottom and in
                                          the first half of the ascent (hand_forward_m; clean <= 0.05)
head_out_of_line         40        deg    neck extension vs the trunk line during the pull
                                          (neck_extension_deg; clean <= 5)
twisting                 28        deg    shoulder line turns about the vertical vs the hip line,
                                          peak at mid-ascent (shoulder_hip_twist_deg)
lateral_shift            0.09      m      pelvis moves to the lifter's right, peak at the bottom
                                          (pelvis_lateral_m)
incomplete_lockout       22        deg    hip flexion held at the top (clean 0)
hyperextended_lockout    18        deg    trunk leans back behind vertical at the top
                                          (trunk_inclination_deg = -18; hip flexion -15)
uncontrolled_descent     0.25      s      descent duration (clean default 1.2 s)
shallow_hinge            35        deg    bottom hip flexion (clean deadlift 97)
heels_rise               0.045     m      heel height at the bottom (heel_lift_m)
asymmetry                18        deg    left minus right knee and hip flexion at the bottom
                                          (left_right_knee_diff_deg)
=======================  ========  =====  ======================================================

Twisting, lateral_shift and (mostly) asymmetry act across the body (z axis) and are barely
visible from a pure side view; simulate them with ``camera_yaw_deg`` of 30-90 to see them.
Combining faults that set the same key (e.g. squatting_the_hinge and shallow_hinge) applies
them in the order of :class:`~liftsafe.result.FaultCode`; the later one wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from liftsafe.result import FaultCode
from liftsafe.simulate.body import BodyDims, Posture, trunk_chord_m
from liftsafe.simulate.motion import RepPlan


@dataclass(frozen=True)
class FaultSpec:
    code: FaultCode
    magnitude: float
    unit: str
    signal: str
    description: str


FAULT_SPECS: dict[FaultCode, FaultSpec] = {
    spec.code: spec
    for spec in (
        FaultSpec(
            FaultCode.ROUNDED_BACK,
            45.0,
            "deg",
            "spine_flexion_deg",
            "total spinal flexion in the initial pull",
        ),
        FaultSpec(
            FaultCode.SQUATTING_THE_HINGE,
            105.0,
            "deg",
            "knee_flexion_deg",
            "bottom knee flexion, trunk upright",
        ),
        FaultSpec(
            FaultCode.HIPS_RISE_FIRST,
            0.4,
            "share",
            "shoulder_height_m",
            "share of the ascent in which only the knees extend",
        ),
        FaultSpec(FaultCode.JERKED_PULL, 0.3, "s", "ascent duration", "ascent duration"),
        FaultSpec(
            FaultCode.LOAD_FAR_FROM_BODY, 0.20, "m", "hand_forward_m", "hands in front of the mid-foot"
        ),
        FaultSpec(
            FaultCode.HEAD_OUT_OF_LINE,
            40.0,
            "deg",
            "neck_extension_deg",
            "neck extension relative to the trunk",
        ),
        FaultSpec(
            FaultCode.TWISTING,
            28.0,
            "deg",
            "shoulder_hip_twist_deg",
            "shoulder line vs hip line at mid-ascent",
        ),
        FaultSpec(
            FaultCode.LATERAL_SHIFT, 0.09, "m", "pelvis_lateral_m", "pelvis sideways shift at the bottom"
        ),
        FaultSpec(
            FaultCode.INCOMPLETE_LOCKOUT, 22.0, "deg", "hip_flexion_deg", "hip flexion held at the top"
        ),
        FaultSpec(
            FaultCode.HYPEREXTENDED_LOCKOUT,
            18.0,
            "deg",
            "trunk_inclination_deg",
            "trunk lean behind vertical at the top",
        ),
        FaultSpec(FaultCode.UNCONTROLLED_DESCENT, 0.25, "s", "descent duration", "descent duration"),
        FaultSpec(FaultCode.SHALLOW_HINGE, 35.0, "deg", "hip_flexion_deg", "bottom hip flexion"),
        FaultSpec(FaultCode.HEELS_RISE, 0.045, "m", "heel_lift_m", "heel lift at the bottom"),
        FaultSpec(
            FaultCode.ASYMMETRY, 18.0, "deg", "left_right_knee_diff_deg", "left minus right knee/hip flexion"
        ),
    )
}

#: Default magnitude per fault (see the table in the module docstring).
FAULT_DEFAULTS: dict[FaultCode, float] = {code: spec.magnitude for code, spec in FAULT_SPECS.items()}

_PULL = 0.4  # share of the ascent counted as the "initial pull" (heuristic)


def _both_bottoms(plan: RepPlan, **changes: float) -> RepPlan:
    return replace(
        plan, bottom=replace(plan.bottom, **changes), bottom_end=replace(plan.bottom_end, **changes)
    )


def shoulder_height_m(posture: Posture, dims: BodyDims) -> float:
    """Height of the mid-shoulder above the floor for ``posture`` (feet flat, symmetric)."""
    trunk = np.radians(posture.trunk_deg)
    thigh = np.radians(posture.hip_deg) - trunk
    shin = np.radians(posture.knee_deg) - thigh
    chord = trunk_chord_m(dims, posture.lumbar_deg, posture.thoracic_deg)
    return float(
        dims.ankle_height_m
        + dims.shank_m * np.cos(shin)
        + dims.thigh_m * np.cos(thigh)
        + chord * np.cos(trunk)
    )


def apply_fault(plan: RepPlan, code: FaultCode, magnitude: float, dims: BodyDims) -> RepPlan:
    """Return ``plan`` changed so the rep shows ``code`` with the given ``magnitude``."""
    m = float(magnitude)
    if code is FaultCode.ROUNDED_BACK:
        lum, tho = 0.55 * m, 0.45 * m
        plan = replace(
            plan,
            bottom=replace(plan.bottom, lumbar_deg=0.8 * lum, thoracic_deg=0.8 * tho),
            bottom_end=replace(plan.bottom_end, lumbar_deg=0.9 * lum, thoracic_deg=0.9 * tho),
        )
        return plan.with_ascent_key(_PULL, "lumbar_deg", lum).with_ascent_key(_PULL, "thoracic_deg", tho)
    if code is FaultCode.SQUATTING_THE_HINGE:
        trunk, shin = 32.0, 33.0
        thigh = m - shin
        return _both_bottoms(plan, trunk_deg=trunk, knee_deg=m, hip_deg=trunk + thigh)
    if code is FaultCode.HIPS_RISE_FIRST:
        fraction = min(max(m, 0.1), 0.8)
        b_end = plan.bottom_end
        trunk_b = b_end.trunk_deg
        thigh_b = b_end.hip_deg - trunk_b
        shin_b = b_end.knee_deg - thigh_b
        knee_m, shin_m = 0.3 * b_end.knee_deg, 0.3 * shin_b
        thigh_m = knee_m - shin_m
        target = shoulder_height_m(b_end, dims)
        chord = trunk_chord_m(dims, b_end.lumbar_deg, b_end.thoracic_deg)
        hip_y = (
            dims.ankle_height_m
            + dims.shank_m * np.cos(np.radians(shin_m))
            + dims.thigh_m * np.cos(np.radians(thigh_m))
        )
        cos_t = np.clip((target - hip_y) / chord, np.cos(np.radians(88.0)), 1.0)
        trunk_m = max(float(np.degrees(np.arccos(cos_t))), trunk_b)
        return (
            plan.with_ascent_key(fraction, "knee_deg", knee_m)
            .with_ascent_key(fraction, "trunk_deg", trunk_m)
            .with_ascent_key(fraction, "hip_deg", trunk_m + thigh_m)
        )
    if code is FaultCode.JERKED_PULL:
        return replace(plan, ascent_s=m)
    if code is FaultCode.LOAD_FAR_FROM_BODY:
        plan = _both_bottoms(plan, hand_forward_m=m)
        return plan.with_ascent_key(0.5, "hand_forward_m", m)
    if code is FaultCode.HEAD_OUT_OF_LINE:
        plan = _both_bottoms(plan, neck_deg=0.9 * m)
        return plan.with_ascent_key(_PULL, "neck_deg", m)
    if code is FaultCode.TWISTING:
        return plan.with_ascent_key(0.5, "twist_deg", m)
    if code is FaultCode.LATERAL_SHIFT:
        return _both_bottoms(plan, pelvis_shift_m=m)
    if code is FaultCode.INCOMPLETE_LOCKOUT:
        thigh, shin = 4.0, 6.0
        return replace(plan, top=replace(plan.top, trunk_deg=m - thigh, hip_deg=m, knee_deg=thigh + shin))
    if code is FaultCode.HYPEREXTENDED_LOCKOUT:
        thigh = 3.0
        return replace(
            plan, top=replace(plan.top, trunk_deg=-m, hip_deg=-m + thigh, knee_deg=thigh, lumbar_deg=-6.0)
        )
    if code is FaultCode.UNCONTROLLED_DESCENT:
        return replace(plan, descent_s=m)
    if code is FaultCode.SHALLOW_HINGE:
        trunk, thigh, shin = 0.7 * m, 0.3 * m, 8.0
        return _both_bottoms(plan, trunk_deg=trunk, hip_deg=m, knee_deg=thigh + shin)
    if code is FaultCode.HEELS_RISE:
        return _both_bottoms(plan, heel_lift_m=m)
    if code is FaultCode.ASYMMETRY:
        return _both_bottoms(plan, knee_diff_deg=m, hip_diff_deg=m)
    raise ValueError(f"no injection defined for fault {code!r}")  # pragma: no cover
