"""Self-contained HTML report: one file, inline CSS, plots as inline SVG, keyframes as inline
JPEG (``data:`` URIs), no scripts and no external references. Rendered with the Jinja2
template ``templates/report.html.j2`` shipped in the package, with autoescaping on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from liftsafe import __version__
from liftsafe.analysis import Analysis
from liftsafe.atomic import write_text_atomic
from liftsafe.report.fmt import fixed, num, split_unit
from liftsafe.report.keyframes import build_keyframes
from liftsafe.report.plots import report_plots
from liftsafe.result import Fault, Rep, Verdict, verdict_for

#: How to film a lift so the analysis can be trusted (shown in every report). Side-on at hip
#: height keeps the sagittal-plane angles undistorted; 2-4 m fits the whole body on a phone's
#: standard lens without wide-angle distortion (heuristic, common coaching practice).
FILMING_ADVICE: tuple[str, ...] = (
    "Film side-on: the camera looks at the lifter's side, at right angles to the bar path.",
    "Put the camera at hip height (a tripod or a shelf), not tilted up or down.",
    "Keep the whole body in frame, head to feet, for the entire set.",
    "Stand the camera 2-4 m away; use landscape for one lifter, keep the phone still.",
)

VERDICT_TEXT: dict[str, str] = {v.value: v.label for v in Verdict}
VIEW_TEXT: dict[str, str] = {
    "side": "side view (best for this analysis)",
    "oblique": "oblique view (angles are less reliable; film side-on)",
    "front": "front view (sagittal angles cannot be judged; film side-on)",
    "unknown": "camera view could not be determined",
}
_UNIT_TEXT = {"deg": "°", "degrees": "°", "ratio": "", "deg/s": "°/s"}


def _with_unit(value: float | None, unit: str) -> str:
    u = _UNIT_TEXT.get(unit, f" {unit}" if unit else "")
    return f"{num(value)}{u}"


def pretty_code(code: str) -> str:
    """``rounded_back`` → ``Rounded back``."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def evidence_text(fault: Fault) -> str:
    """Measured value vs threshold with the unit, e.g. ``neck deviation peak 32.6° vs 30°`` or
    ``hand forward peak 0.228 vs 0.12 body heights``."""
    ev = fault.evidence
    metric = split_unit(ev.metric)[0]
    u = _UNIT_TEXT.get(ev.unit, f" {ev.unit}" if ev.unit else "")
    if u.startswith(" "):
        return f"{metric} {num(ev.value)} vs {num(ev.threshold)}{u}"
    return f"{metric} {num(ev.value)}{u} vs {num(ev.threshold)}{u}"


def evidence_detail(fault: Fault) -> str:
    """When the fault fires (the threshold's source stays in the JSON evidence and in
    docs/thresholds.md: it is not for the lifter)."""
    ev = fault.evidence
    words = {">": "above", "<": "below", ">=": "at or above", "<=": "at or below"}
    when = words.get(ev.comparison, ev.comparison)
    return f"fault when {when} {_with_unit(ev.threshold, ev.unit)}"


def _reps_text(reps, n: int) -> str:
    if n <= 1:
        return "on the rep" if reps else ""
    return f"rep{'s' if len(reps) > 1 else ''} {', '.join(str(i) for i in reps)} of {n}"


def coaching_context(result) -> dict[str, Any]:
    """Summary, priority, went well, top three faults, the rest, not checked (report/terminal)."""
    from liftsafe.technique.coaching import TOP_FAULTS, ranked_faults

    ranked = ranked_faults(result.reps)
    n = len(result.reps)
    rows = [{"code": r.code.value, "name": r.name, "severity": r.severity.value, "cue": r.cue,
             "reps_text": _reps_text(r.reps, n)} for r in ranked]
    prio = None
    if result.priority:
        p = result.priority
        prio = {**p, "name": pretty_code(p["code"]), "reps_text": _reps_text(p.get("reps", []), n)}
    return {
        "summary": result.summary,
        "priority": prio,
        "went_well": "" if result.went_well and result.went_well in result.summary else result.went_well,
        "top_faults": rows[:TOP_FAULTS],
        "more_faults": rows[TOP_FAULTS:],
        "not_checked": [{**x, "name": pretty_code(x["code"])} for x in result.not_checked],
    }


@dataclass(frozen=True)
class _FaultRow:
    code: str
    name: str
    severity: str
    time: str
    evidence: str
    detail: str
    cue: str


@dataclass(frozen=True)
class _RepRow:
    index: int
    span: str
    verdict: str
    verdict_text: str
    tempo: str
    metrics: list[tuple[str, str]]
    other_metrics: list[tuple[str, str]]
    faults: list[_FaultRow]
    keyframe: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


#: Rep metrics shown first in the table (by name prefix); the others go under "all metrics",
#: except those that are the evidence of one of the rep's faults, which are shown first too.
KEY_METRIC_PREFIXES: tuple[str, ...] = ("bottom_", "lockout_hip")


def _metric_items(rep: Rep) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key metrics, other metrics) as (label, formatted value with unit)."""
    evidence = {f.evidence.metric for f in rep.faults}
    key, other = [], []  # type: ignore[var-annotated]
    for name, value in rep.metrics.items():
        label, unit = split_unit(name)
        item = (label, _with_unit(value, unit))
        (key if name.startswith(KEY_METRIC_PREFIXES) or name in evidence else other).append(item)
    return key, other


def _rep_rows(analysis: Analysis, keyframes: dict[int, Any]) -> list[_RepRow]:
    rows = []
    for rep in analysis.result.reps:
        # a clip that is not judged has no good reps either
        judged = analysis.result.verdict is not Verdict.NOT_JUDGED
        verdict = (verdict_for([rep]) if judged else Verdict.NOT_JUDGED).value
        faults = [
            _FaultRow(code=f.code.value, name=pretty_code(f.code.value), severity=f.severity.value,
                      time=f"{fixed(f.start_s, 2)}–{fixed(f.end_s, 2)} s", evidence=evidence_text(f),
                      detail=evidence_detail(f), cue=f.cue)
            for f in sorted(rep.faults, key=lambda f: -f.severity.rank)
        ]
        t = rep.tempo
        rows.append(
            _RepRow(
                index=rep.index,
                span=f"{fixed(rep.start_s, 2)}–{fixed(rep.end_s, 2)} s",
                verdict=verdict,
                verdict_text=VERDICT_TEXT.get(verdict, verdict)
                + (" (minor notes)" if verdict == "good" and faults else ""),
                tempo=f"{fixed(t.descent_s)} / {fixed(t.pause_s)} / {fixed(t.ascent_s)} s",
                metrics=_metric_items(rep)[0],
                other_metrics=_metric_items(rep)[1],
                faults=faults,
                keyframe=keyframes.get(rep.index),
                notes=[f"not checked in this rep: {pretty_code(x['code']).lower()} ({x['reason']})"
                       for x in rep.not_checked],
            )
        )
    return rows


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("liftsafe.report", "templates"),
        autoescape=True,  # the template is .html.j2, so select_autoescape would not match it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html_report(analysis: Analysis, *, title: str | None = None) -> str:
    """The report as an HTML string (see :func:`write_html_report`)."""
    result = analysis.result
    frames, keyframe_notes = build_keyframes(analysis)
    keyframes = {
        k.rep_index: {
            "uri": k.data_uri(),
            "alt": f"Rep {k.rep_index} at {fixed(k.time_s, 2)} s: {pretty_code(k.fault.code.value)}",
            "caption": f"Rep {k.rep_index}, frame {k.frame} ({fixed(k.time_s, 2)} s): "
                       f"{pretty_code(k.fault.code.value)}, {evidence_text(k.fault)}.",
            "severity": k.fault.severity.value,
            "from_video": k.from_video,
        }
        for k in frames
    }
    plots = [
        {"svg": Markup(svg), "caption": caption}  # noqa: S704 - SVG generated by matplotlib, text escaped
        for caption, svg in report_plots(analysis)
    ]
    verdict = result.verdict.value
    context = {
        "title": title or f"liftsafe report: {result.exercise} – {Path(result.source).name or 'analysis'}",
        "version": __version__,
        "source": result.source,
        "exercise": result.exercise,
        "verdict": verdict,
        "verdict_text": VERDICT_TEXT.get(verdict, verdict),
        "rep_count": result.rep_count,
        "duration": f"{fixed(result.duration_s)} s",
        "fps": fixed(result.fps, 2),
        "view": result.view.value,
        "view_text": VIEW_TEXT.get(result.view.value, result.view.value),
        "judged": result.judged,
        "simulated": result.simulated,
        "camera": _camera_items(result.camera),
        "warnings": list(result.warnings) + keyframe_notes,
        "advice": FILMING_ADVICE,
        "show_advice_first": result.view.value != "side" or not result.judged,
        "plots": plots,
        "reps": _rep_rows(analysis, keyframes),
        "n_faults": sum(len(r.faults) for r in result.reps),
        "n_faulty_reps": sum(1 for r in result.reps if r.faults),
        **coaching_context(result),
    }
    return _environment().get_template("report.html.j2").render(**context)


#: Camera facts shown to the lifter, in this order, with plain labels. The other fields
#: (stature in pixels, how the tilt was estimated, ...) stay in the JSON result.
_CAMERA_SHOWN: tuple[tuple[str, str], ...] = (
    ("yaw_deg", "Camera angle off side-on"),
    ("facing", "Lifter faces"),
    ("in_frame", "Share of the clip in frame"),
    ("roll_deg", "Camera tilted sideways"),
    ("pitch_deg", "Camera tilted up/down"),
)


def _camera_items(camera: dict[str, Any]) -> list[tuple[str, str]]:
    items = []
    for key, label in _CAMERA_SHOWN:
        value = camera.get(key)
        if value is None:
            continue
        if key.endswith("_deg") and isinstance(value, (int, float)):
            text = f"{num(abs(float(value)))}°"
        elif key == "in_frame" and isinstance(value, dict):
            text = ", ".join(f"{k} {float(v):.0%}" for k, v in value.items() if isinstance(v, (int, float)))
        else:
            text = _camera_value(value)
        items.append((label, text))
    return items


def _camera_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "–"
    if isinstance(value, float):
        return num(value)
    if isinstance(value, dict):
        return ", ".join(
            f"{str(k).replace('_', ' ')} {_camera_value(v)}" for k, v in value.items() if v is not None
        )
    if isinstance(value, (list, tuple)):
        return ", ".join(_camera_value(v) for v in value)
    return str(value)


def write_html_report(analysis: Analysis, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write the self-contained HTML report of ``analysis`` to ``path`` atomically; return the path.

    Contents: source, exercise, verdict badge, rep count, camera view and filming advice,
    warnings; angle plots with reps, phases and faults marked; a per-rep table (verdict,
    faults with severity, evidence, cue, tempo, key metrics); a keyframe of the worst moment
    of each faulty rep; a banner when the lifter is simulated.
    """
    return write_text_atomic(render_html_report(analysis, title=title), path)
