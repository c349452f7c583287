"""Occlusion-aware landmarks: when the load hides a joint, the metrics that need it are not read.

Filmed from the side, the near barbell plate (450 mm across) covers everything within its
radius of the bar. At a deadlift's lockout the bar hangs at the top of the thighs, 5-10 cm
below the hip joint, so **the near plate hides the hips at every lockout** filmed side-on with
full-size plates. BlazePose still reports the hips with visibility near 1.0 (on the shared
clips: 1.00 at every lockout) but may place them on the plate: on real outdoor deadlifts
filmed near the floor the shoulder-hip line then leaned back 20-26 deg on lifters who stood
upright, and ``hyperextended_lockout`` fired at major on sound lifts. Visibility alone therefore
cannot find the occlusion; the load's region does.

**Load region** (per frame, in pixels): a disc around the hands --

=====================  ===========================================  =============================
exercise               load                                          radius
=====================  ===========================================  =============================
deadlift, RDL          barbell plate centred on the bar (mid-wrist)  0.225 m (450 mm plate: IWF
                                                                     Technical and Competition
                                                                     Rules, bumper plate diameter)
box lift               box held at the hands                         0.20 m (heuristic: half the
                                                                     depth of a 40 cm box)
kettlebell deadlift    bell hanging 0.13 m below the hands           0.11 m (competition bells
                                                                     are 210 mm across)
hip hinge, squat       none (no load at the hands; a squat's plates
                       sit on the bar at the shoulders, where the
                       shoulder landmark lies anyway -- but see
                       below for the shoulder *line*)
=====================  ===========================================  =============================

**A squat filmed from the side**: the bar lies across the upper back and its near plate, centred on
it, covers both shoulders on screen. Their screen positions stay about right (the plate's hub is
where they are), but which shoulder is nearer the camera, and by how much, is hidden -- and that
depth is all a side view has of the shoulder line that ``twisting`` reads (the 3-D world
landmarks' shoulder-to-hip twist). The twist is therefore gated and ``twisting`` is *not checked*
for a squat filmed within ``SIDE_MAX_YAW_DEG`` of side-on (:data:`SQUAT_SHOULDERS_REASON`); on sound
squats of other people's clips it had fired at major. A squat without a bar loses that check from the side
too: the exercise does not say whether a bar is on the back.

Radii become pixels through the clip's scale (``stature_px`` / the lifter's height, 1.75 m when
not given), enlarged by ``NEAR_PLATE_SCALE`` because the near plate is about 0.5 m nearer the
camera than the lifter's mid-plane (bar sleeves start 0.65 m from the bar's centre) and so looks
larger. Only in a side view (camera yaw <= 30 deg): further round, the plate's 0.65 m offset
from the hands moves it off the body on screen (0.33 m at 30 deg).

**Hidden** joint (per frame): a hip well inside the load region (``DEEP_SHARE`` of its radius),
or a hip or knee whose best visibility (left or right) is below ``MIN_VISIBILITY``. Knees
behind the plate at the start of a deadlift are not hidden by the region test alone:
BlazePose's knee stays on the leg there (no false ``squatting_the_hinge`` on the shared clips),
while the hip's failure is documented.

Two more estimator failures of the same kind are handled here. The **far leg** filmed side-on is
behind the near one and guessed (visibility below ``MIN_VISIBILITY``, positions invented): a
left-minus-right signal needs both sides seen and is gated where either side is not
(``BOTH_SIDES_SIGNAL_JOINTS``; ``asymmetry`` is then *not checked*). The **feet** under a plate on the
floor are guessed or put onto the plate: the mid-foot the load is measured against is re-estimated
as the planted one (:func:`planted_midfoot`).

What is done about the hips and knees: **gating, not re-estimation.** A signal that needs a hidden joint
becomes NaN at those frames in the copy of the signals the fault rules read (rep detection
still sees the whole clip), so a metric read while its landmarks are hidden is NaN and its rule
does not fire. A fault whose metric was hidden in every rep is listed as *not checked* with the
reason (:func:`unavailable_faults`). Re-estimating the hip from the back outline of the person
mask (which the plate does not cover from the side) would need a new mask feature computed
while the pose is estimated; it is left for later (docs/kinematics.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.signal import butter, filtfilt

from liftsafe.kinematics.clean import CUTOFF_HZ
from liftsafe.kinematics.signals import mid_joint
from liftsafe.kinematics.view import SIDE_MAX_YAW_DEG  # the side band: beyond it the plate is off the body
from liftsafe.pose.layouts import joint_index
from liftsafe.pose.series import PoseSeries
from liftsafe.result import Exercise, FaultCode, View

PLATE_RADIUS_M = 0.225  # IWF rules: 450 mm plate diameter
BOX_RADIUS_M = 0.20  # heuristic
KETTLEBELL_RADIUS_M = 0.105  # 210 mm competition kettlebell
KETTLEBELL_DROP_M = 0.13  # heuristic: bell centre below the wrists (handle + horn)
REFERENCE_STATURE_M = 1.75  # when the lifter's height is not given
NEAR_PLATE_SCALE = 1.15  # heuristic: the near plate ~0.5 m nearer the camera at 2-4 m
MIN_VISIBILITY = 0.5  # heuristic: below it BlazePose's point is usually a guess
#: frame by frame, a hip is gated when it lies this deep inside the load's disc (share of the
#: radius from the hub): near the rim the plate covers only part of the pelvis and the estimate
#: stays on the body (heuristic); at the shared clips' lockouts the hips were 0.2-0.6 radii from
#: the hands. Whole windows (lockout, bottom) and the standing reference use the whole disc: an
#: estimate put *on* the plate lies anywhere on it.
DEEP_SHARE = 0.8
MIN_HIDDEN_SHARE = 0.5  # heuristic: a window is "hidden" when the joint is hidden in half its frames

LOADS: dict[Exercise, tuple[str, float, float]] = {  # name, radius (m), centre below the wrists (m)
    Exercise.DEADLIFT: ("plate", PLATE_RADIUS_M, 0.0),
    Exercise.RDL: ("plate", PLATE_RADIUS_M, 0.0),
    Exercise.BOX_LIFT: ("box", BOX_RADIUS_M, 0.0),
    Exercise.KETTLEBELL_DEADLIFT: ("kettlebell", KETTLEBELL_RADIUS_M, KETTLEBELL_DROP_M),
}

#: which joints' *screen positions* each signal reads (mid-points; "hip" = either hip).
SIGNAL_JOINTS: dict[str, tuple[str, ...]] = {
    "trunk_inclination_deg": ("hip",),
    "thigh_inclination_deg": ("hip", "knee"),
    "shin_angle_deg": ("knee",),
    "hip_flexion_deg": ("hip", "knee"),
    "knee_flexion_deg": ("hip", "knee"),
    "neck_extension_deg": ("hip",),
    "hip_back_bh": ("hip",),
    "hip_height_bh": ("hip",),
    "hip_drop_bh": ("hip",),
    "trunk_length_bh": ("hip",),
    "pelvis_shift_bh": ("hip",),
    "shoulder_hip_width_ratio": ("hip",),
    "hip_width_tl": ("hip",),
    "hip_back_m": ("hip",),
    "hip_height_m": ("hip",),
}

#: 3-D signals from the world landmarks. They are gated like the screen signals: the world
#: landmarks come from the same network pass as the screen ones, and a hip it places on the plate
#: (or guesses at low visibility) turns the hip line -- on a sound lift filmed side-on a
#: "twist" of 29 deg was read on the frames before the hips went behind the plate.
WORLD_SIGNAL_JOINTS: dict[str, tuple[str, ...]] = {
    "hip_lr_diff_deg": ("hip", "knee"),
    "knee_lr_diff_deg": ("hip", "knee"),
    "shoulder_hip_twist_deg": ("hip",),
}

#: left-minus-right signals and the joints they read on **both** sides: a difference needs both
#: sides seen. Filmed side-on, the far leg is behind the near one and BlazePose guesses it (on a
#: sound shared clip the far knee's visibility stayed at 0.0-0.37 through the bottom, and its
#: guessed angle made a 25-40 deg knee "asymmetry"); the best side's visibility, which gates the
#: other signals, does not see that.
BOTH_SIDES_SIGNAL_JOINTS: dict[str, tuple[str, ...]] = {
    "hip_lr_diff_deg": ("shoulder", "hip", "knee"),
    "knee_lr_diff_deg": ("hip", "knee", "ankle"),
}
ASYMMETRY_REASON = (
    "far-side leg not seen clearly (low landmark visibility): film from the front to check left/right balance"
)

#: why ``twisting`` is not checked in a squat filmed from the side (module docstring)
SQUAT_SHOULDERS_REASON = "shoulders hidden behind the plates on the bar (a squat filmed from the side)"
#: the world-landmark signals that read the shoulder line
SHOULDER_LINE_SIGNALS = ("shoulder_hip_twist_deg",)

#: the faults whose metric reads a joint in a window, and the reason shown when it is hidden there
FAULT_WINDOWS: dict[FaultCode, tuple[str, str]] = {
    FaultCode.HYPEREXTENDED_LOCKOUT: ("lockout", "hips hidden behind the {load} at lockout"),
    FaultCode.INCOMPLETE_LOCKOUT: ("lockout", "hips hidden behind the {load} at lockout"),
    FaultCode.SQUATTING_THE_HINGE: ("bottom", "hips or knees hidden behind the {load} at the bottom"),
    FaultCode.SHALLOW_HINGE: ("bottom", "hips or knees hidden behind the {load} at the bottom"),
    FaultCode.HIPS_RISE_FIRST: ("hips_rise", "hips hidden behind the {load} around the bottom of the lift"),
    FaultCode.JERKED_PULL: ("pull", "hips hidden behind the {load} during the pull"),
}


@dataclass(frozen=True, eq=False)
class Occlusion:
    """Per-frame hidden joints of a clip and the load region that hides them."""

    load: str | None
    radius_px: float
    centre_px: np.ndarray  # (frames, 2), NaN without a load
    hidden: dict[str, np.ndarray] = field(default_factory=dict)  # "hip" | "knee" -> bool per frame
    by_load: dict[str, np.ndarray] = field(default_factory=dict)  # on the load's disc (not visibility)
    deep: dict[str, np.ndarray] = field(default_factory=dict)  # deep behind the load or of low visibility
    low: dict[str, np.ndarray] = field(default_factory=dict)  # of low visibility
    #: joint -> frames where its *weaker* side (left or right) is of low visibility
    one_side_low: dict[str, np.ndarray] = field(default_factory=dict)
    #: frames either side of a dropped or hidden landmark that the low-pass filter and the gap
    #: filling smear it onto (:func:`smear_frames`)
    smear: int = 1

    def near_loss(self, joint: str) -> np.ndarray:
        """Frames within :attr:`smear` of a frame where ``joint``'s landmark was lost (low
        visibility: not detected, or a guess)."""
        low = self.low.get(joint)
        if low is None:
            return np.zeros(len(self.hidden.get(joint, ())), bool)
        return dilate(low, self.smear)

    def window_hidden(self, joint: str, a: int, b: int, window: str = "lockout") -> bool:
        """Whether ``joint`` is hidden in the frames ``[a, b)`` of ``window``: behind the load or of
        low visibility in at least ``MIN_HIDDEN_SHARE`` of them; for the windows in ``ANY_WINDOWS``,
        deep behind the load in any of them; for the windows read for a posture extreme
        (``WHOLE_WINDOWS``), also when any of its frames lies within :attr:`smear` of a frame where
        the landmark was lost -- the filter has spread the lost span's gap-filled guess into it."""
        hidden = self.hidden.get(joint)
        if hidden is None or b <= a:
            return False
        if window in WHOLE_WINDOWS and self.near_loss(joint)[a:b].any():
            return True
        if window in ANY_WINDOWS and joint in self.deep:
            deep_load = self.deep[joint] & ~self.low.get(joint, np.zeros(len(hidden), bool))
            if deep_load[a:b].any():
                return True
        return float(np.mean(hidden[a:b])) >= MIN_HIDDEN_SHARE

    def any_hidden(self) -> bool:
        """Whether any joint is hidden in any frame."""
        return any(bool(v.any()) for v in self.hidden.values())

    def gate(
        self, signals: dict[str, np.ndarray], reps: Sequence = (), *, fps: float = 30.0
    ) -> dict[str, np.ndarray]:
        """A copy of ``signals`` in which every signal that needs a hidden joint is NaN.

        Frame by frame: a lost landmark (low visibility: a guess, or bridged by gap filling)
        widened by :attr:`smear` frames either side -- the 6 Hz filter spreads it that far --, a
        hip deep behind the load by ``GATE_MARGIN_S``; so a velocity or a change read across a
        hidden stretch is not measured; except in the
        windows read for a posture extreme (``WHOLE_WINDOWS``: lockout, bottom), which are gated
        whole when the joint is hidden (:meth:`window_hidden`: in at least ``MIN_HIDDEN_SHARE`` of
        them, or within the smear of a lost landmark) and not at all otherwise -- dropping only
        the hidden frames of
        a lockout would leave the frames before the hips are locked out, an "incomplete lockout"
        made by the gate itself.
        """
        out = dict(signals)
        if not self.any_hidden():
            return out
        n = len(next(iter(self.hidden.values())))
        drop, keep = self._drop_masks(reps, fps, n)
        for table in (SIGNAL_JOINTS, WORLD_SIGNAL_JOINTS):
            for name, joints in table.items():
                values = out.get(name)
                if values is None or len(values) != n:
                    continue
                mask = np.zeros(n, bool)
                for j in joints:
                    if j in drop:
                        mask |= drop[j] & ~keep[j]
                if mask.any():
                    out[name] = np.where(mask, np.nan, np.asarray(values, float))
        return out

    def both_sides_lost(self, name: str, n: int) -> np.ndarray:
        """Frames where a left-minus-right signal (``BOTH_SIDES_SIGNAL_JOINTS``) is not measured: one
        side of a joint it reads is of low visibility, widened by the filter's smear."""
        mask = np.zeros(n, bool)
        for j in BOTH_SIDES_SIGNAL_JOINTS.get(name, ()):
            low = self.one_side_low.get(j)
            if low is not None and len(low) == n:
                mask |= dilate(low, self.smear)
        return mask

    def gate_both_sides(self, signals: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A copy of ``signals`` in which each left-minus-right signal is NaN where
        :meth:`both_sides_lost` says so."""
        out = dict(signals)
        for name in BOTH_SIDES_SIGNAL_JOINTS:
            values = out.get(name)
            if values is None:
                continue
            mask = self.both_sides_lost(name, len(values))
            if mask.any():
                out[name] = np.where(mask, np.nan, np.asarray(values, float))
        return out

    def _drop_masks(
        self, reps: Sequence, fps: float, n: int
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per joint: frames to gate, and frames of whole windows kept ungated (see :meth:`gate`)."""
        drop: dict[str, np.ndarray] = {}
        keep: dict[str, np.ndarray] = {}
        load_margin = max(1, int(round(GATE_MARGIN_S * fps)))
        for j in self.hidden:
            low = self.low.get(j, np.zeros(n, bool))
            deep = self.deep.get(j, self.hidden[j]) & ~low
            drop[j] = dilate(low, self.smear) | dilate(deep, load_margin)
            keep[j] = np.zeros(n, bool)
        for rep in reps:
            for window in WHOLE_WINDOWS + ANY_WINDOWS:
                a, b = _window(rep, window, fps)
                a, b = max(0, a), min(n, max(a + 1, b))
                if a >= b:
                    continue
                for j in self.hidden:
                    if self.window_hidden(j, a, b, window):
                        drop[j][a:b] = True
                    elif window in WHOLE_WINDOWS:
                        keep[j][a:b] = True
        return drop, keep


#: a hip deep behind the load is a measured point that slides onto the plate (the deep test already
#: leaves out the disc's rim): its neighbours are gated one frame at 30 fps either side (heuristic)
GATE_MARGIN_S = 0.034
#: a frame is "reached" by a lost or hidden landmark while the filter's impulse response is at
#: least this share of its peak (5 %: the usual settling band of a step response)
SMEAR_TOLERANCE = 0.05


def smear_frames(
    fps: float, *, cutoff_hz: float = CUTOFF_HZ, order: int = 2, tolerance: float = SMEAR_TOLERANCE
) -> int:
    """How many frames either side of a sample the cleaning filter spreads it over.

    The half-width of the impulse response of the zero-phase Butterworth low-pass that
    :func:`liftsafe.kinematics.clean.lowpass` applies (run forwards and backwards, so of order
    ``2 * order``), where its magnitude stays at least ``tolerance`` of the peak. A landmark put
    on the plate, or a lost span bridged by linear gap filling, shows through the filter that far:
    4 frames at 30 fps (0.13 s) for the 6 Hz cut-off (Winter 2009), 3 at 24 fps, 7 at 60 fps. It
    depends on the filter and the frame rate only, never on a clip.
    """
    nyquist = fps / 2.0
    if not np.isfinite(fps) or fps <= 0 or cutoff_hz >= nyquist * 0.95:
        return 1  # the filter is not applied; the neighbouring frame still shares a video frame's blur
    b, a = butter(order, cutoff_hz / nyquist)
    half = int(np.ceil(4 * fps / cutoff_hz)) + 10
    x = np.zeros(2 * half + 1)
    x[half] = 1.0
    y = np.abs(filtfilt(b, a, x))
    reached = np.flatnonzero(y >= tolerance * y.max())
    return max(1, int(np.max(np.abs(reached - half))))


def dilate(mask: np.ndarray, frames: int) -> np.ndarray:
    """``mask`` widened by ``frames`` either side."""
    mask = np.asarray(mask, bool)
    out = mask.copy()
    for k in range(1, max(0, frames) + 1):
        out[k:] |= mask[:-k]
        out[:-k] |= mask[k:]
    return out


#: the feet are planted: the mid-foot of a frame is the median of where it was seen within this
#: many seconds either side (heuristic: about a third of a deadlift rep, so a glitch of a few frames
#: or a hidden stretch of the pull is outvoted, while a step between sets is followed)
PLANTED_WINDOW_S = 1.0
#: a seen mid-foot farther than this from that median has slipped off the foot (body heights;
#: heuristic: 5 cm for a 1.75 m lifter -- BlazePose's jitter is a tenth of it, and a heel that rises
#: 5 cm moves the heel-toe mid-point about half that)
FOOT_SLIP_BH = 0.03
#: at least this many seen frames make a median (heuristic)
MIN_SEEN_FOOT_FRAMES = 3


def planted_midfoot(
    signals: dict[str, np.ndarray], occlusion: Occlusion, *, fps: float, height_m: float | None = None
) -> dict[str, np.ndarray]:
    """A copy of ``signals`` read against a **re-estimated**, planted mid-foot.

    Filmed from the side, the barbell plates stand between the camera and the feet while the bar
    is low, and BlazePose guesses the heels and toes: their visibility falls below
    ``MIN_VISIBILITY`` during the pull, or -- with the visibility still above it -- the feet jump
    onto the plate for a few frames as the bar passes them (on sound shared clips: 5-10 cm up and
    back in two frames). Everything read against the mid-foot moves with the guess: the load's
    distance ahead of it (``hand_forward_bh``, read for ``load_far_from_body`` in the initial pull)
    and the hips' distance behind it; the heel's rise over the toe moves with it too.

    The feet stay planted through a lift, so the mid-foot of each frame is taken as the median of
    the mid-foot positions *seen* (visibility at least ``MIN_VISIBILITY``, away from a lost one by
    the filter's smear) within ``PLANTED_WINDOW_S`` either side; ``hand_forward`` and ``hip_back``
    are read against it (NaN with fewer than ``MIN_SEEN_FOOT_FRAMES`` seen frames there).
    ``heel_lift`` is NaN where the feet were not seen or had slipped more than ``FOOT_SLIP_BH``
    from that median (widened by the smear): a heel guessed behind a plate has no height.
    """
    fx, fy = signals.get("midfoot_forward_bh"), signals.get("midfoot_up_bh")
    low = occlusion.low.get("foot")
    if fx is None or fy is None or low is None or len(fx) != len(low):
        return signals
    n = len(fx)
    fx, fy = np.asarray(fx, float), np.asarray(fy, float)
    seen = ~dilate(low, occlusion.smear) & np.isfinite(fx) & np.isfinite(fy)
    half = max(1, int(round(PLANTED_WINDOW_S * fps)))
    ref_x, ref_y = np.full(n, np.nan), np.full(n, np.nan)
    idx = np.flatnonzero(seen)
    if idx.size >= MIN_SEEN_FOOT_FRAMES:
        lo = np.searchsorted(idx, np.arange(n) - half)
        hi = np.searchsorted(idx, np.arange(n) + half, side="right")
        for i in range(n):
            near = idx[lo[i] : hi[i]]
            if near.size >= MIN_SEEN_FOOT_FRAMES:
                ref_x[i], ref_y[i] = np.median(fx[near]), np.median(fy[near])
    with np.errstate(invalid="ignore"):
        slipped = np.hypot(fx - ref_x, fy - ref_y) > FOOT_SLIP_BH
    lost = ~seen | dilate(slipped, occlusion.smear) | ~np.isfinite(ref_x)
    shift = ref_x - fx  # where the planted mid-foot is, relative to the landmarks' one
    out = dict(signals)
    out["midfoot_forward_bh"] = ref_x
    for name, sign in (("hand_forward", -1.0), ("hip_back", 1.0)):
        values = signals.get(f"{name}_bh")
        if values is None:
            continue
        out[f"{name}_bh"] = np.asarray(values, float) + sign * shift
        if height_m is not None and f"{name}_m" in signals:
            out[f"{name}_m"] = out[f"{name}_bh"] * height_m
    for name in ("heel_lift_bh", "heel_lift_m"):
        values = signals.get(name)
        if values is not None and len(values) == n:
            out[name] = np.where(lost, np.nan, np.asarray(values, float))
    return out


WHOLE_WINDOWS = ("lockout", "bottom")
#: windows gated whole when the joint is deep behind the load in any frame: ``hips_rise_first``
#: looks for the hips' lowest point there and compares the trunk with it -- a hip sliding onto the
#: plate in the descent (a camera near the floor looks up through the plate) becomes that point
ANY_WINDOWS = ("hips_rise",)


def _visibility(series: PoseSeries, joint: str) -> np.ndarray:
    if joint == "foot":  # the mid-foot is read from the heels and the toes (the ankles without them)
        if joint_index(series.layout, "left_heel") is None:
            return _visibility(series, "ankle")
        return np.minimum(_visibility(series, "heel"), _visibility(series, "foot_index"))
    return np.maximum(series.joint_confidence(f"left_{joint}"), series.joint_confidence(f"right_{joint}"))


def side_on(view: View, yaw_deg: float) -> bool:
    """Whether the camera is side-on enough for a plate to cover the body on screen: a side view,
    or any view but the front within ``SIDE_MAX_YAW_DEG`` of side-on."""
    if view == View.SIDE:
        return True
    return bool(np.isfinite(yaw_deg) and yaw_deg <= SIDE_MAX_YAW_DEG and view != View.FRONT)


def find_occlusion(
    series: PoseSeries,
    *,
    exercise: Exercise,
    view: View,
    yaw_deg: float,
    stature_px: float,
    height_m: float | None = None,
) -> Occlusion:
    """Which joints the load (or low visibility) hides in each frame of ``series`` (raw confidences)."""
    n = series.n_frames
    centre = np.full((n, 2), np.nan)
    load = LOADS.get(exercise)
    side = side_on(view, yaw_deg)
    radius_px = float("nan")
    by_load: dict[str, np.ndarray] = {}
    deep: dict[str, np.ndarray] = {}
    if load is not None and side and np.isfinite(stature_px) and stature_px > 0:
        px_per_m = stature_px / (height_m or REFERENCE_STATURE_M)
        radius_px = load[1] * px_per_m * NEAR_PLATE_SCALE
        centre = mid_joint(series, "wrist").copy()
        centre[:, 1] += load[2] * px_per_m  # image y grows downwards
        hip = mid_joint(series, "hip")
        with np.errstate(invalid="ignore"):
            r = np.hypot(*(hip - centre).T)
        by_load["hip"] = r < radius_px
        deep["hip"] = r < DEEP_SHARE * radius_px
    hidden: dict[str, np.ndarray] = {}
    hidden_deep: dict[str, np.ndarray] = {}
    lows: dict[str, np.ndarray] = {}
    lows["foot"] = _visibility(series, "foot") < MIN_VISIBILITY  # read by planted_midfoot only
    for joint in ("hip", "knee"):
        low = lows[joint] = _visibility(series, joint) < MIN_VISIBILITY
        hidden[joint] = low | by_load.get(joint, np.zeros(n, bool))
        hidden_deep[joint] = low | deep.get(joint, np.zeros(n, bool))
    one_side_low = {
        j: np.minimum(series.joint_confidence(f"left_{j}"), series.joint_confidence(f"right_{j}"))
        < MIN_VISIBILITY
        for j in ("shoulder", "hip", "knee", "ankle")
    }
    return Occlusion(
        load=load[0] if load and np.isfinite(radius_px) else None,
        radius_px=radius_px,
        centre_px=centre,
        hidden=hidden,
        by_load=by_load,
        deep=hidden_deep,
        low=lows,
        one_side_low=one_side_low,
        smear=smear_frames(float(series.fps)),
    )


def _window(rep, name: str, fps: float) -> tuple[int, int]:
    ascent = max(1, rep.ascent_end - rep.bottom_end)
    if name == "lockout":
        if rep.end_frame - rep.ascent_end >= 2:
            return rep.ascent_end, min(rep.end_frame, rep.ascent_end + max(2, int(0.5 * fps)))
        return rep.ascent_end - max(1, int(0.15 * ascent)), rep.ascent_end + 1
    if name == "bottom":
        return rep.bottom_start, rep.bottom_end + 1
    if (
        name == "hips_rise"
    ):  # where technique.metrics looks for the hips' lowest point, through the early ascent
        return rep.bottom_start - int(0.5 * fps), rep.bottom_end + max(2, int(round(0.4 * ascent))) + 1
    if name == "pull":
        return rep.bottom_start, rep.bottom_end + max(1, ascent // 2) + 1
    return rep.bottom_end, rep.bottom_end + max(2, int(round(0.4 * ascent))) + 1  # early ascent


def rep_unavailable_faults(occlusion: Occlusion, rep, *, fps: float) -> dict[str, str]:
    """Fault code -> reason, for the faults whose joints were hidden in their window in ``rep``."""
    out: dict[str, str] = {}
    if not occlusion.hidden:
        return out
    n = len(next(iter(occlusion.hidden.values())))
    a, b = _window(rep, "bottom", fps)
    a, b = max(0, a), min(n, max(a + 1, b))
    if b > a and all(
        float(np.mean(occlusion.both_sides_lost(name, n)[a:b])) >= MIN_HIDDEN_SHARE
        for name in BOTH_SIDES_SIGNAL_JOINTS
    ):
        out[FaultCode.ASYMMETRY.value] = ASYMMETRY_REASON
    for code, (window, reason) in FAULT_WINDOWS.items():
        joints = ("hip",) if window in ("lockout", "hips_rise", "pull") else ("hip", "knee")
        a, b = _window(rep, window, fps)
        a = max(0, a)
        b = min(n, max(a + 1, b))
        hidden_here = [j for j in joints if occlusion.window_hidden(j, a, b, window)]
        if not hidden_here:
            continue
        need = 0.0 if window in ANY_WINDOWS else MIN_HIDDEN_SHARE
        by_load = any(
            occlusion.by_load.get(j) is not None
            and b > a
            and float(np.mean(occlusion.by_load[j][a:b])) >= max(need, 1e-9)
            for j in hidden_here
        )
        if by_load and occlusion.load:
            out[code.value] = reason.format(load=occlusion.load)
        else:
            out[code.value] = reason.format(load="load").replace(
                "hidden behind the load", "not seen clearly (low landmark visibility)"
            )
    return out


def unavailable_faults(
    occlusion: Occlusion, reps: Sequence, *, fps: float, view: View | None = None
) -> dict[str, str]:
    """Fault code -> reason, for faults whose joints were hidden in their window in every rep.

    The provider of the verdict's *not checked* list (see the module docstring). ``reps`` are the
    rep spans (:class:`liftsafe.reps.detect.RepSpan`).
    """
    del view  # the view's own limits are the threshold table's business
    per_rep = [rep_unavailable_faults(occlusion, rep, fps=fps) for rep in reps]
    if not per_rep:
        return {}
    common = set(per_rep[0]).intersection(*per_rep[1:])
    return {code: per_rep[0][code] for code in FAULT_CODES_ORDER if code in common}


FAULT_CODES_ORDER = (*(c.value for c in FAULT_WINDOWS), FaultCode.ASYMMETRY.value)


@dataclass(frozen=True, eq=False)
class RuleInputs:
    """What the fault rules read instead of the raw signals: gated signals, faults not checkable
    in this clip (code -> reason), notes for the result, and the occlusion found."""

    signals: dict[str, np.ndarray]
    unavailable: dict[str, str]
    notes: tuple[str, ...]
    occlusion: Occlusion
    standing_trunk_deg: float
    by_rep: tuple[dict[str, str], ...] = ()  # per rep: fault code -> reason its joints were hidden


def rule_inputs(
    series: PoseSeries,
    signals: dict[str, np.ndarray],
    reps: Sequence,
    *,
    exercise: Exercise,
    view: View,
    yaw_deg: float,
    stature_px: float,
    fps: float,
    height_m: float | None = None,
) -> RuleInputs:
    """Gate the signals for the rules (hidden joints -> NaN) and refer the trunk's inclination to
    the lifter's own standing posture when the clip has one (see docs/kinematics.md)."""
    from liftsafe.kinematics.gravity import standing_trunk_deg

    occ = find_occlusion(
        series, exercise=exercise, view=view, yaw_deg=yaw_deg, stature_px=stature_px, height_m=height_m
    )
    footed = planted_midfoot(signals, occ, fps=fps, height_m=height_m)
    gated = occ.gate_both_sides(occ.gate(footed, reps, fps=fps))
    notes: list[str] = []
    ref = float("nan")
    trunk = signals.get("trunk_inclination_deg")
    if trunk is not None and reps:
        first = reps[0].descent_start if reps[0].descent_start is not None else reps[0].start_frame
        ref = standing_trunk_deg(trunk, ~occ.hidden.get("hip", np.zeros(len(trunk), bool)), first, fps)
        if np.isfinite(ref):
            gated["trunk_inclination_deg"] = gated["trunk_inclination_deg"] - ref
    unavailable = unavailable_faults(occ, reps, fps=fps, view=view)
    if trunk is not None and reps and occ.load is not None:
        upright = np.isfinite(trunk) & (np.abs(trunk) <= 20.0)  # technique.metrics' standing frames
        seen = upright & ~occ.hidden.get("hip", np.zeros(len(trunk), bool))
        if upright.sum() >= 3 and seen.sum() < 3:
            unavailable[FaultCode.HEAD_OUT_OF_LINE.value] = (
                f"hips hidden behind the {occ.load} whenever the lifter stands upright, "
                "where the head's reference posture is read"
            )
    # the far leg's reason carries its own filming advice (from the front), not this one
    by_load = {c: r for c, r in unavailable.items() if r != ASYMMETRY_REASON}
    if by_load:
        reasons = sorted(set(by_load.values()))
        notes.append(
            "not checked: "
            + "; ".join(
                f"{', '.join(sorted(c for c, r in by_load.items() if r == reason))} ({reason})"
                for reason in reasons
            )
            + ". To check them, film from a little in front of side-on (30-40 deg), "
            "where the plate no longer covers the hips"
        )
    by_rep = tuple(rep_unavailable_faults(occ, rep, fps=fps) for rep in reps)
    if exercise == Exercise.SQUAT and side_on(view, yaw_deg):
        for name in SHOULDER_LINE_SIGNALS:
            if name in gated:
                gated[name] = np.full(len(gated[name]), np.nan)
        unavailable[FaultCode.TWISTING.value] = SQUAT_SHOULDERS_REASON
    return RuleInputs(
        signals=gated,
        unavailable=unavailable,
        notes=tuple(notes),
        occlusion=occ,
        standing_trunk_deg=ref,
        by_rep=by_rep,
    )
