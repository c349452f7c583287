"""``liftsafe batch``: analyse a folder or a manifest of clips on local workers or Ray."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from liftsafe.cli._common import console, echo_json


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the root app."""
    app.command()(batch)


def batch(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help="Folder (searched recursively for videos and keypoint files) or a CSV manifest "
        "with columns file,exercise[,height].",
    ),
    exercise: str = typer.Option(
        "deadlift",
        "--exercise",
        "-e",
        help="Exercise of every clip of a folder (a manifest row's empty cell too).",
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output folder: OUT/<relative path>.json per clip and OUT/summary.csv."
    ),
    height: str | None = typer.Option(
        None,
        "--height",
        help="Lifter's height for every clip (e.g. 178cm); a manifest's height column overrides it.",
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-j", min=1, help="Worker processes or Ray actors [default: cores]."
    ),
    engine: str = typer.Option(
        "local", "--engine", help="local (a process pool) or ray (pip install 'liftsafe[cluster]')."
    ),
    ray_address: str | None = typer.Option(
        None,
        "--ray-address",
        help="Ray head to join (host:port, ray://host:port or auto); default: a local Ray.",
    ),
    worker_memory_mb: float | None = typer.Option(
        None,
        "--worker-memory-mb",
        min=256,
        help="Address-space limit of each local worker process: a clip that needs more becomes an error row.",
    ),
    reports: bool = typer.Option(
        False, "--reports/--no-reports", help="Also write OUT/<relative path>.html reports."
    ),
    force: bool = typer.Option(False, "--force", help="Redo clips whose result is already there."),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Also store results in this database (SQLAlchemy URL), as web-app analyses of --db-owner.",
    ),
    db_owner: str | None = typer.Option(
        None,
        "--db-owner",
        help="E-mail of the web account (a workplace admin) that owns the stored analyses.",
    ),
    batch_name: str | None = typer.Option(
        None, "--batch-name", help="Name of the batch in the database [default: OUT's name]."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress bar; errors and the final line only."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the outcome as JSON on stdout (counts and summary rows)."
    ),
) -> None:
    """Analyse many clips: one JSON result per clip, a summary.csv, resumable.

    A re-run skips clips already analysed (same file content, same analysis); --force redoes
    them. Exit codes: 0 every clip analysed, 2 bad input (before any work), 3 some clips could
    not be analysed (their summary rows say why), 4 output cannot be written.
    """
    from liftsafe.batch.engines import default_workers, make_engine
    from liftsafe.batch.manifest import collect
    from liftsafe.batch.runner import prepare_out, run_batch
    from liftsafe.errors import InputError
    from liftsafe.units import parse_length_m

    height_m = parse_length_m(height, what="--height") if height else None
    if height_m is not None and not (0.9 <= height_m <= 2.5):
        raise InputError(f"--height must be a person's height between 90 and 250 cm; got {height}.")
    if (db is None) != (db_owner is None):
        raise InputError(
            "--db and --db-owner go together: the database and the web account that owns the results."
        )
    clip_list = collect(input_path, exercise=exercise, height_m=height_m, exclude=out)
    eng = make_engine(
        engine, workers=workers or default_workers(), ray_address=ray_address, memory_mb=worker_memory_mb
    )
    sink = None
    if db is not None:
        from liftsafe.batch.db import BatchSink

        sink = BatchSink(db, owner_email=db_owner, batch=batch_name or out.resolve().name)
    prepare_out(out)
    if hasattr(eng, "start"):
        eng.start()  # Ray: connect (bounded) before any clip is hashed
    show = not quiet and sys.stderr.isatty()
    if not quiet and clip_list.skipped:
        console.print(
            f"ignored {len(clip_list.skipped)} file(s) that are not videos or keypoint files "
            f"(e.g. {clip_list.skipped[0]})",
            highlight=False,
        )
    try:
        if show:
            report = _run_with_bar(clip_list.clips, out, eng, reports, force, sink)
        else:
            report = run_batch(
                clip_list.clips,
                out=out,
                engine=eng,
                reports=reports,
                force=force,
                on_record=sink.save if sink else None,
            )
    finally:
        eng.close()
        if sink is not None:
            sink.close()
    if not quiet:
        console.print(
            f"{len(report.records)} clip(s): {report.analysed - report.new_failed} analysed, "
            f"{report.skipped} already done, {report.failed} without a result; "
            f"summary: {report.summary_path}",
            highlight=False,
            soft_wrap=True,
        )
        for rec in report.records:
            if not rec.ok:
                console.print(f"  [red]failed[/] {rec.file}: {rec.error}", highlight=False, soft_wrap=True)
    if as_json:
        doc = {
            "clips": len(report.records),
            "analysed": report.analysed - report.new_failed,
            "already_done": report.skipped,
            "without_result": report.failed,
            "summary": str(report.summary_path),
            "output": str(out),
            "rows": [r.summary_row() for r in report.records],
        }
        echo_json(doc)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _run_with_bar(clips, out, eng, reports, force, sink):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from liftsafe.batch.runner import run_batch

    with Progress(
        TextColumn("clips"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("clips", total=None, failed=0)
        failed = [0]

        def progress(event, done, total, rec):
            if event == "planned":
                # skipped clips count as done but not in the speed estimate: start the bar after them
                bar.update(task, total=total, completed=done)
                bar.reset(task, total=total, completed=done, failed=0)
                return
            if rec is not None and not rec.ok:
                failed[0] += 1
            bar.update(task, completed=done, failed=failed[0])

        return run_batch(
            clips,
            out=out,
            engine=eng,
            reports=reports,
            force=force,
            progress=progress,
            on_record=sink.save if sink else None,
        )
