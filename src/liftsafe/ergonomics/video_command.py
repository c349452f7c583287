"""``liftsafe assess VIDEO``: NIOSH / LiFFT / L5/S1 with the lift geometry taken from a video."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import typer
from rich.console import Console

from liftsafe.errors import InputError

CM_PER_IN = 2.54
KG_PER_LB = 0.45359237


def assess(
    video: Path = typer.Argument(..., help="Side-on video of the worker lifting (or a keypoint .csv/.json)."),
    load: str = typer.Option(..., "--load", help="Weight of the load, with its unit (e.g. 18kg, 40lb)."),
    height: str = typer.Option(..., "--height", help="Worker's height, with its unit (e.g. 178cm, 5ft10)."),
    frequency: float | None = typer.Option(None, "--frequency", help="Lifts per minute over the shift (or give --job)."),
    duration: str = typer.Option("long", "--duration", help="Lifting duration category: short, moderate or long."),
    coupling: str = typer.Option("fair", "--coupling", help="Hand-to-load coupling: good, fair or poor."),
    control: bool = typer.Option(False, "--control-at-destination", help="The load is placed with significant control."),
    asymmetry: float | None = typer.Option(None, "--asymmetry", help="Asymmetry angle A in degrees, if you measured it."),
    body_mass: str | None = typer.Option(None, "--body-mass", help="Worker's body mass (e.g. 80kg) for the L5/S1 estimate."),
    reps_per_day: float | None = typer.Option(None, "--reps-per-day", help="Lifts per day, for LiFFT."),
    job: Path | None = typer.Option(None, "--job", help="Job file whose first task gives frequency, duration and coupling."),
    units: str = typer.Option("metric", "--units", help="Units of the report: metric (kg, cm) or us (lb, in)."),
    exercise: str = typer.Option("box-lift", "--exercise", "-e", help="How the lift is done (box-lift, deadlift, ...)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder for geometry.png [default: ./liftsafe-out/<video>]."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Rate a filmed lift: H, V, D, A estimated from the video, then RNLE, LiFFT and L5/S1 with what-if advice."""
    from liftsafe.ergonomics.jobfile import load_job_file, parse_job
    from liftsafe.ergonomics.report import assess_job_file, job_json, render_job
    from liftsafe.ergonomics.video import estimate_geometry, median_geometry
    from liftsafe.pipeline import analyze_path, parse_exercise
    from liftsafe.technique.commands import _prepare_out, _run_with_progress
    from liftsafe.units import parse_length_m, parse_mass_kg

    units = units.lower()
    if units not in ("metric", "us"):
        raise InputError(f"--units must be one of metric, us; got '{units}'")
    load_kg = parse_mass_kg(load, what="--load")
    height_m = parse_length_m(height, what="--height")
    mass_kg = parse_mass_kg(body_mass, what="--body-mass") if body_mass else None
    if job is not None:
        jf = load_job_file(job)
        first = jf.job.tasks[0]
        frequency = first.frequency if frequency is None else frequency
        duration = jf.job.duration.value
        coupling = first.coupling.value
    if frequency is None:
        raise InputError("give --frequency (lifts per minute over the shift) or a --job file: a video shows how, not how often.")
    ex = parse_exercise(exercise)
    out_dir = _prepare_out(out if out is not None else Path("liftsafe-out") / video.stem)
    analysis = _run_with_progress(
        lambda progress: analyze_path(video, exercise=ex, height_m=height_m, progress=progress), quiet=quiet or as_json
    )
    lifts = estimate_geometry(analysis, height_m=height_m)
    geo = median_geometry(lifts)
    notes = [f"geometry estimated from the video: median of {len(lifts)} lift(s); check it on {out_dir / 'geometry.png'}"]
    if analysis.result.view.value == "oblique":
        yaw = analysis.result.camera.get("yaw_deg") or 45.0
        notes.append(
            f"the camera is about {yaw:.0f} deg off side-on: horizontal distances read short by up to "
            f"{100 * (1 - np.cos(np.radians(yaw))):.0f} %; film side-on for a trustworthy H"
        )
    a_o, a_d = geo["a_origin_deg"], geo["a_destination_deg"]
    if asymmetry is not None:
        a_o = a_d = asymmetry
    elif not (np.isfinite(a_o) and np.isfinite(a_d)):
        a_o = a_d = 0.0
        notes.append("asymmetry angle A could not be estimated (no 3-D landmarks): 0 assumed; give --asymmetry")
    else:
        notes.append("asymmetry angle A comes from the pose model's depth estimate (about +-15 deg): give --asymmetry if measured")
    length = (lambda cm: cm) if units == "metric" else (lambda cm: cm / CM_PER_IN)
    mass = (lambda kg: kg) if units == "metric" else (lambda kg: kg / KG_PER_LB)
    task = {
        "name": video.stem,
        "load": round(mass(load_kg), 2),
        "origin": {"h": round(length(geo["h_origin_cm"]), 1), "v": round(length(geo["v_origin_cm"]), 1), "a": round(float(a_o), 1)},
        "destination": {"h": round(length(geo["h_destination_cm"]), 1), "v": round(length(geo["v_destination_cm"]), 1), "a": round(float(a_d), 1)},
        "frequency": frequency,
        "coupling": coupling,
        "control_at_destination": control,
    }
    if reps_per_day is not None:
        task["reps_per_day"] = reps_per_day
    if np.isfinite(geo["spine_h_cm"]) and (reps_per_day is not None or mass_kg is not None):
        task["spine_h"] = round(length(geo["spine_h_cm"]), 1)
    data: dict = {"units": units, "duration": duration, "tasks": [task]}
    if mass_kg is not None and np.isfinite(geo["trunk_flexion_origin_deg"]):
        task["trunk_flexion_deg"] = round(float(np.clip(geo["trunk_flexion_origin_deg"], -30, 135)), 1)
        data["worker"] = {"body_mass": round(mass(mass_kg), 1), "height": round(length(height_m * 100), 1)}
    assessment = assess_job_file(parse_job(data, source=f"{video.name} (estimated)"))
    keyframe = write_geometry_keyframe(analysis, lifts, out_dir / "geometry.png", units=units)
    if as_json:
        payload = job_json(assessment, details=True)
        payload["video"] = {
            "source": str(video),
            "geometry_image": str(keyframe) if keyframe else None,
            "lifts": [_lift_json(g, length) for g in lifts],
            "notes": notes,
        }
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    console = Console()
    console.print(f"[bold]{video}[/]: {len(lifts)} lift(s) measured")
    for g in lifts:
        lu = "cm" if units == "metric" else "in"
        console.print(
            f"  lift {g.rep_index}: origin H {length(g.h_origin_cm):.0f} {lu}, V {length(g.v_origin_cm):.0f} {lu}; "
            f"destination H {length(g.h_destination_cm):.0f} {lu}, V {length(g.v_destination_cm):.0f} {lu}; "
            f"D {length(g.d_cm):.0f} {lu}"
        )
    for note in notes:
        console.print(f"  [yellow]note:[/] {note}")
    render_job(assessment, console)


def _lift_json(g, length) -> dict:
    def num(x: float) -> float | None:
        return None if not np.isfinite(x) else round(float(x), 1)

    return {
        "rep": g.rep_index,
        "origin": {"frame": g.origin_frame, "h": num(length(g.h_origin_cm)), "v": num(length(g.v_origin_cm)), "a": num(g.a_origin_deg)},
        "destination": {"frame": g.destination_frame, "h": num(length(g.h_destination_cm)), "v": num(length(g.v_destination_cm)), "a": num(g.a_destination_deg)},
        "d": num(length(g.d_cm)),
        "trunk_flexion_origin_deg": num(g.trunk_flexion_origin_deg),
        "spine_h": num(length(g.spine_h_cm)),
    }


def write_geometry_keyframe(analysis, lifts, path: Path, *, units: str) -> Path | None:
    """The first lift's origin frame with H and V drawn on it, so the user can check them."""
    import cv2

    from liftsafe.report.atomic import atomic_path
    from liftsafe.report.drawing import blank_canvas, draw_skeleton

    g = lifts[0]
    frame_index = g.origin_frame
    image = None
    if analysis.video_path is not None:
        from liftsafe.pose.video import FrameReader

        for i, rgb in FrameReader(analysis.video_path):
            if i == frame_index:
                image = rgb.copy()
                break
    if image is None:
        w, h = analysis.series.image_size
        image = blank_canvas(w, h)
    image = draw_skeleton(image, analysis.series.xy[frame_index], analysis.series.confidence[frame_index], analysis.series.layout)
    (hx, hy), (ax, ay) = g.hands_px[0], g.ankle_px[0]
    floor = g.floor_y_px[0]
    lu, k = ("cm", 1.0) if units == "metric" else ("in", 1 / CM_PER_IN)
    yellow, cyan = (255, 210, 0), (0, 200, 255)
    p = lambda x, y: (int(round(x)), int(round(y)))  # noqa: E731
    cv2.line(image, p(ax, floor), p(hx, floor), yellow, 3)
    cv2.line(image, p(hx, floor), p(hx, hy), cyan, 3)
    cv2.circle(image, p(hx, hy), 8, cyan, -1)
    cv2.circle(image, p(ax, floor), 8, yellow, -1)
    cv2.putText(image, f"H {g.h_origin_cm * k:.0f} {lu}", p(min(ax, hx), floor + 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, yellow, 2)
    cv2.putText(image, f"V {g.v_origin_cm * k:.0f} {lu}", p(hx + 12, (hy + floor) / 2), cv2.FONT_HERSHEY_SIMPLEX, 0.9, cyan, 2)
    with atomic_path(path) as tmp:
        ok, buf = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if not ok:
            return None
        Path(tmp).write_bytes(buf.tobytes())
    return path
