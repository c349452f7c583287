"""The terminal summary of an analysis: verdict line, the set's summary with its priority cue
and what went well, a rep table, the top three faults (the rest under "details"), faults
not checked, warnings and the files written. Only lifter-facing text: the provenance of the
thresholds stays in the JSON evidence and docs/thresholds.md."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from liftsafe.result import AnalysisResult, Verdict
from liftsafe.technique.coaching import TOP_FAULTS, ranked_faults

VERDICT_COLOUR = {
    Verdict.GOOD: "green", Verdict.NEEDS_WORK: "yellow", Verdict.UNSAFE: "red", Verdict.NOT_JUDGED: "magenta"
}


def _fmt(value, digits: int = 0) -> str:
    """A table cell: ``-`` for a metric a rep does not have (None) or could not measure (NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return f"{value:.{digits}f}"


def print_summary(result: AnalysisResult, written: dict[str, Path], console: Console | None = None) -> None:
    """Print the summary (module docstring) to ``console`` (default: stdout, 120 columns when
    not a terminal)."""
    out = console or (Console() if sys.stdout.isatty() else Console(width=120, soft_wrap=True))
    verdict = result.verdict
    out.print(
        f"[bold]{escape(result.source)}[/] - {result.exercise}, {result.rep_count} rep(s), "
        f"view {result.view.value}: "
        f"[bold {VERDICT_COLOUR.get(verdict, 'white')}]{result.verdict.label.upper()}[/]"
    )
    if result.simulated:
        out.print("[yellow](simulated lifter)[/]")
    if result.summary:
        out.print(escape(result.summary))
    if result.reps:
        table = Table(show_lines=False)
        for col in (
            "rep",
            "time (s)",
            "verdict",
            "faults",
            "trunk/hip/knee at bottom (deg)",
            "tempo down/pause/up (s)",
        ):
            table.add_column(col)
        for rep in result.reps:
            worst = rep.worst_severity
            rv = (
                "not judged" if result.verdict is Verdict.NOT_JUDGED
                else "good" if worst is None or worst.rank < 2
                else ("unsafe" if worst.rank == 3 else "needs work")
            )
            faults = ", ".join(f"{f.code.value} ({f.severity.value})" for f in rep.faults) or "-"
            m = rep.metrics
            angles = "/".join(
                _fmt(m.get(k))
                for k in ("bottom_trunk_inclination_deg", "bottom_hip_flexion_deg", "bottom_knee_flexion_deg")
            )
            tempo = "/".join(_fmt(v, 1) for v in (rep.tempo.descent_s, rep.tempo.pause_s, rep.tempo.ascent_s))
            table.add_row(str(rep.index), f"{rep.start_s:.1f}-{rep.end_s:.1f}", rv, faults, angles, tempo)
        out.print(table)
    ranked = ranked_faults(result.reps)
    if ranked:
        out.print("[bold]Top faults[/]")
        for i, r in enumerate(ranked[:TOP_FAULTS], 1):
            out.print(
                f"  {i}. [bold]{r.name}[/] ({r.severity.value}, {len(r.reps)} of {result.rep_count} "
                f"rep(s)): {escape(r.cue)}"
            )
        if len(ranked) > TOP_FAULTS:
            rest = ", ".join(f"{r.name.lower()} ({r.severity.value})" for r in ranked[TOP_FAULTS:])
            out.print(f"  details: {rest} (see the HTML report)")
    if result.not_checked:
        out.print("  not checked: " + grouped_not_checked(result.not_checked))
    for rep in result.reps:
        if rep.not_checked:
            out.print(f"  rep {rep.index} not checked: " + grouped_not_checked(rep.not_checked))
    for w in result.warnings:
        out.print(f"  [yellow]warning:[/] {escape(w)}")
    for kind, path in written.items():
        out.print(f"  {kind}: {path}")


def grouped_not_checked(rows: Sequence[Mapping[str, str]]) -> str:
    """Not-checked faults grouped by their reason, in the order the reasons first appear:
    "load far from body, heels rise (reason); lateral shift (other reason)" -- each reason once."""
    by_reason: dict[str, list[str]] = {}
    for x in rows:
        by_reason.setdefault(x["reason"], []).append(x["code"].replace("_", " "))
    return "; ".join(f"{', '.join(codes)} ({escape(reason)})" for reason, codes in by_reason.items())
