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
from liftsafe.report.atomic import write_text_atomic
from liftsafe.report.keyframes import build_keyframes
from liftsafe.report.plots import angle_plot_svg, pretty_signal, secondary_plot_svg
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

VERDICT_TEXT: dict[str, str] = {
    Verdict.GOOD.value: "Good",
    Verdict.NEEDS_WORK.value: "Needs work",
    Verdict.UNSAFE.value: "Unsafe",
}
VIEW_TEXT: dict[str, str] = {
    "side": "side view (best for this analysis)",
    "oblique": "oblique view (angles are less reliable; film side-on)",
    "front": "front view (sagittal angles cannot be judged; film side-on)",
    "unknown": "camera view could not be determined",
}
_UNIT_TEXT = {"deg": "°", "degrees": "°"}


def _num(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "–"
    try:
        value = float(x)
    except (TypeError, ValueError):
        return str(x)
    if value != value or value in (float("inf"), float("-inf")):
        return "–"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _with_unit(value: float | None, unit: str) -> str:
    u = _UNIT_TEXT.get(unit, f" {unit}" if unit else "")
    return f"{_num(value)}{u}"


def pretty_code(code: str) -> str:
    """``rounded_back`` → ``Rounded back``."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def evidence_text(fault: Fault) -> str:
    """``spine flexion 31.5° vs threshold 20° (fault when above; heuristic)``."""
    ev = fault.evidence
    when = {">": "above", "<": "below", ">=": "at or above", "<=": "at or below"}.get(ev.comparison, ev.comparison)
    source = f"; {ev.source}" if ev.source else ""
    metric = pretty_signal(ev.metric).split(" (")[0]
    return (f"{metric} {_with_unit(ev.value, ev.unit)} vs threshold {_with_unit(ev.threshold, ev.unit)} "
            f"(fault when {when}{source})")


@dataclass(frozen=True)
class _FaultRow:
    code: str
    name: str
    severity: str
    time: str
    evidence: str
    cue: str


@dataclass(frozen=True)
class _RepRow:
    index: int
    span: str
    verdict: str
    verdict_text: str
    tempo: str
    metrics: list[tuple[str, str]]
    faults: list[_FaultRow]
    keyframe: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def _metric_items(rep: Rep) -> list[tuple[str, str]]:
    items = []
    for name, value in rep.metrics.items():
        label = pretty_signal(name)
        unit = ""
        if label.endswith(")") and " (" in label:
            label, unit = label[:-1].split(" (", 1)
        items.append((label, _with_unit(value, unit) if unit in ("deg", "m", "cm", "s") else f"{_num(value, 2)}{' ' + unit if unit else ''}"))
    return items


def _rep_rows(analysis: Analysis, keyframes: dict[int, Any]) -> list[_RepRow]:
    rows = []
    for rep in analysis.result.reps:
        verdict = verdict_for([rep]).value
        faults = [
            _FaultRow(code=f.code.value, name=pretty_code(f.code.value), severity=f.severity.value,
                      time=f"{_num(f.start_s, 2)}–{_num(f.end_s, 2)} s", evidence=evidence_text(f), cue=f.cue)
            for f in sorted(rep.faults, key=lambda f: -f.severity.rank)
        ]
        t = rep.tempo
        rows.append(_RepRow(
            index=rep.index,
            span=f"{_num(rep.start_s, 2)}–{_num(rep.end_s, 2)} s",
            verdict=verdict,
            verdict_text=VERDICT_TEXT.get(verdict, verdict) + (" (minor notes)" if verdict == "good" and faults else ""),
            tempo=f"{_num(t.descent_s)} / {_num(t.pause_s)} / {_num(t.ascent_s)} s",
            metrics=_metric_items(rep),
            faults=faults,
            keyframe=keyframes.get(rep.index),
        ))
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
            "alt": f"Rep {k.rep_index} at {_num(k.time_s, 2)} s: {pretty_code(k.fault.code.value)}",
            "caption": f"Rep {k.rep_index}, frame {k.frame} ({_num(k.time_s, 2)} s): "
                       f"{pretty_code(k.fault.code.value)}, {evidence_text(k.fault)}.",
            "severity": k.fault.severity.value,
            "from_video": k.from_video,
        }
        for k in frames
    }
    plots = []
    for caption, svg in (
        ("Trunk inclination, hip and knee flexion over time. Grey bands: reps; vertical lines: phase "
         "starts (dotted descent/ascent, solid bottom, dashed lockout); coloured bands: faults; "
         "coloured line: worst moment of a faulty rep.", angle_plot_svg(analysis)),
        ("Head/neck, shin and hand-distance signals.", secondary_plot_svg(analysis)),
    ):
        if svg is not None:
            plots.append({"svg": Markup(svg), "caption": caption})  # noqa: S704 - generated by matplotlib
    verdict = result.verdict.value
    context = {
        "title": title or f"liftsafe report: {result.exercise} – {Path(result.source).name or 'analysis'}",
        "version": __version__,
        "source": result.source,
        "exercise": result.exercise,
        "verdict": verdict,
        "verdict_text": VERDICT_TEXT.get(verdict, verdict),
        "rep_count": result.rep_count,
        "duration": f"{_num(result.duration_s)} s",
        "fps": _num(result.fps),
        "view": result.view.value,
        "view_text": VIEW_TEXT.get(result.view.value, result.view.value),
        "judged": result.judged,
        "simulated": result.simulated,
        "camera": [(str(k).replace("_", " "), _camera_value(v)) for k, v in result.camera.items()],
        "warnings": list(result.warnings) + keyframe_notes,
        "advice": FILMING_ADVICE,
        "show_advice_first": result.view.value != "side" or not result.judged,
        "plots": plots,
        "reps": _rep_rows(analysis, keyframes),
        "n_faults": sum(len(r.faults) for r in result.reps),
        "n_faulty_reps": sum(1 for r in result.reps if r.faults),
    }
    return _environment().get_template("report.html.j2").render(**context)


def _camera_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _num(value, 2)
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
