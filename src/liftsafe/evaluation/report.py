"""Evaluation reports: Markdown (for docs and terminals) and a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, select_autoescape

from liftsafe.evaluation.metrics import Scores
from liftsafe.evaluation.run import ClipOutcome


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _faults(o: ClipOutcome) -> str:
    if o.result is None:
        return ""
    codes = sorted({f"{f['code']} ({f['severity']})" for r in o.result["reps"] for f in r["faults"]})
    return ", ".join(codes)


def clip_rows(outcomes: list[ClipOutcome]) -> list[dict[str, str]]:
    """One table row per clip for the Markdown and HTML reports."""
    rows = []
    for o in outcomes:
        r = o.result or {}
        pred = o.predicted or "abstain"
        ok = "" if o.predicted is None else ("yes" if o.predicted == o.label else "NO")
        rows.append({
            "file": o.file,
            "label": o.label,
            "predicted": pred,
            "correct": ok,
            "view": r.get("view", "-"),
            "reps": f"{r.get('rep_count', '-')}" + (f" / {o.true_reps}" if o.true_reps is not None else ""),
            "faults": _faults(o),
            "note": o.abstain_reason or "",
            "seconds": f"{o.seconds:.1f}",
            "report": o.report or "",
        })
    return rows


def markdown(scores: Scores, outcomes: list[ClipOutcome], *, title: str = "liftsafe evaluation") -> str:
    """The evaluation as Markdown: the summary figures, then one row per clip."""
    s = scores
    lines = [
        f"# {title}",
        "",
        f"- clips: {s.clips} (errors {s.errors}); judged {s.judged}; coverage {_pct(s.coverage)}"
        + (
            f"; coverage of side/oblique clips {_pct(s.coverage_side_oblique)}"
            if s.coverage_side_oblique is not None
            else ""
        )
        + (
            f" ({_pct(s.coverage_side_oblique_lifts)} of those that hold a lift)"
            if s.coverage_side_oblique_lifts is not None
            else ""
        ),
        f"- balanced accuracy {_pct(s.balanced_accuracy)} (sensitivity {_pct(s.sensitivity)}, specificity "
        f"{_pct(s.specificity)}) on the judged clips",
        f"- confusion (bad = positive): TP {s.tp}, FN {s.fn}, FP {s.fp}, TN {s.tn}",
        f"- rep count exact on {_pct(s.rep_count_exact)} of {s.rep_count_labelled} clips with a counted "
        f"number of reps",
        *[
            f"- `{code}`: found in {a['found']} of {a['judged']} judged clips labelled with it "
            f"({a['labelled']} labelled); false alarms on good clips: {len(a['false_alarms'])}"
            for code, a in s.fault_agreement.items()
        ],
        f"- total analysis time {s.total_seconds:.0f} s; slowest: "
        + ", ".join(f"{x['file']} {x['seconds']} s" for x in s.slowest),
        "",
        "| clip | label | predicted | correct | view | reps (found / counted) | major faults | note | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in clip_rows(outcomes):
        name = f"[{r['file']}]({r['report']})" if r["report"] else r["file"]
        lines.append(
            f"| {name} | {r['label']} | {r['predicted']} | {r['correct']} | {r['view']} | {r['reps']} | "
            f"{r['faults']} | {r['note']} | {r['seconds']} |"
        )
    if s.faults:
        lines += [
            "",
            "Clips with each major/unsafe fault, by label:",
            "",
            "| fault | good clips | bad clips |",
            "|---|---|---|",
        ]
        for code, counts in s.faults.items():
            lines.append(f"| `{code}` | {counts.get('good', 0)} | {counts.get('bad', 0)} |")
    if s.fault_agreement:
        lines += [
            "",
            "Labelled faults (judged clips; found = given at major or unsafe severity):",
            "",
            "| fault | clips labelled | judged | found | missed | false alarms on good clips |",
            "|---|---|---|---|---|---|",
        ]
        for code, a in s.fault_agreement.items():
            lines.append(
                f"| `{code}` | {a['labelled']} | {a['judged']} | {a['found']} | "
                f"{', '.join(a['missed']) or '-'} "
                f"| {', '.join(a['false_alarms']) or '-'} |"
            )
    return "\n".join(lines) + "\n"


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b2430;background:#f7f8fa}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border-bottom:1px solid #dde2e8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5}.NO{color:#b3261e;font-weight:700}.yes{color:#1b7a3a}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:.6rem .9rem}
.card b{display:block;font-size:1.4rem}
</style></head><body>
<h1>{{ title }}</h1>
<div class="cards">
<div class="card"><b>{{ pct(s.balanced_accuracy) }}</b>balanced accuracy (judged clips)</div>
<div class="card"><b>{{ pct(s.sensitivity) }} / {{ pct(s.specificity) }}</b>sensitivity / specificity</div>
<div class="card"><b>{{ pct(s.coverage) }}</b>coverage ({{ s.judged }} of {{ s.clips }} judged)</div>
{% if s.coverage_side_oblique is not none %}<div class="card"><b>{{ pct(s.coverage_side_oblique) }}</b>coverage of side/oblique clips{% if s.coverage_side_oblique_lifts is not none %} ({{ pct(s.coverage_side_oblique_lifts) }} of those that hold a lift){% endif %}</div>{% endif %}
<div class="card"><b>{{ pct(s.rep_count_exact) }}</b>rep count exact ({{ s.rep_count_labelled }} counted)</div>
<div class="card"><b>{{ s.tp }} / {{ s.fn }} / {{ s.fp }} / {{ s.tn }}</b>TP / FN / FP / TN (bad = positive)</div>
<div class="card"><b>{{ "%.0f"|format(s.total_seconds) }} s</b>analysis time</div>
</div>
<table><thead><tr><th>clip</th><th>label</th><th>predicted</th><th>correct</th><th>view</th><th>reps found / counted</th><th>major faults</th><th>note</th><th>s</th></tr></thead>
<tbody>{% for r in rows %}<tr><td>{% if r.report %}<a href="{{ r.report }}">{{ r.file }}</a>{% else %}{{ r.file }}{% endif %}</td>
<td>{{ r.label }}</td><td>{{ r.predicted }}</td><td class="{{ r.correct }}">{{ r.correct }}</td><td>{{ r.view }}</td><td>{{ r.reps }}</td>
<td>{{ r.faults }}</td><td>{{ r.note }}</td><td>{{ r.seconds }}</td></tr>{% endfor %}</tbody></table>
{% if s.faults %}<h2>Clips with each major or unsafe fault</h2><table><tr><th>fault</th><th>good clips</th><th>bad clips</th></tr>
{% for code, c in s.faults.items() %}<tr><td>{{ code }}</td><td>{{ c.get('good', 0) }}</td><td>{{ c.get('bad', 0) }}</td></tr>{% endfor %}</table>{% endif %}
{% if s.fault_agreement %}<h2>Labelled faults</h2><p>Judged clips; found = given at major or unsafe severity.</p>
<table><tr><th>fault</th><th>clips labelled</th><th>judged</th><th>found</th><th>missed</th><th>false alarms on good clips</th></tr>
{% for code, a in s.fault_agreement.items() %}<tr><td>{{ code }}</td><td>{{ a.labelled }}</td><td>{{ a.judged }}</td><td>{{ a.found }}</td>
<td>{{ a.missed|join(', ') or '-' }}</td><td>{{ a.false_alarms|join(', ') or '-' }}</td></tr>{% endfor %}</table>{% endif %}
</body></html>
"""  # noqa: E501


def html(scores: Scores, outcomes: list[ClipOutcome], *, title: str = "liftsafe evaluation") -> str:
    """The evaluation as a self-contained HTML page."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(_HTML)
    return template.render(title=title, s=scores, rows=clip_rows(outcomes), pct=_pct)


def write_reports(scores: Scores, outcomes: list[ClipOutcome], out_dir: Path) -> dict[str, Path]:
    """Write evaluation.md and evaluation.html into ``out_dir``; return them by kind."""
    from liftsafe.atomic import write_text_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "markdown": write_text_atomic(markdown(scores, outcomes), out_dir / "evaluation.md"),
        "html": write_text_atomic(html(scores, outcomes), out_dir / "evaluation.html"),
    }
