"""The technique-analysis pipeline: pose -> cleaning -> kinematics -> reps -> faults -> result.

Public entry points (the Python API):

* :func:`analyze_video` -- a video file through BlazePose and the whole pipeline;
* :func:`analyze_keypoints` -- a keypoint file (CSV/JSON, see docs/keypoint-files.md);
* :func:`analyze_series` -- an in-memory :class:`~liftsafe.pose.series.PoseSeries`.

Each returns an :class:`~liftsafe.analysis.Analysis` whose ``result`` is the JSON contract.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from liftsafe.analysis import Analysis
from liftsafe.errors import AnalysisError, InputError
from liftsafe.kinematics.clean import clean_series, gate_implausible, keep_longest_shot
from liftsafe.kinematics.signals import compute_signals
from liftsafe.kinematics.view import FILMING_ADVICE, check_camera
from liftsafe.pose.series import PoseSeries
from liftsafe.reps.detect import depth_signal, detect_reps
from liftsafe.result import AnalysisResult, Exercise, FaultCode, Rep, Tempo, View, verdict_for
from liftsafe.technique.metrics import baselines
from liftsafe.technique.rules import judgeable, rep_faults
from liftsafe.technique.thresholds import SPINE_MAX_YAW_DEG

MIN_DETECTED_SHARE = 0.3  # heuristic: below this share of frames with a person we refuse
KEYPOINT_SUFFIXES = (".csv", ".json")
DECODE_MAX_WIDTH = 960  # frames are decoded at most this wide (pose model input is 256 px)
FRONT_MIN_DROP_PCT = 12.0  # heuristic: a lift lowers the shoulders by > 12 % of stature (a hinge drill ~20 %)


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
) -> Analysis:
    """Run cleaning, kinematics, rep detection and fault rules on a pose series."""
    exercise = parse_exercise(exercise) if isinstance(exercise, str) else exercise
    if height_m is not None and not (0.9 <= height_m <= 2.5):
        raise InputError(
            f"height must be a person's height between 90 and 250 cm; got {height_m * 100:.0f} cm.",
            field="height",
        )
    notes: list[str] = list(warnings)
    if series.n_frames < 3:
        raise AnalysisError(
            f"{source or series.source}: only {series.n_frames} frame(s); record at least one whole rep."
        )
    detected = series.detected_fraction()
    if detected == 0.0:
        raise AnalysisError(
            f"{source or series.source}: no person found in the clip. " + FILMING_ADVICE
        )
    if detected < MIN_DETECTED_SHARE:
        raise AnalysisError(
            f"{source or series.source}: a person was found in only {detected:.0%} of the frames. "
            + FILMING_ADVICE
        )
    series, shot_note = keep_longest_shot(series)
    if shot_note:
        notes.append(shot_note)
    cleaned = clean_series(series)
    sig = compute_signals(cleaned.series, height_m=height_m)
    camera = check_camera(series, trunk_inclination_deg=sig.values["trunk_inclination_deg"])
    view = camera.view
    # the view is needed to tell a tracking failure from foreshortening (kinematics/clean.py)
    gated, gate_notes = gate_implausible(
        series, sagittal=view in (View.SIDE, View.OBLIQUE), yaw_deg=camera.yaw_deg
    )
    if gate_notes:
        series = gated
        cleaned = clean_series(series)
        sig = compute_signals(cleaned.series, height_m=height_m)
    notes.extend(cleaned.warnings)
    notes.extend(gate_notes)
    signals = dict(sig.values)
    notes.extend(camera.warnings)

    if view == View.FRONT:
        # joint angles are foreshortened from the front: the shoulders' drop (in % of stature) measures depth
        detection = detect_reps(
            100.0 * signals["shoulder_drop_bh"], fps=series.fps, min_range_deg=FRONT_MIN_DROP_PCT
        )
    else:
        detection = detect_reps(
            depth_signal(signals["trunk_inclination_deg"], signals["shoulder_drop_bh"]), fps=series.fps
        )
    notes.extend(detection.warnings)
    base = baselines(signals)
    fps = series.fps
    reps: list[Rep] = []
    first_start = 0
    for span in detection.reps:
        faults, metrics = rep_faults(
            signals, span, exercise=exercise, view=view, fps=fps, baseline=base, yaw_deg=camera.yaw_deg
        )
        metrics.update(_key_angles(signals, span))
        descent, pause, ascent = span.tempo_s(fps)
        reps.append(
            Rep(
                index=span.index,
                start_s=span.start_frame / fps,
                end_s=span.end_frame / fps,
                phases=span.phases_s(fps, setup_start=first_start if span.index == 1 else None),
                tempo=Tempo(descent_s=descent, pause_s=pause, ascent_s=ascent),
                metrics=metrics,
                faults=faults,
                start_frame=span.start_frame,
                end_frame=span.end_frame,
                bottom_frame=span.bottom_frame,
                complete=span.complete,
            )
        )
    spine_judgeable = judgeable(FaultCode.ROUNDED_BACK, view, camera.yaw_deg)
    judged = spine_judgeable
    spine_measured = any(np.isfinite(r.metrics.get("dorsal_curvature_pull", np.nan)) for r in reps)
    if judged and reps and not spine_measured:
        judged = False
        notes.append(
            "back rounding could not be judged: no usable body outline during the pull "
            "(keypoint input, or the silhouette was lost or merged with the background); every other fault "
            "was checked"
        )
    if not spine_judgeable:
        judged = False
        if view == View.OBLIQUE and reps:
            notes.append(
                f"back rounding is judged only within {SPINE_MAX_YAW_DEG:.0f} deg of side-on; this clip is "
                f"filmed "
                f"about {camera.yaw_deg:.1f} deg off the side, where the far shoulder joins the back's "
                f"outline. "
                "Every other fault was checked. " + FILMING_ADVICE
            )
    if not reps:
        judged = False
    if not reps and not any("no lift found" in n for n in notes):
        notes.append("no complete rep found in the clip")
    result = AnalysisResult(
        source=source or series.source,
        exercise=exercise.value,
        fps=float(fps),
        duration_s=series.duration_s,
        view=view,
        rep_count=len(reps),
        verdict=verdict_for(reps),
        reps=tuple(reps),
        warnings=tuple(dict.fromkeys(notes)),
        camera={**camera.to_dict(), "facing": "right" if sig.facing > 0 else "left",
                "stature_px": None if not np.isfinite(sig.stature_px) else round(sig.stature_px, 1),
                "height_m": height_m},
        judged=judged,
        simulated=simulated,
    )
    return Analysis(
        result=result,
        series=cleaned.series,
        signals=signals,
        video_path=video_path,
        facing=sig.facing,
        spans=tuple(detection.reps),
    )


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
) -> Analysis:
    """Analyse a video file with BlazePose (model bundled in the mediapipe wheel).

    ``cache_dir`` keeps pose estimates on disk (see :mod:`liftsafe.pose.cache`).
    """
    from liftsafe.kinematics.spine import dorsal_curvature_feature
    from liftsafe.pose.estimator import SceneChange, estimate_video

    exercise = parse_exercise(exercise) if isinstance(exercise, str) else exercise
    features = {"dorsal_curvature": dorsal_curvature_feature}
    pose = None
    key = None
    if cache_dir is not None and estimator is None:
        from liftsafe.pose import cache

        key = cache.cache_key(path, max_width=DECODE_MAX_WIDTH, features=(*features, "scene_change"))
        pose = cache.load(cache_dir, key)
    if pose is None:
        pose = estimate_video(
            path, estimator=estimator, features=features, image_features={"scene_change": SceneChange()},
            progress=progress, max_width=DECODE_MAX_WIDTH,
        )
        if key is not None:
            cache.save(cache_dir, key, pose)
    return analyze_series(
        pose.series,
        exercise=exercise,
        height_m=height_m,
        source=str(path),
        video_path=Path(path),
        warnings=pose.warnings,
    )


def analyze_keypoints(
    path: str | Path,
    *,
    exercise: Exercise | str = Exercise.DEADLIFT,
    height_m: float | None = None,
    fps: float | None = None,
) -> Analysis:
    """Analyse a keypoint file (CSV or JSON; BlazePose-33 or COCO-17 layout)."""
    from liftsafe.pose.files import read_keypoints

    series = read_keypoints(path, fps=fps)
    return analyze_series(series, exercise=exercise, height_m=height_m, source=str(path))


def analyze_path(path: str | Path, **kwargs) -> Analysis:
    """Dispatch on the file type: keypoint files by suffix, anything else as a video."""
    p = Path(path)
    if p.suffix.lower() in KEYPOINT_SUFFIXES:
        kwargs.pop("progress", None)
        kwargs.pop("estimator", None)
        kwargs.pop("cache_dir", None)
        return analyze_keypoints(p, **kwargs)
    kwargs.pop("fps", None)
    return analyze_video(p, **kwargs)
