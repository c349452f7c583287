"""The simulated lifter: configuration, simulation and the true signals.

``simulate_lift(SimConfig(...))`` returns a :class:`SimulatedLift` whose ``series`` is a
BlazePose-33 :class:`~liftsafe.pose.series.PoseSeries` in pixels (as an estimator would
give), and whose ``truth``, ``reps`` and ``injected`` say exactly what happened.

Truth signals (degrees / metres) are computed from the noise-free 3-D keypoints in the
body frame (x = the direction the lifter faces, y = up, z = the lifter's right); sagittal
angles use (x, y) only:

* ``trunk_inclination_deg``: mid-hip -> mid-shoulder from vertical-up, + shoulders forward.
* ``thigh_inclination_deg``: mid-hip -> mid-knee from vertical-down, + knee forward of hip.
* ``shin_angle_deg``: mid-ankle -> mid-knee from vertical-up, + knee forward of ankle.
* ``hip_flexion_deg`` = trunk + thigh; ``knee_flexion_deg`` = thigh + shin.
* ``neck_extension_deg``: signed angle from the trunk vector to mid-shoulder -> mid-ear,
  counter-clockwise + in (x forward, y up): + head tilted back, - dropped.
* ``lumbar_flexion_deg``, ``thoracic_flexion_deg``, ``spine_flexion_deg`` (their sum): the
  model's true bends.
* ``hand_forward_m``: x of mid-wrist minus x of the mid-foot (mean of both heels and toes).
* ``heel_lift_m``: mean height of the two heel points above the floor.
* ``pelvis_lateral_m``: z of mid-hip minus z of mid-ankle (+ = towards the lifter's right).
* ``shoulder_hip_twist_deg``: horizontal-plane angle of the left->right shoulder line minus
  that of the hip line (+ = right shoulder turned forward relative to the hips).
* ``left_right_knee_diff_deg`` / ``left_right_hip_diff_deg``: left minus right flexion.
* per side: ``left_/right_`` ``thigh_inclination_deg``, ``shin_angle_deg``,
  ``knee_flexion_deg``, ``hip_flexion_deg`` (side thigh + mid trunk inclination).
* ``hip_height_m``, ``shoulder_height_m``: mid-hip / mid-shoulder height above the floor.
* ``rep_index``: 0-based index of the rep a frame belongs to, -1 outside reps.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Collection, Mapping

import numpy as np

from liftsafe.errors import InputError
from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.pose.series import PoseSeries
from liftsafe.result import Exercise, FaultCode, Tempo
from liftsafe.simulate.body import BodyDims, build_body
from liftsafe.simulate.camera import Camera
from liftsafe.simulate.faults import FAULT_DEFAULTS, apply_fault
from liftsafe.simulate.motion import ARM_MODES, BOTTOM_POSTURES, RepPlan, build_timeline

PHASES: tuple[str, ...] = ("setup", "descent", "bottom", "ascent", "lockout")


@dataclass(frozen=True)
class SimConfig:
    """Everything that defines a simulated clip. Deterministic for a given ``seed``.

    ``faults`` maps a 0-based rep index to the fault codes injected into that rep;
    ``fault_magnitudes`` overrides :data:`~liftsafe.simulate.faults.FAULT_DEFAULTS`.
    ``start_mid_rep`` cuts the clip so it begins halfway through the first rep's descent
    (``idle_before_s`` is then ignored); ``end_mid_rep`` ends it halfway through the last
    rep's ascent (``idle_after_s`` ignored). ``camera_height_m`` defaults to half the body height.

    Noise: ``noise_px`` is the standard deviation of the pixel noise of every coordinate;
    ``noise_correlation`` (0 <= rho < 1) makes it an AR(1) process over frames (estimator
    jitter is temporally correlated) with the same standard deviation. ``dropout_rate`` drops
    single points (NaN, confidence 0) at random; ``lost_frames`` lists half-open frame ranges
    ``(start, stop)`` in which the whole person is missing. ``tempo_jitter`` varies each
    phase duration of each rep by a random factor ``1 + N(0, tempo_jitter)`` (clipped to
    0.5..1.5; fault tempos such as ``jerked_pull`` are kept). ``far_side_confidence_range``
    (e.g. ``(0.3, 0.7)``) gives points on the side of the body away from the camera a lower
    confidence, as BlazePose does for occluded points (only where the left/right pair differs
    in depth by more than 5 cm, i.e. not in a front view).

    Filming conditions: ``camera_pitch_deg`` (+ looking up) and ``camera_roll_deg`` (+ the
    horizon turned counter-clockwise on screen) turn the camera; ``camera_height_m`` places it
    (floor level 0.1 m to chest height ~1.4 m). Points outside the image get a confidence of
    ``OUT_OF_FRAME_CONFIDENCE`` (dropped by the analysis, as BlazePose's guesses off-screen are).

    ``load="plates"`` puts 450 mm plates on the bar (centred between the wrists; the two plates
    ``PLATE_OFFSET_M`` either side of the bar's centre). A body point whose line of sight crosses
    the near plate is *hidden*: its confidence is drawn from ``hidden_confidence_range`` and its
    position gets ``hidden_noise_px`` of extra noise. ``hip_on_plate`` (0..1) reproduces the
    estimator's documented failure: a hidden hip is put on the plate, at the hub plus that share of
    the plate's radius towards the lifter's front (0 = the hip stays where it is).
    """

    exercise: Exercise | str = Exercise.DEADLIFT
    n_reps: int = 3
    fps: float = 30.0
    setup_s: float = 0.4
    descent_s: float = 1.2
    pause_s: float = 0.3
    ascent_s: float = 1.0
    lockout_s: float = 0.6
    idle_before_s: float = 1.0
    idle_after_s: float = 1.0
    start_mid_rep: bool = False
    end_mid_rep: bool = False
    noise_px: float = 1.0
    noise_correlation: float = 0.0
    dropout_rate: float = 0.0
    lost_frames: tuple[tuple[int, int], ...] = ()
    tempo_jitter: float = 0.0
    confidence_range: tuple[float, float] = (0.9, 1.0)
    far_side_confidence_range: tuple[float, float] | None = None
    seed: int = 0
    facing: int = 1
    camera_yaw_deg: float = 0.0
    camera_distance_m: float = 3.0
    camera_height_m: float | None = None
    pixels_per_m: float = 330.0
    projection: str = "pinhole"
    image_size: tuple[int, int] = (1280, 720)
    body_height_m: float = 1.75
    faults: Mapping[int, Collection[FaultCode | str]] = field(default_factory=dict)
    fault_magnitudes: Mapping[FaultCode | str, float] = field(default_factory=dict)
    with_world: bool = True
    camera_pitch_deg: float = 0.0
    camera_roll_deg: float = 0.0
    load: str | None = None
    plate_radius_m: float = 0.225
    hidden_confidence_range: tuple[float, float] = (0.6, 1.0)
    hidden_noise_px: float = 3.0
    hip_on_plate: float = 0.0
    loose_top_m: float = 0.0
    loose_top_wrinkles: float = 0.35

    def __post_init__(self) -> None:
        try:
            exercise = Exercise(self.exercise)
        except ValueError:
            raise InputError(
                f"exercise must be one of {', '.join(e.value for e in Exercise)}; got {self.exercise!r}"
            ) from None
        object.__setattr__(self, "exercise", exercise)
        checks = [
            (
                isinstance(self.n_reps, (int, np.integer)) and self.n_reps >= 1,
                "n_reps must be an integer >= 1",
            ),
            (self.fps > 0, "fps must be > 0"),
            (self.descent_s > 0 and self.ascent_s > 0, "descent_s and ascent_s must be > 0"),
            (
                min(self.setup_s, self.pause_s, self.lockout_s, self.idle_before_s, self.idle_after_s) >= 0,
                "setup_s, pause_s, lockout_s, idle_before_s and idle_after_s must be >= 0",
            ),
            (self.noise_px >= 0, "noise_px must be >= 0"),
            (0 <= self.noise_correlation < 1, "noise_correlation must be in [0, 1)"),
            (0 <= self.tempo_jitter <= 0.5, "tempo_jitter must be in [0, 0.5]"),
            (
                all(len(r) == 2 and 0 <= r[0] <= r[1] for r in self.lost_frames),
                "lost_frames must be (start, stop) frame pairs with 0 <= start <= stop",
            ),
            (0 <= self.dropout_rate < 1, "dropout_rate must be in [0, 1)"),
            (
                0 <= self.confidence_range[0] <= self.confidence_range[1] <= 1,
                "confidence_range must be 0 <= low <= high <= 1",
            ),
            (
                self.far_side_confidence_range is None
                or 0 <= self.far_side_confidence_range[0] <= self.far_side_confidence_range[1] <= 1,
                "far_side_confidence_range must be None or 0 <= low <= high <= 1",
            ),
            (self.facing in (1, -1), "facing must be +1 (image-right) or -1 (image-left)"),
            (self.body_height_m > 0.5, "body_height_m must be > 0.5"),
            (self.camera_distance_m > 0.5, "camera_distance_m must be > 0.5"),
            (self.pixels_per_m > 0, "pixels_per_m must be > 0"),
            (
                self.projection in ("pinhole", "orthographic"),
                "projection must be 'pinhole' or 'orthographic'",
            ),
            (
                self.image_size[0] > 0 and self.image_size[1] > 0,
                "image_size must be positive (width, height)",
            ),
            (
                abs(self.camera_pitch_deg) <= 45 and abs(self.camera_roll_deg) <= 45,
                "camera_pitch_deg and camera_roll_deg must be within +-45",
            ),
            (self.load in (None, "plates"), "load must be None or 'plates'"),
            (self.plate_radius_m > 0, "plate_radius_m must be > 0"),
            (
                0 <= self.hidden_confidence_range[0] <= self.hidden_confidence_range[1] <= 1,
                "hidden_confidence_range must be 0 <= low <= high <= 1",
            ),
            (0 <= self.hip_on_plate <= 1.5, "hip_on_plate must be in [0, 1.5]"),
            (0 <= self.loose_top_m <= 0.15, "loose_top_m must be in [0, 0.15] m"),
            (0 <= self.loose_top_wrinkles <= 1, "loose_top_wrinkles must be in [0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise InputError(f"simulation config: {message}")
        faults: dict[int, frozenset[FaultCode]] = {}
        for rep, codes in dict(self.faults).items():
            if not (isinstance(rep, (int, np.integer)) and 0 <= rep < self.n_reps):
                raise InputError(
                    f"simulation config: fault rep index {rep!r} is outside 0..{self.n_reps - 1} (0-based)"
                )
            faults[int(rep)] = frozenset(_fault_code(c) for c in codes)
        object.__setattr__(self, "faults", faults)
        mags = {_fault_code(c): float(v) for c, v in dict(self.fault_magnitudes).items()}
        object.__setattr__(self, "fault_magnitudes", mags)

    def __hash__(self) -> int:
        def freeze(value: Any) -> Any:
            if isinstance(value, Mapping):
                return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
            if isinstance(value, (set, frozenset)):
                return tuple(sorted(str(v) for v in value))
            return value

        return hash(tuple(freeze(getattr(self, f.name)) for f in fields(self)))

    def magnitude(self, code: FaultCode) -> float:
        """Size of a simulated fault (its default unless configured)."""
        return float(self.fault_magnitudes.get(code, FAULT_DEFAULTS[code]))

    def camera(self) -> Camera:
        """The simulated camera."""
        height = self.camera_height_m if self.camera_height_m is not None else 0.5 * self.body_height_m
        return Camera(
            yaw_deg=self.camera_yaw_deg,
            facing=self.facing,
            distance_m=self.camera_distance_m,
            height_m=height,
            pixels_per_m=self.pixels_per_m,
            image_size=(int(self.image_size[0]), int(self.image_size[1])),
            projection=self.projection,
            pitch_deg=self.camera_pitch_deg,
            roll_deg=self.camera_roll_deg,
        )


def _fault_code(value: Any) -> FaultCode:
    try:
        return FaultCode(value)
    except ValueError:
        raise InputError(
            f"simulation config: unknown fault {value!r}; expected one of "
            f"{', '.join(c.value for c in FaultCode)}"
        ) from None


@dataclass(frozen=True)
class TrueRep:
    """A rep as simulated. Frame pairs are half-open ``(start, stop)`` like Python slices.

    ``start_frame`` is the first frame of the setup phase (standing, braced; motion starts
    at ``phases["descent"][0]``), ``end_frame`` is one past the last lockout frame,
    ``bottom_frame`` the middle of the bottom pause. ``complete`` is False for a rep the clip
    starts or ends in the middle of (boundaries outside the clip are clipped to it).
    """

    index: int  # 1-based, like liftsafe.result.Rep.index
    start_frame: int
    bottom_frame: int
    end_frame: int
    phases: dict[str, tuple[int, int]]
    phase_times_s: dict[str, tuple[float, float]]
    tempo: Tempo
    complete: bool = True


@dataclass(frozen=True, eq=False)
class SimulatedLift:
    """A simulated clip: what an estimator would output plus the ground truth."""

    series: PoseSeries
    truth: dict[str, np.ndarray]
    reps: list[TrueRep]
    injected: list[frozenset[FaultCode]]
    config: SimConfig
    body_m: dict[str, np.ndarray]  # noise-free body-frame points (frames, 3), incl. extras
    params: dict[str, np.ndarray]  # posture parameters per frame (see body.Posture)
    xy_clean: np.ndarray  # noise-free projected keypoints (frames, 33, 2)
    camera: Camera
    dims: BodyDims

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return self.series.n_frames


def _plans(config: SimConfig, dims: BodyDims) -> list[RepPlan]:
    bottom = BOTTOM_POSTURES[config.exercise]
    plans = []
    tempo_rng = np.random.default_rng([config.seed, 1])  # own stream: noise stays the same
    for i in range(config.n_reps):
        factors = np.ones(5)
        if config.tempo_jitter > 0:
            factors = np.clip(1 + tempo_rng.normal(0.0, config.tempo_jitter, 5), 0.5, 1.5)
        plan = RepPlan(
            setup_s=config.setup_s * factors[0],
            descent_s=config.descent_s * factors[1],
            pause_s=config.pause_s * factors[2],
            ascent_s=config.ascent_s * factors[3],
            lockout_s=config.lockout_s * factors[4],
            bottom=bottom,
            bottom_end=bottom,
        )
        for code in FaultCode:  # fixed order so combinations are deterministic
            if code in config.faults.get(i, ()):
                plan = apply_fault(plan, code, config.magnitude(code), dims)
        plans.append(plan)
    return plans


def simulate_lift(config: SimConfig | None = None) -> SimulatedLift:
    """Simulate a clip of ``config.n_reps`` reps; see :class:`SimConfig` and the module docs."""
    config = config or SimConfig()
    dims = BodyDims.for_height(config.body_height_m)
    plans = _plans(config, dims)
    rep_times, total_s, tracks = build_timeline(
        plans, idle_before_s=config.idle_before_s, idle_after_s=config.idle_after_s
    )
    t_cut = 0.0
    if config.start_mid_rep:
        t_cut = rep_times[0].descent_start + 0.5 * plans[0].descent_s
    t_end = total_s
    if config.end_mid_rep:
        last = rep_times[-1]
        t_end = last.bottom_end + 0.5 * (last.ascent_end - last.bottom_end)
    n_frames = int(np.ceil((t_end - t_cut) * config.fps - 1e-6))  # frames at k/fps < end
    times = t_cut + np.arange(n_frames) / config.fps
    params = tracks.evaluate(times)
    body = build_body(params, dims, arm_mode=ARM_MODES[config.exercise])
    truth = measure_body(body, params)

    def frame(t: float) -> int:
        return int(min(max(round((t - t_cut) * config.fps), 0), n_frames))

    reps: list[TrueRep] = []
    rep_index = np.full(n_frames, -1, dtype=int)
    for i, (rt, plan) in enumerate(zip(rep_times, plans)):
        bounds = [
            rt.setup_start,
            rt.descent_start,
            rt.bottom_start,
            rt.bottom_end,
            rt.ascent_end,
            rt.lockout_end,
        ]
        frames = [frame(t) for t in bounds]
        phases = {name: (frames[k], frames[k + 1]) for k, name in enumerate(PHASES)}
        phase_times = {
            name: tuple(float(np.clip(bounds[k + j] - t_cut, 0.0, t_end - t_cut)) for j in (0, 1))
            for k, name in enumerate(PHASES)
        }
        bottom = frame((rt.bottom_start + rt.bottom_end) / 2)
        reps.append(
            TrueRep(
                index=i + 1,
                start_frame=frames[0],
                bottom_frame=min(bottom, n_frames - 1),
                end_frame=frames[-1],
                phases=phases,
                phase_times_s=phase_times,
                tempo=Tempo(descent_s=plan.descent_s, pause_s=plan.pause_s, ascent_s=plan.ascent_s),
                complete=rt.setup_start >= t_cut and rt.lockout_end <= t_end + 1e-9,
            )
        )
        rep_index[frames[0] : frames[-1]] = i
    truth["rep_index"] = rep_index

    camera = config.camera()
    points = np.stack([body[name] for name in BLAZEPOSE33], axis=1)  # (F, 33, 3)
    xy_clean = camera.project(points)
    rng = np.random.default_rng(config.seed)
    xy = xy_clean + _noise(rng, xy_clean.shape, config.noise_correlation) * config.noise_px
    low, high = config.confidence_range
    conf = rng.uniform(low, high, xy_clean.shape[:2])
    dropped = rng.random(xy_clean.shape[:2]) < config.dropout_rate
    if config.far_side_confidence_range is not None:
        far = _far_side(camera.to_camera(points)[..., 2])
        low_far, high_far = config.far_side_confidence_range
        conf[far] = rng.uniform(low_far, high_far, int(far.sum()))
    hidden = np.zeros(xy_clean.shape[:2], dtype=bool)
    if config.load == "plates":
        hidden, depth_in = _behind_plate(body, points, camera, config.plate_radius_m)
        conf[hidden] = rng.uniform(*config.hidden_confidence_range, int(hidden.sum()))
        xy[hidden] += rng.normal(0.0, config.hidden_noise_px, (int(hidden.sum()), 2))
        if config.hip_on_plate > 0:
            bar = (body["left_wrist"] + body["right_wrist"]) / 2
            hub = camera.project(bar)  # (F, 2)
            ahead = camera.project(bar + np.array([config.plate_radius_m, 0, 0]))
            for name in ("left_hip", "right_hip"):
                k = BLAZEPOSE33.index(name)
                rows = hidden[:, k]
                # the deeper behind the plate, the more the estimate sits on it (edge: stays on the body)
                w = np.clip((depth_in[rows, k] - HIP_ON_PLATE_FROM) / HIP_ON_PLATE_RAMP, 0.0, 1.0)[:, None]
                on_plate = hub[rows] + config.hip_on_plate * (ahead[rows] - hub[rows])
                xy[rows, k] = (1 - w) * xy[rows, k] + w * on_plate
    w_img, h_img = camera.image_size
    u, v = xy_clean[..., 0], xy_clean[..., 1]
    outside = (u < 0) | (u > w_img) | (v < 0) | (v > h_img)
    conf[outside] = OUT_OF_FRAME_CONFIDENCE
    for start, stop in config.lost_frames:
        dropped[start:stop] = True
    xy[dropped] = np.nan
    conf[dropped] = 0.0
    world = None
    if config.with_world:
        cam = camera.to_camera(points) - camera.to_camera(body["mid_hip"])[:, None, :]
        world = np.stack([cam[..., 0], -cam[..., 1], cam[..., 2]], axis=-1)  # x right, y down, z away
        world[dropped] = np.nan
    series = PoseSeries(
        xy=xy,
        confidence=conf,
        fps=float(config.fps),
        layout="blazepose33",
        image_size=camera.image_size,
        source=f"simulated {config.exercise.value} (seed {config.seed})",
        world_m=world,
    )
    injected = [config.faults.get(i, frozenset()) for i in range(config.n_reps)]
    return SimulatedLift(
        series=series,
        truth=truth,
        reps=reps,
        injected=injected,
        config=config,
        body_m=body,
        params=params,
        xy_clean=xy_clean,
        camera=camera,
        dims=dims,
    )


OUT_OF_FRAME_CONFIDENCE = 0.1
PLATE_OFFSET_M = 0.7  # the plates sit on the bar's sleeves, ~0.66-0.75 m either side of its centre


#: a hidden hip starts sliding onto the plate this far inside its rim (share of the radius: the plate
#: then covers most of the pelvis) and is all on it HIP_ON_PLATE_RAMP further in (heuristic)
HIP_ON_PLATE_FROM = 0.3
HIP_ON_PLATE_RAMP = 0.2


def _behind_plate(
    body: Mapping[str, np.ndarray], points: np.ndarray, camera: Camera, radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """(frames, 33) mask of points whose line of sight crosses the plate nearer the camera, and
    how far inside the plate's rim each one is (share of the radius, 0 at the rim, 1 at the hub)."""
    bar = (np.asarray(body["left_wrist"]) + np.asarray(body["right_wrist"])) / 2  # (F, 3)
    centre_cam, *_ = camera.axes()
    side = 1.0 if centre_cam[2] >= 0 else -1.0  # the plate on the camera's side of the bar
    plate = bar + np.array([0.0, 0.0, side * PLATE_OFFSET_M])
    d = points - centre_cam  # rays camera -> point, (F, 33, 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (plate[:, None, 2] - centre_cam[2]) / d[..., 2]  # where the ray meets the plate's plane
        hit = centre_cam + t[..., None] * d
        r = np.hypot(hit[..., 0] - plate[:, None, 0], hit[..., 1] - plate[:, None, 1])
    hidden = (t > 0) & (t < 1) & (r < radius_m)
    return hidden, np.where(hidden, 1.0 - r / radius_m, 0.0)


def _far_side(depth: np.ndarray) -> np.ndarray:
    """(frames, 33) mask of points farther from the camera than their left/right partner by > 5 cm."""
    far = np.zeros(depth.shape, dtype=bool)
    for i, name in enumerate(BLAZEPOSE33):
        if name.startswith("left_"):
            j = BLAZEPOSE33.index("right_" + name[len("left_"):])
            far[:, i] = depth[:, i] > depth[:, j] + 0.05
            far[:, j] = depth[:, j] > depth[:, i] + 0.05
    return far


def _noise(rng: np.random.Generator, shape: tuple[int, ...], rho: float) -> np.ndarray:
    """Unit-variance gaussian noise, AR(1) over the first axis (frames) with coefficient rho."""
    white = rng.normal(0.0, 1.0, shape)
    if rho == 0 or shape[0] == 0:
        return white
    out = np.empty(shape)
    out[0] = white[0]
    gain = np.sqrt(1.0 - rho**2)
    for k in range(1, shape[0]):
        out[k] = rho * out[k - 1] + gain * white[k]
    return out


def _incl_from_up(vec: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(vec[..., 0], vec[..., 1]))


def measure_body(
    body: Mapping[str, np.ndarray], params: Mapping[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """True signals from noise-free body-frame points (see the module docstring).

    ``body`` maps BlazePose-33 names to (frames, 3) arrays (x forward, y up, z right).
    ``params`` (posture parameters) supplies the spinal flexion, which has no keypoint.
    """

    def mid(a: str, b: str) -> np.ndarray:
        return (np.asarray(body[a], float) + np.asarray(body[b], float)) / 2

    hip, sh, knee, ankle, ear = (
        mid("left_hip", "right_hip"),
        mid("left_shoulder", "right_shoulder"),
        mid("left_knee", "right_knee"),
        mid("left_ankle", "right_ankle"),
        mid("left_ear", "right_ear"),
    )
    trunk_v = sh - hip
    trunk = _incl_from_up(trunk_v)
    thigh_v = knee - hip
    thigh = np.degrees(np.arctan2(thigh_v[..., 0], -thigh_v[..., 1]))
    shin = _incl_from_up(knee - ankle)
    head_v = ear - sh
    cross = trunk_v[..., 0] * head_v[..., 1] - trunk_v[..., 1] * head_v[..., 0]
    dot = trunk_v[..., 0] * head_v[..., 0] + trunk_v[..., 1] * head_v[..., 1]
    out: dict[str, np.ndarray] = {
        "trunk_inclination_deg": trunk,
        "thigh_inclination_deg": thigh,
        "shin_angle_deg": shin,
        "hip_flexion_deg": trunk + thigh,
        "knee_flexion_deg": thigh + shin,
        "neck_extension_deg": np.degrees(np.arctan2(cross, dot)),
    }
    for side in ("left", "right"):
        tv = np.asarray(body[f"{side}_knee"], float) - np.asarray(body[f"{side}_hip"], float)
        t_side = np.degrees(np.arctan2(tv[..., 0], -tv[..., 1]))
        s_side = _incl_from_up(
            np.asarray(body[f"{side}_knee"], float) - np.asarray(body[f"{side}_ankle"], float)
        )
        out[f"{side}_thigh_inclination_deg"] = t_side
        out[f"{side}_shin_angle_deg"] = s_side
        out[f"{side}_knee_flexion_deg"] = t_side + s_side
        out[f"{side}_hip_flexion_deg"] = trunk + t_side
    out["left_right_knee_diff_deg"] = out["left_knee_flexion_deg"] - out["right_knee_flexion_deg"]
    out["left_right_hip_diff_deg"] = out["left_hip_flexion_deg"] - out["right_hip_flexion_deg"]
    n = trunk.shape[0]
    if params is not None:
        lum = np.broadcast_to(np.asarray(params["lumbar_deg"], float), (n,)).copy()
        tho = np.broadcast_to(np.asarray(params["thoracic_deg"], float), (n,)).copy()
    else:
        lum = tho = np.full(n, np.nan)
    out["lumbar_flexion_deg"] = lum
    out["thoracic_flexion_deg"] = tho
    out["spine_flexion_deg"] = lum + tho
    feet = [np.asarray(body[f"{s}_{p}"], float) for s in ("left", "right") for p in ("heel", "foot_index")]
    mid_foot = np.mean(feet, axis=0)
    wrist = mid("left_wrist", "right_wrist")
    out["hand_forward_m"] = wrist[..., 0] - mid_foot[..., 0]
    out["heel_lift_m"] = (
        np.asarray(body["left_heel"], float)[..., 1] + np.asarray(body["right_heel"], float)[..., 1]
    ) / 2
    out["pelvis_lateral_m"] = hip[..., 2] - ankle[..., 2]
    sl = np.asarray(body["right_shoulder"], float) - np.asarray(body["left_shoulder"], float)
    hl = np.asarray(body["right_hip"], float) - np.asarray(body["left_hip"], float)
    twist = np.degrees(np.arctan2(sl[..., 0], sl[..., 2]) - np.arctan2(hl[..., 0], hl[..., 2]))
    out["shoulder_hip_twist_deg"] = (twist + 180.0) % 360.0 - 180.0
    out["hip_height_m"] = hip[..., 1]
    out["shoulder_height_m"] = sh[..., 1]
    return out
