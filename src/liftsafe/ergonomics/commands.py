"""CLI commands of the workplace-risk area: ``niosh``, ``lifft``, ``l5s1`` and ``assess`` (video)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from liftsafe.errors import InputError


def _units(value: str) -> str:
    v = value.lower()
    if v not in ("metric", "us"):
        raise InputError(f"--units must be one of metric, us; got '{value}'")
    return v


def register(app: typer.Typer) -> None:
    from liftsafe.ergonomics.video_command import assess

    app.command()(assess)

    @app.command()
    def niosh(
        job: Path = typer.Argument(..., help="Job file (.json or .toml): units, duration and tasks."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON to stdout."),
        details: bool = typer.Option(
            False, "--details", help="With --json: add bands, manual rounding, advice, LiFFT and L5/S1 results."
        ),
        ignore_scope: bool = typer.Option(
            False, "--ignore-scope", help="Compute RWL/LI even for tasks outside the equation's scope (warnings stay)."
        ),
    ) -> None:
        """Rate a lifting job with the revised NIOSH lifting equation (RWL, LI, Composite LI, what-if advice).

        LiFFT and L5/S1 compression are added when the job file has their inputs
        (tasks' reps_per_day; the job's worker and tasks' trunk_flexion_deg).
        """
        from liftsafe.ergonomics.jobfile import load_job_file
        from liftsafe.ergonomics.report import assess_job_file, job_json, render_job

        assessment = assess_job_file(load_job_file(job), ignore_scope=ignore_scope)
        if as_json:
            typer.echo(json.dumps(job_json(assessment, details=details), indent=2, allow_nan=False))
        else:
            render_job(assessment, Console())

    @app.command(name="lifft")
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

        u = _units(units)
        if not len(load) == len(distance) == len(reps):
            raise InputError(
                f"give --load, --distance and --reps once per task; got {len(load)}, {len(distance)} and {len(reps)}"
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

    @app.command()
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

        u = _units(units)
        kg, m = (1.0, 0.01) if u == "metric" else (0.45359237, 0.0254)
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
            f"L5/S1 moment {res.moment_nm:.0f} N·m; compression {res.compression_n:.0f} N, shear {res.shear_n:.0f} N "
            f"-> {res.band} (action limit 3400 N, maximum permissible 6400 N)"
        )
        for w in res.warnings:
            console.print(f"[yellow]warning:[/] {w}")
