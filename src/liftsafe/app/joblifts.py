"""Job lifts for the plan's job-specific drill, from the command line's ``--job-lift`` specs
and from a NIOSH job file (the ergonomics layer reads and assesses it; the training layer
turns each task and its recommended weight limit into a drill)."""

from __future__ import annotations

from typing import Sequence

from liftsafe.training.joblift import JobLift, from_niosh_task, parse_job_lift


def job_lifts_from_job_file(path: str) -> list[JobLift]:
    """Every task of a NIOSH job file (``liftsafe niosh`` format) as a job lift with its RWL."""
    from liftsafe.ergonomics.jobfile import load_job_file
    from liftsafe.ergonomics.niosh import assess_task

    job = load_job_file(path).job
    imperial = str(getattr(job.units, "value", job.units)) != "metric"
    out = []
    for task in job.tasks:
        result = assess_task(task, units=job.units, duration=job.duration, ignore_scope=True)
        out.append(from_niosh_task(task, result.rwl, imperial=imperial))
    return out


def job_lifts_from_options(specs: Sequence[str], job_file: str | None) -> list[JobLift]:
    """The CLI's ``--job-lift SPEC`` (repeatable) and ``--job-file FILE`` (a NIOSH job file)."""
    lifts = [parse_job_lift(spec, where=f"--job-lift {i}") for i, spec in enumerate(specs, start=1)]
    if job_file:
        lifts += job_lifts_from_job_file(job_file)
    return lifts
