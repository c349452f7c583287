"""The technique-analysis pipeline: pose -> cleaning -> kinematics -> reps -> faults -> result.

Public entry points (the Python API):

* :func:`analyze_video` -- a video file through BlazePose and the whole pipeline;
* :func:`analyze_keypoints` -- a keypoint file (CSV/JSON, see docs/keypoint-files.md);
* :func:`analyze_series` -- an in-memory :class:`~liftsafe.pose.series.PoseSeries`.

Each returns an :class:`~liftsafe.analysis.Analysis` whose ``result`` is the JSON contract.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.errors import AnalysisError, InputError
from liftsafe.kinematics.clean import clean_series, gate_implausible, keep_longest_shot, runs
from liftsafe.kinematics.gravity import CameraTilt, estimate_tilt
from liftsafe.kinematics.occlusion import rule_inputs
from liftsafe.kinematics.signals import compute_signals
from liftsafe.kinematics.view import FILMING_ADVICE, CameraCheck, check_camera
from liftsafe.pose.series import PoseSeries
from liftsafe.reps.detect import RepDetection, RepSpan, depth_signal, detect_reps
from liftsafe.result import AnalysisResult, Exercise, FaultCode, Rep, Tempo, Verdict, View, verdict_for
from liftsafe.technique.coaching import priority, summary, went_well
from liftsafe.technique.config import AnalysisConfig, default_config
from liftsafe.technique.metrics import baselines, lift_off_filmed
from liftsafe.technique.rules import rep_faults
from liftsafe.technique.thresholds import SPINE_MAX_YAW_DEG
from liftsafe.technique.verdict import (
    DEFAULT_PROVIDERS,
    LIFT_OFF_KIND,
    LIFT_OFF_REASON,
    ClipContext,
    Provider,
    Unavailable,
    collect_unavailable,
)

DECODE_MAX_WIDTH = 960  # frames are decoded at most this wide (pose model input is 256 px)


def parse_exercise(name: str) -> Exercise:
    """``Exercise`` for a user-typed name, or an InputError that suggests the closest one."""
    try:
        return Exercise(name.strip().lower().replace("_", "-"))
    except ValueError:
        choices = [e.value for e in Exercise]
        close = difflib.get_close_matches(name, choices, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise InputError(
            f"exercise must be one of {', '.join(choices)}; got '{name}'.{hint}", field="exercise"
        ) from None


def analyze_series(
    series: PoseSeries,
    *,
    exercise: Exercise | str = Exercise.DEADLIFT,
    height_m: float | None = None,
    source: str | None = None,
    video_path: Path | None = None,
    warnings: list[str] | tuple[str, ...] = (),
    simulated: bool = False,
    config: AnalysisConfig | None = None,
    providers: Sequence[Provider] | None = None,
    unavailable: Mapping[str, str] | None = None,
) -> Analysis:
    """Run cleaning, kinematics, rep detection and fault rules on a pose series.

    Named steps: :func:`check_input` -> :func:`measure` (shot, cleaning, signals, camera view,
    gating) -> :func:`find_reps` -> :func:`unavailable_faults` (which faults cannot be checked
    in this clip: ``providers``, default :data:`~liftsafe.technique.verdict.DEFAULT_PROVIDERS`
    -- camera view and false-alarm budget --, plus ``unavailable``: fault code -> reason) ->
    :func:`judge_reps` -> :func:`build_result` (verdict, priority, summary, not_checked).
    ``config``: the :class:`~liftsafe.technique.config.AnalysisConfig` (default: the shipped one).
    """
    config = config or default_config()
    exercise = parse_exercise(exercise) if isinstance(exercise, str) else exercise
    check_input(series, height_m=height_m, source=source, config=config)
    m = measure(series, height_m=height_m, config=config, notes=list(warnings), video_path=video_path)
    detection = find_reps(m, config=config)
    m.notes.extend(detection.warnings)
    # hidden joints (load, visibility): gated for the rules, reported not checked (kinematics/occlusion.py)
    occluded = rule_inputs(m.series, m.signals, detection.reps, exercise=exercise, view=m.camera.view,
                           yaw_deg=m.camera.yaw_deg, stature_px=m.stature_px, fps=m.fps, height_m=height_m)
    m.notes.extend(occluded.notes)
    hidden: dict[str, str | Unavailable] = {
        c: Unavailable(r, OCCLUSION_KIND) for c, r in occluded.unavailable.items()}
    unavailable = {**hidden, **(unavailable or {})}
    ctx = ClipContext(series=m.cleaned, signals=m.signals, view=m.camera.view, yaw_deg=m.camera.yaw_deg,
                      spans=tuple(detection.reps), exercise=exercise, config=config, fps=float(series.fps))
    missing = unavailable_faults(ctx, DEFAULT_PROVIDERS if providers is None else providers, unavailable)
    reps = judge_reps(replace(m, signals=occluded.signals), detection.reps, exercise=exercise, config=config,
                      skip=set(missing))
    by_rep: list[dict[str, str | Unavailable]] = [dict(hidden_in_rep) for hidden_in_rep in occluded.by_rep]
    for i, span in enumerate(detection.reps):  # a rep whose lift-off the clip does not show
        if i < len(by_rep) and not lift_off_filmed(m.signals, span):
            by_rep[i].setdefault(FaultCode.ROUNDED_BACK.value, Unavailable(LIFT_OFF_REASON, LIFT_OFF_KIND))
    reps = with_rep_not_checked(reps, by_rep, missing, exercise=exercise, config=config)
    result = build_result(m, reps, exercise=exercise, config=config, missing=missing,
                          source=source or series.source, simulated=simulated, height_m=height_m)
    return Analysis(
        result=result,
        series=m.cleaned,
        signals=m.signals,
        video_path=video_path,
        facing=m.facing,
        spans=tuple(detection.reps),
        unavailable_faults=dict(occluded.unavailable),
        unavailable_faults_by_rep=occluded.by_rep,
    )


def check_input(
    series: PoseSeries, *, height_m: float | None, source: str | None, config: AnalysisConfig
) -> None:
    """Refuse what cannot be analysed: a height out of range (InputError), too few frames or too
    few frames with a person (AnalysisError, with filming advice)."""
    if height_m is not None and not (0.9 <= height_m <= 2.5):
        raise InputError(
            f"height must be a person's height between 90 and 250 cm; got {height_m * 100:.0f} cm.",
            field="height",
        )
    if series.n_frames < 3:
        raise AnalysisError(
            f"{source or series.source}: only {series.n_frames} frame(s); record at least one whole rep."
        )
    detected = series.detected_fraction()
    if detected == 0.0:
        raise AnalysisError(f"{source or series.source}: no person found in the clip. " + FILMING_ADVICE)
    if detected < config.cleaning.min_detected_share:
        raise AnalysisError(
            f"{source or series.source}: a person was found in only {detected:.0%} of the frames. "
            + FILMING_ADVICE
        )


@dataclass
class Measured:
    """The clip after :func:`measure`: cleaned series, signals, camera check and notes."""

    series: PoseSeries  # the kept shot, gated
    cleaned: PoseSeries
    signals: dict[str, np.ndarray]
    camera: CameraCheck
    facing: int
    stature_px: float
    fps: float
    notes: list[str]
    tilt: CameraTilt = field(default_factory=CameraTilt)


def measure(
    series: PoseSeries, *, height_m: float | None, config: AnalysisConfig, notes: list[str],
    video_path: Path | None = None,
) -> Measured:
    """Longest shot, cleaning, signals, camera view; then drop implausible trunk points (a pose
    lost behind a plate) -- the view is needed to tell that from foreshortening -- and re-clean."""
    cc = config.cleaning
    series, shot_note = keep_longest_shot(series)
    if shot_note:
        notes.append(shot_note)
    series, other_note = drop_other_person(series, max_offset_trunks=cc.other_person_trunks)
    if other_note:
        notes.append(other_note)

    def clean(s: PoseSeries):
        return clean_series(
            s, min_confidence=cc.min_confidence, max_gap_s=cc.max_gap_s, cutoff_hz=cc.cutoff_hz
        )

    cleaned = clean(series)
    sig = compute_signals(cleaned.series, height_m=height_m)
    camera = check_camera(series, trunk_inclination_deg=sig.values["trunk_inclination_deg"],
                          side_max_yaw_deg=config.view.side_max_yaw_deg,
                          oblique_max_yaw_deg=config.view.oblique_max_yaw_deg)
    # angles against gravity: the camera's roll and pitch (kinematics/gravity.py)
    tilt = estimate_tilt(series, yaw_deg=camera.yaw_deg, video_path=video_path)
    sig = compute_signals(tilt.level(cleaned.series), height_m=height_m)  # the same series when level
    gated, gate_notes = gate_implausible(series, sagittal=camera.view in (View.SIDE, View.OBLIQUE),
                                         yaw_deg=camera.yaw_deg)
    if gate_notes:
        series = gated
        cleaned = clean(series)
        sig = compute_signals(tilt.level(cleaned.series), height_m=height_m)
    notes.extend(cleaned.warnings)
    notes.extend(gate_notes)
    notes.extend(camera.warnings)
    notes.extend(tilt.notes())
    return Measured(series=series, cleaned=cleaned.series, signals=dict(sig.values), camera=camera,
                    facing=sig.facing,
                    stature_px=sig.stature_px, fps=float(series.fps), notes=notes, tilt=tilt)


def drop_other_person(series: PoseSeries, *, max_offset_trunks: float = 1.0) -> tuple[PoseSeries, str | None]:
    """Frames where the pose model tracked somebody else (a coach or spotter beside the lifter)
    are marked undetected, so gap filling and rep detection bridge them.

    The lifter stays over the same spot through a lift: the mid-hip moves sideways by well
    under one trunk length in a hinge or a squat, while a bystander stands at least a
    shoulder's width away. A frame whose mid-hip is more than ``max_offset_trunks`` trunk
    lengths (median shoulder-to-hip distance of the clip) from the clip's median mid-hip is
    taken as another person when the track jumped there in one frame (a lifter who walks
    drifts gradually) -- the clip's median is the lifter's, as long as the lifter is tracked in
    most frames.
    """
    needed = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
    if not all(series.has(j) for j in needed) or series.n_frames < 3:
        return series, None
    hip = (series.joint("left_hip") + series.joint("right_hip")) / 2
    shoulder = (series.joint("left_shoulder") + series.joint("right_shoulder")) / 2
    trunk = np.linalg.norm(shoulder - hip, axis=1)
    ok = np.isfinite(hip[:, 0]) & np.isfinite(trunk) & (trunk > 0)
    if ok.sum() < 3:
        return series, None
    centre = np.nanmedian(hip[ok], axis=0)
    scale = float(np.nanmedian(trunk[ok]))
    offset = np.abs(hip[:, 0] - centre[0]) / scale
    far = ok & (offset > max_offset_trunks)
    # only runs the tracker *jumped* into or out of (a lifter who walks drifts there gradually)
    other = np.zeros_like(far)
    x = hip[:, 0] / scale
    for start, stop in runs(far):
        entry = start > 0 and ok[start - 1] and abs(x[start] - x[start - 1]) > max_offset_trunks / 2
        leave = stop < len(x) and ok[stop] and abs(x[stop] - x[stop - 1]) > max_offset_trunks / 2
        if entry or leave:
            other[start:stop] = True
    if not other.any() or other.sum() > 0.5 * ok.sum():
        return series, None
    conf = np.array(series.confidence, dtype=float, copy=True)
    xy = np.array(series.xy, dtype=float, copy=True)
    conf[other] = 0.0
    xy[other] = np.nan
    times = np.flatnonzero(other) / series.fps
    note = (f"another person was tracked in {int(other.sum())} frame(s) ({times[0]:.2f}-{times[-1]:.2f} s); "
            "those frames are bridged. Film with only the lifter in frame where you can")
    return series.with_xy(xy, conf), note


def find_reps(m: Measured, *, config: AnalysisConfig) -> RepDetection:
    """Reps from the depth signal; from the front, where joint angles are foreshortened, from
    the shoulders' drop (in % of stature) alone."""
    signals = m.signals
    if m.camera.view == View.FRONT:
        return detect_reps(100.0 * signals["shoulder_drop_bh"], fps=m.fps, config=config.reps,
                           min_range_deg=config.reps.front_min_drop_pct)
    return detect_reps(depth_signal(signals["trunk_inclination_deg"], signals["shoulder_drop_bh"]), fps=m.fps,
                       config=config.reps)


def unavailable_faults(
    ctx: ClipContext, providers: Sequence[Provider], extra: Mapping[str, str | Unavailable] | None = None,
) -> dict[FaultCode, Unavailable]:
    """Faults that cannot be checked in this clip, with the reason (the availability hook,
    :mod:`liftsafe.technique.verdict`)."""
    return collect_unavailable(ctx, providers, extra)


def judge_reps(
    m: Measured,
    spans: Sequence[RepSpan],
    *,
    exercise: Exercise,
    config: AnalysisConfig,
    skip: set[FaultCode],
) -> list[Rep]:
    """Each rep's metrics and reported faults (faults in ``skip`` are measured, never given)."""
    base = baselines(m.signals, upright_trunk_deg=config.metrics.upright_trunk_deg)
    fps = m.fps
    reps: list[Rep] = []
    for span in spans:
        faults, metrics = rep_faults(
            m.signals, span, exercise=exercise, view=m.camera.view, fps=fps, baseline=base,
            yaw_deg=m.camera.yaw_deg, config=config, skip=skip,
        )
        # key angles for the report; a fault metric of the same name (lockout_hip_flexion_deg)
        # keeps the value the fault was judged on
        for name, value in _key_angles(m.signals, span).items():
            metrics.setdefault(name, value)
        descent, pause, ascent = span.tempo_s(fps)
        reps.append(
            Rep(
                index=span.index,
                start_s=span.start_frame / fps,
                end_s=span.end_frame / fps,
                phases=span.phases_s(fps, setup_start=0 if span.index == 1 else None),
                tempo=Tempo(descent_s=descent, pause_s=pause, ascent_s=ascent),
                metrics=metrics,
                faults=faults,
                start_frame=span.start_frame,
                end_frame=span.end_frame,
                bottom_frame=span.bottom_frame,
                complete=span.complete,
            )
        )
    return reps


def without_not_checked_echo(
    notes: Sequence[str], not_checked: Sequence[Mapping[str, str]], *,
    relevant: Collection[str] | None = None,
    reported_oblique: Collection[str] | None = None,
) -> list[str]:
    """``notes`` without the "not checked: ..." lines that only repeat ``not_checked`` (the
    result lists those faults with their reasons). Filming advice such a line carries is kept
    as its own line -- unless ``reported_oblique`` (the fault codes the false-alarm budget
    reports from an oblique view) holds none of the faults it names: then filming from a little
    in front of side-on would not get any of them checked, and the advice is dropped.
    ``relevant``: the fault codes of the exercise (others named are ignored)."""
    codes = {x["code"] for x in not_checked}
    out: list[str] = []
    for note in notes:
        if not note.startswith("not checked: "):
            out.append(note)
            continue
        listed = {c for c in codes if c in note}
        named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", note.split(". ")[0]))
        if relevant is not None:
            named &= set(relevant)
        if not named or not named <= listed:
            out.append(note)  # names a fault the list does not have: keep it whole
            continue
        advice = note.split(". To check them, ", 1)
        helps = reported_oblique is None or bool(named & set(reported_oblique))
        if len(advice) == 2 and helps:
            out.append("to check the faults hidden in this clip, " + advice[1])
    return out


OCCLUSION_KIND = "occlusion"  # the kind of a fault not checked because its joints were hidden


def with_rep_not_checked(
    reps: list[Rep], by_rep: Sequence[Mapping[str, str | Unavailable]],
    missing: Mapping[FaultCode, Unavailable], *, exercise: Exercise, config: AnalysisConfig,
) -> list[Rep]:
    """Each rep with the faults not checked in that rep only (joints hidden in its window,
    kinematics/occlusion.py; a plain reason is of kind ``occlusion``): faults already not
    checked for the whole clip are left out."""
    out = []
    for i, rep in enumerate(reps):
        hidden = by_rep[i] if i < len(by_rep) else {}
        rows = []
        for code, reason in hidden.items():
            fc = FaultCode(code)
            t = config.threshold(fc)
            if fc in missing or t is None or exercise not in t.limits:
                continue
            kind = reason.kind if isinstance(reason, Unavailable) else OCCLUSION_KIND
            text = reason.reason if isinstance(reason, Unavailable) else reason
            rows.append({"code": fc.value, "reason": text, "kind": kind})
        out.append(replace(rep, not_checked=tuple(rows)) if rows else rep)
    return out


def build_result(
    m: Measured, reps: list[Rep], *, exercise: Exercise, config: AnalysisConfig,
    missing: Mapping[FaultCode, Unavailable], source: str, simulated: bool, height_m: float | None,
) -> AnalysisResult:
    """The result: verdict (``not_judged`` without reps or with nothing checkable), whether the
    back could be judged, priority cue, what went well, summary, not-checked faults, config."""
    notes = m.notes
    view, camera = m.camera.view, m.camera
    checkable = [t.code for t in config.thresholds if exercise in t.limits and t.code not in missing]
    spine_judgeable = FaultCode.ROUNDED_BACK not in missing or missing[FaultCode.ROUNDED_BACK].kind not in (
        "camera_view", "camera_angle")
    judged = spine_judgeable and FaultCode.ROUNDED_BACK not in missing
    spine_measured = any(np.isfinite(r.metrics.get("dorsal_curvature_pull", np.nan)) for r in reps)
    if judged and reps and not spine_measured:
        judged = False
        notes.append(
            "back rounding could not be judged: no usable body outline during the pull "
            "(keypoint input, or the silhouette was lost or merged with the background); the other faults "
            "are checked as usual"
        )
    if not spine_judgeable:
        judged = False
        if view == View.OBLIQUE and reps:
            notes.append(
                f"back rounding is judged only within {SPINE_MAX_YAW_DEG:.0f} deg of side-on; this clip is "
                f"filmed about {camera.yaw_deg:.1f} deg off the side, where the far shoulder joins the "
                "back's outline. "
                "The other faults are checked as usual. " + FILMING_ADVICE
            )
    reason = None
    if not reps:
        judged = False
        if not any("no lift found" in n for n in notes):
            notes.append("no complete rep found in the clip")
        found = next(
            (n for n in notes if n.startswith("no lift found")), "no complete rep found in the clip"
        )
        reason = (
            f"{found}. Film the whole lift, from standing through the bottom back to standing. "
            + FILMING_ADVICE
        )
    elif not checkable:
        reason = (
            f"no fault can be checked reliably from this camera angle ({view.value} view). {FILMING_ADVICE}"
        )
    verdict = Verdict.NOT_JUDGED if reason else verdict_for(reps)
    # "went well" only for faults measured in every rep (not hidden in one, not left unmeasured)
    measured = [c for c in checkable if all(_measured(r, config.threshold(c)) for r in reps)]
    well = went_well(reps, measured) if not reason else ""
    not_checked = tuple({"code": c.value, "reason": u.reason, "kind": u.kind} for c, u in missing.items()
                        if config.threshold(c) is not None and exercise in config.threshold(c).limits)
    return AnalysisResult(
        source=source,
        exercise=exercise.value,
        fps=m.fps,
        duration_s=m.series.duration_s,
        view=view,
        rep_count=len(reps),
        verdict=verdict,
        reps=tuple(reps),
        warnings=tuple(dict.fromkeys(without_not_checked_echo(
            notes, not_checked, relevant={t.code.value for t in config.thresholds if exercise in t.limits},
            reported_oblique={b.code.value for b in config.budget if b.view is View.OBLIQUE and b.checked}))),
        camera={**camera.to_dict(), "facing": "right" if m.facing > 0 else "left",
                "stature_px": None if not np.isfinite(m.stature_px) else round(m.stature_px, 1),
                "height_m": height_m, **m.tilt.to_dict()},
        judged=judged,
        simulated=simulated,
        priority=priority(reps),
        not_checked=not_checked,
        summary=summary(verdict, reps, reason=reason, well=well, back_checked=judged, n_not_checked=sum(
            1 for x in not_checked if judged or x["code"] != FaultCode.ROUNDED_BACK.value)),
        went_well=well,
        config={"hash": config.digest(), "values": config.to_dict()},
    )


def _measured(rep: Rep, threshold) -> bool:
    """True when ``rep`` has a finite value of the threshold's metric and does not list the
    fault as not checked in that rep."""
    if threshold is None or any(x["code"] == threshold.code.value for x in rep.not_checked):
        return False
    value = rep.metrics.get(threshold.metric)
    return value is not None and bool(np.isfinite(value))


def _key_angles(signals: dict[str, np.ndarray], span) -> dict[str, float]:
    b = span.bottom_frame
    lock = slice(span.ascent_end, max(span.end_frame, span.ascent_end + 1))

    def at(name: str, idx) -> float:
        v = signals.get(name)
        if v is None:
            return float("nan")
        x = v[idx]
        if np.ndim(x) == 0:
            return float(x)
        return float(np.nanmin(x)) if np.any(np.isfinite(x)) else float("nan")

    return {
        "bottom_trunk_inclination_deg": at("trunk_inclination_deg", b),
        "bottom_hip_flexion_deg": at("hip_flexion_deg", b),
        "bottom_knee_flexion_deg": at("knee_flexion_deg", b),
        "bottom_shin_angle_deg": at("shin_angle_deg", b),
        "lockout_hip_flexion_deg": at("hip_flexion_deg", lock),
    }


def analyze_video(
    path: str | Path,
    *,
    exercise: Exercise | str = Exercise.DEADLIFT,
    height_m: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    estimator=None,
    cache_dir: str | Path | None = None,
    config: AnalysisConfig | None = None,
    workers: int | None = None,
    max_fps: float | str | None = "default",
    pool=None,
) -> Analysis:
    """Analyse a video file with BlazePose (model bundled in the mediapipe wheel).

    ``workers`` processes share the clip (default: the cores; see :mod:`liftsafe.pose.parallel`);
    ``max_fps`` caps the analysed frame rate (default 30; None or ``"native"`` = every frame).
    ``pool`` (a :class:`~liftsafe.pose.parallel.PosePool`) reuses warm worker processes across
    clips. ``cache_dir`` keeps pose estimates on disk (see :mod:`liftsafe.pose.cache`).
    """
    exercise = parse_exercise(exercise) if isinstance(exercise, str) else exercise
    pose = acquire_pose(path, progress=progress, estimator=estimator, cache_dir=cache_dir, workers=workers,
                        max_fps=max_fps, pool=pool)
    return analyze_series(
        pose.series,
        exercise=exercise,
        height_m=height_m,
        source=str(path),
        video_path=Path(path),
        warnings=pose.warnings,
        config=config,
    )


def acquire_pose(path: str | Path, *, progress=None, estimator=None, cache_dir=None,
                 workers: int | None = None,
                 max_fps: float | str | None = "default", pool=None):
    """The pose of a video (a :class:`~liftsafe.pose.estimator.VideoPoseResult`): from the
    cache, or estimated with ``workers`` processes at most ``max_fps`` frames per second."""
    from liftsafe.kinematics.spine import dorsal_curvature_feature
    from liftsafe.pose import parallel
    from liftsafe.pose.estimator import SceneChange, estimate_video

    fps_cap = parallel.DEFAULT_MAX_FPS if max_fps == "default" else parallel.parse_max_fps(max_fps)
    n_workers = parallel.check_workers(workers) if workers is not None else (
        pool.workers if pool is not None else parallel.default_workers())
    features = {"dorsal_curvature": dorsal_curvature_feature}
    image_features = {"scene_change": SceneChange()}
    pose = None
    key = None
    if cache_dir is not None and estimator is None:
        from liftsafe.pose import cache

        key = cache.cache_key(path, max_width=DECODE_MAX_WIDTH, features=(*features, *image_features),
                              estimation=parallel.estimation_key(
                                  path, workers=n_workers, max_fps=fps_cap,
                                  prestarted=bool(pool is not None and workers is None and pool.prestarted)))
        pose = cache.load(cache_dir, key)
    if pose is None:
        if estimator is not None:  # a caller's estimator runs in this process
            from liftsafe.pose.video import probe_video

            stride = parallel.frame_stride(probe_video(path).fps, fps_cap)
            pose = estimate_video(path, estimator=estimator, features=features, image_features=image_features,
                                  progress=progress, max_width=DECODE_MAX_WIDTH, stride=stride)
        elif pool is not None and workers is None:
            pose = pool.estimate(path, max_fps=fps_cap, features=features, image_features=image_features,
                                 max_width=DECODE_MAX_WIDTH, progress=progress)
        else:
            pose = parallel.estimate_video_parallel(path, workers=n_workers, max_fps=fps_cap,
                                                    features=features,
                                                    image_features=image_features, max_width=DECODE_MAX_WIDTH,
                                                    progress=progress)
        if key is not None:
            cache.save(cache_dir, key, pose)
    return pose


def analyze_keypoints(
    path: str | Path,
    *,
    exercise: Exercise | str = Exercise.DEADLIFT,
    height_m: float | None = None,
    fps: float | None = None,
    config: AnalysisConfig | None = None,
) -> Analysis:
    """Analyse a keypoint file: liftsafe CSV/JSON, or another tool's (:mod:`liftsafe.pose.formats`)."""
    import warnings

    from liftsafe.pose.files import read_keypoints
    from liftsafe.pose.formats import ReadWarning

    with warnings.catch_warnings(record=True) as caught:  # other tools' files: what the reader decided
        warnings.simplefilter("always", ReadWarning)
        series = read_keypoints(path, fps=fps)
    notes = [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]
    return analyze_series(
        series, exercise=exercise, height_m=height_m, source=str(path), warnings=notes, config=config
    )


def analyze_path(path: str | Path, **kwargs) -> Analysis:
    """Dispatch on the file type: keypoint files by suffix, anything else as a video."""
    from liftsafe.pose.formats import is_keypoint_input

    p = Path(path)
    if is_keypoint_input(p):
        kwargs.pop("progress", None)
        kwargs.pop("estimator", None)
        for name in ("progress", "estimator", "cache_dir", "workers", "max_fps", "pool"):
            kwargs.pop(name, None)
        return analyze_keypoints(p, **kwargs)
    kwargs.pop("fps", None)
    return analyze_video(p, **kwargs)
