"""Strong / Hevy CSV and liftsafe JSON: reading, writing, round trips, corrupt files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.interchange import LB_TO_KG, Format, detect_format, read_log, write_log
from liftsafe.training.log import FormQuality, PainType, SessionRecord, SetRecord

STRONG = """Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
2026-01-05 18:30:00,"Back day",45m,"Deadlift (Barbell)",1,60,5,0,0,"","felt ok",
2026-01-05 18:30:00,"Back day",45m,"Deadlift (Barbell)",2,60,5,0,0,"","felt ok",7.5
2026-01-05 18:30:00,"Back day",45m,"Plank",1,0,0,0,45,"","felt ok",
2026-01-07 07:00:00,"Carry",20m,"Farmers Walk",1,24,0,0.04,0,"","",
"""  # noqa: E501

STRONG_OLD = """Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes
2019-01-11 12:31:54;"Leg";"Deadlift (Barbell)";1;100;lbs;5;;;;0;"";""
2019-01-11 12:31:54;"Leg";"Romanian Deadlift (Dumbbell)";1;20;kg;8;;;;0;;
"""  # noqa: E501

HEVY = """"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"
"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Romanian Deadlift (Barbell)",,"",0,"warmup",40,10,,,
"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Romanian Deadlift (Barbell)",,"",1,"normal",60,8,,,8
"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Plank",,"",2,"normal",,,,60,
"""  # noqa: E501


def test_read_strong():
    res = read_log(STRONG, source="s.csv")
    assert [len(s.sets) for s in res.sessions] == [3, 1]
    a, b = res.sessions
    assert (
        a.title == "Back day"
        and a.performed_at == datetime(2026, 1, 5, 18, 30)
        and a.notes == "felt ok"
        and a.source == "strong"
    )
    assert [(x.exercise_id, x.reps, x.load_kg, x.rpe) for x in a.sets[:2]] == [
        ("conventional-deadlift", 5, 60, None),
        ("conventional-deadlift", 5, 60, 7.5),
    ]
    assert (a.sets[2].exercise_id, a.sets[2].hold_s, a.sets[2].reps) == ("plank", 45, None)
    assert (b.sets[0].exercise_id, b.sets[0].distance_m) == ("farmer-carry", 40)


def test_read_strong_old_layout_and_units():
    res = read_log(STRONG_OLD, source="old.csv")
    (s,) = res.sessions
    assert s.sets[0].load_kg == pytest.approx(100 * LB_TO_KG, abs=1e-3)
    assert s.sets[1].load_kg == 20 and s.sets[1].exercise_id == "romanian-deadlift"
    lb = read_log(STRONG, source="s.csv", weight_unit="lb")
    assert lb.sessions[0].sets[0].load_kg == pytest.approx(60 * LB_TO_KG, abs=1e-3)


def test_read_hevy():
    (s,) = read_log(HEVY, source="h.csv").sessions
    assert s.performed_at == datetime(2025, 7, 26, 7, 6) and s.source == "hevy"
    assert [(x.exercise_id, x.reps, x.load_kg, x.hold_s) for x in s.sets] == [
        ("romanian-deadlift", 10, 40, None), ("romanian-deadlift", 8, 60, None), ("plank", None, None, 60)]
    assert s.sets[0].notes == "warmup" and s.sets[1].rpe == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            STRONG.replace(',60,5,0,0,"","felt ok",7.5', ',-60,5,0,0,"","felt ok",7.5'),
            r"s.csv, row 3, field 'load_kg': -60 kg is impossible",
        ),
        (
            STRONG.replace('"Plank",1,0,0,0,45', '"Plank",1,0,0,0,abc'),
            r"s.csv, row 4, field 'Seconds': expected a number, got 'abc'",
        ),
        (
            STRONG.replace("2026-01-07 07:00:00", "07/01/2026"),
            r"s.csv, row 5, field 'Date': '07/01/2026' is not a date",
        ),
        (
            STRONG.replace('"Farmers Walk"', '"Bench Press (Barbell)"'),
            r"s.csv, row 5, field 'Exercise Name': exercise 'Bench Press \(Barbell\)' is not in the "
            r"liftsafe library",
        ),
        (
            STRONG.rsplit("\n", 2)[0][:-20] + "\n",
            r"s.csv, row 4: 7 values for 12 columns; the file looks cut or corrupt",
        ),
        (STRONG.replace("Exercise Name", "Exercise"), r"s.csv: not a Strong or Hevy CSV export"),
        (
            STRONG.replace(",RPE", ",Effort").replace("Set Order,Weight", "Set Order,Load"),
            r"s.csv, row 1: missing column\(s\) Weight",
        ),
        (STRONG.splitlines()[0] + "\n", r"s.csv: no sets after the header row"),
        ("", r"s.csv: not a Strong or Hevy CSV export"),
        ('{"format": "other"}', r"s.csv: expected a liftsafe log"),
        ('{"format": "liftsafe-log", "version": 9, "sessions": []}', r"log version 9 is not supported"),
        (
            '{"format": "liftsafe-log", "version": 1, "sessions": [{"performed_at": "2026-01-01", "sets": '
            '[{"exercise": "plank", "hold_s": 30, "pain": 11}]}]}',
            r"s.csv, session 1, set 1, field 'pain': 11 is impossible",
        ),
        ('{"format": "liftsafe-log", "version": 1, ', r"s.csv: not valid JSON"),
    ],
)
def test_corrupt_files_name_row_and_field(text, message):
    with pytest.raises(InputError, match=message):
        read_log(text, source="s.csv")


def test_skip_unknown_and_format_detection():
    text = STRONG.replace("\"Farmers Walk\"", "\"Bench Press (Barbell)\"")
    res = read_log(text, source="s.csv", skip_unknown=True)
    assert [len(s.sets) for s in res.sessions] == [3] and res.skipped_exercises == ("Bench Press (Barbell)",)
    assert (
        detect_format(HEVY, source="x") is Format.HEVY
        and detect_format(STRONG_OLD, source="x") is Format.STRONG
    )
    with pytest.raises(InputError, match=r"weight_unit must be kg or lb; got 'stone'"):
        read_log(STRONG, source="s.csv", weight_unit="stone")


loaded_sets = st.builds(
    SetRecord,
    exercise_id=st.sampled_from(
        ["conventional-deadlift", "romanian-deadlift", "kettlebell-deadlift", "lunge"]
    ),
    reps=st.integers(1, 20),
    load_kg=st.integers(0, 800).map(lambda x: x / 4),
    rpe=st.one_of(st.none(), st.sampled_from([6.0, 7.5, 9.0])),
)
timed_sets = st.builds(SetRecord, exercise_id=st.just("plank"), hold_s=st.integers(10, 120).map(float))
carry_sets = st.builds(
    SetRecord,
    exercise_id=st.just("farmer-carry"),
    distance_m=st.integers(1, 100).map(float),
    load_kg=st.integers(4, 60).map(float),
)
sessions_st = st.lists(
    st.tuples(
        st.integers(0, 300), st.lists(st.one_of(loaded_sets, timed_sets, carry_sets), min_size=1, max_size=6)
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda t: t[0],
).map(
    lambda items: [
        SessionRecord(datetime(2026, 1, 1, 7, 0) + timedelta(days=d), tuple(sets), title=f"S{d}")
        for d, sets in sorted(items)
    ]
)


def _core(sessions):
    return [
        (
            s.performed_at,
            s.title,
            [(x.exercise_id, x.reps, x.load_kg, x.hold_s, x.distance_m, x.rpe) for x in s.sets],
        )
        for s in sessions
    ]


@settings(max_examples=40, deadline=None)
@given(sessions=sessions_st, fmt=st.sampled_from(["strong", "hevy"]))
def test_csv_round_trip(sessions, fmt):
    back = read_log(write_log(sessions, fmt), source="rt.csv")
    assert _core(back.sessions) == _core(sessions)


def test_json_round_trip_keeps_pain_and_form():
    s = SessionRecord(
        datetime(2026, 2, 1, 8, 0),
        (
            SetRecord(
                "romanian-deadlift",
                reps=8,
                load_kg=40,
                rir=2,
                form=FormQuality.BREAKDOWN,
                pain_during=4,
                pain_type=PainType.SHARP,
                tempo="3-1-1-0",
            ),
            SetRecord("lunge", reps=8, side=None),
        ),
        soreness=4,
        soreness_onset_h=20,
        soreness_end_h=80,
        pain_after=2,
        pain_after_type=PainType.DULL,
        readiness=6,
    )
    from liftsafe.training.log import FormSource

    s = SessionRecord(
        **{
            **s.__dict__,
            "sets": (SetRecord(**{**s.sets[0].__dict__, "form_source": FormSource.SELF}), s.sets[1]),
        }
    )
    (back,) = read_log(write_log([s], "json"), source="rt.json").sessions
    assert back == s
