"""Job lifts for the plan's job-specific drill -- from the command line's ``--job-lift`` specs,
from a NIOSH job file (a path, or text uploaded or pasted in the web app) and from a filmed job
lift (a video or keypoint file of the worker's lift, measured as ``liftsafe assess`` does).

The ergonomics layer reads and assesses the job (with the job-file size and task limits of
:mod:`liftsafe.ergonomics.jobfile`); the training layer turns each task and its recommended
weight limit (RWL) into a drill. The command line and the web app both call these functions.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Sequence

from liftsafe.errors import InputError
from liftsafe.training.joblift import JobLift, from_niosh_task, parse_job_lift


def job_lifts_from_jobfile(jobfile: Any) -> list[JobLift]:
    """Every task of a parsed NIOSH job (:class:`liftsafe.ergonomics.jobfile.JobFile`) as a job
    lift with its RWL."""
    from liftsafe.ergonomics.niosh import assess_task

    job = jobfile.job
    imperial = str(getattr(job.units, "value", job.units)) != "metric"
    out = []
    for task in job.tasks:
        result = assess_task(task, units=job.units, duration=job.duration, ignore_scope=True)
        out.append(from_niosh_task(task, result.rwl, imperial=imperial))
    return out


def job_lifts_from_job_file(path: str) -> list[JobLift]:
    """Every task of a NIOSH job file (``liftsafe niosh`` format) as a job lift with its RWL."""
    from liftsafe.ergonomics.jobfile import load_job_file

    return job_lifts_from_jobfile(load_job_file(path))


def job_lifts_from_job_text(data: str | bytes, *, filename: str = "job") -> list[JobLift]:
    """A NIOSH job file given as text or bytes (uploaded or pasted): JSON or TOML by the file
    name's suffix, else by its first character; refused above the job-file size limit
    (:func:`liftsafe.ergonomics.jobfile.max_file_bytes`) and task limit, as a file would be."""
    from liftsafe.ergonomics.jobfile import ENV_MAX_FILE_BYTES, decode_job_text, max_file_bytes, parse_job

    raw = data.encode("utf-8") if isinstance(data, str) else data
    limit = max_file_bytes()
    if len(raw) > limit:
        raise InputError(
            f"{filename}: the job file is larger than {limit:,} bytes "
            f"(the limit; split the job, or raise {ENV_MAX_FILE_BYTES})",
            field="job_file",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{filename}: the job file is not UTF-8 text", field="job_file") from None
    if not text.strip():
        raise InputError(f"{filename}: the job file is empty", field="job_file")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".json", ".toml"):
        suffix = ".json" if text.lstrip()[:1] in ("{", "[") else ".toml"
    return job_lifts_from_jobfile(
        parse_job(decode_job_text(text, suffix=suffix, source=filename), source=filename)
    )


def job_lift_from_video(
    video: Path,
    *,
    load_kg: float,
    height_m: float,
    frequency: float = 1.0,
    exercise: str = "box-lift",
    name: str | None = None,
    cache_dir: Path | None = None,
) -> tuple[JobLift, list[str]]:
    """A filmed job lift: the lift's geometry measured on ``video`` (a video or keypoint file)
    and assessed with the revised NIOSH equation by :func:`liftsafe.app.workplace.assess_video`
    (what ``liftsafe assess`` runs); returns the job lift with its RWL and the notes on the
    measurement. ``load_kg``, the worker's height and the lifting frequency are what a video
    cannot show."""
    from dataclasses import replace

    from liftsafe.app.workplace import VideoTask, assess_video

    if not 0 < load_kg <= 100:
        raise InputError(
            f"job load must be above 0 and at most 100 kg; got {load_kg:g}.", field="job_load_kg"
        )
    if not 1.0 <= height_m <= 2.3:
        raise InputError(f"height must be 100-230 cm; got {height_m * 100:g}.", field="height_cm")
    if not 0 < frequency <= 20:
        raise InputError(
            f"lifts per minute must be above 0 and at most 20; got {frequency:g}.", field="frequency"
        )
    task = VideoTask(load_kg=load_kg, height_m=height_m, frequency=frequency)
    with tempfile.TemporaryDirectory(prefix="liftsafe-joblift-") as tmp:
        va = assess_video(Path(video), task, exercise=exercise, out_dir=Path(tmp), cache_dir=cache_dir)
    lift = job_lifts_from_jobfile(va.assessment.jobfile)[0]
    if name:
        lift = replace(lift, name=name[:80])
    return lift, list(va.notes)


def job_lifts_from_options(
    specs: Sequence[str],
    job_file: str | None,
    *,
    job_video: Path | None = None,
    video_load_kg: float | None = None,
    height_m: float | None = None,
    video_frequency: float = 1.0,
) -> list[JobLift]:
    """The CLI's ``--job-lift SPEC`` (repeatable), ``--job-file FILE`` (a NIOSH job file) and
    ``--job-video FILE`` (a filmed job lift, with ``--job-video-load`` and ``--height``)."""
    lifts = [parse_job_lift(spec, where=f"--job-lift {i}") for i, spec in enumerate(specs, start=1)]
    if job_file:
        lifts += job_lifts_from_job_file(job_file)
    if job_video is not None:
        if video_load_kg is None or height_m is None:
            raise InputError("--job-video needs --job-video-load (kg) and --height (m).", field="job_video")
        lift, _ = job_lift_from_video(
            job_video, load_kg=video_load_kg, height_m=height_m, frequency=video_frequency
        )
        lifts.append(lift)
    return lifts
