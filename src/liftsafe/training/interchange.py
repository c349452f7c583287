"""Import and export of workout logs: Strong CSV, Hevy CSV and liftsafe JSON.

Layouts (one row per set; column names as the apps write them):

* **Strong**, every layout seen in real exports, recognised by its column names (case and
  quoting do not matter, comma or semicolon separated):
  classic iOS ``Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps,
  Distance, Seconds, Notes, Workout Notes, RPE`` (and its 10-column form without the notes
  columns); the Android/older ``;`` layout with ``Weight Unit`` / ``Distance Unit`` columns;
  the oldest one with units as column names (``kg``, ``lbs``, ``km``, ``mi``); the 2025
  layout ``"Workout #", "Date", "Workout Name", "Duration (sec)", "Exercise Name", "Set
  Order", "Weight (kg)", "Reps", "RPE", "Distance (meters)", "Seconds", "Notes", "Workout
  Notes"`` (units in the header names). ``Set Order`` ``W`` / ``D`` / ``F`` mark warm-up,
  drop and failure sets; ``Rest Timer`` and ``Note`` rows are not sets (notes are kept with
  the session). Units ``kg``, ``lbs``, ``m``, ``km``, ``mi``/``mi.``/``miles``, ``ft``, ``yd``.
* **Hevy**: ``title, start_time, end_time, description, exercise_title, superset_id,
  exercise_notes, set_index, set_type, weight_kg | weight_lbs, reps, distance_km |
  distance_miles, duration_seconds, rpe``, quoted or not.
* **liftsafe JSON** (``{"format": "liftsafe-log", "version": 2, ...}``): a full backup --
  equipment profile, plans, custom exercises and every session field, including pain,
  soreness and form.

Exercise names are matched to library ids by id, name or alias (``exercises.toml``), then by
the user's own mappings; any other name becomes a *custom exercise* (``custom:<slug>``): kept,
listed, charted and exported under its own name, without auto-regulation until mapped.

Reading is all-or-nothing: every row is validated first and the first problem raises an
:class:`~liftsafe.errors.InputError` naming the file, row (1 = header) and field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Iterable, Mapping, Sequence

from liftsafe.errors import InputError
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import (
    SET_TYPE_ALIASES,
    SessionRecord,
    SetRecord,
    SetType,
    custom_id,
    is_custom,
    parse_session,
    parse_set,
)
from liftsafe.units import KG_PER_LB, M_PER_FT, M_PER_MILE

LB_TO_KG = KG_PER_LB  # exact, international avoirdupois pound (1959)
MILE_TO_M = M_PER_MILE  # exact, international mile
DISTANCE_TO_M = {
    "m": 1.0,
    "meters": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "mi": MILE_TO_M,
    "mi.": MILE_TO_M,
    "miles": MILE_TO_M,
    "mile": MILE_TO_M,
    "ft": M_PER_FT,
    "feet": M_PER_FT,
    "yd": 3 * M_PER_FT,
    "yards": 3 * M_PER_FT,
}
WEIGHT_TO_KG = {"kg": 1.0, "kgs": 1.0, "lb": LB_TO_KG, "lbs": LB_TO_KG}

#: What Strong writes today (2025 layout, every field quoted).
STRONG_COLUMNS = [
    "Workout #",
    "Date",
    "Workout Name",
    "Duration (sec)",
    "Exercise Name",
    "Set Order",
    "Weight (kg)",
    "Reps",
    "RPE",
    "Distance (meters)",
    "Seconds",
    "Notes",
    "Workout Notes",
]
#: What Hevy writes today (header quoted; text fields quoted, numbers bare).
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
#: Title written for untitled sessions (both apps need one); read back as no title.
DEFAULT_TITLE = "liftsafe session"
JSON_FORMAT = "liftsafe-log"
JSON_VERSION = 2
HEVY_SET_TYPES = {
    SetType.NORMAL: "normal",
    SetType.WARMUP: "warmup",
    SetType.DROP: "dropset",
    SetType.FAILURE: "failure",
}
STRONG_SET_ORDER = {SetType.WARMUP: "W", SetType.DROP: "D", SetType.FAILURE: "F"}
STRONG_NON_SET_ROWS = ("rest timer", "note", "notes")


class Format(StrEnum):
    STRONG = "strong"
    HEVY = "hevy"
    JSON = "json"


@dataclass(frozen=True)
class ImportResult:
    sessions: tuple[SessionRecord, ...]
    custom_exercises: dict[str, str] = field(default_factory=dict)  # custom id -> name as written in the file
    set_rows: int = 0  # rows of the file that are sets
    other_rows: int = 0  # rest-timer and note rows (not sets)
    plans: tuple[dict[str, Any], ...] = ()  # JSON backups only
    mappings: dict[str, str] = field(default_factory=dict)  # JSON backups only: custom id -> library id
    session_ids: tuple[int | None, ...] = ()  # JSON backups only: each session's id in the backup
    equipment: dict[str, Any] | None = None  # JSON backups only: the equipment profile

    @property
    def imported_sets(self) -> int:
        """Sets in the imported sessions."""
        return sum(len(s.sets) for s in self.sessions)


def detect_format(text: str, *, source: str) -> Format:
    """Tell a Strong CSV, a Hevy CSV and a liftsafe JSON log apart by their first line."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("{"):
        return Format.JSON
    header = (stripped.splitlines()[0] if stripped else "").casefold()
    if "exercise name" in header and ("date" in header):
        return Format.STRONG
    if "exercise_title" in header and "start_time" in header:
        return Format.HEVY
    raise InputError(
        f"{source}: not a Strong or Hevy CSV export nor a liftsafe JSON log (row 1 has no known header)."
    )


def _rows(
    text: str, *, source: str, required: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (stripped, lower-case) and (row number, row) pairs; the delimiter is read from the header.
    A header without the ``required`` columns is an :class:`InputError` naming them."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().strip('"').strip().casefold() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{source}: the file is empty.") from None
    except csv.Error as exc:
        raise InputError(f"{source}, row 1: not valid CSV ({exc}).") from None
    rows = []
    try:
        for values in reader:
            row_no = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) == len(header) + 1 and not values[-1].strip():
                values = values[:-1]  # a trailing delimiter
            if len(values) != len(header):
                raise InputError(
                    f"{source}, row {row_no}: {len(values)} values for {len(header)} columns; the file "
                    "looks cut or corrupt."
                )
            rows.append((row_no, dict(zip(header, (v.strip() for v in values)))))
    except csv.Error as exc:
        raise InputError(f"{source}, row {reader.line_num}: not valid CSV ({exc}).") from None
    if not rows:
        raise InputError(f"{source}: no sets after the header row.")
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{source}, row 1: missing column(s) {', '.join(missing)}.")
    return header, rows


def _float(value: str | None, where: str, name: str) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise InputError(f"{where}, field '{name}': expected a number, got {value!r}.") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"{where}, field '{name}': expected a finite number, got {value!r}.")
    return number


def _date(value: str, formats: Sequence[str], where: str, name: str) -> datetime:
    text = (value or "").replace("\u202f", " ").strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    local = _local_date(text)
    if local is not None:
        return local
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InputError(
            f"{where}, field '{name}': {value!r} is not a date the importer knows (e.g. 2026-01-31 18:30:00)."
        ) from None


STRONG_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
HEVY_DATE_FORMATS = (
    "%d %b %Y, %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y, %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d %b %Y, %I:%M %p",
    "%b %d, %Y, %I:%M %p",
    "%b %d, %Y, %H:%M",
)
#: Month names of exports made in other app languages (German, Spanish, French, Portuguese,
#: Italian, Dutch), abbreviated or full, lower case without accents or dots.
_MONTHS = {
    1: ("jan", "januar", "ene", "enero", "janv", "janvier", "janeiro", "gen", "gennaio", "januari"),
    2: ("feb", "februar", "febrero", "fevr", "fevrier", "fev", "fevereiro", "febbraio", "februari"),
    3: ("mar", "marz", "maerz", "marzo", "mars", "marco", "mrt", "maart"),
    4: ("apr", "april", "abr", "abril", "avr", "avril", "aprile"),
    5: ("may", "mai", "mayo", "maio", "mag", "maggio", "mei"),
    6: ("jun", "juni", "junio", "juin", "junho", "giu", "giugno"),
    7: ("jul", "juli", "julio", "juil", "juillet", "julho", "lug", "luglio"),
    8: ("aug", "august", "ago", "agosto", "aout", "augustus"),
    9: ("sep", "sept", "september", "septiembre", "septembre", "set", "setembro", "settembre"),
    10: ("oct", "okt", "oktober", "octubre", "octobre", "out", "outubro", "ott", "ottobre"),
    11: ("nov", "november", "noviembre", "novembre", "novembro"),
    12: ("dec", "dez", "dezember", "dic", "diciembre", "decembre", "dezembro", "dicembre", "december"),
}
_MONTH_OF = {name: m for m, names in _MONTHS.items() for name in names}
_LOCAL_DATE_RE = re.compile(
    r"^(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?\s+(?:de\s+)?(\d{4}),?\s+(?:um\s+|a "
    r"las\s+|à\s+|às\s+)?(\d{1,2})[:h.](\d{2})$"
)


def _local_date(text: str) -> datetime | None:
    """``25 Juli 2026, 14:21``, ``3 de jul. de 2026, 10:00``, ``5 févr. 2026 18:30`` ..."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    m = _LOCAL_DATE_RE.match(plain.strip())
    if not m:
        return None
    month = _MONTH_OF.get(m.group(2))
    if month is None:
        return None
    try:
        return datetime(int(m.group(3)), month, int(m.group(1)), int(m.group(4)), int(m.group(5)))
    except ValueError:
        return None


_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")


def _duration_s(value: str | None, where: str, name: str, *, seconds: bool) -> int | None:
    """Strong's workout duration: ``1h 5m``, ``38min``, ``45m``, ``30s`` or plain seconds."""
    text = (value or "").strip().casefold()
    if not text:
        return None
    if seconds or re.fullmatch(r"\d+(\.\d+)?", text):
        number = _float(text, where, name)
        return None if number is None else max(0, int(round(number)))
    m = _DURATION_RE.match(text)
    if not m or not any(m.groups()):
        raise InputError(f"{where}, field '{name}': {value!r} is not a duration (e.g. 1h 5m, 45m or 3600).")
    h, mi, sec = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + sec


class _Names:
    """Exercise name -> library id, the user's mapping, or a new custom exercise."""

    def __init__(self, library: Library, mappings: Mapping[str, str] | None):
        self.library = library
        self.mappings = dict(mappings or {})
        self.custom: dict[str, str] = {}

    def resolve(self, name: str, where: str, field_name: str) -> str:
        name = name.replace("\x00", "").strip()
        if not name:
            raise InputError(f"{where}, field '{field_name}': the exercise name is empty.")
        ex = self.library.by_alias(name)
        if ex is not None:
            return ex.id
        cid = custom_id(name)
        if cid in self.mappings:
            return self.mappings[cid]
        self.custom.setdefault(cid, name[:200])
        return cid


def _build_set(*, library: Library, where: str, exercise_id: str, fields: dict[str, Any]) -> SetRecord:
    fields = {k: v for k, v in fields.items() if v is not None}
    if (
        fields.get("load_kg") is not None and fields["load_kg"] < 0
    ):  # assisted exercises: negative load = assistance
        assist = fields.pop("load_kg")
        fields["notes"] = " ".join(x for x in (fields.get("notes", ""), f"assistance {-assist:g} kg") if x)
    # Apps write 0 in the dose columns a set does not use; keep the ones that were used.
    used = [k for k in ("reps", "hold_s", "distance_m") if fields.get(k)]
    for key in ("reps", "hold_s", "distance_m"):
        if fields.get(key) == 0 and used:
            fields.pop(key)
    if not any(k in fields for k in ("reps", "hold_s", "distance_m")):
        fields["reps"] = 0  # an empty set row: the app shows it as 0 reps
    if fields.get("rpe") == 0:
        fields.pop("rpe")
    return parse_set({"exercise": exercise_id, **fields}, where=where, library=library)


def _group(
    items: Sequence[tuple[tuple, int, dict[str, Any], SetRecord | None]], *, source: str, now: datetime | None
) -> list[SessionRecord]:
    """Sessions from (key, row number, session fields, set) rows, in file order of first appearance."""
    order: dict[tuple, dict[str, Any]] = {}
    for key, row_no, meta, st in items:
        entry = order.setdefault(key, {"meta": dict(meta), "sets": [], "row": row_no, "notes": []})
        if st is not None:
            entry["sets"].append(st)
        elif meta.get("_note"):
            entry["notes"].append(meta["_note"])
    out = []
    for entry in order.values():
        if not entry["sets"]:
            continue
        meta = {k: v for k, v in entry["meta"].items() if not k.startswith("_")}
        if entry["notes"]:
            meta["notes"] = "\n".join(x for x in [meta.get("notes", ""), *entry["notes"]] if x)
        out.append(parse_session(meta, where=f"{source}, row {entry['row']}", sets=entry["sets"], now=now))
    return out


def _strong_columns(header: Sequence[str], default_weight: str, default_distance: str) -> dict[str, Any]:
    """Which column holds what, and the unit a column name implies (``Weight (kg)``, ``lbs``, ``km``)."""
    cols: dict[str, Any] = {}
    for h in header:
        m = re.fullmatch(r"(weight|distance)\s*\(([^)]*)\)", h)
        if m:
            cols[m.group(1)] = h
            cols[f"{m.group(1)}_header_unit"] = m.group(2).strip()
        elif h in ("weight", "distance"):
            cols[h] = h
        elif h in WEIGHT_TO_KG:
            cols["weight"], cols["weight_header_unit"] = h, h
        elif h in DISTANCE_TO_M:
            cols["distance"], cols["distance_header_unit"] = h, h
        elif h in ("duration", "duration (sec)", "duration (seconds)"):
            cols["duration"], cols["duration_seconds"] = h, h != "duration"
        elif h in ("seconds", "time", "time (sec)"):
            cols["seconds"] = h
    cols.setdefault("weight_header_unit", None)
    cols.setdefault("distance_header_unit", None)
    cols["default_weight"], cols["default_distance"] = default_weight, default_distance
    return cols


def _unit(value: str | None, table: Mapping[str, float], where: str, name: str, kinds: str) -> float:
    text = (value or "").strip().casefold()
    if text not in table:
        raise InputError(f"{where}, field '{name}': unknown unit {value!r}; known: {kinds}.")
    return table[text]


def read_strong(
    text: str,
    *,
    source: str = "strong.csv",
    weight_unit: str = "kg",
    distance_unit: str = "km",
    mappings: Mapping[str, str] | None = None,
    library: Library | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Read a Strong CSV export of any layout (see the module docstring)."""
    library = library or load_library()
    header, rows = _rows(text, source=source, required=("date", "workout name", "exercise name"))
    cols = _strong_columns(header, weight_unit, distance_unit)
    names = _Names(library, mappings)
    items: list[tuple[tuple, int, dict[str, Any], SetRecord | None]] = []
    set_rows = other_rows = 0
    for row_no, row in rows:
        where = f"{source}, row {row_no}"
        performed_at = _date(row["date"], STRONG_DATE_FORMATS, where, "Date")
        title = row["workout name"]
        meta: dict[str, Any] = {
            "performed_at": performed_at,
            "title": title,
            "notes": row.get("workout notes", ""),
            "source": "strong",
        }
        if "duration" in cols:
            meta["duration_s"] = _duration_s(
                row.get(cols["duration"]), where, "Duration", seconds=cols["duration_seconds"]
            )
        key = (row.get("workout #") or "", performed_at, title)
        order = (row.get("set order") or "").strip()
        if order.casefold() in STRONG_NON_SET_ROWS:
            other_rows += 1
            note = row.get("notes", "")
            if order.casefold() != "rest timer" and note:
                meta["_note"] = f"{row['exercise name']}: {note}" if row.get("exercise name") else note
            items.append((key, row_no, meta, None))
            continue
        set_rows += 1
        set_type: SetType | None = SetType.NORMAL
        if order and not re.fullmatch(r"\d+(\.0)?", order):
            set_type = SET_TYPE_ALIASES.get(order.casefold())
            if set_type is None:
                raise InputError(
                    f"{where}, field 'Set Order': {order!r} is not a set number nor W, D, F (warm-up, drop, "
                    "failure)."
                )
        weight = _float(row.get(cols["weight"]) if "weight" in cols else None, where, "Weight")
        distance = _float(row.get(cols["distance"]) if "distance" in cols else None, where, "Distance")
        w_factor = d_factor = 1.0
        if weight:
            w_unit = row.get("weight unit") or cols["weight_header_unit"] or cols["default_weight"]
            w_factor = _unit(w_unit, WEIGHT_TO_KG, where, "Weight Unit", "kg, lbs")
        if distance:
            d_unit = row.get("distance unit") or cols["distance_header_unit"] or cols["default_distance"]
            d_factor = _unit(d_unit, DISTANCE_TO_M, where, "Distance Unit", "m, km, mi, ft, yd")
        ex_id = names.resolve(row.get("exercise name", ""), where, "Exercise Name")
        st = _build_set(
            library=library,
            where=where,
            exercise_id=ex_id,
            fields={
                "reps": _float(row.get("reps"), where, "Reps"),
                "load_kg": None if weight is None else round(weight * w_factor, 3),
                "distance_m": None if distance is None else round(distance * d_factor, 3),
                "hold_s": _float(row.get(cols["seconds"]) if "seconds" in cols else None, where, "Seconds"),
                "rpe": _float(row.get("rpe"), where, "RPE"),
                "notes": row.get("notes", ""),
                "set_type": (set_type or SetType.NORMAL).value,
            },
        )
        items.append((key, row_no, meta, st))
    sessions = _group(items, source=source, now=now)
    return ImportResult(tuple(sessions), names.custom, set_rows, other_rows)


def read_hevy(
    text: str,
    *,
    source: str = "hevy.csv",
    mappings: Mapping[str, str] | None = None,
    library: Library | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Read a Hevy CSV export."""
    library = library or load_library()
    header, rows = _rows(text, source=source, required=("title", "start_time", "exercise_title"))
    weight_col = "weight_kg" if "weight_kg" in header else "weight_lbs" if "weight_lbs" in header else None
    dist_col = (
        "distance_km" if "distance_km" in header else "distance_miles" if "distance_miles" in header else None
    )
    w_factor = LB_TO_KG if weight_col == "weight_lbs" else 1.0
    d_factor = MILE_TO_M if dist_col == "distance_miles" else 1000.0
    names = _Names(library, mappings)
    items: list[tuple[tuple, int, dict[str, Any], SetRecord | None]] = []
    for row_no, row in rows:
        where = f"{source}, row {row_no}"
        performed_at = _date(row["start_time"], HEVY_DATE_FORMATS, where, "start_time")
        meta: dict[str, Any] = {
            "performed_at": performed_at,
            "title": row["title"],
            "notes": row.get("description", ""),
            "source": "hevy",
        }
        if row.get("end_time"):
            end = _date(row["end_time"], HEVY_DATE_FORMATS, where, "end_time")
            if end >= performed_at:
                meta["duration_s"] = int((end - performed_at).total_seconds())
        raw_type = row.get("set_type", "")
        set_type = SET_TYPE_ALIASES.get(raw_type.casefold().replace(" ", ""))
        if set_type is None:
            raise InputError(
                f"{where}, field 'set_type': {raw_type!r} is not a Hevy set type (normal, warmup, dropset, "
                "failure)."
            )
        weight = _float(row.get(weight_col) if weight_col else None, where, weight_col or "weight_kg")
        w_row_factor = w_factor
        if (
            weight is None and weight_col == "weight_kg" and "weight_lbs" in header
        ):  # both columns, this row in pounds
            weight, w_row_factor = _float(row.get("weight_lbs"), where, "weight_lbs"), LB_TO_KG
        distance = _float(row.get(dist_col) if dist_col else None, where, dist_col or "distance_km")
        d_row_factor = d_factor
        if distance is None and dist_col == "distance_km" and "distance_miles" in header:
            distance, d_row_factor = _float(row.get("distance_miles"), where, "distance_miles"), MILE_TO_M
        superset = _float(row.get("superset_id"), where, "superset_id")
        if superset is not None and (superset < 0 or superset != int(superset)):
            raise InputError(
                f"{where}, field 'superset_id': expected a whole number, got {row.get('superset_id')!r}."
            )
        ex_id = names.resolve(row.get("exercise_title", ""), where, "exercise_title")
        st = _build_set(
            library=library,
            where=where,
            exercise_id=ex_id,
            fields={
                "reps": _float(row.get("reps"), where, "reps"),
                "load_kg": None if weight is None else round(weight * w_row_factor, 3),
                "distance_m": None if distance is None else round(distance * d_row_factor, 3),
                "hold_s": _float(row.get("duration_seconds"), where, "duration_seconds"),
                "rpe": _float(row.get("rpe"), where, "rpe"),
                "notes": row.get("exercise_notes", ""),
                "set_type": set_type.value,
                "superset": None if superset is None else int(superset),
            },
        )
        items.append(((performed_at, row["title"]), row_no, meta, st))
    sessions = _group(items, source=source, now=now)
    return ImportResult(tuple(sessions), names.custom, len(rows), 0)


def _plan_shape_ok(plan: dict[str, Any]) -> bool:
    """The plan JSON's shape: weeks -> sessions -> blocks -> exercises with their keys."""

    def items(obj: Any, key: str) -> list[Any] | None:
        value = obj.get(key) if isinstance(obj, dict) else None
        return value if isinstance(value, list) else None

    weeks = items(plan, "weeks")
    if weeks is None:
        return False
    for week in weeks:
        if (
            not isinstance(week, dict)
            or not isinstance(week.get("index"), int)
            or not isinstance(week.get("phase"), str)
        ):
            return False
        for session in items(week, "sessions") or [None]:
            for block in items(session, "blocks") or [None]:
                exercises = items(block, "exercises")
                if exercises is None or not isinstance(block.get("kind"), str):
                    return False
                for ex in exercises:
                    if not (
                        isinstance(ex, dict)
                        and isinstance(ex.get("id"), str)
                        and isinstance(ex.get("sets"), int)
                        and isinstance(ex.get("load"), str)
                        and isinstance(ex.get("cues"), list)
                    ):
                        return False
    return True


def _plan_in(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object.")
    for key in ("id", "name", "level", "weeks", "sessions_per_week", "plan"):
        if key not in raw:
            raise InputError(f"{where}, field '{key}': missing.")
    if not isinstance(raw["id"], int) or isinstance(raw["id"], bool) or raw["id"] < 1:
        raise InputError(f"{where}, field 'id': expected a positive whole number.")
    if raw["level"] not in ("beginner", "intermediate", "advanced"):
        raise InputError(f"{where}, field 'level': must be beginner, intermediate or advanced.")
    if isinstance(raw["weeks"], bool) or not isinstance(raw["weeks"], int) or not 1 <= raw["weeks"] <= 52:
        raise InputError(f"{where}, field 'weeks': expected 1-52.")
    if raw["sessions_per_week"] not in (2, 3):
        raise InputError(f"{where}, field 'sessions_per_week': expected 2 or 3.")
    if not isinstance(raw["plan"], dict) or not _plan_shape_ok(raw["plan"]):
        raise InputError(f"{where}, field 'plan': expected a plan object with its weeks (plan JSON).")
    equipment = raw.get("equipment")
    if equipment is not None and (
        not isinstance(equipment, list) or not all(isinstance(e, str) for e in equipment)
    ):
        raise InputError(f"{where}, field 'equipment': expected a list of names or null.")
    created = raw.get("created_at")
    created_at = None
    if created is not None:
        try:
            created_at = datetime.fromisoformat(str(created)).replace(tzinfo=None)
        except ValueError:
            raise InputError(f"{where}, field 'created_at': {created!r} is not a date.") from None
    return {
        "id": raw["id"],
        "name": str(raw["name"]).replace("\x00", "")[:200],
        "level": raw["level"],
        "weeks": raw["weeks"],
        "sessions_per_week": raw["sessions_per_week"],
        "equipment": equipment,
        "plan": raw["plan"],
        "created_at": created_at,
    }


def _custom_in(items: Any, source: str, library: Library) -> tuple[dict[str, str], dict[str, str]]:
    """The backup's custom exercises (id -> name) and their mappings (id -> library id)."""
    if not isinstance(items, list):
        raise InputError(f"{source}, field 'custom_exercises': expected a list.")
    custom: dict[str, str] = {}
    mappings: dict[str, str] = {}
    for i, raw in enumerate(items, start=1):
        where = f"{source}, custom exercise {i}"
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("id"), str)
            or not isinstance(raw.get("name"), str)
        ):
            raise InputError(f'{where}: expected {{"id": "custom:...", "name": "...", "mapped_to": null}}.')
        if not is_custom(raw["id"]):
            raise InputError(f"{where}, field 'id': custom exercise ids start with custom:.")
        custom[raw["id"]] = raw["name"].replace("\x00", "")[:200]
        if raw.get("mapped_to") is not None:
            mappings[raw["id"]] = library.get(str(raw["mapped_to"]), where=f"{where}, field 'mapped_to'").id
    return custom, mappings


def read_json(
    text: str, *, source: str = "log.json", library: Library | None = None, now: datetime | None = None
) -> ImportResult:
    """A liftsafe JSON log or backup (version 1: sessions only; version 2: plans, custom
    exercises and sessions)."""
    library = library or load_library()
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InputError(f"{source}: not valid JSON{where}.") from None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != JSON_FORMAT
        or not isinstance(doc.get("sessions"), list)
    ):
        raise InputError(
            f'{source}: expected a liftsafe log {{"format": "{JSON_FORMAT}", '
            f'"version": {JSON_VERSION}, "sessions": [...]}}.'
        )
    if doc.get("version") not in (1, JSON_VERSION):
        raise InputError(
            f"{source}: log version {doc.get('version')!r} is not supported; this liftsafe reads versions 1 "
            f"and {JSON_VERSION}."
        )
    raw_plans = doc.get("plans") or []
    if not isinstance(raw_plans, list):
        raise InputError(f"{source}, field 'plans': expected a list of plans.")
    plans = tuple(_plan_in(raw, f"{source}, plan {i}") for i, raw in enumerate(raw_plans, start=1))
    plan_ids = {p["id"] for p in plans}
    if len(plan_ids) != len(plans):
        raise InputError(f"{source}, field 'plans': two plans share an id.")
    custom, mappings = _custom_in(doc.get("custom_exercises") or [], source, library)
    sessions = []
    ids: list[int | None] = []
    for i, raw in enumerate(doc["sessions"], start=1):
        if not isinstance(raw, dict):
            raise InputError(f"{source}, session {i}: expected an object.")
        sid = raw.get("id")
        ids.append(sid if isinstance(sid, int) and not isinstance(sid, bool) and 0 < sid < 2**31 else None)
        raw = {k: v for k, v in raw.items() if k != "id"}
        rec = parse_session(raw, where=f"{source}, session {i}", library=library, now=now)
        if rec.plan_id is not None and plans and rec.plan_id not in plan_ids:
            raise InputError(
                f"{source}, session {i}, field 'plan_id': plan {rec.plan_id} is not in the file."
            )
        for st in rec.sets:
            if is_custom(st.exercise_id):
                custom.setdefault(st.exercise_id, st.exercise_id.removeprefix("custom:").replace("-", " "))
        sessions.append(rec)
    equipment = None
    if doc.get("equipment") is not None:
        from liftsafe.training.equipment import EquipmentProfile

        equipment = EquipmentProfile.from_dict(
            doc["equipment"], where=f"{source}, field 'equipment'"
        ).to_dict()
    if len({x for x in ids if x is not None}) != len(ids):
        ids = [None] * len(ids)  # missing or repeated ids: let the database number the sessions
    return ImportResult(
        tuple(sessions), custom, sum(len(s.sets) for s in sessions), 0, plans, mappings, tuple(ids), equipment
    )


def read_log(
    text: str,
    *,
    source: str,
    fmt: Format | str | None = None,
    weight_unit: str = "kg",
    distance_unit: str = "km",
    mappings: Mapping[str, str] | None = None,
    library: Library | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Read a whole export file; raises InputError (file, row, field) on the first bad row.

    ``mappings`` (custom id -> library id) are the user's own name mappings; ``now`` is the
    clock against which future dates are refused."""
    fmt = detect_format(text, source=source) if fmt in (None, "auto") else Format(fmt)
    if weight_unit not in ("kg", "lb", "lbs"):
        raise InputError(f"weight_unit must be kg or lb; got {weight_unit!r}.", field="weight_unit")
    if distance_unit not in ("m", "km", "mi"):
        raise InputError(f"distance_unit must be m, km or mi; got {distance_unit!r}.", field="distance_unit")
    try:
        if fmt is Format.STRONG:
            return read_strong(
                text,
                source=source,
                weight_unit=weight_unit,
                distance_unit=distance_unit,
                mappings=mappings,
                library=library,
                now=now,
            )
        if fmt is Format.HEVY:
            return read_hevy(text, source=source, mappings=mappings, library=library, now=now)
    except RecursionError:  # pragma: no cover - defensive
        raise InputError(f"{source}: the file is too deeply nested to read.") from None
    return read_json(text, source=source, library=library, now=now)


# --- export -------------------------------------------------------------------------------


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if x != int(x) else str(int(x))


def _export_name(ex_id: str, library: Library, names: Mapping[str, str]) -> str:
    if is_custom(ex_id):
        return names.get(ex_id) or ex_id.removeprefix("custom:").replace("-", " ")
    ex = library.get(ex_id)
    return ex.aliases[0] if ex.aliases else ex.name


def _by_exercise(s: SessionRecord) -> list[tuple[str, list[SetRecord]]]:
    """The session's sets grouped by exercise in order of first appearance (how both apps list them)."""
    groups: dict[str, list[SetRecord]] = {}
    for st in s.sets:
        groups.setdefault(st.exercise_id, []).append(st)
    return list(groups.items())


def write_strong(
    sessions: Iterable[SessionRecord],
    *,
    library: Library | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Strong's current CSV layout (every field quoted, set order restarting per exercise,
    ``W`` / ``D`` / ``F`` for warm-up, drop and failure sets)."""
    library, names = library or load_library(), names or {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(STRONG_COLUMNS)
    for n, s in enumerate(sessions, start=1):
        for ex_id, sets in _by_exercise(s):
            k = 0
            for st in sets:
                if st.set_type in STRONG_SET_ORDER:
                    order = STRONG_SET_ORDER[st.set_type]
                else:
                    k += 1
                    order = str(k)
                w.writerow(
                    [
                        n,
                        s.performed_at.strftime("%Y-%m-%d %H:%M:%S"),
                        s.title or DEFAULT_TITLE,
                        _num(s.duration_s),
                        _export_name(ex_id, library, names),
                        order,
                        _num(st.load_kg),
                        _num(st.reps),
                        _num(st.rpe),
                        _num(st.distance_m),
                        _num(st.hold_s),
                        st.notes,
                        s.notes,
                    ]
                )
    return buf.getvalue()


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_hevy(
    sessions: Iterable[SessionRecord],
    *,
    library: Library | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Hevy's CSV layout as the app writes it: quoted header, text fields quoted (empty ones
    as ``""``), numbers bare, ``set_index`` restarting at 0 per exercise."""
    library, names = library or load_library(), names or {}
    lines = [",".join(_q(c) for c in HEVY_COLUMNS)]
    for s in sessions:
        start = s.performed_at.strftime("%-d %b %Y, %H:%M")
        end = (s.performed_at + timedelta(seconds=s.duration_s or 0)).strftime("%-d %b %Y, %H:%M")
        for ex_id, sets in _by_exercise(s):
            ex_notes = "; ".join(dict.fromkeys(st.notes for st in sets if st.notes))
            for i, st in enumerate(sets):
                lines.append(
                    ",".join(
                        [
                            _q(s.title or DEFAULT_TITLE),
                            _q(start),
                            _q(end),
                            _q(s.notes),
                            _q(_export_name(ex_id, library, names)),
                            "" if st.superset is None else str(st.superset),
                            _q(ex_notes),
                            str(i),
                            _q(HEVY_SET_TYPES[st.set_type]),
                            _num(st.load_kg),
                            _num(st.reps),
                            _num(None if st.distance_m is None else st.distance_m / 1000),
                            _num(st.hold_s),
                            _num(st.rpe),
                        ]
                    )
                )
    return "\n".join(lines) + "\n"


def write_json(
    sessions: Iterable[SessionRecord],
    *,
    plans: Sequence[Mapping[str, Any]] = (),
    custom_exercises: Sequence[Mapping[str, Any]] = (),
    equipment: Mapping[str, Any] | None = None,
) -> str:
    """The full liftsafe backup: equipment profile, plans, custom exercises and every session field."""
    doc = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "equipment": None if equipment is None else dict(equipment),
        "plans": list(plans),
        "custom_exercises": list(custom_exercises),
        "sessions": [s.to_dict() for s in sessions],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_log(
    sessions: Sequence[SessionRecord],
    fmt: Format | str,
    *,
    library: Library | None = None,
    names: Mapping[str, str] | None = None,
    plans: Sequence[Mapping[str, Any]] = (),
    custom_exercises: Sequence[Mapping[str, Any]] = (),
    equipment: Mapping[str, Any] | None = None,
) -> str:
    """The sessions as text in ``fmt`` (Strong CSV, Hevy CSV or the JSON backup)."""
    fmt = Format(fmt)
    if fmt is Format.STRONG:
        return write_strong(sessions, library=library, names=names)
    if fmt is Format.HEVY:
        return write_hevy(sessions, library=library, names=names)
    return write_json(sessions, plans=plans, custom_exercises=custom_exercises, equipment=equipment)
