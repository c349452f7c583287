"""Keypoint files: read and write :class:`~liftsafe.pose.series.PoseSeries` as CSV or JSON.

Formats (full description in ``docs/keypoint-files.md``):

CSV (wide, one row per frame)::

    # fps=30 layout=blazepose33 width=1280 height=720 normalized=false
    frame,time_s,nose_x,nose_y,nose_conf,left_eye_inner_x,...

JSON::

    {"fps": 30, "layout": "blazepose33", "image_size": [1280, 720], "normalized": false,
     "frames": [{"frame": 0, "keypoints": [[x, y, conf], ...]}, ...]}

Both support the ``blazepose33`` and ``coco17`` layouts (detected from the column names or
the point count when not stated), pixel or normalised (0-1) coordinates, and missing points
(an empty CSV cell, ``null`` in JSON) which become NaN with confidence 0. Every problem is
reported as an :class:`~liftsafe.errors.InputError` naming the file, row/frame and field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from liftsafe.errors import InputError, OutputError
from liftsafe.pose.formats import read_foreign
from liftsafe.pose.layouts import LAYOUTS
from liftsafe.pose.limits import check_frame_span
from liftsafe.pose.series import PoseSeries

#: Accepted suffixes of a confidence column (``<name>_conf`` is what the writer uses).
CONF_SUFFIXES: tuple[str, ...] = ("conf", "confidence", "visibility", "score", "likelihood")
#: Frame sizes tried, smallest first, when a file gives no image size (heuristic).
STANDARD_SIZES: tuple[tuple[int, int], ...] = (
    (640, 480), (480, 640), (1280, 720), (720, 1280), (1920, 1080), (1080, 1920), (3840, 2160), (2160, 3840),
)
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


# ---------------------------------------------------------------------------- reading
def read_keypoints(
    path: str | os.PathLike[str], *, fps: float | None = None, image_size: tuple[int, int] | None = None
) -> PoseSeries:
    """Read a CSV or JSON keypoint file into a :class:`PoseSeries` (pixel coordinates).

    ``fps`` / ``image_size`` given here override the values in the file; one of the two must
    give the fps (a CSV ``time_s`` column also works). Raises :class:`InputError` with a
    one-line message naming the file, row or frame and the field for any malformed input.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"keypoint file '{p}' not found; check the path")
    foreign = read_foreign(p, fps=fps, image_size=image_size)  # OpenPose, MMPose, TRC, movement
    if foreign is not None:
        return foreign
    if p.is_dir():
        raise InputError(f"keypoint file '{p}' is a folder without OpenPose JSON frames; give a file")
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError(f"keypoint file '{p}' must end in .csv or .json; got '{p.suffix or '(none)'}'")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"keypoint file '{p}' is not UTF-8 text; export it as CSV or JSON text") from None
    except OSError as exc:
        raise InputError(f"cannot read keypoint file '{p}': {exc.strerror or exc}") from None
    if not text.strip():
        raise InputError(f"keypoint file '{p}' is empty")
    if fps is not None and not (isinstance(fps, (int, float)) and math.isfinite(fps) and fps > 0):
        raise InputError(f"fps must be a positive number; got {fps!r}", field="fps")
    reader = _read_csv if suffix == ".csv" else _read_json
    return reader(text, p, fps=fps, image_size=image_size)


def _parse_float(value: Any, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise InputError(f"{where}: {value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text == "" or text.lower() in ("nan", "null", "none", "na"):
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a number") from None


def _parse_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"{where}: expected true or false; got {value!r}")


def _check_layout(layout: str, where: str) -> str:
    name = str(layout).strip().lower()
    if name not in LAYOUTS:
        raise InputError(f"{where}: unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    return name


def _resolve_fps(file_fps: float | None, fps: float | None, where: str) -> float:
    value = fps if fps is not None else file_fps
    if value is None:
        raise InputError(
            f"{where}: missing fps; add it to the file (CSV '# fps=30' line or JSON \"fps\") or pass --fps"
        )
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{where}: fps must be a positive number; got {value!r}")
    return float(value)


def _resolve_size(
    file_size: tuple[int, int] | None,
    size: tuple[int, int] | None,
    normalized: bool,
    xy: np.ndarray,
    where: str,
) -> tuple[int, int]:
    chosen = size if size is not None else file_size
    if chosen is not None:
        w, h = (int(round(float(v))) for v in chosen)
        if w <= 0 or h <= 0:
            raise InputError(f"{where}: image size must be positive; got {chosen!r}")
        return w, h
    if normalized:
        raise InputError(
            f"{where}: normalised coordinates need the image size (width= and height=, or image_size)"
        )
    finite = xy[np.isfinite(xy).all(axis=-1)]
    if finite.size == 0:
        return STANDARD_SIZES[2]
    max_x, max_y = float(finite[:, 0].max()), float(finite[:, 1].max())
    for w, h in STANDARD_SIZES:
        if max_x <= w and max_y <= h:
            return w, h
    return int(math.ceil(max_x)) + 1, int(math.ceil(max_y)) + 1


def _finish(
    xy: np.ndarray, conf: np.ndarray, *, layout: str, fps: float, size: tuple[int, int], normalized: bool,
    source: str, world: np.ndarray | None = None,
) -> PoseSeries:
    missing = ~np.isfinite(xy).all(axis=-1)
    xy = xy.copy()
    conf = np.where(np.isfinite(conf), conf, 0.0)
    if normalized:
        xy[..., 0] *= size[0]
        xy[..., 1] *= size[1]
    xy[missing] = np.nan
    conf[missing] = 0.0
    return PoseSeries(
        xy=xy,
        confidence=np.clip(conf, 0.0, 1.0),
        fps=fps,
        layout=layout,
        image_size=size,
        source=source,
        world_m=world,
    )


def _parse_meta_line(line: str, meta: dict[str, str]) -> None:
    for token in line.lstrip("#").replace(",", " ").split():
        if "=" in token:
            key, _, value = token.partition("=")
            meta[key.strip().lower()] = value.strip()


def _missing_columns(points: tuple[str, ...], columns: set[str]) -> list[str]:
    return [f"{p}_{axis}" for p in points for axis in ("x", "y") if f"{p}_{axis}" not in columns]


def _list_some(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def _detect_layout_from_columns(columns: set[str], where: str) -> str:
    best, best_missing = "", None
    for layout, points in LAYOUTS.items():
        missing = _missing_columns(points, columns)
        if not missing:
            return layout
        if best_missing is None or len(missing) < len(best_missing):
            best, best_missing = layout, missing
    raise InputError(
        f"{where}: cannot tell the keypoint layout from the header; closest is {best} but it lacks "
        f"columns {_list_some(best_missing or [])} (need <name>_x and <name>_y for every point)"
    )


def _read_csv(text: str, path: Path, *, fps: float | None, image_size: tuple[int, int] | None) -> PoseSeries:
    where = f"keypoint file '{path}'"
    lines = text.splitlines()
    meta, body_start = _csv_meta(lines, where)
    rows = list(csv.reader(io.StringIO("\n".join(lines[body_start:]))))
    header = [h.strip() for h in rows[0]]
    header_line = body_start + 1
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise InputError(f"{where}: header (line {header_line}) repeats column(s) {', '.join(dup)}")
    col = {name: i for i, name in enumerate(header)}
    layout = _csv_layout(meta, set(header), where, header_line)
    names = LAYOUTS[layout]
    file_fps = _parse_float(meta["fps"], f"{where}: '# fps=' line") if "fps" in meta else None
    normalized = _parse_bool(meta.get("normalized", "false"), f"{where}: '# normalized=' line")
    file_size = _csv_size(meta, where)
    conf_cols: list[int | None] = []
    for n in names:
        conf_cols.append(next((col[f"{n}_{s}"] for s in CONF_SUFFIXES if f"{n}_{s}" in col), None))
    data = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if not data:
        raise InputError(f"{where}: the header is there but there are no data rows")
    n_rows = len(data)
    xy = np.full((n_rows, len(names), 2), np.nan)
    conf = np.zeros((n_rows, len(names)))
    frame_numbers: list[int] = []
    times: list[float] = []
    column_fps: list[float] = []
    for r, row in enumerate(data):
        row_label = f"{where}: data row {r + 1}"
        if len(row) != len(header):
            raise InputError(f"{row_label} has {len(row)} fields but the header has {len(header)}")

        def cell(column: str, _row: list[str] = row, _label: str = row_label) -> float:
            return _parse_float(_row[col[column]], f"{_label}, column '{column}'")

        if "frame" in col:
            value = cell("frame")
            if not (math.isfinite(value) and value == int(value) and value >= 0):
                raise InputError(
                    f"{row_label}, column 'frame': expected a whole number >= 0; got {row[col['frame']]!r}"
                )
            frame_numbers.append(int(value))
        if "time_s" in col:
            times.append(cell("time_s"))
        if "fps" in col:
            column_fps.append(cell("fps"))
        for k, n in enumerate(names):
            x, y = cell(f"{n}_x"), cell(f"{n}_y")
            xy[r, k] = (x, y)
            c_idx = conf_cols[k]
            if c_idx is not None:
                c = _parse_float(row[c_idx], f"{row_label}, column '{header[c_idx]}'")
                if math.isfinite(c) and not 0.0 <= c <= 1.0:
                    raise InputError(f"{row_label}, column '{header[c_idx]}': confidence {c} is outside 0..1")
                conf[r, k] = c if math.isfinite(c) else 0.0
            else:
                conf[r, k] = 1.0
    if frame_numbers:
        xy, conf = _place_frames(frame_numbers, xy, conf, where, "data row")
    file_fps = _csv_fps(file_fps, column_fps, times, frame_numbers, fps, where)
    rate = _resolve_fps(file_fps, fps, where)
    size = _resolve_size(file_size, image_size, normalized, xy, where)  # type: ignore[arg-type]
    return _finish(xy, conf, layout=layout, fps=rate, size=size, normalized=normalized, source=str(path))


def _csv_meta(lines: list[str], where: str) -> tuple[dict[str, str], int]:
    """The ``# key=value`` comment lines before the header, and the header's line index."""
    meta: dict[str, str] = {}
    body_start = 0
    while body_start < len(lines) and (
        lines[body_start].lstrip().startswith("#") or not lines[body_start].strip()
    ):
        _parse_meta_line(lines[body_start], meta)
        body_start += 1
    if body_start >= len(lines):
        raise InputError(
            f"{where}: no header row (expected 'frame,time_s,<name>_x,<name>_y,<name>_conf,...')"
        )
    return meta, body_start


def _csv_layout(meta: dict[str, str], columns: set[str], where: str, header_line: int) -> str:
    """The layout named by ``# layout=`` (its columns checked), else the one the header matches."""
    if "layout" not in meta:
        return _detect_layout_from_columns(columns, where)
    layout = _check_layout(meta["layout"], f"{where}: '# layout=' line")
    missing = _missing_columns(LAYOUTS[layout], columns)
    if missing:
        raise InputError(
            f"{where}: layout {layout} needs columns {_list_some(missing)} in the header (line "
            f"{header_line})"
        )
    return layout


def _csv_size(meta: dict[str, str], where: str) -> tuple[float, float] | None:
    """Image size from ``# width=`` and ``# height=`` (both or neither)."""
    if "width" not in meta and "height" not in meta:
        return None
    if not ("width" in meta and "height" in meta):
        raise InputError(f"{where}: the comment line gives only one of width= and height=; give both")
    return (
        _parse_float(meta["width"], f"{where}: '# width=' line"),
        _parse_float(meta["height"], f"{where}: '# height=' line"),
    )


def _csv_fps(
    file_fps: float | None, column_fps: list[float], times: list[float], frame_numbers: list[int],
    fps: float | None, where: str,
) -> float | None:
    """Frame rate from the ``fps`` column (constant), else from the ``time_s`` steps when none is given."""
    if column_fps:
        values = {v for v in column_fps if math.isfinite(v)}
        if len(values) > 1:
            raise InputError(
                f"{where}: column 'fps' changes between rows ({', '.join(map(str, sorted(values)[:3]))}); "
                f"it must be constant"
            )
        if values and file_fps is None:
            file_fps = values.pop()
    if file_fps is None and fps is None and len(times) >= 2:
        steps = np.diff(np.asarray(times, float))
        steps = steps[np.isfinite(steps) & (steps > 0)]
        if steps.size:
            file_fps = 1.0 / float(np.median(steps))
            if frame_numbers:
                file_fps *= float(np.median(np.diff(frame_numbers)))
    return file_fps


def _place_frames(
    numbers: list[int],
    xy: np.ndarray,
    conf: np.ndarray,
    where: str,
    unit: str,
    world: np.ndarray | None = None,
) -> tuple[np.ndarray, ...]:
    arr = np.asarray(numbers)
    bad = np.nonzero(np.diff(arr) <= 0)[0]
    if bad.size:
        i = int(bad[0]) + 1
        raise InputError(
            f"{where}: {unit} {i + 1} has frame {numbers[i]} after frame {numbers[i - 1]}; frames must "
            f"increase"
        )
    first = int(arr[0])
    check_frame_span(first, int(arr[-1]), where)  # arrays are sized by the span: cap it first
    n = int(arr[-1]) - first + 1
    full_xy = np.full((n, xy.shape[1], 2), np.nan)
    full_conf = np.zeros((n, xy.shape[1]))
    full_xy[arr - first] = xy
    full_conf[arr - first] = conf
    if world is None:
        return full_xy, full_conf
    full_world = np.full((n, xy.shape[1], 3), np.nan)
    full_world[arr - first] = world
    return full_xy, full_conf, full_world


def _read_json(text: str, path: Path, *, fps: float | None, image_size: tuple[int, int] | None) -> PoseSeries:
    where = f"keypoint file '{path}'"
    doc, frames = _json_document(text, where)
    file_fps = _parse_float(doc["fps"], f"{where}: field \"fps\"") if doc.get("fps") is not None else None
    normalized = _parse_bool(doc.get("normalized", False), f"{where}: field \"normalized\"")
    file_size = _json_size(doc, where)
    layout = _json_layout(doc, frames[0], where)
    names = LAYOUTS[layout]
    n_points = len(names)
    xy = np.full((len(frames), n_points, 2), np.nan)
    conf = np.zeros((len(frames), n_points))
    world = np.full((len(frames), n_points, 3), np.nan)
    has_world = False
    numbers: list[int] = []
    for i, fr in enumerate(frames):
        label = f"{where}: frame {i}"
        if not isinstance(fr, dict):
            raise InputError(f"{label} must be an object with a \"keypoints\" list")
        kps = fr.get("keypoints")
        if not isinstance(kps, list):
            raise InputError(f"{label}: field \"keypoints\" is missing or not a list")
        if len(kps) != n_points:
            raise InputError(f"{label}: expected {n_points} keypoints for layout {layout}, got {len(kps)}")
        if "frame" in fr:
            num = _parse_float(fr["frame"], f"{label}: field \"frame\"")
            if not (math.isfinite(num) and num == int(num) and num >= 0):
                raise InputError(f"{label}: field \"frame\" must be a whole number >= 0; got {fr['frame']!r}")
            numbers.append(int(num))
        elif numbers:
            raise InputError(f"{label}: field \"frame\" is missing but earlier frames have it")
        _json_keypoints(kps, names, label, xy[i], conf[i])
        if fr.get("world") is not None:
            _json_world(fr["world"], names, label, world[i])
            has_world = True
    if numbers and len(numbers) != len(frames):
        raise InputError(
            f'{where}: frame 0 has no "frame" field but later frames do; give it for all or none'
        )
    if numbers:
        xy, conf, world = _place_frames(numbers, xy, conf, where, "frame", world)
    rate = _resolve_fps(file_fps, fps, where)
    size = _resolve_size(file_size, image_size, normalized, xy, where)  # type: ignore[arg-type]
    return _finish(
        xy, conf, layout=layout, fps=rate, size=size, normalized=normalized,
        source=str(doc.get("source") or path), world=world if has_world else None,
    )


def _json_document(text: str, where: str) -> tuple[dict[str, Any], list[Any]]:
    """The parsed top-level object and its non-empty ``frames`` list."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(doc, dict):
        raise InputError(f"{where}: the top level must be an object with \"fps\", \"layout\" and \"frames\"")
    frames = doc.get("frames")
    if not isinstance(frames, list):
        raise InputError(f"{where}: field \"frames\" is missing or not a list")
    if not frames:
        raise InputError(f"{where}: field \"frames\" is empty")
    return doc, frames


def _json_size(doc: dict[str, Any], where: str) -> tuple[float, float] | None:
    """Image size from the ``image_size`` field, if given."""
    if doc.get("image_size") is None:
        return None
    size_value = doc["image_size"]
    if not (isinstance(size_value, list) and len(size_value) == 2):
        raise InputError(f"{where}: field \"image_size\" must be [width, height]; got {size_value!r}")
    return (
        _parse_float(size_value[0], f"{where}: field \"image_size\"[0] (width)"),
        _parse_float(size_value[1], f"{where}: field \"image_size\"[1] (height)"),
    )


def _json_layout(doc: dict[str, Any], first: Any, where: str) -> str:
    """The ``layout`` field, else the layout with as many points as frame 0 has."""
    if not isinstance(first, dict) or not isinstance(first.get("keypoints"), list):
        raise InputError(f"{where}: frame 0 must be an object with a \"keypoints\" list")
    if doc.get("layout") is not None:
        return _check_layout(doc["layout"], f"{where}: field \"layout\"")
    count = len(first["keypoints"])
    by_count = {len(v): k for k, v in LAYOUTS.items()}
    if count not in by_count:
        raise InputError(
            f"{where}: no \"layout\" field and frame 0 has {count} keypoints; expected "
            f"{' or '.join(f'{len(v)} ({k})' for k, v in LAYOUTS.items())}"
        )
    return by_count[count]


def _json_keypoints(kps: list[Any], names: Any, label: str, xy: np.ndarray, conf: np.ndarray) -> None:
    """Fill one frame's ``xy`` and ``conf`` rows from its ``keypoints`` list."""
    for k, kp in enumerate(kps):
        kp_label = f"{label}, keypoint {k} ({names[k]})"
        if kp is None:
            continue
        if not isinstance(kp, list) or len(kp) not in (2, 3):
            raise InputError(f"{kp_label}: expected [x, y] or [x, y, conf]; got {kp!r}")
        x = _parse_float(kp[0], f"{kp_label}, x")
        y = _parse_float(kp[1], f"{kp_label}, y")
        c = _parse_float(kp[2], f"{kp_label}, conf") if len(kp) == 3 else 1.0
        if math.isfinite(c) and not 0.0 <= c <= 1.0:
            raise InputError(f"{kp_label}, conf: {c} is outside 0..1")
        xy[k] = (x, y)
        conf[k] = c if math.isfinite(c) else 0.0


def _json_world(w: Any, names: Any, label: str, world: np.ndarray) -> None:
    """Fill one frame's ``world`` rows from its ``world`` list of [x, y, z] points."""
    n_points = len(names)
    if not (isinstance(w, list) and len(w) == n_points):
        raise InputError(f"{label}: field \"world\" must list {n_points} [x, y, z] points")
    for k, pt in enumerate(w):
        if pt is None:
            continue
        if not (isinstance(pt, list) and len(pt) == 3):
            raise InputError(f"{label}, world point {k} ({names[k]}): expected [x, y, z]; got {pt!r}")
        world[k] = [_parse_float(v, f"{label}, world point {k} ({names[k]})") for v in pt]


# ---------------------------------------------------------------------------- writing
def _fmt(value: float, digits: int = 10) -> str:
    """A keypoint CSV cell: empty for a missing landmark, 10 significant digits (round-trips pixels)."""
    return "" if not math.isfinite(value) else format(float(value), f".{digits}g")


def keypoints_csv_text(series: PoseSeries, *, normalized: bool = False) -> str:
    """The CSV text :func:`write_keypoints` writes (wide format, one row per frame)."""
    w, h = series.image_size
    out = io.StringIO()
    out.write(
        f"# fps={_fmt(series.fps)} layout={series.layout} width={w} height={h} "
        f"normalized={'true' if normalized else 'false'}\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    header = ["frame", "time_s"]
    for n in series.names:
        header += [f"{n}_x", f"{n}_y", f"{n}_conf"]
    writer.writerow(header)
    xy = _scaled(series, normalized)
    for f in range(series.n_frames):
        row = [str(f), _fmt(f / series.fps)]
        for k in range(len(series.names)):
            row += [_fmt(xy[f, k, 0]), _fmt(xy[f, k, 1]), _fmt(series.confidence[f, k], 6)]
        writer.writerow(row)
    return out.getvalue()


def _scaled(series: PoseSeries, normalized: bool) -> np.ndarray:
    xy = series.xy.copy()
    if normalized:
        xy[..., 0] /= series.image_size[0]
        xy[..., 1] /= series.image_size[1]
    return xy


def _num(value: float, digits: int = 10) -> float | None:
    return None if not math.isfinite(value) else float(format(float(value), f".{digits}g"))


def keypoints_json_doc(series: PoseSeries, *, normalized: bool = False) -> dict[str, Any]:
    """The JSON document :func:`write_keypoints` writes."""
    xy = _scaled(series, normalized)
    frames = []
    for f in range(series.n_frames):
        kps: list[list[float | None] | None] = []
        for k in range(len(series.names)):
            x, y = xy[f, k]
            if not (math.isfinite(x) and math.isfinite(y)):
                kps.append(None)
            else:
                kps.append([_num(x), _num(y), _num(series.confidence[f, k], 6)])
        frame: dict[str, Any] = {"frame": f, "keypoints": kps}
        if series.world_m is not None:
            frame["world"] = [
                None if not np.isfinite(p).all() else [_num(v) for v in p] for p in series.world_m[f]
            ]
        frames.append(frame)
    return {
        "format": "liftsafe-keypoints/1",
        "source": series.source,
        "fps": float(series.fps),
        "layout": series.layout,
        "keypoint_names": list(series.names),
        "image_size": [int(series.image_size[0]), int(series.image_size[1])],
        "normalized": bool(normalized),
        "frames": frames,
    }


def write_keypoints(
    series: PoseSeries, path: str | os.PathLike[str], *, normalized: bool = False
) -> Path:
    """Write ``series`` to ``path`` (.csv or .json, by suffix) atomically; return the path.

    ``normalized=True`` writes coordinates divided by the image size (0-1). Raises
    :class:`OutputError` when the suffix is unsupported or the file cannot be written.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        text = keypoints_csv_text(series, normalized=normalized)
    elif suffix == ".json":
        text = json.dumps(keypoints_json_doc(series, normalized=normalized), separators=(",", ":")) + "\n"
    else:
        raise OutputError(f"keypoint output '{p}' must end in .csv or .json")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write '{p}': folder '{folder}' does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, p)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write '{p}': {exc.strerror or exc}") from None
    return p
