"""Drawing helpers shared by the report keyframes and the annotated video (OpenCV).

Images are RGB ``uint8`` arrays (H, W, 3); colours are RGB tuples. Every function returns
the drawn image; by default it draws on a copy and leaves its input alone, ``inplace=True``
draws on the given array (used by the video writer to avoid one copy per helper per frame).
Points are pixel coordinates (x right, y down), as in :class:`~liftsafe.pose.series.PoseSeries`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import cv2
import numpy as np

from liftsafe.pose.layouts import SKELETON_EDGES, joint_index
from liftsafe.result import Severity

RGB = tuple[int, int, int]

#: Colours (RGB). Severity colours follow the usual traffic-light scheme.
SEVERITY_COLORS: dict[str, RGB] = {
    Severity.MINOR.value: (245, 180, 0),
    Severity.MAJOR.value: (255, 110, 20),
    Severity.UNSAFE.value: (225, 30, 45),
}
NEAR_SIDE_COLOR: RGB = (40, 200, 255)
FAR_SIDE_COLOR: RGB = (120, 130, 150)
CENTRE_COLOR: RGB = (235, 235, 235)
ANGLE_COLOR: RGB = (255, 230, 60)
TEXT_COLOR: RGB = (255, 255, 255)
PANEL_COLOR: RGB = (20, 24, 32)
CANVAS_COLOR: RGB = (28, 32, 40)

#: Points below this confidence are not drawn (heuristic; BlazePose visibility is ~0.5 for
#: occluded but well-predicted points).
MIN_DRAW_CONFIDENCE = 0.3

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_SIDE_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "foot_index", "ear")


def _target(image: np.ndarray, inplace: bool) -> np.ndarray:
    if inplace:
        return image
    return np.ascontiguousarray(image, dtype=np.uint8).copy()


def line_thickness(image: np.ndarray) -> int:
    """A line width that reads well at the image's size (about 1/250 of its shorter side)."""
    return max(2, int(round(min(image.shape[:2]) / 250)))


def blank_canvas(width: int, height: int, *, color: RGB = CANVAS_COLOR) -> np.ndarray:
    """A plain RGB canvas for drawing keypoints when there is no video."""
    canvas = np.empty((int(height), int(width), 3), dtype=np.uint8)
    canvas[:] = color
    return canvas


def _pt(xy: Sequence[float]) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))


def _usable_mask(xy: np.ndarray, conf: np.ndarray, min_confidence: float) -> list[bool]:
    """Per joint: finite coordinates and confidence at least ``min_confidence`` (one pass over
    the frame's joints, not one numpy call per joint: this runs on every video frame)."""
    return (np.all(np.isfinite(xy), axis=1) & (conf >= min_confidence)).tolist()


def visible_side(confidence_row: np.ndarray, layout: str) -> str:
    """``"left"`` or ``"right"``: the side whose joints the estimator is more confident about
    (in a side view, the side nearer the camera)."""
    totals = {}
    for side in ("left", "right"):
        total = 0.0
        for part in _SIDE_JOINTS:
            idx = joint_index(layout, f"{side}_{part}")
            if idx is not None:
                c = float(confidence_row[idx])
                total += c if math.isfinite(c) else 0.0
        totals[side] = total
    return "left" if totals["left"] >= totals["right"] else "right"


def draw_skeleton(
    image: np.ndarray,
    xy_row: np.ndarray,
    confidence_row: np.ndarray,
    layout: str,
    *,
    min_confidence: float = MIN_DRAW_CONFIDENCE,
    thickness: int | None = None,
    near_color: RGB = NEAR_SIDE_COLOR,
    far_color: RGB = FAR_SIDE_COLOR,
    scale_xy: tuple[float, float] = (1.0, 1.0),
    inplace: bool = False,
) -> np.ndarray:
    """Draw the skeleton of one frame: bones as lines, joints as dots.

    The side nearer the camera (see :func:`visible_side`) is drawn in ``near_color`` on top of
    the far side; bones crossing the body in a neutral colour. Points below
    ``min_confidence`` or NaN are skipped. ``scale_xy`` multiplies the coordinates (for
    drawing on a resized image).
    """
    out = _target(image, inplace)
    t = thickness or line_thickness(out)
    xy = np.asarray(xy_row, dtype=float) * np.asarray(scale_xy, dtype=float)
    conf = np.asarray(confidence_row, dtype=float)
    near = visible_side(conf, layout)

    def colour_of(a: str, b: str) -> RGB:
        sides = {a.split("_", 1)[0], b.split("_", 1)[0]}
        if sides == {near}:
            return near_color
        if len(sides) == 1 and sides <= {"left", "right"}:
            return far_color
        return CENTRE_COLOR

    edges = sorted(SKELETON_EDGES, key=lambda e: colour_of(*e) == near_color)  # near side last
    usable = _usable_mask(xy, conf, min_confidence)
    for a, b in edges:
        ia, ib = joint_index(layout, a), joint_index(layout, b)
        if ia is None or ib is None:
            continue
        if not (usable[ia] and usable[ib]):
            continue
        cv2.line(out, _pt(xy[ia]), _pt(xy[ib]), colour_of(a, b), t, cv2.LINE_AA)
    radius = max(2, int(round(t * 1.4)))
    for idx in range(xy.shape[0]):
        if usable[idx]:
            cv2.circle(out, _pt(xy[idx]), radius, (255, 255, 255), -1, cv2.LINE_AA)
            cv2.circle(out, _pt(xy[idx]), radius, (30, 30, 30), max(1, t // 2), cv2.LINE_AA)
    return out


def draw_angle(
    image: np.ndarray,
    vertex: Sequence[float],
    a: Sequence[float],
    b: Sequence[float],
    *,
    label: str = "",
    color: RGB = ANGLE_COLOR,
    radius: int | None = None,
    inplace: bool = False,
) -> np.ndarray:
    """Draw the angle at ``vertex`` between the rays towards ``a`` and ``b``: the two rays, an
    arc and an optional label beside the arc. Points with NaN leave the image unchanged."""
    out = _target(image, inplace)
    pts = np.asarray([vertex, a, b], dtype=float)
    if not np.all(np.isfinite(pts)):
        return out
    t = line_thickness(out)
    v = pts[0]
    ang_a = math.degrees(math.atan2(pts[1][1] - v[1], pts[1][0] - v[0]))
    ang_b = math.degrees(math.atan2(pts[2][1] - v[1], pts[2][0] - v[0]))
    delta = (ang_b - ang_a + 540.0) % 360.0 - 180.0
    r = radius or max(12, int(min(np.linalg.norm(pts[1] - v), np.linalg.norm(pts[2] - v)) * 0.35))
    for p in pts[1:]:
        cv2.line(out, _pt(v), _pt(p), color, max(1, t // 2 + 1), cv2.LINE_AA)
    start, end = sorted((ang_a, ang_a + delta))
    cv2.ellipse(out, _pt(v), (r, r), 0.0, start, end, color, t, cv2.LINE_AA)
    if label:
        mid = math.radians(ang_a + delta / 2)
        org = (v[0] + math.cos(mid) * (r + 8 * t), v[1] + math.sin(mid) * (r + 8 * t))
        draw_label(out, label, org, color=color, inplace=True, anchor="center")
    return out


def draw_inclination(
    image: np.ndarray,
    base: Sequence[float],
    tip: Sequence[float],
    *,
    label: str = "",
    color: RGB = ANGLE_COLOR,
    inplace: bool = False,
) -> np.ndarray:
    """Draw the angle between the segment ``base``→``tip`` and the upward vertical through
    ``base`` (e.g. trunk inclination: hip→shoulder against vertical)."""
    out = _target(image, inplace)
    pts = np.asarray([base, tip], dtype=float)
    if not np.all(np.isfinite(pts)):
        return out
    length = float(np.linalg.norm(pts[1] - pts[0])) or 1.0
    up = (pts[0][0], pts[0][1] - length)
    _dashed_line(out, _pt(pts[0]), _pt(up), color, max(1, line_thickness(out) // 2))
    return draw_angle(out, pts[0], up, pts[1], label=label, color=color, inplace=True)


def draw_segment(
    image: np.ndarray,
    a: Sequence[float],
    b: Sequence[float],
    *,
    label: str = "",
    color: RGB = ANGLE_COLOR,
    inplace: bool = False,
) -> np.ndarray:
    """Highlight the segment ``a``–``b`` (e.g. the hip-to-shoulder chord along which the back's
    outline is measured) with a thick line and an optional label beside its middle."""
    out = _target(image, inplace)
    pts = np.asarray([a, b], dtype=float)
    if not np.all(np.isfinite(pts)):
        return out
    t = line_thickness(out)
    cv2.line(out, _pt(pts[0]), _pt(pts[1]), color, 2 * t, cv2.LINE_AA)
    if label:
        mid = pts.mean(axis=0)
        draw_label(out, label, (mid[0], mid[1] - 10 * t), color=color, inplace=True, anchor="center")
    return out


def draw_horizontal_distance(
    image: np.ndarray,
    point: Sequence[float],
    reference: Sequence[float],
    *,
    label: str = "",
    color: RGB = ANGLE_COLOR,
    inplace: bool = False,
) -> np.ndarray:
    """Draw the horizontal distance from ``reference``'s vertical line (dashed, e.g. through the
    ankle) to ``point`` (e.g. the wrist), at ``point``'s height, with an optional label."""
    out = _target(image, inplace)
    pts = np.asarray([point, reference], dtype=float)
    if not np.all(np.isfinite(pts)):
        return out
    t = line_thickness(out)
    (px, py), (rx, ry) = pts
    _dashed_line(out, _pt((rx, ry)), _pt((rx, min(py, ry) - 10 * t)), color, max(1, t // 2))
    cv2.line(out, _pt((rx, py)), _pt((px, py)), color, t, cv2.LINE_AA)
    for x in (rx, px):
        cv2.line(out, _pt((x, py - 3 * t)), _pt((x, py + 3 * t)), color, t, cv2.LINE_AA)
    if label:
        draw_label(out, label, ((px + rx) / 2, py + 8 * t), color=color, inplace=True, anchor="center")
    return out


def _dashed_line(image: np.ndarray, p0: tuple[int, int], p1: tuple[int, int], color: RGB, t: int) -> None:
    length = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    dash = max(6, 4 * t)
    n = max(1, int(length // dash))
    for i in range(0, n, 2):
        a = (p0[0] + (p1[0] - p0[0]) * i / n, p0[1] + (p1[1] - p0[1]) * i / n)
        b = (p0[0] + (p1[0] - p0[0]) * (i + 1) / n, p0[1] + (p1[1] - p0[1]) * (i + 1) / n)
        cv2.line(image, _pt(a), _pt(b), color, t, cv2.LINE_AA)


def text_scale(image: np.ndarray) -> float:
    """OpenCV font scale giving text about 1/35 of the image's shorter side."""
    return max(0.4, min(image.shape[:2]) / 1100)


def draw_label(
    image: np.ndarray,
    text: str,
    org: Sequence[float],
    *,
    color: RGB = TEXT_COLOR,
    background: RGB | None = PANEL_COLOR,
    scale: float | None = None,
    anchor: str = "topleft",
    inplace: bool = False,
) -> np.ndarray:
    """Draw ``text`` (ASCII; OpenCV fonts have no degree sign) on an optional background box.

    ``anchor`` is ``"topleft"`` (``org`` is the box's top-left corner) or ``"center"``.
    The box is kept inside the image.
    """
    out = _target(image, inplace)
    s = scale or text_scale(out)
    thick = max(1, int(round(s * 2)))
    (w, h), base = cv2.getTextSize(text, _FONT, s, thick)
    pad = max(2, int(h * 0.35))
    x, y = float(org[0]), float(org[1])
    if anchor == "center":
        x, y = x - w / 2 - pad, y - h / 2 - pad
    H, W = out.shape[:2]
    x = min(max(0.0, x), max(0.0, W - w - 2 * pad))
    y = min(max(0.0, y), max(0.0, H - h - base - 2 * pad))
    x0, y0 = int(x), int(y)
    if background is not None:
        cv2.rectangle(out, (x0, y0), (x0 + w + 2 * pad, y0 + h + base + 2 * pad), background, -1)
    cv2.putText(out, text, (x0 + pad, y0 + pad + h), _FONT, s, color, thick, cv2.LINE_AA)
    return out


def draw_panel(
    image: np.ndarray,
    lines: Iterable[tuple[str, RGB]],
    *,
    org: tuple[int, int] | None = None,
    inplace: bool = False,
) -> np.ndarray:
    """Draw lines of text stacked in a semi-opaque panel at ``org`` (default: top-left corner)."""
    out = _target(image, inplace)
    items = [(t, c) for t, c in lines if t]
    if not items:
        return out
    s = text_scale(out)
    thick = max(1, int(round(s * 2)))
    sizes = [cv2.getTextSize(t, _FONT, s, thick) for t, _ in items]
    line_h = max(h + b for (_, h), b in sizes)
    gap = int(line_h * 0.45)
    width = max(w for (w, _), _ in sizes) + 2 * gap
    height = len(items) * (line_h + gap) + gap
    margin = max(6, line_h // 2)
    x0, y0 = org if org is not None else (margin, margin)
    x1, y1 = min(out.shape[1], x0 + width), min(out.shape[0], y0 + height)
    if x1 > x0 and y1 > y0:
        roi = out[y0:y1, x0:x1]
        roi[:] = (roi.astype(np.uint16) * 2 // 5 + np.asarray(PANEL_COLOR, dtype=np.uint16) * 3 // 5).astype(
            np.uint8
        )
    y = y0 + gap
    for (text, color), ((_, h), _b) in zip(items, sizes):
        cv2.putText(out, text, (x0 + gap, y + h), _FONT, s, color, thick, cv2.LINE_AA)
        y += line_h + gap
    return out


def draw_border(
    image: np.ndarray, color: RGB, *, width: int | None = None, inplace: bool = False
) -> np.ndarray:
    """Draw a solid coloured frame around the image (used to flash faults)."""
    out = _target(image, inplace)
    w = width or max(6, min(out.shape[:2]) // 40)
    out[:w] = color
    out[-w:] = color
    out[:, :w] = color
    out[:, -w:] = color
    return out


# ------------------------------------------------------------------ metric illustrations
#: Which joints illustrate a metric: ("inclination", base, tip) draws the segment against the
#: vertical; ("angle", vertex, a, b) the angle at a joint. Matched by substring of the
#: evidence metric name, first match wins.
METRIC_GEOMETRY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hand_forward", ("horizontal", "wrist", "ankle")),
    ("knee_to_hip", ("angle", "knee", "hip", "ankle")),
    ("dorsal", ("segment", "hip", "shoulder")),
    ("trunk", ("inclination", "hip", "shoulder")),
    ("back", ("angle", "hip", "shoulder", "knee")),
    ("spine", ("angle", "hip", "shoulder", "knee")),
    ("lumbar", ("angle", "hip", "shoulder", "knee")),
    ("hip", ("angle", "hip", "shoulder", "knee")),
    ("knee", ("angle", "knee", "hip", "ankle")),
    ("shin", ("inclination", "ankle", "knee")),
    ("neck", ("angle", "shoulder", "ear", "hip")),
    ("head", ("angle", "shoulder", "ear", "hip")),
)
_DEFAULT_GEOMETRY: tuple[str, ...] = ("angle", "hip", "shoulder", "knee")


def geometry_for_metric(metric: str) -> tuple[str, ...]:
    """The joint geometry (see :data:`METRIC_GEOMETRY`) that illustrates ``metric``."""
    name = metric.lower()
    for key, geometry in METRIC_GEOMETRY:
        if key in name:
            return geometry
    return _DEFAULT_GEOMETRY


def draw_metric(
    image: np.ndarray,
    xy_row: np.ndarray,
    confidence_row: np.ndarray,
    layout: str,
    metric: str,
    *,
    label: str = "",
    color: RGB = ANGLE_COLOR,
    scale_xy: tuple[float, float] = (1.0, 1.0),
    inplace: bool = False,
) -> np.ndarray:
    """Illustrate ``metric`` on the near side of the body (angle rays and arc) with ``label``."""
    out = _target(image, inplace)
    side = visible_side(confidence_row, layout)
    xy = np.asarray(xy_row, dtype=float) * np.asarray(scale_xy, dtype=float)
    kind, *joints = geometry_for_metric(metric)
    pts = []
    for j in joints:
        idx = joint_index(layout, f"{side}_{j}")
        pts.append(xy[idx] if idx is not None else np.array([np.nan, np.nan]))
    if kind == "inclination":
        return draw_inclination(out, pts[0], pts[1], label=label, color=color, inplace=True)  # type: ignore[arg-type]
    if kind == "segment":
        return draw_segment(out, pts[0], pts[1], label=label, color=color, inplace=True)  # type: ignore[arg-type]
    if kind == "horizontal":
        return draw_horizontal_distance(out, pts[0], pts[1], label=label, color=color, inplace=True)  # type: ignore[arg-type]
    return draw_angle(out, pts[0], pts[1], pts[2], label=label, color=color, inplace=True)  # type: ignore[arg-type]
