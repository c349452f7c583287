"""Key postures per exercise and the rep timeline of the simulated lifter.

A rep is planned as key postures at phase boundaries (standing -> bottom -> top) plus
optional extra keys inside the ascent; each posture parameter is interpolated on its own
with a monotone cubic (PCHIP, Fritsch & Carlson 1980), so trajectories are smooth (C1), never
overshoot the key values, and have zero velocity at plateaus (standing, bottom pause,
lockout hold). Between two key postures this is the smoothstep ``3s^2 - 2s^3`` profile.

Clean bottom postures (degrees; heuristic, chosen inside the ranges the analysis expects,
e.g. conventional deadlift start: trunk 50-60 deg from vertical, hip flexion 90-100 deg,
knee flexion 60-75 deg):

=====================  =====  =====  =====  ==================================
exercise               trunk  hip    knee   notes
=====================  =====  =====  =====  ==================================
deadlift               53     97     66     bar over mid-foot
rdl                    74     94     22     shins near vertical
kettlebell-deadlift    50     90     56
hip-hinge              62     78     20     bodyweight drill (wall taps, dowel)
squat                  38     118    115    bar on the back, upright trunk
box-lift               45     100    90     box held close (hands +4 cm)
=====================  =====  =====  =====  ==================================
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.interpolate import PchipInterpolator

from liftsafe.result import Exercise
from liftsafe.simulate.body import POSTURE_PARAMS, STANDING, Posture

#: Clean bottom posture per exercise (heuristic; see the module docstring).
BOTTOM_POSTURES: dict[Exercise, Posture] = {
    Exercise.DEADLIFT: Posture(
        trunk_deg=53, hip_deg=97, knee_deg=66, lumbar_deg=3, thoracic_deg=4, neck_deg=5, hand_forward_m=0.02
    ),
    Exercise.RDL: Posture(
        trunk_deg=74, hip_deg=94, knee_deg=22, lumbar_deg=3, thoracic_deg=4, neck_deg=4, hand_forward_m=0.03
    ),
    Exercise.KETTLEBELL_DEADLIFT: Posture(
        trunk_deg=50, hip_deg=90, knee_deg=56, lumbar_deg=3, thoracic_deg=3, neck_deg=4, hand_forward_m=0.02
    ),
    Exercise.HIP_HINGE: Posture(
        trunk_deg=62, hip_deg=78, knee_deg=20, lumbar_deg=2, thoracic_deg=3, neck_deg=2, hand_forward_m=0.03
    ),
    Exercise.SQUAT: Posture(
        trunk_deg=38, hip_deg=118, knee_deg=115, lumbar_deg=3, thoracic_deg=3, neck_deg=3, hand_forward_m=0.02
    ),
    Exercise.BOX_LIFT: Posture(
        trunk_deg=45, hip_deg=100, knee_deg=90, lumbar_deg=4, thoracic_deg=4, neck_deg=5, hand_forward_m=0.04
    ),
}

#: How the arms are posed per exercise (see :func:`liftsafe.simulate.body.build_body`).
ARM_MODES: dict[Exercise, str] = {ex: ("bar_on_back" if ex is Exercise.SQUAT else "hang") for ex in Exercise}


@dataclass(frozen=True)
class RepPlan:
    """Durations and key postures of one rep (before the timeline places it in time).

    ``ascent_keys`` are extra keys inside the ascent: (fraction of the ascent duration,
    parameter name, value).
    """

    setup_s: float
    descent_s: float
    pause_s: float
    ascent_s: float
    lockout_s: float
    bottom: Posture
    bottom_end: Posture
    top: Posture = STANDING
    ascent_keys: tuple[tuple[float, str, float], ...] = field(default_factory=tuple)

    def with_ascent_key(self, fraction: float, param: str, value: float) -> "RepPlan":
        """A copy of the plan with one ascent key frame set (replacing one at the same place)."""
        keys = tuple(k for k in self.ascent_keys if not (k[1] == param and abs(k[0] - fraction) < 1e-9))
        return replace(self, ascent_keys=keys + ((fraction, param, float(value)),))


@dataclass(frozen=True)
class RepTimes:
    """Absolute times (s, on the uncut timeline) of one rep's phase boundaries."""

    setup_start: float
    descent_start: float
    bottom_start: float
    bottom_end: float
    ascent_end: float
    lockout_end: float


class _Tracks:
    """Per-parameter key lists (time, value); later keys at the same time replace earlier ones."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[float, float]] = {p: {} for p in POSTURE_PARAMS}

    def add_posture(self, t: float, posture: Posture) -> None:
        for name, value in posture.as_dict().items():
            self.add(t, name, value)

    def add(self, t: float, param: str, value: float) -> None:
        self.keys[param][round(float(t), 9)] = float(value)

    def evaluate(self, times: np.ndarray) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name, keys in self.keys.items():
            ts = np.array(sorted(keys))
            vs = np.array([keys[t] for t in ts])
            if ts.size == 1:
                out[name] = np.full(times.shape, vs[0])
                continue
            values = PchipInterpolator(ts, vs, extrapolate=False)(times)
            values = np.where(times <= ts[0], vs[0], values)
            values = np.where(times >= ts[-1], vs[-1], values)
            out[name] = values
        return out


def build_timeline(
    plans: list[RepPlan], *, idle_before_s: float, idle_after_s: float, return_s: float = 0.6
) -> tuple[list[RepTimes], float, "_Tracks"]:
    """Place the reps one after another; return their times, the total duration and the tracks.

    Standing still for ``idle_before_s`` first; after the last rep the lifter returns to a
    neutral stand within ``return_s`` (if the last top posture was not neutral) and then
    stands still for the rest of ``idle_after_s``.
    """
    tracks = _Tracks()
    t = 0.0
    tracks.add_posture(t, STANDING)
    t += idle_before_s
    previous_top = STANDING
    times: list[RepTimes] = []
    for plan in plans:
        setup_start = t
        tracks.add_posture(setup_start, previous_top)
        descent_start = setup_start + plan.setup_s
        tracks.add_posture(descent_start, STANDING)
        bottom_start = descent_start + plan.descent_s
        tracks.add_posture(bottom_start, plan.bottom)
        bottom_end = bottom_start + plan.pause_s
        tracks.add_posture(bottom_end, plan.bottom_end)
        ascent_end = bottom_end + plan.ascent_s
        for fraction, param, value in plan.ascent_keys:
            tracks.add(bottom_end + fraction * plan.ascent_s, param, value)
        tracks.add_posture(ascent_end, plan.top)
        lockout_end = ascent_end + plan.lockout_s
        tracks.add_posture(lockout_end, plan.top)
        times.append(RepTimes(setup_start, descent_start, bottom_start, bottom_end, ascent_end, lockout_end))
        previous_top = plan.top
        t = lockout_end
    if idle_after_s > 0:
        if previous_top != STANDING:
            tracks.add_posture(t + min(return_s, idle_after_s), STANDING)
        t += idle_after_s
        tracks.add_posture(t, STANDING)
    return times, t, tracks
