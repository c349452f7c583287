"""Per-frame signals as CSV: one row per frame.

Columns: ``frame`` (0-based index), ``time_s``, ``rep`` (1-based rep index, empty outside
reps), ``phase`` (setup / descent / bottom / ascent / lockout, empty outside reps), then one
column per kinematic signal in ``analysis.signals`` (names carry their unit, e.g.
``trunk_inclination_deg``), with the plotted angles first. Unknown values are empty cells.
Numbers are written with 4 decimals (more than the precision of any pose estimate).
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from liftsafe.analysis import PLOTTED_SIGNALS, Analysis
from liftsafe.atomic import atomic_path
from liftsafe.report.timeline import frame_labels


def signal_columns(analysis: Analysis) -> list[str]:
    """Signal column names in CSV order: plotted angles first, then the rest as given."""
    names = [n for n in PLOTTED_SIGNALS if n in analysis.signals]
    names += [n for n in analysis.signals if n not in names]
    return names


def _checked_signals(analysis: Analysis, names: list[str]) -> list[np.ndarray]:
    n = analysis.series.n_frames
    arrays = []
    for name in names:
        values = np.asarray(analysis.signals[name], dtype=float).reshape(-1)
        if values.shape[0] != n:
            raise ValueError(f"signal {name!r} has {values.shape[0]} values but the series has {n} frames")
        arrays.append(values)
    return arrays


def _fmt(value: float) -> str:
    """A CSV cell: empty for a missing sample (spreadsheets read it as blank), 4 decimals otherwise."""
    return "" if not math.isfinite(value) else f"{value:.4f}"


def write_signals_csv(analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    """Write the per-frame signals of ``analysis`` to ``path`` atomically; return the path."""
    names = signal_columns(analysis)
    arrays = _checked_signals(analysis, names)
    n = analysis.series.n_frames
    fps = analysis.series.fps
    labels = frame_labels(analysis.result, n, fps)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["frame", "time_s", "rep", "phase", *names])
            for i in range(n):
                rep = int(labels.rep[i])
                writer.writerow(
                    [i, f"{i / fps:.4f}", rep if rep else "", labels.phase[i], *(_fmt(a[i]) for a in arrays)]
                )
    return Path(path).expanduser()
