"""Per-rep metrics that the fault rules compare with the threshold table.

Each metric function takes the rep context and returns ``(value, frame)``: the measured value
and the frame where it is worst (NaN / None when it cannot be measured). Windows:

* *pull*: from the bottom stretch through the first half of the ascent -- where a rounded back
  and a drifting load matter most (the initial pull);
* *initial pull*: from 0.2 s before the lift-off (the end of the bottom stretch) through the
  first ``SPINE_PULL_ASCENT_SHARE`` of the ascent (half; the threshold table's window) --
  a long set-up at the bottom is left out;
* *early ascent*: the first 40 % of the ascent;
* *lockout*: the top of the rep after the ascent (or the last 15 % of the ascent when the
  clip gives no hold);
* *rep*: the whole rep.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from liftsafe.reps.detect import RepSpan
from liftsafe.technique.thresholds import SPINE_PULL_ASCENT_SHARE

if TYPE_CHECKING:
    from liftsafe.technique.config import MetricConfig

LOCKOUT_HOLD_S = 0.5  # heuristic
LIFT_OFF_MARGIN_S = 0.2  # heuristic: the initial pull starts a moment before the hips start to rise
UPRIGHT_TRUNK_DEG = 20.0  # heuristic: frames with the trunk within 20 deg of vertical are "standing"


@dataclass(frozen=True, eq=False)
class RepContext:
    signals: dict[str, np.ndarray]
    rep: RepSpan
    fps: float
    baseline: dict[str, float]
    #: the metric heuristics (AnalysisConfig.metrics); None: this module's constants
    config: MetricConfig | None = None

    def setting(self, name: str, default: float) -> float:
        """A metric heuristic from the config, or ``default`` without one."""
        return default if self.config is None else float(getattr(self.config, name))

    def window(self, name: str, ascent_share: float | None = None) -> tuple[int, int]:
        """Frames ``[start, stop)`` of a named window (module docstring); ``ascent_share``: how much
        of the ascent the *initial pull* takes in (default: the config's)."""
        if ascent_share is None:
            ascent_share = self.setting("spine_pull_ascent_share", SPINE_PULL_ASCENT_SHARE)
        r = self.rep
        ascent = max(1, r.ascent_end - r.bottom_end)
        if name == "pull":
            return r.bottom_start, r.bottom_end + max(1, ascent // 2) + 1
        if name == "initial_pull":  # lift-off (less a margin) through the first part of the ascent
            margin = self.setting("lift_off_margin_s", LIFT_OFF_MARGIN_S)
            return (
                r.bottom_end - max(1, int(margin * self.fps)),
                r.bottom_end + max(1, int(ascent_share * ascent)) + 1,
            )
        if name == "early_ascent":
            return r.bottom_end, r.bottom_end + max(2, int(round(0.4 * ascent))) + 1
        if name == "ascent":
            return r.bottom_end, r.ascent_end + 1
        if name == "lockout":  # the hold right after the ascent, at most LOCKOUT_HOLD_S long
            if r.end_frame - r.ascent_end >= 2:
                hold = self.setting("lockout_hold_s", LOCKOUT_HOLD_S)
                return r.ascent_end, min(r.end_frame, r.ascent_end + max(2, int(hold * self.fps)))
            return r.ascent_end - max(1, int(0.15 * ascent)), r.ascent_end + 1
        if name == "bottom":
            return r.bottom_start, r.bottom_end + 1
        return r.start_frame, r.end_frame

    def get(self, name: str, window: str, ascent_share: float | None = None) -> tuple[np.ndarray, int]:
        """A signal's value over a rep window and the frame it occurs at."""
        a, b = self.window(window, ascent_share)
        values = self.signals.get(name)
        if values is None:
            return np.array([]), a
        a = max(0, a)
        b = min(len(values), max(b, a + 1))
        return values[a:b], a


def _extreme(values: np.ndarray, offset: int, *, largest: bool = True) -> tuple[float, int | None]:
    if values.size == 0 or np.all(np.isnan(values)):
        return float("nan"), None
    i = int(np.nanargmax(values) if largest else np.nanargmin(values))
    return float(values[i]), offset + i


def _start_reference(values: np.ndarray, fps: float) -> float:
    """Median of a rep's first 0.2 s (at least 3 frames); NaN when none of them was measured
    (a change "from the rep start" then has no start to refer to)."""
    head = values[: max(3, int(0.2 * fps))]
    return float(np.nanmedian(head)) if np.any(np.isfinite(head)) else float("nan")


MIN_MEASURED_SHARE = 0.5  # heuristic: the outline must be found in half the pull's frames


#: the shoulders are "at rest" between two frames when they rise less than this share of the rep's
#: mean ascent speed (heuristic: a lift-off is the moment the load still rests on the floor -- the
#: shoulders hold still while the lifter takes the slack out of the bar -- and a pull already under
#: way moves them at about the mean speed or faster)
REST_SPEED_SHARE = 0.5


def lift_off_filmed(signals: dict[str, np.ndarray], rep: RepSpan) -> bool:
    """Whether the clip shows the rep's lift-off: the lifter was tracked (shoulders found) *at
    rest* at the bottom -- in two consecutive frames of the rep up to the first frame after its
    bottom stretch, between which the shoulders moved less than ``REST_SPEED_SHARE`` of the rep's
    mean ascent speed.

    A clip that starts after the bar has left the floor (the first tracked frame already rises
    through the ascent) has no lift-off: the rep detector puts the bottom on the clip's first
    frames, and the part of the pull that is filmed is not the *initial* pull a window from
    lift-off means. Whether BlazePose finds the lifter on the first frame or a frame later must not
    decide that: a real clip tilted by 6 deg was found one frame earlier than its original, and
    that one frame, already rising at twice the mean ascent speed, had been taken for a filmed
    lift-off. Unknown (no shoulder signal, or no ascent to scale by): any tracked frame there."""
    v = signals.get("shoulder_drop_bh")
    if v is None:
        return True
    lo = max(0, min(rep.start_frame, rep.bottom_start))
    seg = np.asarray(v[lo : rep.bottom_end + 2], dtype=float)
    ascent = np.asarray(v[rep.bottom_end : rep.ascent_end + 1], dtype=float)
    if not np.isfinite(seg).any():
        return False
    rise = float(np.nanmax(seg) - np.nanmin(ascent)) if np.isfinite(ascent).any() else float("nan")
    if not np.isfinite(rise) or rise <= 0:
        return True
    mean_speed = rise / max(1, rep.ascent_end - rep.bottom_end)
    step = np.abs(np.diff(seg))
    return bool(np.any(step[np.isfinite(step)] < REST_SPEED_SHARE * mean_speed))


def dorsal_curvature_pull(ctx: RepContext, ascent_share: float | None = None):
    """How much the back's outline bows outwards during the initial pull (median, 1 / trunk length).

    The per-frame curvature of the dorsal contour (:mod:`liftsafe.kinematics.spine`), its
    median over the *initial pull* window (from just before lift-off through the first
    ``ascent_share`` of the ascent -- the table's window unless the calibration asks: spine
    rounding during the initial pull). The median of a window, not its
    peak: a single frame where the mask swallows a plate or a shirt flaps cannot make a
    rounded back. The frame returned is the one closest to that median. NaN when the outline
    was found in fewer than half of the window's frames, or when the clip does not show the
    rep's lift-off (:func:`lift_off_filmed`: the window would start mid-pull).
    """
    if not lift_off_filmed(ctx.signals, ctx.rep):
        return float("nan"), None
    v, o = ctx.get("dorsal_curvature", "initial_pull", ascent_share)
    if v.size == 0 or np.mean(np.isfinite(v)) < ctx.setting("min_measured_share", MIN_MEASURED_SHARE):
        return float("nan"), None
    value = float(np.nanmedian(v))
    frame = o + int(np.nanargmin(np.abs(v - value)))
    return value, frame


def knee_to_hip_flexion_ratio(ctx: RepContext):
    """Knee flexion over hip flexion at the bottom of the rep."""
    f = ctx.rep.bottom_frame
    hip = ctx.signals["hip_flexion_deg"][f]
    knee = ctx.signals["knee_flexion_deg"][f]
    if not np.isfinite(hip) or hip < 10.0:
        return float("nan"), None
    return float(knee / hip), f


def early_ascent_trunk_drop_deg(ctx: RepContext):
    """How much further the trunk tips forward after the hips leave their lowest point.

    From the frame where the hips are lowest (searched from 0.5 s before the bottom stretch
    to its end) to 40 % into the ascent: in a sound pull the trunk angle holds or shrinks
    as hips and shoulders rise together; when the hips shoot up first it grows.
    """
    trunk = ctx.signals["trunk_inclination_deg"]
    hip_drop = ctx.signals.get("hip_drop_bh")
    r = ctx.rep
    if hip_drop is None:
        return float("nan"), None
    a = max(0, r.bottom_start - int(0.5 * ctx.fps))
    seg = hip_drop[a : r.bottom_end + 1]
    if seg.size == 0 or np.all(np.isnan(seg)):
        return float("nan"), None
    f0 = a + int(np.nanargmax(seg))
    _, f1 = ctx.window("early_ascent")
    v = trunk[f0 : max(f1, f0 + 2)]
    if v.size < 2 or np.isnan(v[0]):
        return float("nan"), None
    return _extreme(v - v[0], f0)


def peak_hip_extension_velocity_deg_s(ctx: RepContext):
    """Peak hip extension velocity during the ascent (deg/s)."""
    hip = ctx.signals["hip_flexion_deg"]
    a, b = ctx.window("pull")
    a = max(a, ctx.rep.bottom_end)
    if b - a < 2:
        return float("nan"), None
    seg = hip[a:b]
    velocity = -np.gradient(seg) * ctx.fps  # extension = flexion decreasing
    return _extreme(velocity, a)


def hand_forward_peak_bh(ctx: RepContext):
    """Farthest forward the hands get during the pull (body heights)."""
    v, o = ctx.get("hand_forward_bh", "pull")
    return _extreme(np.abs(v), o)


def neck_deviation_peak_deg(ctx: RepContext):
    """Largest deviation of the neck from its baseline (deg)."""
    base = ctx.baseline.get("neck_extension_deg", float("nan"))
    v, o = ctx.get("neck_extension_deg", "pull")
    if not np.isfinite(base):
        return float("nan"), None
    return _extreme(np.abs(v - base), o)


#: a twist is read from at least this much measured time in the rep (heuristic: about the length of
#: a pull). Not a share of the rep: filmed side-on with plates, the hips are behind the plate (and
#: the twist gated, kinematics/occlusion.py) through the top half of every rep.
MIN_TWIST_MEASURED_S = 0.5


def shoulder_twist_deg(ctx: RepContext):
    """Largest change of the shoulder-to-hip twist (3-D world landmarks) from the rep start,
    over the frames where the hips were seen (the gated signal)."""
    a, b = ctx.window("rep")
    v = ctx.signals.get("shoulder_hip_twist_deg")
    if v is None:
        return float("nan"), None
    v = v[a:b]
    if v.size < 3 or np.isfinite(v).sum() < max(3, MIN_TWIST_MEASURED_S * ctx.fps):
        return float("nan"), None
    # the reference: the first 0.2 s in which the hips were seen (at the rep's start they may be
    # behind the plate)
    ref = _start_reference(v[np.isfinite(v)], ctx.fps)
    if not np.isfinite(ref):
        return float("nan"), None
    return _extreme(np.abs(v - ref), a)


def pelvis_shift_peak_bh(ctx: RepContext):
    """Largest sideways shift of the pelvis during the rep (body heights)."""
    a, b = ctx.window("rep")
    v = ctx.signals["pelvis_shift_bh"][a:b]
    if v.size == 0 or np.all(np.isnan(v)):
        return float("nan"), None
    head = v[: max(1, min(3, v.size))]
    if np.all(np.isnan(head)):
        return float("nan"), None
    ref = float(np.nanmedian(head))
    return _extreme(np.abs(v - ref), a)


def lockout_hip_flexion_deg(ctx: RepContext):
    """Hip flexion at lockout (deg); NaN for an incomplete rep."""
    if not ctx.rep.complete:
        return float("nan"), None
    v, o = ctx.get("hip_flexion_deg", "lockout")
    return _extreme(v, o, largest=False)


def lockout_lean_back_deg(ctx: RepContext):
    """Backward lean of the trunk at lockout (deg)."""
    v, o = ctx.get("trunk_inclination_deg", "lockout")
    return _extreme(-v, o)


def descent_duration_s(ctx: RepContext):
    """Duration of the descent (s)."""
    r = ctx.rep
    if r.descent_start is None:
        return float("nan"), None
    return (r.bottom_start - r.descent_start) / ctx.fps, r.bottom_start


def bottom_hip_flexion_deg(ctx: RepContext):
    """Hip flexion at the bottom of the rep (deg)."""
    v, o = ctx.get("hip_flexion_deg", "bottom")
    return _extreme(v, o)


def heel_lift_peak_bh(ctx: RepContext):
    """Largest heel lift during the rep (body heights)."""
    v, o = ctx.get("heel_lift_bh", "rep")
    return _extreme(v, o)


def left_right_flexion_diff_deg(ctx: RepContext):
    """Largest change of the left-right knee or hip flexion difference from the rep start."""
    best: tuple[float, int | None] = (float("nan"), None)
    for name in ("knee_lr_diff_deg", "hip_lr_diff_deg"):
        v, o = ctx.get(name, "bottom")
        rv, _ = ctx.get(name, "rep")
        if v.size == 0 or np.all(np.isnan(v)) or np.all(np.isnan(rv)):
            continue
        ref = _start_reference(rv, ctx.fps)
        if not np.isfinite(ref):
            continue
        value, frame = _extreme(np.abs(v - ref), o)
        if np.isfinite(value) and not (best[0] >= value):
            best = (value, frame)
    return best


METRICS: dict[str, Callable[[RepContext], tuple[float, int | None]]] = {
    "dorsal_curvature_pull": dorsal_curvature_pull,
    "knee_to_hip_flexion_ratio": knee_to_hip_flexion_ratio,
    "early_ascent_trunk_drop_deg": early_ascent_trunk_drop_deg,
    "peak_hip_extension_velocity_deg_s": peak_hip_extension_velocity_deg_s,
    "hand_forward_peak_bh": hand_forward_peak_bh,
    "neck_deviation_peak_deg": neck_deviation_peak_deg,
    "shoulder_twist_deg": shoulder_twist_deg,
    "pelvis_shift_peak_bh": pelvis_shift_peak_bh,
    "lockout_hip_flexion_deg": lockout_hip_flexion_deg,
    "lockout_lean_back_deg": lockout_lean_back_deg,
    "descent_duration_s": descent_duration_s,
    "bottom_hip_flexion_deg": bottom_hip_flexion_deg,
    "heel_lift_peak_bh": heel_lift_peak_bh,
    "left_right_flexion_diff_deg": left_right_flexion_diff_deg,
}


def baselines(
    signals: dict[str, np.ndarray], *, upright_trunk_deg: float = UPRIGHT_TRUNK_DEG
) -> dict[str, float]:
    """The lifter's standing posture (median over upright frames) for relative metrics."""
    trunk = signals.get("trunk_inclination_deg")
    out: dict[str, float] = {}
    if trunk is None:
        return out
    upright = np.abs(trunk) <= upright_trunk_deg
    for name in ("neck_extension_deg",):
        values = signals.get(name)
        if values is None:
            continue
        sel = values[upright & np.isfinite(values)]
        out[name] = float(np.median(sel)) if sel.size >= 3 else float("nan")
    return out
