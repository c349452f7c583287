"""``liftsafe analyze`` and ``liftsafe demo``: technique analysis of a clip or of the simulated lifter."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from liftsafe.cli._common import console, prepare_out, run_with_progress
from liftsafe.result import AnalysisResult, Exercise

if TYPE_CHECKING:
    from liftsafe.analysis import Analysis
    from liftsafe.pose.parallel import PosePool

EXERCISES = ", ".join(e.value for e in Exercise)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` and ``demo`` to the root app."""
    app.command()(analyze)
    app.command()(demo)


def analyze(
    video: Path = typer.Argument(
        ...,
        help="Video of the lift (MP4/MOV/...), a keypoint file (.csv/.json/.trc/.nc) or an OpenPose folder.",
    ),
    exercise: str = typer.Option("deadlift", "--exercise", "-e", help=f"One of: {EXERCISES}."),
    height: str | None = typer.Option(
        None, "--height", help="Lifter's height (e.g. 178cm, 1.78m, 5ft10): adds metres."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Output folder [default: ./liftsafe-out/<video name>]."
    ),
    json_path: str | None = typer.Option(
        None, "--json", help="Also write the JSON result here ('-' = stdout)."
    ),
    html: bool | None = typer.Option(
        None, "--html/--no-html", help="Write the HTML report (default: on; off with --json -)."
    ),
    annotated: bool | None = typer.Option(
        None, "--video/--no-video", help="Write the annotated MP4 (default: on; off with --json -)."
    ),
    csv: bool | None = typer.Option(
        None, "--csv/--no-csv", help="Write per-frame signals as CSV (default: on; off with --json -)."
    ),
    fps: float | None = typer.Option(
        None, "--fps", help="Frame rate of a keypoint file that does not state it."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or table; errors only."),
    config: Path | None = typer.Option(
        None, "--config", help="Analysis config JSON (a result.json's 'config', to reproduce it)."
    ),
    export: str | None = typer.Option(
        None, "--export", help="Also write files for other tools: trc, mot, netcdf (comma-separated)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Processes sharing the pose estimation (default: the cores)."
    ),
    max_fps: str = typer.Option(
        "30", "--max-fps", help="Analyse at most this many frames per second ('native': every frame)."
    ),
) -> None:
    """Analyse a lift rep by rep: verdicts, faults with cues and evidence, reports.

    Exit codes: 0 done (whatever the verdict), 2 bad input, 3 cannot analyse, 4 cannot write.
    """
    from liftsafe.pose.formats import is_keypoint_input
    from liftsafe.pose.parallel import PosePool, check_workers, parse_max_fps

    n_workers = None if workers is None else check_workers(workers)
    fps_cap = parse_max_fps(max_fps)
    # Start the pose workers first: their start-up (interpreter, MediaPipe, graph) then runs on
    # the other cores while this process imports the analysis; they render the video at the end.
    pool = None
    if video.is_file() and not is_keypoint_input(video):
        pool = PosePool(n_workers)
        pool.prestart()
    try:
        _analyze(video, exercise=exercise, height=height, out=out, json_path=json_path, html=html,
                 annotated=annotated, csv=csv, fps=fps, quiet=quiet, config=config, export=export,
                 workers=n_workers, max_fps=fps_cap, pool=pool)
    finally:
        if pool is not None:
            # the workers are idle once the video is written (and on a bad option or input there
            # is no point waiting for their model to load): stopping them at once saves their
            # 0.2 s interpreter shutdown
            pool.close(kill=True)


def _analyze(video: Path, *, exercise: str, height: str | None, out: Path | None, json_path: str | None,
             html: bool | None, annotated: bool | None, csv: bool | None, fps: float | None, quiet: bool,
             config: Path | None, export: str | None, workers: int | None, max_fps: float | None,
             pool: PosePool | None) -> None:
    from liftsafe.app.analysis import analyse_clip
    from liftsafe.pipeline import parse_exercise
    from liftsafe.report.interop import parse_exports, write_exports
    from liftsafe.technique.config import load_config
    from liftsafe.units import parse_length_m

    ex = parse_exercise(exercise)
    exports = parse_exports(export) if export else []
    height_m = parse_length_m(height, what="--height") if height else None
    cfg = load_config(config)
    pose_opts = {
        "workers": None if pool is not None else workers, "max_fps": max_fps, "pool": pool,
    }
    out_dir = prepare_out(out if out is not None else Path("liftsafe-out") / video.stem)
    to_stdout = json_path == "-"
    show = not quiet and not to_stdout
    html, annotated, csv = (not to_stdout if flag is None else flag for flag in (html, annotated, csv))
    analysis = run_with_progress(
        lambda progress: analyse_clip(
            video, exercise=ex, height_m=height_m, fps=fps, progress=progress, config=cfg, **pose_opts
        ),
        quiet=quiet,
    )
    written = _write_outputs(
        analysis, out_dir, html=html, annotated=annotated, csv=csv, json_path=json_path, quiet=quiet,
        pool=pool,
    )
    written.update(write_exports(analysis, out_dir, exports, height_m=height_m))
    if show:
        print_summary(analysis.result, written)


def demo(
    out: Path = typer.Option(Path("liftsafe-out") / "demo", "--out", "-o", help="Output folder."),
    reps: int = typer.Option(4, "--reps", min=1, max=12, help="Number of simulated reps."),
    seed: int = typer.Option(7, "--seed", help="Random seed of the simulated noise."),
    annotated: bool = typer.Option(True, "--video/--no-video", help="Write the annotated MP4."),
    json_path: str | None = typer.Option(
        None, "--json", help="Also write the JSON result here ('-' = stdout)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Run the whole pipeline on a SIMULATED lifter (no video needed): good hinges and rounded backs."""
    from liftsafe.app.demo import demo_analysis

    out_dir = prepare_out(out)
    if not quiet and json_path != "-":
        console.print(
            "[bold yellow]This is a simulated lifter[/] (a planar body model with lumbar and thoracic "
            "segments), not a real video: good hinge reps and reps with a rounded back."
        )
    analysis = demo_analysis(n_reps=reps, seed=seed)
    written = _write_outputs(
        analysis, out_dir, html=True, annotated=annotated, csv=True, json_path=json_path, quiet=quiet
    )
    if not quiet and json_path != "-":
        print_summary(analysis.result, written)


def _write_outputs(
    analysis: Analysis,
    out_dir: Path,
    *,
    html: bool,
    annotated: bool,
    csv: bool,
    json_path: str | None,
    quiet: bool,
    pool: PosePool | None = None,
) -> dict[str, Path]:
    from liftsafe.app.analysis import write_reports

    written = write_reports(
        analysis, out_dir, csv=csv, html=html, annotated=annotated,
        video_progress=lambda write: run_with_progress(write, quiet=quiet), pool=pool,
    )
    if json_path == "-":
        sys.stdout.write(json.dumps(analysis.result.to_dict(), indent=2) + "\n")
    elif json_path:
        from liftsafe import report

        written["json"] = report.write_json(analysis, Path(json_path))
    return written


def print_summary(result: AnalysisResult, written: dict[str, Path]) -> None:
    """Verdict, summary, rep table, top faults and warnings on the terminal (report/terminal.py)."""
    from liftsafe.report.terminal import print_summary as render

    render(result, written)
