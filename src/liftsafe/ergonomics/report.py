"""Job assessment as plain data (JSON) and as rich tables for the terminal.

:func:`assess_job_file` runs every calculator a job file has inputs for (RNLE always; LiFFT
when tasks give ``reps_per_day``; L5/S1 when the job gives a ``worker`` and tasks give
``trunk_flexion_deg``). :func:`job_json` renders the issue's ``--json`` schema exactly, with
optional ``details``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from liftsafe.ergonomics.composite import JobResult, assess_job
from liftsafe.ergonomics.jobfile import JobFile
from liftsafe.ergonomics.lifft import LifftResult, LifftTask, lifft
from liftsafe.ergonomics.niosh import BAND_TEXT, PointResult, RiskBand, TaskResult, Units, constants
from liftsafe.ergonomics.spine_load import L5S1Result, l5s1_compression
from liftsafe.ergonomics.vli import VliResult, assess_vli
from liftsafe.ergonomics.whatif import WhatIf, what_if
from liftsafe.errors import InputError
from liftsafe.units import KG_PER_LB, M_PER_IN

__all__ = ["JobAssessment", "assess_job_file", "job_json", "render_job", "vli_json"]


@dataclass(frozen=True)
class JobAssessment:
    jobfile: JobFile
    result: JobResult
    advice: tuple[WhatIf | None, ...]
    lifft: LifftResult | None
    l5s1: tuple[tuple[str, L5S1Result], ...]
    warnings: tuple[str, ...]
    vli: VliResult | None = None
    vli_requested: bool = False


def assess_job_file(jobfile: JobFile, *, ignore_scope: bool = False, vli: bool = False) -> JobAssessment:
    """Run the RNLE (with what-if advice), and LiFFT / L5/S1 where the job file has the inputs.

    ``vli``: also treat the tasks as sub-tasks of one variable job and compute the Variable
    Lifting Index (:mod:`liftsafe.ergonomics.vli`); when it cannot be computed a warning says why.
    """
    result = assess_job(jobfile.job, ignore_scope=ignore_scope)
    advice = tuple(what_if(r) for r in result.tasks)
    units = jobfile.job.units
    c = constants(units)
    warnings = list(result.warnings)
    lifft_tasks = []
    for task, extra in zip(jobfile.job.tasks, jobfile.extras, strict=True):
        if extra.reps_per_day is None:
            continue
        distance = extra.spine_h
        if distance is None:
            distance = max(task.origin.h, task.destination.h)
            warnings.append(
                f"LiFFT, task '{task.name}': no 'spine_h' given; using the largest NIOSH H ({distance:g} "
                f"{c.length_unit}, "
                "measured from the ankles) in place of the spine-to-load distance"
            )
        lifft_tasks.append(
            LifftTask.from_units(
                load=task.peak_load,
                distance=distance,
                reps_per_day=extra.reps_per_day,
                units=str(units),
                name=task.name,
            )
        )
    lifft_result = lifft(lifft_tasks) if lifft_tasks else None
    if lifft_result is not None:
        warnings.extend(lifft_result.warnings)
    spine = []
    worker = jobfile.worker
    for task, extra in zip(jobfile.job.tasks, jobfile.extras, strict=True):
        if extra.trunk_flexion_deg is None:
            continue
        if worker is None:
            warnings.append(
                f"L5/S1, task '{task.name}': 'trunk_flexion_deg' given but no 'worker' (body_mass, height)"
            )
            continue
        distance = extra.spine_h if extra.spine_h is not None else task.origin.h
        if extra.spine_h is None:
            warnings.append(
                f"L5/S1, task '{task.name}': no 'spine_h' given; using origin H ({distance:g} "
                f"{c.length_unit}) "
                "as the L5/S1-to-hands distance"
            )
        if units is Units.METRIC:
            res = l5s1_compression(
                body_mass_kg=worker.body_mass,
                body_height_m=worker.height / 100,
                trunk_flexion_deg=extra.trunk_flexion_deg,
                hand_distance_m=distance / 100,
                load_kg=task.peak_load,
            )
        else:
            res = l5s1_compression(
                body_mass_kg=worker.body_mass * KG_PER_LB,
                body_height_m=worker.height * M_PER_IN,
                trunk_flexion_deg=extra.trunk_flexion_deg,
                hand_distance_m=distance * M_PER_IN,
                load_kg=task.peak_load * KG_PER_LB,
            )
        warnings.extend(f"L5/S1, task '{task.name}': {w}" for w in res.warnings)
        spine.append((task.name, res))
    vli_result = None
    if vli:
        try:
            vli_result = assess_vli(jobfile.job, ignore_scope=ignore_scope)
        except InputError as exc:
            warnings.append(str(exc))
        else:
            warnings.extend(w for w in vli_result.warnings if w not in warnings)
    return JobAssessment(
        jobfile, result, advice, lifft_result, tuple(spine), tuple(warnings), vli_result, vli
    )


# ------------------------------------------------------------------------------- JSON ----


def _num(value: float | None) -> float | None:
    """JSON number or null (non-finite values, e.g. LI with RWL = 0, become null)."""
    if value is None or not math.isfinite(value):
        return None
    return value


def _point_json(p: PointResult | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "rwl": _num(p.rwl),
        "li": _num(p.li),
        "multipliers": {k: _num(v) for k, v in p.multipliers.as_dict().items()},
    }


def _task_json(r: TaskResult, advice: WhatIf | None, details: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.task.name, "origin": _point_json(r.origin)}
    if r.task.control_at_destination:
        out["destination"] = _point_json(r.destination)
    out.update(
        rwl=_num(r.rwl),
        li=_num(r.li),
        firwl=_num(r.firwl),
        strwl=_num(r.strwl),
        fili=_num(r.fili),
        stli=_num(r.stli),
    )
    if details:
        gp = r.governing_point
        out["details"] = {
            "in_scope": r.in_scope,
            "governing": None if r.governing is None else str(r.governing),
            "band": None if r.band is None else str(r.band),
            "rounded": None
            if gp is None
            else {
                "rwl": _num(r.rwl_rounded),
                "li": _num(r.li_rounded),
                "multipliers": gp.multipliers.rounded().as_dict(),
            },
            "costliest_multiplier": None if advice is None else advice.costliest,
            "advice": []
            if advice is None
            else [
                {
                    "lever": str(a.lever),
                    "current": a.current,
                    "target": a.target,
                    "unit": a.unit,
                    "li_after": _num(a.li_after),
                    "sufficient": a.sufficient,
                    "message": a.message,
                }
                for a in advice.advice
            ],
        }
    return out


def job_json(assessment: JobAssessment, *, details: bool = False) -> dict[str, Any]:
    """The ``--json`` document: exactly ``{"tasks", "cli", "warnings"}`` unless ``details``."""
    result = assessment.result
    doc: dict[str, Any] = {
        "tasks": [_task_json(r, a, details) for r, a in zip(result.tasks, assessment.advice, strict=True)],
        "cli": _num(result.cli),
        "warnings": list(assessment.warnings),
    }
    if assessment.vli_requested:
        doc["vli"] = None if assessment.vli is None else vli_json(assessment.vli)
    if details:
        doc["units"] = str(result.units)
        doc["duration"] = str(result.duration)
        if result.composite is not None:
            doc["composite"] = [
                {
                    "rank": t.rank,
                    "name": t.task_name,
                    "stli": _num(t.stli),
                    "fili": _num(t.fili),
                    "frequency_sum": t.frequency_sum,
                    "fm_sum": t.fm_sum,
                    "fm_previous": t.fm_previous,
                    "increment": _num(t.increment),
                }
                for t in result.composite.terms
            ]
        if assessment.lifft is not None:
            doc["lifft"] = lifft_json(assessment.lifft)
        if assessment.l5s1:
            doc["l5s1"] = [{"name": name, **l5s1_json(res)} for name, res in assessment.l5s1]
    return doc


def vli_json(result: VliResult) -> dict[str, Any]:
    """The Variable Lifting Index: value, band, ranked FILI categories and the terms of the sum."""
    return {
        "vli": _num(result.vli),
        "band": str(result.band),
        "categories": [
            {
                "rank": rank,
                "fili": _num(c.fili),
                "frequency": c.frequency,
                "fili_range": [_num(c.lower), _num(c.upper)],
                "v_column": "low" if c.v_low else "high",
                "subtasks": list(c.subtasks),
            }
            for rank, c in enumerate(result.categories, start=1)
        ],
        "terms": [
            {
                "rank": t.rank,
                "fili": _num(t.fili),
                "frequency_sum": t.frequency_sum,
                "fm_sum": t.fm_sum,
                "fm_previous": t.fm_previous,
                "increment": _num(t.increment),
            }
            for t in result.terms
        ],
    }


def lifft_json(result: LifftResult) -> dict[str, Any]:
    return {
        "tasks": [
            {
                "name": t.task.name,
                "peak_load_moment_nm": t.peak_load_moment_nm,
                "peak_load_moment_ftlb": t.peak_load_moment_ftlb,
                "reps_per_day": t.task.reps_per_day,
                "damage_per_cycle": t.damage_per_cycle,
                "cumulative_damage": t.cumulative_damage,
            }
            for t in result.tasks
        ],
        "cumulative_damage": result.cumulative_damage,
        "probability_high_risk": result.probability_high_risk,
        "warnings": list(result.warnings),
    }


def l5s1_json(res: L5S1Result) -> dict[str, Any]:
    return {
        "compression_n": res.compression_n,
        "shear_n": res.shear_n,
        "moment_nm": res.moment_nm,
        "erector_force_n": res.erector_force_n,
        "band": str(res.band),
        "warnings": list(res.warnings),
    }


# ------------------------------------------------------------------------------- rich ----

_BAND_STYLE = {RiskBand.ACCEPTABLE: "green", RiskBand.INCREASED: "yellow", RiskBand.HIGH: "bold red"}


def _fmt(value: float | None, digits: int = 2) -> str:
    """A table cell: ``-`` for a value that does not apply, ``inf`` for an index whose limit is zero."""
    if value is None:
        return "-"
    if not math.isfinite(value):
        return "inf"
    return f"{value:.{digits}f}"


def _task_panel(r: TaskResult, advice: WhatIf | None) -> Panel:
    c = constants(r.units)
    if r.origin is None:
        body = Text("\n".join(r.warnings), style="yellow")
        return Panel(
            body, title=Text(f"{r.task.name}: outside the NIOSH equation's scope"), border_style="yellow"
        )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("")
    points = [r.origin] + ([r.destination] if r.destination is not None else [])
    for p in points:
        marker = " *" if p.point == r.governing and len(points) > 1 else ""
        table.add_column(f"{p.point}{marker}", justify="right")
    for key in ("hm", "vm", "dm", "am", "fm", "cm"):
        table.add_row(key.upper(), *(Text(_fmt(p.multipliers.as_dict()[key], 3)) for p in points))
    table.add_row(
        f"RWL ({c.load_unit})", *(Text(f"{_fmt(p.rwl)}  [{_fmt(p.rwl_rounded, 1)}]") for p in points)
    )
    table.add_row("LI", *(Text(f"{_fmt(p.li)}  [{_fmt(p.li_rounded, 1)}]") for p in points))
    band = r.band or RiskBand.HIGH
    lines = [
        Text.assemble(("LI ", "bold"), (f"{_fmt(r.li)}", _BAND_STYLE[band]), f"  {BAND_TEXT[band]}"),
        Text(
            f"load {r.task.load:g} {c.load_unit}, F {r.task.frequency_per_min:g}/min, {r.duration} duration, "
            f"coupling {r.task.coupling};  FIRWL {_fmt(r.firwl)}  STRWL {_fmt(r.strwl)}  "
            f"FILI {_fmt(r.fili)}  STLI {_fmt(r.stli)}   [manual rounding in brackets]"
        ),
    ]
    if advice is not None:
        lines.append(Text(f"What costs most: {advice.costliest_message}", style="bold"))
        for i, a in enumerate(advice.advice, start=1):
            lines.append(Text(f"  {i}. {a.message}", style="green" if a.sufficient else "dim"))
    for w in r.warnings:
        lines.append(Text(f"warning: {w}", style="yellow"))
    return Panel(Group(table, *lines), title=Text(r.task.name), border_style=_BAND_STYLE[band].split()[-1])


def render_job(assessment: JobAssessment, console: Console) -> None:
    """Print one panel per task, the composite index, LiFFT and L5/S1 results, and warnings."""
    result = assessment.result
    for r, a in zip(result.tasks, assessment.advice, strict=True):
        console.print(_task_panel(r, a))
    if result.composite is not None:
        comp = Table(title="Composite Lifting Index", header_style="bold")
        for col in ("#", "task", "STLI", "FILI", "sum F", "FM(sum)", "FM(prev)", "adds"):
            comp.add_column(col, justify="right" if col not in ("task",) else "left")
        for t in result.composite.terms:
            comp.add_row(
                str(t.rank), Text(t.task_name), _fmt(t.stli), _fmt(t.fili), f"{t.frequency_sum:g}", _fmt(t.fm_sum),  # noqa: E501
                _fmt(t.fm_previous), _fmt(t.increment, 3),
            )  # fmt: skip
        console.print(comp)
        band = result.composite.band
        cli_text = BAND_TEXT[band].replace("LI", "CLI", 1)
        console.print(
            Text.assemble(("CLI = ", "bold"), (_fmt(result.cli), _BAND_STYLE[band]), f"  {cli_text}")
        )
    if assessment.vli is not None:
        _render_vli(assessment.vli, console)
    if assessment.lifft is not None:
        lt = Table(title="LiFFT (Gallagher et al. 2017)", header_style="bold")
        for col in ("task", "PLM N·m", "PLM ft·lb", "reps/day", "damage/lift", "damage/day"):
            lt.add_column(col, justify="left" if col == "task" else "right")
        for lr in assessment.lifft.tasks:
            lt.add_row(
                Text(lr.task.name), f"{lr.peak_load_moment_nm:.1f}", f"{lr.peak_load_moment_ftlb:.1f}",
                f"{lr.task.reps_per_day:g}", f"{lr.damage_per_cycle:.3g}", f"{lr.cumulative_damage:.3g}",
            )  # fmt: skip
        console.print(lt)
        console.print(
            f"LiFFT cumulative damage {assessment.lifft.cumulative_damage:.3g}; "
            f"probability of a high-risk job {100 * assessment.lifft.probability_high_risk:.0f} %"
        )
    if assessment.l5s1:
        st = Table(title="L5/S1 compression (static sagittal model)", header_style="bold")
        for col in ("task", "moment N·m", "compression N", "shear N", "vs 3400 / 6400 N"):
            st.add_column(col, justify="left" if col == "task" else "right")
        for name, res in assessment.l5s1:
            st.add_row(
                Text(name),
                f"{res.moment_nm:.0f}",
                f"{res.compression_n:.0f}",
                f"{res.shear_n:.0f}",
                str(res.band),
            )
        console.print(st)
    shown = {w for r in result.tasks for w in r.warnings}
    rest = [w for w in assessment.warnings if w not in shown]
    if rest:
        console.print(Text("Warnings:", style="bold yellow"))
        for w in rest:
            console.print(Text(f"  - {w}", style="yellow"))


def _render_vli(vli: VliResult, console: Console) -> None:
    vt = Table(title="Variable Lifting Index (Waters et al. 2016)", header_style="bold")
    for col in ("#", "FILI", "FILI range", "F (lifts/min)", "sum F", "FM(sum)", "adds", "sub-tasks"):
        vt.add_column(col, justify="left" if col == "sub-tasks" else "right")
    for cat, term in zip(vli.categories, vli.terms, strict=True):
        vt.add_row(
            str(term.rank), _fmt(cat.fili), f"{_fmt(cat.lower)}-{_fmt(cat.upper)}", f"{cat.frequency:g}",
            f"{term.frequency_sum:g}", _fmt(term.fm_sum), _fmt(term.increment, 3),
            Text(", ".join(cat.subtasks)),
        )  # fmt: skip
    console.print(vt)
    band = vli.band
    console.print(
        Text.assemble(("VLI = ", "bold"), (_fmt(vli.vli), _BAND_STYLE[band]),
                      f"  {BAND_TEXT[band].replace('LI', 'VLI', 1)}")
    )  # fmt: skip
