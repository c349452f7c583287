"""Use-case: assess a workplace job -- from a job file, from stored job data, or from a video.

For a video, the lift geometry (H, V, D, A) is measured from the pose, then the revised NIOSH
lifting equation, LiFFT and the L5/S1 estimate run on it exactly as on a job file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from liftsafe.ergonomics.report import JobAssessment
from liftsafe.result import Exercise
from liftsafe.units import CM_PER_IN, KG_PER_LB, UnitSystem

Progress = Callable[[int, int], None]


def assess_job_path(path: Path, *, ignore_scope: bool = False, vli: bool = False) -> JobAssessment:
    """Read a job file (.json or .toml) and assess every task in it; ``vli``: also the VLI."""
    from liftsafe.ergonomics.jobfile import load_job_file
    from liftsafe.ergonomics.report import assess_job_file

    return assess_job_file(load_job_file(path), ignore_scope=ignore_scope, vli=vli)


def assess_job_data(data: Any, *, source: str, ignore_scope: bool = False) -> JobAssessment:
    """Assess job data already parsed from JSON (the web app's stored jobs and forms)."""
    from liftsafe.ergonomics.jobfile import parse_job
    from liftsafe.ergonomics.report import assess_job_file

    return assess_job_file(parse_job(data, source=source), ignore_scope=ignore_scope)


@dataclass(frozen=True)
class VideoTask:
    """What a video cannot show: how often and how long the worker lifts, and the grip."""

    load_kg: float
    height_m: float
    frequency: float
    duration: str = "long"
    coupling: str = "fair"
    control_at_destination: bool = False
    asymmetry_deg: float | None = None
    body_mass_kg: float | None = None
    reps_per_day: float | None = None


@dataclass
class VideoAssessment:
    """The job assessment of a filmed lift, with the measured lifts and the notes on them."""

    assessment: JobAssessment
    lifts: list[Any]
    notes: list[str] = field(default_factory=list)
    keyframe: Path | None = None
    units: UnitSystem = "metric"

    def length(self, cm: float) -> float:
        """A length in centimetres in the report's unit (cm or in)."""
        return _length_in(self.units)(cm)

    def lifts_json(self) -> list[dict[str, Any]]:
        """The measured lifts as JSON rows in the report's units."""
        return [_lift_json(g, self.length) for g in self.lifts]


def task_from_job_file(path: Path, *, frequency: float | None) -> tuple[float | None, str, str]:
    """Frequency (unless given), duration and coupling of the first task of a job file."""
    from liftsafe.ergonomics.jobfile import load_job_file

    jf = load_job_file(path)
    first = jf.job.tasks[0]
    rate = first.frequency_per_min if frequency is None else frequency
    return rate, jf.job.duration.value, first.coupling.value


def assess_video(
    video: Path, task: VideoTask, *, exercise: Exercise | str, out_dir: Path, units: UnitSystem = "metric",
    run: Callable[[Callable[[Progress | None], Any]], Any] | None = None,
    cache_dir: Path | None = None,
) -> VideoAssessment:
    """Analyse ``video``, measure each lift's geometry, and assess the job it shows.

    ``run``, when given, wraps the pose analysis (the CLI draws a progress bar with it).
    ``out_dir`` receives ``geometry.png``: the first lift with H and V drawn on it.
    ``cache_dir``: pose estimates already made of this video (:mod:`liftsafe.pose.cache`).
    """
    from liftsafe.ergonomics.jobfile import parse_job
    from liftsafe.ergonomics.report import assess_job_file
    from liftsafe.ergonomics.video import estimate_geometry, median_geometry
    from liftsafe.pipeline import analyze_path, parse_exercise

    ex = parse_exercise(exercise)

    def analyse(progress: Progress | None) -> Any:
        return analyze_path(
            video, exercise=ex, height_m=task.height_m, progress=progress, cache_dir=cache_dir
        )

    analysis = analyse(None) if run is None else run(analyse)
    lifts = estimate_geometry(analysis, height_m=task.height_m)
    geo = median_geometry(lifts)
    notes = [
        f"geometry estimated from the video: median of {len(lifts)} lift(s); check it on "
        f"{out_dir / 'geometry.png'}"
    ]
    if analysis.result.view.value == "oblique":
        yaw = analysis.result.camera.get("yaw_deg") or 45.0
        notes.append(
            f"the camera is about {yaw:.0f} deg off side-on: horizontal distances read short by up to "
            f"{100 * (1 - np.cos(np.radians(yaw))):.0f} %; film side-on for a trustworthy H"
        )
    a_o, a_d = geo["a_origin_deg"], geo["a_destination_deg"]
    if task.asymmetry_deg is not None:
        a_o = a_d = task.asymmetry_deg
    elif not (np.isfinite(a_o) and np.isfinite(a_d)):
        a_o = a_d = 0.0
        notes.append(
            "asymmetry angle A could not be estimated (no 3-D landmarks): 0 assumed; give --asymmetry"
        )
    else:
        notes.append(
            "asymmetry angle A comes from the pose model's depth estimate (about +-15 deg): give "
            "--asymmetry if measured"
        )
    length = _length_in(units)
    mass = (lambda kg: kg) if units == "metric" else (lambda kg: kg / KG_PER_LB)
    job_task: dict[str, Any] = {
        "name": video.stem,
        "load": round(mass(task.load_kg), 2),
        "origin": {
            "h": round(length(geo["h_origin_cm"]), 1),
            "v": round(length(geo["v_origin_cm"]), 1),
            "a": round(float(a_o), 1),
        },
        "destination": {
            "h": round(length(geo["h_destination_cm"]), 1),
            "v": round(length(geo["v_destination_cm"]), 1),
            "a": round(float(a_d), 1),
        },
        "frequency": task.frequency,
        "coupling": task.coupling,
        "control_at_destination": task.control_at_destination,
    }
    if task.reps_per_day is not None:
        job_task["reps_per_day"] = task.reps_per_day
    if np.isfinite(geo["spine_h_cm"]) and (task.reps_per_day is not None or task.body_mass_kg is not None):
        job_task["spine_h"] = round(length(geo["spine_h_cm"]), 1)
    data: dict[str, Any] = {"units": units, "duration": task.duration, "tasks": [job_task]}
    if task.body_mass_kg is not None and np.isfinite(geo["trunk_flexion_origin_deg"]):
        job_task["trunk_flexion_deg"] = round(float(np.clip(geo["trunk_flexion_origin_deg"], -30, 135)), 1)
        data["worker"] = {
            "body_mass": round(mass(task.body_mass_kg), 1),
            "height": round(length(task.height_m * 100), 1),
        }
    assessment = assess_job_file(parse_job(data, source=f"{video.name} (estimated)"))
    keyframe = write_geometry_keyframe(analysis, lifts, out_dir / "geometry.png", units=units)
    return VideoAssessment(assessment=assessment, lifts=lifts, notes=notes, keyframe=keyframe, units=units)


def _length_in(units: UnitSystem) -> Callable[[float], float]:
    """Centimetres to the report's length unit (cm or in)."""
    return (lambda cm: cm) if units == "metric" else (lambda cm: cm / CM_PER_IN)


def _lift_json(g: Any, length: Callable[[float], float]) -> dict[str, Any]:
    def num(x: float) -> float | None:
        return None if not np.isfinite(x) else round(float(x), 1)

    return {
        "rep": g.rep_index,
        "origin": {
            "frame": g.origin_frame,
            "h": num(length(g.h_origin_cm)),
            "v": num(length(g.v_origin_cm)),
            "a": num(g.a_origin_deg),
        },
        "destination": {
            "frame": g.destination_frame,
            "h": num(length(g.h_destination_cm)),
            "v": num(length(g.v_destination_cm)),
            "a": num(g.a_destination_deg),
        },
        "d": num(length(g.d_cm)),
        "trunk_flexion_origin_deg": num(g.trunk_flexion_origin_deg),
        "spine_h": num(length(g.spine_h_cm)),
    }


def write_geometry_keyframe(analysis: Any, lifts: list[Any], path: Path, *, units: str) -> Path | None:
    """The first lift's origin frame with H and V drawn on it, so the user can check them."""
    import cv2

    from liftsafe.atomic import atomic_path
    from liftsafe.report.drawing import blank_canvas, draw_skeleton

    g = lifts[0]
    frame_index = g.origin_frame
    image = None
    if analysis.video_path is not None:
        from liftsafe.pose.video import FrameReader, series_stride

        stride = series_stride(analysis.video_path, analysis.series.fps)  # frames the pose was run on
        for i, rgb in FrameReader(analysis.video_path, stride=stride):
            if i == frame_index:
                image = rgb.copy()
                break
    if image is None:
        w, h = analysis.series.image_size
        image = blank_canvas(w, h)
    image = draw_skeleton(
        image,
        analysis.series.xy[frame_index],
        analysis.series.confidence[frame_index],
        analysis.series.layout,
    )
    (hx, hy), (ax, _) = g.hands_px[0], g.ankle_px[0]
    floor = g.floor_y_px[0]
    lu, k = ("cm", 1.0) if units == "metric" else ("in", 1 / CM_PER_IN)
    yellow, cyan = (255, 210, 0), (0, 200, 255)
    p = lambda x, y: (int(round(x)), int(round(y)))  # noqa: E731
    cv2.line(image, p(ax, floor), p(hx, floor), yellow, 3)
    cv2.line(image, p(hx, floor), p(hx, hy), cyan, 3)
    cv2.circle(image, p(hx, hy), 8, cyan, -1)
    cv2.circle(image, p(ax, floor), 8, yellow, -1)
    cv2.putText(
        image,
        f"H {g.h_origin_cm * k:.0f} {lu}",
        p(min(ax, hx), floor + 30),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.9,
        yellow,
        2,
    )
    cv2.putText(
        image,
        f"V {g.v_origin_cm * k:.0f} {lu}",
        p(hx + 12, (hy + floor) / 2),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.9,
        cyan,
        2,
    )
    with atomic_path(path) as tmp:
        ok, buf = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if not ok:
            return None
        Path(tmp).write_bytes(buf.tobytes())
    return path


def measured_geometry(
    path: Path, *, exercise: Any, height_m: float, cache_dir: Path | None = None
) -> dict[str, float]:
    """The lift geometry of a filmed lift (H, V, A at origin and destination, spine H, trunk flexion):
    the clip is analysed and the median over its lifts is taken (see :mod:`liftsafe.ergonomics.video`).
    """
    from liftsafe.ergonomics.video import estimate_geometry, median_geometry
    from liftsafe.pipeline import analyze_path

    analysis = analyze_path(path, exercise=exercise, height_m=height_m, cache_dir=cache_dir)
    return median_geometry(estimate_geometry(analysis, height_m=height_m))
