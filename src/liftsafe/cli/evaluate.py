"""``liftsafe evaluate DIR --labels labels.csv``: score the verdicts on a labelled folder of clips."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console

from liftsafe.cli._common import console, prepare_out


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` to the root app."""
    app.command()(evaluate)


def evaluate(
    clips_dir: Path = typer.Argument(..., help="Folder of clips; the labels file names them relative to it."),
    labels: Path = typer.Option(
        ..., "--labels", help="CSV: file,label[,rep_count][,fault][,group][,view] (label good/bad)."
    ),
    exercise: str = typer.Option("deadlift", "--exercise", "-e"),
    out: Path = typer.Option(
        Path("liftsafe-out") / "evaluation",
        "--out",
        "-o",
        help="Folder for evaluation.md/.html and per-clip reports.",
    ),
    cache: Path | None = typer.Option(None, "--cache", help="Keep pose estimates here to make re-runs fast."),
    reports: bool = typer.Option(
        True, "--reports/--no-reports", help="Write an HTML report per clip (linked from the table)."
    ),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, max=8, help="Clips analysed in parallel (worker processes)."
    ),
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="Also cross-validate the verdict with the major limits of the table's fitted faults re-fitted "
             "per fold.",
    ),
    cv_by: str = typer.Option(
        "group",
        "--cv-by",
        help="With --calibrate: hold out whole source groups ('group', stricter) or single clips ('clip').",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the scores and per-clip outcomes as JSON to stdout."
    ),
    config_file: Path | None = typer.Option(
        None, "--config", help="Analysis config JSON (a result.json's 'config', or AnalysisConfig values)."
    ),
    budget_out: Path | None = typer.Option(
        None, "--budget-out", help="Write the false-alarm budget derived from the sound clips here (JSON)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Score liftsafe's verdicts on a labelled folder: balanced accuracy, coverage, rep counts, faults.

    A clip that fails is an error row and the run continues; the labels file is checked
    completely before anything runs.
    """
    from liftsafe.errors import InputError
    from liftsafe.evaluation.labels import read_labels
    from liftsafe.evaluation.metrics import score
    from liftsafe.evaluation.report import markdown, write_reports
    from liftsafe.evaluation.run import run_clips
    from liftsafe.pipeline import parse_exercise

    if cv_by not in ("group", "clip"):
        raise InputError(f"--cv-by must be 'group' or 'clip'; got '{cv_by}'.")
    ex = parse_exercise(exercise).value
    rows = read_labels(labels, clips_dir)
    out_dir = prepare_out(out)
    reports_dir = out_dir / "clips" if reports else None
    show = not quiet and not as_json and sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if show:
            console.print(f"[{done}/{total}] {name}", highlight=False)

    from liftsafe.evaluation.noise import evaluate_noise, noise_text
    from liftsafe.technique.config import AnalysisConfig

    config = AnalysisConfig.load(config_file) if config_file else None
    outcomes = run_clips(clips_dir, rows, exercise=ex, cache_dir=cache, reports_dir=reports_dir, jobs=jobs,
                         progress=progress, config=config)
    scores = score(outcomes)
    written = write_reports(scores, outcomes, out_dir)
    noise = evaluate_noise(outcomes, config, out_dir, written, budget_out=budget_out)
    calibration = None
    if calibrate:
        from liftsafe.atomic import write_text_atomic
        from liftsafe.evaluation.calibrate import cross_validate, describe

        calibration = cross_validate(outcomes, by_group=cv_by == "group", exercise=ex, config=config)
        cal_dict = asdict(calibration)
        written["calibration"] = write_text_atomic(
            json.dumps(cal_dict, indent=2), out_dir / "calibration.json"
        )
    if as_json:
        payload = {
            "scores": scores.to_dict(),
            "clips": [
                {
                    "file": o.file,
                    "label": o.label,
                    "predicted": o.predicted,
                    "abstain_reason": o.abstain_reason,
                    "rep_count": None if o.result is None else o.result["rep_count"],
                    "true_rep_count": o.true_reps,
                    "view": None if o.result is None else o.result["view"],
                    "yaw_deg": o.yaw_deg,
                    "seconds": round(o.seconds, 2),
                    "error": o.error,
                }
                for o in outcomes
            ],
            "reports": {k: str(v) for k, v in written.items()},
            "calibration": None if calibration is None else asdict(calibration),
            "noise": noise,
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    if not quiet:
        Console().print(markdown(scores, outcomes).split("\n| clip")[0], highlight=False)
        Console().print(noise_text(noise), highlight=False)
        if calibration is not None:
            Console().print("calibration (cross-validated):\n" + describe(calibration), highlight=False)
        Console().print(f"reports: {', '.join(str(v) for v in written.values())}", highlight=False)
