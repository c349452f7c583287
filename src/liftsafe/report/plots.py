"""Report plots (matplotlib object API with the SVG canvas: no pyplot, no global backend) as inline SVG.

The SVG text is stripped of its XML prolog, DOCTYPE and metadata so it can be embedded
directly in HTML and references no external resource.
"""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from liftsafe.analysis import PLOTTED_SIGNALS, Analysis
from liftsafe.report.drawing import SEVERITY_COLORS
from liftsafe.report.fmt import pretty_signal
from liftsafe.report.timeline import rep_frame_range, worst_fault

#: Signals of the second plot (degrees), when present.
SECONDARY_SIGNALS: tuple[str, ...] = ("neck_extension_deg", "shin_angle_deg")
#: Back-shape signal of the third plot (see liftsafe.kinematics.spine), when present.
BACK_SIGNALS: tuple[str, ...] = ("dorsal_curvature",)
#: Legend labels for signals whose names carry no unit suffix.
SIGNAL_LABELS: dict[str, str] = {"dorsal_curvature": "back outline curvature (1/trunk length)"}
HAND_SIGNALS: tuple[str, ...] = ("hand_forward_m", "hand_forward_bh", "hand_forward_norm", "hand_forward_cm")

#: Longest line drawn in a plot; longer signals are decimated (keeps the HTML small).
MAX_PLOT_POINTS = 2500

_LINE_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf")
_PHASE_STYLE = {"descent": ":", "bottom": "-", "ascent": ":", "lockout": "--"}


def _decimate(t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    step = max(1, int(np.ceil(len(t) / MAX_PLOT_POINTS)))
    return t[::step], y[::step]


def _svg_text(fig: Figure) -> str:
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "liftsafe"}):
        fig.savefig(buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Scale with its container: drop fixed size, keep the viewBox.
    svg = re.sub(
        r'(<svg[^>]*?)\swidth="[^"]*"\s+height="[^"]*"',
        r'\1 preserveAspectRatio="xMidYMid meet"',
        svg,
        count=1,
    )
    return svg.strip()


def _new_figure(height_in: float) -> Figure:
    fig = Figure(figsize=(9.0, height_in), dpi=100, layout="constrained")
    return fig


def _shade_reps(ax, analysis: Analysis, *, label_reps: bool) -> None:
    result, n, fps = analysis.result, analysis.series.n_frames, analysis.series.fps
    for k, rep in enumerate(result.reps):
        start, end = rep_frame_range(rep, fps, n)
        ax.axvspan(start / fps, end / fps, color="#9aa5b1", alpha=0.18 if k % 2 == 0 else 0.10, lw=0)
        if label_reps:
            ax.text((start + end) / 2 / fps, 1.0, f"rep {rep.index}", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=9, color="#334155")
        for name, (p_start, _p_end) in rep.phases.items():
            if name in _PHASE_STYLE:
                ax.axvline(p_start, color="#64748b", lw=0.8, ls=_PHASE_STYLE[name], alpha=0.8)


def _mark_faults(ax, analysis: Analysis) -> None:
    fps = analysis.series.fps
    seen: set[str] = set()
    for rep in analysis.result.reps:
        for fault in rep.faults:
            color = _hex(SEVERITY_COLORS[fault.severity.value])
            label = f"fault ({fault.severity.value})" if fault.severity.value not in seen else None
            seen.add(fault.severity.value)
            ax.axvspan(fault.start_s, max(fault.end_s, fault.start_s + 1 / fps), ymin=0.0, ymax=0.05,
                       color=color, alpha=0.9, lw=0, label=label)
            ax.axvspan(
                fault.start_s, max(fault.end_s, fault.start_s + 1 / fps), color=color, alpha=0.10, lw=0
            )
        worst = worst_fault(rep)
        if worst is not None and worst.evidence.time_s is not None:
            ax.axvline(worst.evidence.time_s, color=_hex(SEVERITY_COLORS[worst.severity.value]), lw=1.2)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _plot_signals(ax, analysis: Analysis, names: list[str]) -> None:
    t = analysis.time_s
    for k, name in enumerate(names):
        y = np.asarray(analysis.signals[name], dtype=float)
        if y.shape != t.shape or not np.any(np.isfinite(y)):
            continue
        td, yd = _decimate(t, y)
        label = SIGNAL_LABELS.get(name, pretty_signal(name))
        ax.plot(td, yd, color=_LINE_COLORS[k % len(_LINE_COLORS)], lw=1.6, label=label)


def angle_plot_svg(analysis: Analysis) -> str | None:
    """Trunk inclination, hip and knee flexion over time, reps shaded, phase starts as vertical
    lines (dotted descent/ascent, solid bottom, dashed lockout), fault spans coloured by
    severity (bar along the bottom) and each faulty rep's worst moment as a vertical line.
    ``None`` when none of :data:`~liftsafe.analysis.PLOTTED_SIGNALS` is available."""
    names = [n for n in PLOTTED_SIGNALS if n in analysis.signals]
    if not names:
        return None
    fig = _new_figure(3.6)
    ax = fig.add_subplot()
    _shade_reps(ax, analysis, label_reps=True)
    _mark_faults(ax, analysis)
    _plot_signals(ax, analysis, names)
    _finish_axes(ax, analysis, "angle (deg)")
    return _svg_text(fig)


def _series_ok(analysis: Analysis, name: str) -> bool:
    y = np.asarray(analysis.signals[name], dtype=float)
    return y.shape == analysis.time_s.shape and bool(np.any(np.isfinite(y)))


def _two_axis_plot(analysis: Analysis, left: list[str], left_label: str, right: str | None,
                   right_label: str) -> str | None:
    """Signals ``left`` on the left axis and ``right`` (dashed) on a right axis; ``None`` if
    there is nothing to plot. With no left signal the right one uses the left axis."""
    left = [n for n in left if _series_ok(analysis, n)]
    right = right if right is not None and _series_ok(analysis, right) else None
    if not left and right is None:
        return None
    fig = _new_figure(2.8)
    ax = fig.add_subplot()
    _shade_reps(ax, analysis, label_reps=False)
    _mark_faults(ax, analysis)
    _plot_signals(ax, analysis, left)
    if right is not None:
        ax2 = ax.twinx() if left else ax
        td, yd = _decimate(analysis.time_s, np.asarray(analysis.signals[right], dtype=float))
        ax2.plot(td, yd, color="#6b7280", lw=1.4, ls="--", label=pretty_signal(right))
        ax2.set_ylabel(right_label)
    _finish_axes(ax, analysis, left_label if left else right_label)
    return _svg_text(fig)


def secondary_plot_svg(analysis: Analysis) -> str | None:
    """Head/neck angle and shin angle over time (degrees), when present."""
    names = [n for n in SECONDARY_SIGNALS if n in analysis.signals]
    return _two_axis_plot(analysis, names, "angle (deg)", None, "")


def back_load_plot_svg(analysis: Analysis) -> str | None:
    """The back-outline curvature (``dorsal_curvature``, 1/trunk length; the rounded-back signal) and
    the hand (load) distance ahead of the mid-foot, when present."""
    back = [n for n in BACK_SIGNALS if n in analysis.signals][:1]
    hand = next((n for n in HAND_SIGNALS if n in analysis.signals), None)
    back_label = "back curvature\n(1/trunk length)"
    hand_label = pretty_signal(hand).replace(" (", "\n(") if hand else ""
    return _two_axis_plot(analysis, back, back_label, hand, hand_label)


def report_plots(analysis: Analysis) -> list[tuple[str, str]]:
    """(caption, svg) of every plot the report shows, in order; plots without data are left out."""
    plots = [
        ("Trunk inclination, hip and knee flexion over time. Grey bands: reps; vertical lines: phase "
         "starts (dotted descent/ascent, solid bottom, dashed lockout); coloured bands: faults; "
         "coloured line: worst moment of a faulty rep.", angle_plot_svg(analysis)),
        ("Head/neck angle relative to the trunk and shin angle from vertical.", secondary_plot_svg(analysis)),
        ("Back outline curvature (how strongly the back's outline bows outwards, in 1/trunk length; "
         "0 for a flat back, rises when the back rounds) and the hands' distance ahead of the mid-foot.",
         back_load_plot_svg(analysis)),
    ]
    return [(caption, svg) for caption, svg in plots if svg is not None]


def _finish_axes(ax, analysis: Analysis, ylabel: str) -> None:
    ax.set_xlim(0, max(analysis.series.duration_s, 1 / analysis.series.fps))
    ax.set_xlabel("time (s)")
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#e5e7eb", lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = [], []
    for axis in ax.figure.axes:
        h, lab = axis.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", fontsize=8, frameon=False,
                         ncol=min(4, len(handles)))
