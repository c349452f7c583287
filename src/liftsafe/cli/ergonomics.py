"""``liftsafe niosh``, ``lifft``, ``l5s1`` and ``assess`` (video): workplace lifting risk."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from liftsafe.cli._common import prepare_out, run_with_progress
from liftsafe.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the workplace-risk commands to the root app."""
    app.command()(assess)
    app.command()(niosh)
    app.command(name="lifft")(lifft_command)
    app.command()(l5s1)


def assess(
    video: Path = typer.Argument(..., help="Side-on video of the worker lifting (or a keypoint .csv/.json)."),
    load: str = typer.Option(..., "--load", help="Weight of the load, with its unit (e.g. 18kg, 40lb)."),
    height: str = typer.Option(..., "--height", help="Worker's height, with its unit (e.g. 178cm, 5ft10)."),
    frequency: float | None = typer.Option(
        None, "--frequency", help="Lifts per minute over the shift (or give --job)."
    ),
    duration: str = typer.Option(
        "long", "--duration", help="Lifting duration category: short, moderate or long."
    ),
    coupling: str = typer.Option("fair", "--coupling", help="Hand-to-load coupling: good, fair or poor."),
    control: bool = typer.Option(
        False, "--control-at-destination", help="The load is placed with significant control."
    ),
    asymmetry: float | None = typer.Option(
        None, "--asymmetry", help="Asymmetry angle A in degrees, if you measured it."
    ),
    body_mass: str | None = typer.Option(
        None, "--body-mass", help="Worker's body mass (e.g. 80kg) for the L5/S1 estimate."
    ),
    reps_per_day: float | None = typer.Option(None, "--reps-per-day", help="Lifts per day, for LiFFT."),
    job: Path | None = typer.Option(
        None, "--job", help="Job file whose first task gives frequency, duration and coupling."
    ),
    units: str = typer.Option(
        "metric", "--units", help="Units of the report: metric (kg, cm) or us (lb, in)."
    ),
    exercise: str = typer.Option(
        "box-lift", "--exercise", "-e", help="How the lift is done (box-lift, deadlift, ...)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Folder for geometry.png [default: ./liftsafe-out/<video>]."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Rate a filmed lift: H, V, D, A from the video, then RNLE, LiFFT and L5/S1 with what-if advice."""
    from liftsafe.app.workplace import VideoTask, assess_video, task_from_job_file
    from liftsafe.ergonomics.report import job_json, render_job
    from liftsafe.pipeline import parse_exercise
    from liftsafe.units import parse_length_m, parse_mass_kg, parse_unit_system

    unit_system = parse_unit_system(units, what="--units")
    load_kg = parse_mass_kg(load, what="--load")
    height_m = parse_length_m(height, what="--height")
    mass_kg = parse_mass_kg(body_mass, what="--body-mass") if body_mass else None
    if job is not None:
        frequency, duration, coupling = task_from_job_file(job, frequency=frequency)
    if frequency is None:
        raise InputError(
            "give --frequency (lifts per minute over the shift) or a --job file: a video shows how, not how "
            "often."
        )
    task = VideoTask(
        load_kg=load_kg,
        height_m=height_m,
        frequency=frequency,
        duration=duration,
        coupling=coupling,
        control_at_destination=control,
        asymmetry_deg=asymmetry,
        body_mass_kg=mass_kg,
        reps_per_day=reps_per_day,
    )
    ex = parse_exercise(exercise)
    out_dir = prepare_out(out if out is not None else Path("liftsafe-out") / video.stem)
    result = assess_video(
        video, task, exercise=ex, out_dir=out_dir, units=unit_system,
        run=lambda analyse: run_with_progress(analyse, quiet=quiet or as_json),
    )
    if as_json:
        payload = job_json(result.assessment, details=True)
        payload["video"] = {
            "source": str(video),
            "geometry_image": str(result.keyframe) if result.keyframe else None,
            "lifts": result.lifts_json(),
            "notes": result.notes,
        }
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    console = Console()
    length = result.length
    lu = "cm" if unit_system == "metric" else "in"
    console.print(f"[bold]{video}[/]: {len(result.lifts)} lift(s) measured")
    for g in result.lifts:
        console.print(
            f"  lift {g.rep_index}: origin H {length(g.h_origin_cm):.0f} {lu}, V "
            f"{length(g.v_origin_cm):.0f} {lu}; "
            f"destination H {length(g.h_destination_cm):.0f} {lu}, V {length(g.v_destination_cm):.0f} {lu}; "
            f"D {length(g.d_cm):.0f} {lu}"
        )
    for note in result.notes:
        console.print(f"  [yellow]note:[/] {note}")
    render_job(result.assessment, console)


def niosh(
    job: Path = typer.Argument(..., help="Job file (.json or .toml): units, duration and tasks."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
    details: bool = typer.Option(
        False, "--details", help="With --json: add bands, manual rounding, advice, LiFFT and L5/S1 results."
    ),
    ignore_scope: bool = typer.Option(
        False,
        "--ignore-scope",
        help="Compute RWL/LI even for tasks outside the equation's scope (warnings stay).",
    ),
    vli: bool = typer.Option(
        False, "--vli", help="Also rate the tasks as sub-tasks of one variable job: Variable Lifting Index."
    ),
) -> None:
    """Rate a lifting job with the revised NIOSH lifting equation (RWL, LI, Composite LI, what-if advice).

    LiFFT and L5/S1 compression are added when the job file has their inputs
    (tasks' reps_per_day; the job's worker and tasks' trunk_flexion_deg).
    """
    from liftsafe.app.workplace import assess_job_path
    from liftsafe.ergonomics.report import job_json, render_job

    assessment = assess_job_path(job, ignore_scope=ignore_scope, vli=vli)
    if as_json:
        typer.echo(json.dumps(job_json(assessment, details=details), indent=2, allow_nan=False))
    else:
        render_job(assessment, Console())

def lifft_command(
    load: list[float] = typer.Option(..., "--load", help="Load of a task (kg or lb); repeat once per task."),
    distance: list[float] = typer.Option(
        ..., "--distance", help="Maximum horizontal distance spine->load (cm or in); once per task."
    ),
    reps: list[float] = typer.Option(..., "--reps", help="Repetitions per day; once per task."),
    units: str = typer.Option("metric", "--units", help="metric (kg, cm) or us (lb, in)."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
) -> None:
    """Cumulative low-back damage and probability of a high-risk job (LiFFT, Gallagher et al. 2017)."""
    from liftsafe.ergonomics.lifft import LifftTask, lifft
    from liftsafe.ergonomics.report import lifft_json
    from liftsafe.units import parse_unit_system

    u = parse_unit_system(units, what="--units")
    if not len(load) == len(distance) == len(reps):
        raise InputError(
            f"give --load, --distance and --reps once per task; got {len(load)}, {len(distance)} and "
            f"{len(reps)}"
        )
    tasks = [
        LifftTask.from_units(load=lo, distance=d, reps_per_day=r, units=u, name=f"task {i}")
        for i, (lo, d, r) in enumerate(zip(load, distance, reps, strict=True), start=1)
    ]
    result = lifft(tasks)
    if as_json:
        typer.echo(json.dumps(lifft_json(result), indent=2))
        return
    console = Console()
    for t in result.tasks:
        console.print(
            f"{t.task.name}: PLM {t.peak_load_moment_nm:.1f} N·m ({t.peak_load_moment_ftlb:.1f} ft·lb), "
            f"{t.task.reps_per_day:g} reps/day, damage/day {t.cumulative_damage:.3g}"
        )
    console.print(
        f"cumulative damage {result.cumulative_damage:.3g}; probability of a high-risk job "
        f"{100 * result.probability_high_risk:.0f} %"
    )
    for w in result.warnings:
        console.print(f"[yellow]warning:[/] {w}")

def l5s1(
    body_mass: float = typer.Option(..., "--body-mass", help="Body mass (kg, or lb with --units us)."),
    height: float = typer.Option(..., "--height", help="Body height (cm, or in with --units us)."),
    trunk_flexion: float = typer.Option(..., "--trunk-flexion", help="Trunk flexion from vertical, degrees."),
    hand_distance: float = typer.Option(
        ..., "--hand-distance", help="Horizontal distance L5/S1 -> hands (cm, or in with --units us)."
    ),
    load: float = typer.Option(0.0, "--load", help="Load in the hands (kg, or lb with --units us)."),
    units: str = typer.Option("metric", "--units", help="metric or us."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
) -> None:
    """Static L5/S1 compression estimate, compared with the 3400 N / 6400 N NIOSH limits."""
    from liftsafe.ergonomics.report import l5s1_json
    from liftsafe.ergonomics.spine_load import l5s1_compression
    from liftsafe.units import KG_PER_LB, M_PER_IN, parse_unit_system

    u = parse_unit_system(units, what="--units")
    kg, m = (1.0, 0.01) if u == "metric" else (KG_PER_LB, M_PER_IN)
    res = l5s1_compression(
        body_mass_kg=body_mass * kg,
        body_height_m=height * m,
        trunk_flexion_deg=trunk_flexion,
        hand_distance_m=hand_distance * m,
        load_kg=load * kg,
    )
    if as_json:
        typer.echo(json.dumps(l5s1_json(res), indent=2))
        return
    console = Console()
    console.print(
        f"L5/S1 moment {res.moment_nm:.0f} N·m; compression {res.compression_n:.0f} N, shear "
        f"{res.shear_n:.0f} N "
        f"-> {res.band} (action limit 3400 N, maximum permissible 6400 N)"
    )
    for w in res.warnings:
        console.print(f"[yellow]warning:[/] {w}")
