"""Progress over time for one exercise: load, e1RM, pain and soreness (data, PNG, HTML).

Per session: the top load and the volume load (sum of reps x kg) of the exercise, the best
e1RM by Epley and by Brzycki (only sets of <= 10 repetitions, see :mod:`e1rm`), the highest
pain during its sets, pain after the session, and soreness. Charts are drawn with
matplotlib's object API (no global pyplot state), PNG or a self-contained HTML page.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from liftsafe.errors import InputError, OutputError
from liftsafe.training.e1rm import e1rm_kg, e1rm_trend
from liftsafe.training.log import SessionRecord


@dataclass(frozen=True)
class ProgressPoint:
    performed_at: datetime
    session_id: int | None
    top_load_kg: float | None
    volume_load_kg: float
    e1rm_epley_kg: float | None
    e1rm_brzycki_kg: float | None
    max_pain_during: int
    pain_after: int | None
    soreness: int | None


@dataclass(frozen=True)
class Progress:
    exercise_id: str
    points: tuple[ProgressPoint, ...]
    e1rm_slope_kg_per_week: float | None

    def to_dict(self) -> dict[str, Any]:
        """The series as a JSON-ready dict."""
        return {
            "exercise_id": self.exercise_id,
            "e1rm_slope_kg_per_week": self.e1rm_slope_kg_per_week,
            "points": [
                {**asdict(p), "performed_at": p.performed_at.isoformat(timespec="seconds")}
                for p in self.points
            ],
        }


def progress_series(sessions: Sequence[SessionRecord], exercise_id: str) -> Progress:
    """Per-session load, e1RM, pain and soreness of one exercise."""
    points = []
    for s in sorted(sessions, key=lambda x: x.performed_at):
        sets = [st for st in s.sets if st.exercise_id == exercise_id]
        if not sets:
            continue
        strong = [st for st in sets if st.counts_for_strength]  # no warm-up, drop or pain-stopped sets
        loads = [st.load_kg for st in strong if st.load_kg is not None]
        epley = [e1rm_kg(st.load_kg, st.reps, rir=st.rir or 0) for st in strong if st.load_kg and st.reps]
        brzycki = [
            e1rm_kg(st.load_kg, st.reps, rir=st.rir or 0, formula="brzycki")
            for st in strong
            if st.load_kg and st.reps
        ]
        epley = [x for x in epley if x is not None]
        brzycki = [x for x in brzycki if x is not None]
        points.append(
            ProgressPoint(
                performed_at=s.performed_at,
                session_id=s.id,
                top_load_kg=max(loads) if loads else None,
                volume_load_kg=round(sum((st.reps or 0) * (st.load_kg or 0) for st in sets), 2),
                e1rm_epley_kg=round(max(epley), 2) if epley else None,  # type: ignore[arg-type, type-var]
                e1rm_brzycki_kg=round(max(brzycki), 2) if brzycki else None,  # type: ignore[arg-type, type-var]
                max_pain_during=max(st.pain_during for st in sets),
                pain_after=s.pain_after,
                soreness=s.soreness,
            )
        )
    return Progress(exercise_id, tuple(points), e1rm_trend(sessions, exercise_id).slope_kg_per_week)


def _figure(progress: Progress):
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 9), layout="constrained")
    axes = fig.subplots(4, 1, sharex=True)
    t = [p.performed_at for p in progress.points]

    def series(attr):
        xs = [x for x, p in zip(t, progress.points) if getattr(p, attr) is not None]
        ys = [getattr(p, attr) for p in progress.points if getattr(p, attr) is not None]
        return xs, ys

    ax = axes[0]
    ax.plot(*series("top_load_kg"), marker="o", label="top load")
    ax.set_ylabel("load (kg)")
    ax.set_title(f"{progress.exercise_id}: progress")
    ax = axes[1]
    ax.plot(*series("e1rm_epley_kg"), marker="o", label="Epley")
    ax.plot(*series("e1rm_brzycki_kg"), marker="s", linestyle="--", label="Brzycki")
    ax.set_ylabel("e1RM (kg)")
    ax.legend(loc="best", fontsize="small")
    ax = axes[2]
    ax.plot(*series("max_pain_during"), marker="o", color="tab:red", label="during (max)")
    ax.plot(*series("pain_after"), marker="s", linestyle="--", color="tab:orange", label="after")
    ax.set_ylabel("pain (0-10)")
    ax.set_ylim(-0.5, 10.5)
    ax.legend(loc="best", fontsize="small")
    ax = axes[3]
    ax.plot(*series("soreness"), marker="o", color="tab:purple")
    ax.set_ylabel("soreness (0-10)")
    ax.set_ylim(-0.5, 10.5)
    locator = AutoDateLocator()
    axes[3].xaxis.set_major_locator(locator)
    axes[3].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    for ax in axes:
        ax.grid(True, alpha=0.3)
    return fig


def render_png(progress: Progress) -> bytes:
    """The progress chart as PNG bytes."""
    if not progress.points:
        raise InputError(
            f"no logged sets of {progress.exercise_id} to chart; log some with `liftsafe log add`."
        )
    buf = io.BytesIO()
    _figure(progress).savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def render_html(progress: Progress) -> str:
    """The progress chart and its table as a self-contained HTML page."""
    png = base64.b64encode(render_png(progress)).decode("ascii")
    ex = html.escape(progress.exercise_id)

    def cell(x):
        return "" if x is None else html.escape(f"{x:g}" if isinstance(x, float) else str(x))

    rows = "\n".join(
        f"<tr><td>{p.performed_at:%Y-%m-%d %H:%M}</td><td>{cell(p.top_load_kg)}</td><td>{cell(p.volume_load_kg)}</td>"  # noqa: E501
        f"<td>{cell(p.e1rm_epley_kg)}</td><td>{cell(p.e1rm_brzycki_kg)}</td><td>{cell(p.max_pain_during)}</td>"
        f"<td>{cell(p.pain_after)}</td><td>{cell(p.soreness)}</td></tr>"
        for p in progress.points
    )
    slope = (
        "not enough sessions yet"
        if progress.e1rm_slope_kg_per_week is None
        else f"{progress.e1rm_slope_kg_per_week:+g} kg per week (Epley)"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>liftsafe progress: {ex}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}}</style></head>
<body><h1>Progress: {ex}</h1>
<p>e1RM trend: {html.escape(slope)}. e1RM uses only sets of 10 or fewer repetitions (Epley 1985; Brzycki 1993).</p>
<img alt="load, e1RM, pain and soreness of {ex} over time" src="data:image/png;base64,{png}" style="max-width:100%">
<table><thead><tr><th>date</th><th>top load kg</th><th>volume kg</th><th>e1RM Epley</th><th>e1RM Brzycki</th>
<th>pain during</th><th>pain after</th><th>soreness</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""  # noqa: E501


def write_progress(progress: Progress, path: Path) -> None:
    """Write a PNG or HTML chart, chosen by the file suffix (atomic: temp file + rename)."""
    import os
    import tempfile

    suffix = path.suffix.lower()
    if suffix == ".png":
        data = render_png(progress)
    elif suffix in (".html", ".htm"):
        data = render_html(progress).encode("utf-8")
    else:
        raise InputError(f"output must end in .png or .html; got {path.name!r}.", field="output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another --output.") from None
