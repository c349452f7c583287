"""Import and export of workout logs: Strong CSV, Hevy CSV and liftsafe JSON.

Layouts (column names as the apps write them; one row per set):

* **Strong** (current): ``Date, Workout Name, Duration, Exercise Name, Set Order, Weight,
  Reps, Distance, Seconds, Notes, Workout Notes, RPE`` -- comma separated. The older layout
  (semicolon separated, with ``Weight Unit`` and ``Distance Unit`` columns) is read too.
  Weight and distance are in the units set in the app (``weight_unit``, ``distance_unit``),
  unless the row carries its own unit column.
* **Hevy**: ``title, start_time, end_time, description, exercise_title, superset_id,
  exercise_notes, set_index, set_type, weight_kg | weight_lbs, reps, distance_km |
  distance_miles, duration_seconds, rpe``.
* **liftsafe JSON**: ``{"format": "liftsafe-log", "version": 1, "sessions": [...]}`` with
  every field of :class:`~liftsafe.training.log.SessionRecord`, including the pain, soreness
  and form columns Strong and Hevy lack.

Reading is all-or-nothing: every row is validated first and the first problem raises an
:class:`~liftsafe.errors.InputError` naming the file, row (1 = header) and field. Exercise
names are matched to library ids by id, name or alias (``exercises.toml``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Iterable, Sequence

from liftsafe.errors import InputError
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import SessionRecord, SetRecord, parse_session, parse_set
from liftsafe.units import KG_PER_LB, M_PER_MILE

LB_TO_KG = KG_PER_LB  # exact, international avoirdupois pound (1959)
MILE_TO_M = M_PER_MILE  # exact, international mile
DISTANCE_TO_M = {"m": 1.0, "km": 1000.0, "mi": MILE_TO_M, "miles": MILE_TO_M}
WEIGHT_TO_KG = {"kg": 1.0, "kgs": 1.0, "lb": LB_TO_KG, "lbs": LB_TO_KG}

STRONG_COLUMNS = [
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
]
HEVY_COLUMNS = [
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
    "weight_kg",
    "reps",
    "distance_km",
    "duration_seconds",
    "rpe",
]
JSON_FORMAT = "liftsafe-log"
JSON_VERSION = 1


class Format(StrEnum):
    STRONG = "strong"
    HEVY = "hevy"
    JSON = "json"


@dataclass(frozen=True)
class ImportResult:
    sessions: tuple[SessionRecord, ...]
    skipped_exercises: tuple[str, ...]  # names not in the library (only with skip_unknown)
    skipped_sets: int


def detect_format(text: str, *, source: str) -> Format:
    """Tell a Strong CSV, a Hevy CSV and a liftsafe JSON log apart by their first line."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("{"):
        return Format.JSON
    header = stripped.splitlines()[0] if stripped else ""
    if "Exercise Name" in header and "Set Order" in header:
        return Format.STRONG
    if "exercise_title" in header and "start_time" in header:
        return Format.HEVY
    raise InputError(
        f"{source}: not a Strong or Hevy CSV export nor a liftsafe JSON log (row 1 has no known header)."
    )


def _rows(
    text: str, *, source: str, required: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{source}: the file is empty.") from None
    except csv.Error as exc:
        raise InputError(f"{source}, row 1: not valid CSV ({exc}).") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{source}, row 1: missing column(s) {', '.join(missing)}.")
    rows = []
    try:
        for values in reader:
            row_no = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InputError(
                    f"{source}, row {row_no}: {len(values)} values for {len(header)} columns; the file "
                    f"looks cut or corrupt."
                )
            rows.append((row_no, dict(zip(header, (v.strip() for v in values)))))
    except csv.Error as exc:
        raise InputError(f"{source}, row {reader.line_num}: not valid CSV ({exc}).") from None
    if not rows:
        raise InputError(f"{source}: no sets after the header row.")
    return header, rows


def _float(value: str, where: str, name: str) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise InputError(f"{where}, field '{name}': expected a number, got {value!r}.") from None


def _date(value: str, formats: Sequence[str], where: str, name: str) -> datetime:
    text = (value or "").replace("\u202f", " ").strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InputError(
            f"{where}, field '{name}': {value!r} is not a date the importer knows (e.g. 2026-01-31 18:30:00)."
        ) from None


STRONG_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p")
HEVY_DATE_FORMATS = ("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def _build_set(
    *, library: Library, where: str, name_field: str, name: str, skip_unknown: bool, fields: dict[str, Any],
    skipped: list[str],
) -> SetRecord | None:
    ex = library.by_alias(name)
    if ex is None:
        if skip_unknown:
            skipped.append(name)
            return None
        raise InputError(
            f"{where}, field '{name_field}': exercise {name!r} is not in the liftsafe library; "
            "add it as an alias in exercises.toml or import with --skip-unknown."
        )
    fields = {k: v for k, v in fields.items() if v is not None}
    # Apps write 0 in the dose columns a set does not use; keep the ones that were used.
    used = [k for k in ("reps", "hold_s", "distance_m") if fields.get(k)]
    for key in ("reps", "hold_s", "distance_m"):
        if fields.get(key) == 0 and used:
            fields.pop(key)
    if fields.get("rpe") == 0:
        fields.pop("rpe")
    return parse_set({"exercise": ex.id, **fields}, where=where, library=library)


def _group(
    items: list[tuple[tuple, dict[str, Any], SetRecord | None]], *, source: str
) -> list[SessionRecord]:
    """Sessions from (key, session fields, set) rows, in file order of first appearance."""
    order: dict[tuple, dict[str, Any]] = {}
    for key, meta, st in items:
        entry = order.setdefault(key, {"meta": meta, "sets": []})
        if st is not None:
            entry["sets"].append(st)
    out = []
    for entry in order.values():
        if not entry["sets"]:
            continue
        out.append(
            parse_session(
                entry["meta"], where=f"{source}, session {entry['meta']['performed_at']}", sets=entry["sets"]
            )
        )
    return out


def read_strong(text: str, *, source: str = "strong.csv", weight_unit: str = "kg", distance_unit: str = "km",
                skip_unknown: bool = False, library: Library | None = None) -> ImportResult:
    """Read a Strong CSV export (weights and distances in the app's units)."""
    library = library or load_library()
    _, rows = _rows(
        text, source=source, required=["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps"]
    )
    skipped: list[str] = []
    items = []
    for row_no, row in rows:
        where = f"{source}, row {row_no}"
        performed_at = _date(row["Date"], STRONG_DATE_FORMATS, where, "Date")
        w_unit = (row.get("Weight Unit") or weight_unit).strip().lower()
        d_unit = (row.get("Distance Unit") or distance_unit).strip().lower()
        if w_unit not in WEIGHT_TO_KG:
            raise InputError(f"{where}, field 'Weight Unit': must be kg or lbs; got {w_unit!r}.")
        if d_unit not in DISTANCE_TO_M:
            raise InputError(f"{where}, field 'Distance Unit': must be m, km or mi; got {d_unit!r}.")
        weight = _float(row["Weight"], where, "Weight")
        distance = _float(row.get("Distance", ""), where, "Distance")
        st = _build_set(
            library=library,
            where=where,
            name_field="Exercise Name",
            name=row["Exercise Name"],
            skip_unknown=skip_unknown,
            skipped=skipped,
            fields={
                "reps": _float(row["Reps"], where, "Reps"),
                "load_kg": None if weight is None else round(weight * WEIGHT_TO_KG[w_unit], 3),
                "distance_m": None if distance is None else round(distance * DISTANCE_TO_M[d_unit], 3),
                "hold_s": _float(row.get("Seconds", ""), where, "Seconds"),
                "rpe": _float(row.get("RPE", ""), where, "RPE"),
                "notes": row.get("Notes", ""),
            },
        )
        meta = {
            "performed_at": performed_at,
            "title": row["Workout Name"],
            "notes": row.get("Workout Notes", ""),
            "source": "strong",
        }
        items.append(((performed_at, row["Workout Name"]), meta, st))
    sessions = _group(items, source=source)
    return ImportResult(tuple(sessions), tuple(sorted(set(skipped))), len(skipped))


def read_hevy(
    text: str, *, source: str = "hevy.csv", skip_unknown: bool = False, library: Library | None = None
) -> ImportResult:
    """Read a Hevy CSV export."""
    library = library or load_library()
    header, rows = _rows(text, source=source, required=["title", "start_time", "exercise_title", "reps"])
    weight_col = "weight_kg" if "weight_kg" in header else "weight_lbs" if "weight_lbs" in header else None
    dist_col = (
        "distance_km" if "distance_km" in header else "distance_miles" if "distance_miles" in header else None
    )
    if weight_col is None:
        raise InputError(f"{source}, row 1: missing column weight_kg (or weight_lbs).")
    w_factor = 1.0 if weight_col == "weight_kg" else LB_TO_KG
    d_factor = 1000.0 if dist_col == "distance_km" else MILE_TO_M
    skipped: list[str] = []
    items = []
    for row_no, row in rows:
        where = f"{source}, row {row_no}"
        performed_at = _date(row["start_time"], HEVY_DATE_FORMATS, where, "start_time")
        weight = _float(row[weight_col], where, weight_col)
        distance = _float(row.get(dist_col, "") if dist_col else "", where, dist_col or "distance_km")
        notes = " ".join(
            x
            for x in (
                row.get("set_type", "") if row.get("set_type", "") not in ("", "normal") else "",
                row.get("exercise_notes", ""),
            )
            if x
        )
        st = _build_set(
            library=library,
            where=where,
            name_field="exercise_title",
            name=row["exercise_title"],
            skip_unknown=skip_unknown,
            skipped=skipped,
            fields={
                "reps": _float(row["reps"], where, "reps"),
                "load_kg": None if weight is None else round(weight * w_factor, 3),
                "distance_m": None if distance is None else round(distance * d_factor, 3),
                "hold_s": _float(row.get("duration_seconds", ""), where, "duration_seconds"),
                "rpe": _float(row.get("rpe", ""), where, "rpe"),
                "notes": notes,
            },
        )
        meta = {
            "performed_at": performed_at,
            "title": row["title"],
            "notes": row.get("description", ""),
            "source": "hevy",
        }
        items.append(((performed_at, row["title"]), meta, st))
    sessions = _group(items, source=source)
    return ImportResult(tuple(sessions), tuple(sorted(set(skipped))), len(skipped))


def read_json(text: str, *, source: str = "log.json", library: Library | None = None) -> ImportResult:
    """Read a liftsafe JSON log."""
    library = library or load_library()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != JSON_FORMAT
        or not isinstance(doc.get("sessions"), list)
    ):
        raise InputError(
            f'{source}: expected a liftsafe log '
            f'{{"format": "{JSON_FORMAT}", "version": 1, "sessions": [...]}}.'
        )
    if doc.get("version") != JSON_VERSION:
        raise InputError(
            f"{source}: log version {doc.get('version')!r} is not supported; this liftsafe reads version "
            f"{JSON_VERSION}."
        )
    sessions = []
    for i, raw in enumerate(doc["sessions"], start=1):
        if not isinstance(raw, dict):
            raise InputError(f"{source}, session {i}: expected an object.")
        raw = {k: v for k, v in raw.items() if k != "id"}
        sessions.append(parse_session(raw, where=f"{source}, session {i}", library=library))
    return ImportResult(tuple(sessions), (), 0)


def read_log(
    text: str,
    *,
    source: str,
    fmt: Format | str | None = None,
    weight_unit: str = "kg",
    distance_unit: str = "km",
    skip_unknown: bool = False,
    library: Library | None = None,
) -> ImportResult:
    """Read a whole export file; raises InputError (file, row, field) on the first bad row."""
    fmt = detect_format(text, source=source) if fmt in (None, "auto") else Format(fmt)
    if weight_unit not in ("kg", "lb", "lbs"):
        raise InputError(f"weight_unit must be kg or lb; got {weight_unit!r}.", field="weight_unit")
    if distance_unit not in ("m", "km", "mi"):
        raise InputError(f"distance_unit must be m, km or mi; got {distance_unit!r}.", field="distance_unit")
    if fmt is Format.STRONG:
        return read_strong(
            text,
            source=source,
            weight_unit=weight_unit,
            distance_unit=distance_unit,
            skip_unknown=skip_unknown,
            library=library,
        )
    if fmt is Format.HEVY:
        return read_hevy(text, source=source, skip_unknown=skip_unknown, library=library)
    return read_json(text, source=source, library=library)


# --- export -------------------------------------------------------------------------------


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if x != int(x) else str(int(x))


def _export_name(ex_id: str, library: Library) -> str:
    ex = library.get(ex_id)
    return ex.aliases[0] if ex.aliases else ex.name


def write_strong(sessions: Iterable[SessionRecord], *, library: Library | None = None) -> str:
    """The sessions as a Strong CSV export."""
    library = library or load_library()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(STRONG_COLUMNS)
    for s in sessions:
        for i, st in enumerate(s.sets, start=1):
            w.writerow(
                [
                    s.performed_at.strftime("%Y-%m-%d %H:%M:%S"),
                    s.title or "liftsafe session",
                    "",
                    _export_name(st.exercise_id, library),
                    i,
                    _num(st.load_kg),
                    _num(st.reps),
                    _num(None if st.distance_m is None else st.distance_m / 1000),
                    _num(st.hold_s),
                    st.notes,
                    s.notes,
                    _num(st.rpe),
                ]
            )
    return buf.getvalue()


def write_hevy(sessions: Iterable[SessionRecord], *, library: Library | None = None) -> str:
    """The sessions as a Hevy CSV export."""
    library = library or load_library()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEVY_COLUMNS)
    for s in sessions:
        start = s.performed_at.strftime("%d %b %Y, %H:%M")
        for i, st in enumerate(s.sets):
            w.writerow(
                [
                    s.title or "liftsafe session",
                    start,
                    start,
                    s.notes,
                    _export_name(st.exercise_id, library),
                    "",
                    st.notes,
                    i,
                    "normal",
                    _num(st.load_kg),
                    _num(st.reps),
                    _num(None if st.distance_m is None else st.distance_m / 1000),
                    _num(st.hold_s),
                    _num(st.rpe),
                ]
            )
    return buf.getvalue()


def write_json(sessions: Iterable[SessionRecord]) -> str:
    """The sessions as a liftsafe JSON log (all columns)."""
    return (
        json.dumps(
            {"format": JSON_FORMAT, "version": JSON_VERSION, "sessions": [s.to_dict() for s in sessions]},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def write_log(sessions: Sequence[SessionRecord], fmt: Format | str, *, library: Library | None = None) -> str:
    """The sessions in the given format: json, strong or hevy."""
    fmt = Format(fmt)
    if fmt is Format.STRONG:
        return write_strong(sessions, library=library)
    if fmt is Format.HEVY:
        return write_hevy(sessions, library=library)
    return write_json(sessions)

