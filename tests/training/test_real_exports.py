"""Real Strong and Hevy exports (tests/data/exports, sources in its README) import with no
flag and keep every set row; no input makes the parsers fail other than with InputError."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.interchange import read_log, write_log
from liftsafe.training.log import SetType

DATA = Path(__file__).resolve().parents[1] / "data" / "exports"
FILES = sorted(DATA.glob("*.csv"))


def _data_rows(text: str) -> int:
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return sum(
        1
        for row in list(csv.reader(io.StringIO(text), delimiter=delimiter))[1:]
        if any(v.strip() for v in row)
    )


def test_there_are_real_files_of_both_apps():
    names = [f.name for f in FILES]
    assert sum(n.startswith("strong") for n in names) >= 3 and sum(n.startswith("hevy") for n in names) >= 2


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_real_export_imports_every_set_with_no_flag(path):
    text = path.read_text(encoding="utf-8-sig")
    res = read_log(text, source=path.name)
    rows = _data_rows(text)
    assert res.set_rows + res.other_rows == rows
    assert res.imported_sets == res.set_rows, "every set row is kept"
    assert res.imported_sets / rows >= 0.95
    # the custom exercises are named as in the file and round-trip through both export layouts
    for fmt in ("strong", "hevy"):
        back = read_log(write_log(res.sessions, fmt, names=res.custom_exercises), source=f"back.{fmt}")
        assert back.imported_sets == res.imported_sets
        assert sorted(back.custom_exercises.values()) == sorted(res.custom_exercises.values())


def test_real_files_keep_set_types_supersets_and_library_matches():
    hevy = read_log((DATA / "hevy_kg_feliperuizm.csv").read_text(), source="h")
    assert sum(st.set_type is SetType.WARMUP for s in hevy.sessions for st in s.sets) == 2
    sup = read_log((DATA / "hevy_supersets_stvrvdimitris.csv").read_text(), source="h")
    ids = [st.exercise_id for s in sup.sessions for st in s.sets]
    assert "barbell-romanian-deadlift" in ids and "conventional-deadlift" in ids
    assert {st.superset for s in sup.sessions for st in s.sets} == {None, 0, 1, 2}
    lbs = read_log((DATA / "strong_android_semicolon_dstanek.csv").read_text(), source="s")
    assert lbs.sessions[0].sets[0].load_kg == pytest.approx(90 * 0.45359237, abs=1e-3)
    plank = read_log((DATA / "strong_unit_columns_mlahoz.csv").read_text(), source="s")
    assert [st.hold_s for st in plank.sessions[-1].sets][-3:] == [60, 60, 60]


STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout "
    "Notes,RPE\n"
)
HEVY_HEADER = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index",'
    '"set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
)
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e309",
            "nan",
            "W",
            "Rest Timer",
            "lbs",
            "mi.",
            "2026-01-01 10:00:00",
            "1 Jan 2026, 10:00",
            "Deadlift (Barbell)",
            '"',
            ";",
            "\n",
        ]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from([STRONG_HEADER, HEVY_HEADER, STRONG_HEADER.replace(",", ";")]),
    rows=st.lists(st.lists(cell, min_size=0, max_size=15), max_size=6),
    sep=st.sampled_from([",", ";"]),
)
def test_fuzz_parsers_raise_only_input_error(header, rows, sep):
    text = header + "\n".join(sep.join(r) for r in rows)
    try:
        read_log(text, source="fuzz.csv")
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_fuzz_any_text_raises_only_input_error(text):
    for fmt in ("auto", "strong", "hevy", "json"):
        try:
            read_log(text, source="fuzz", fmt=fmt)
        except InputError:
            pass


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5000)
    | st.floats(allow_nan=True)
    | st.text(max_size=8)
    | st.sampled_from(["plank", "custom:x", "2026-01-01", "kg", "normal", "sharp"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "exercise",
                    "reps",
                    "hold_s",
                    "load_kg",
                    "performed_at",
                    "sets",
                    "side",
                    "pain",
                    "pain_type",
                    "set_type",
                    "id",
                    "plan_id",
                    "name",
                    "level",
                    "weeks",
                    "plan",
                    "unit",
                    "plates_kg",
                    "mapped_to",
                    "analysis",
                    "verdict",
                    "superset",
                    "soreness",
                    "duration_s",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=json_values, plans=json_values, equipment=json_values, custom=json_values)
def test_fuzz_json_backup_raises_only_input_error(sessions, plans, equipment, custom):
    import json

    doc = {
        "format": "liftsafe-log",
        "version": 2,
        "sessions": sessions if isinstance(sessions, list) else [sessions],
        "plans": plans,
        "equipment": equipment,
        "custom_exercises": custom,
    }
    try:
        read_log(json.dumps(doc), source="fuzz.json")
    except InputError:
        pass
