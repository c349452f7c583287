# ruff: noqa: E501 -- app export headers and rows are kept on one line, as the apps write them
"""Strong / Hevy CSV and liftsafe JSON: reading, writing, round trips, corrupt files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.interchange import LB_TO_KG, Format, detect_format, read_log, write_log
from liftsafe.training.log import FormQuality, PainType, SessionRecord, SetRecord, SetType

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
        ("barbell-romanian-deadlift", 10, 40, None),
        ("barbell-romanian-deadlift", 8, 60, None),
        ("plank", None, None, 60),
    ]
    assert (
        s.sets[0].set_type is SetType.WARMUP and s.sets[1].set_type is SetType.NORMAL and s.sets[1].rpe == 8
    )
    assert s.sets[0].exercise_id == "barbell-romanian-deadlift" and s.duration_s == 65 * 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            STRONG.replace(',5,0,0,"","felt ok",7.5', ',-5,0,0,"","felt ok",7.5'),
            r"s.csv, row 3, field 'reps': -5 is impossible",
        ),
        (
            STRONG.replace("2026-01-07 07:00:00", "2099-01-07 07:00:00"),
            r"s.csv, row 5, field 'performed_at': 2099-01-07 07:00 is in the future",
        ),
        (
            STRONG.replace('"Plank",1,', '"Plank",X,'),
            r"s.csv, row 4, field 'Set Order': 'X' is not a set number",
        ),
        (
            STRONG_OLD.replace(";lbs;5", ";stone;5"),
            r"old.csv, row 2, field 'Weight Unit': unknown unit 'stone'",
        ),
        (
            HEVY.replace('"warmup"', '"superset"'),
            r"s.csv, row 2, field 'set_type': 'superset' is not a Hevy set type",
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
            STRONG.rsplit("\n", 2)[0][:-20] + "\n",
            r"s.csv, row 4: 7 values for 12 columns; the file looks cut or corrupt",
        ),
        (STRONG.replace("Exercise Name", "Exercise"), r"s.csv: not a Strong or Hevy CSV export"),
        (STRONG.replace("Workout Name", "Session"), r"s.csv, row 1: missing column\(s\) workout name"),
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
    source = "old.csv" if "old.csv" in message else "s.csv"
    with pytest.raises(InputError, match=message):
        read_log(text, source=source)


def test_unknown_exercises_become_custom_and_mappings_apply():
    text = STRONG.replace('"Farmers Walk"', '"Bench Press (Barbell)"')
    res = read_log(text, source="s.csv")
    assert [len(s.sets) for s in res.sessions] == [3, 1]
    assert res.sessions[1].sets[0].exercise_id == "custom:bench-press-barbell"
    assert res.custom_exercises == {"custom:bench-press-barbell": "Bench Press (Barbell)"}
    mapped = read_log(text, source="s.csv", mappings={"custom:bench-press-barbell": "floor-press"})
    assert mapped.sessions[1].sets[0].exercise_id == "floor-press" and mapped.custom_exercises == {}
    assert (
        detect_format(HEVY, source="x") is Format.HEVY
        and detect_format(STRONG_OLD, source="x") is Format.STRONG
    )
    with pytest.raises(InputError, match=r"weight_unit must be kg or lb; got 'stone'"):
        read_log(STRONG, source="s.csv", weight_unit="stone")


def test_aliases_tell_barbell_from_dumbbell_rdl():
    from liftsafe.training.library import load_library

    lib = load_library()
    assert lib.by_alias("Romanian Deadlift (Barbell)").id == "barbell-romanian-deadlift"
    assert lib.by_alias("Romanian Deadlift (Dumbbell)").id == "romanian-deadlift"
    assert lib.by_alias("Deadlift (Barbell)").id == "conventional-deadlift"


STRONG_2025 = """"Workout #","Date","Workout Name","Duration (sec)","Exercise Name","Set Order","Weight (kg)","Reps","RPE","Distance (meters)","Seconds","Notes","Workout Notes"
"1","2026-03-02 07:10:00","Hinge day","3120","Deadlift (Barbell)","W","40","8","","","","","slept well"
"1","2026-03-02 07:10:00","Hinge day","3120","Deadlift (Barbell)","1","80","5","7","","","",""
"1","2026-03-02 07:10:00","Hinge day","3120","Deadlift (Barbell)","Rest Timer","","","","","120","",""
"1","2026-03-02 07:10:00","Hinge day","3120","Deadlift (Barbell)","2","80","5","8","","","",""
"1","2026-03-02 07:10:00","Hinge day","3120","Deadlift (Barbell)","D","60","8","","","","",""
"1","2026-03-02 07:10:00","Hinge day","3120","Leg Press (Machine)","Note","","","","","","seat at 5",""
"1","2026-03-02 07:10:00","Hinge day","3120","Leg Press (Machine)","1","120","10","","","","",""
"1","2026-03-02 07:10:00","Hinge day","3120","Leg Press (Machine)","F","120","7","","","","",""
"2","2026-03-04 18:00:00","Run","1800","Running","1","","","","5000","1500","",""
"""

STRONG_10_COL_LBS_MILES = """Date;Workout Name;Duration;Exercise Name;Set Order;Weight (lbs);Reps;Distance (mi.);Seconds;RPE
2026-03-05 06:00:00;"Morning";1h 5m;"Romanian Deadlift (Barbell)";1;135;8;0;0;
2026-03-05 06:00:00;"Morning";1h 5m;"Farmers Walk";1;50;0;0,05;0;8,5
2026-03-05 06:00:00;"Morning";1h 5m;"Cycling";1;0;0;10;2400;
"""


def test_strong_2025_layout_set_types_rest_timer_notes_and_cardio():
    res = read_log(STRONG_2025, source="n.csv")
    a, b = res.sessions
    assert res.set_rows == 7 and res.other_rows == 2 and res.imported_sets == 7
    assert (
        a.duration_s == 3120
        and "Leg Press (Machine): seat at 5" in a.notes
        and a.notes.startswith("slept well")
    )
    assert [(x.exercise_id, x.set_type.value, x.load_kg, x.reps) for x in a.sets] == [
        ("conventional-deadlift", "warmup", 40, 8),
        ("conventional-deadlift", "normal", 80, 5),
        ("conventional-deadlift", "normal", 80, 5),
        ("conventional-deadlift", "drop", 60, 8),
        ("custom:leg-press-machine", "normal", 120, 10),
        ("custom:leg-press-machine", "failure", 120, 7),
    ]
    (run,) = b.sets
    assert (run.exercise_id, run.distance_m, run.hold_s) == ("custom:running", 5000, 1500)


def test_strong_ten_columns_pounds_and_miles_with_decimal_commas():
    (s,) = read_log(STRONG_10_COL_LBS_MILES, source="t.csv").sessions
    assert s.duration_s == 3900
    rdl, carry, bike = s.sets
    assert rdl.exercise_id == "barbell-romanian-deadlift" and rdl.load_kg == pytest.approx(
        135 * LB_TO_KG, abs=1e-3
    )
    assert carry.distance_m == pytest.approx(0.05 * 1609.344, abs=1e-3) and carry.rpe == 8.5
    assert bike.distance_m == pytest.approx(16093.44) and bike.hold_s == 2400


def test_hevy_pounds_miles_unquoted_supersets_durations():
    text = """title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe
Push,"5 Jan 2026, 10:00","5 Jan 2026, 11:00",,Floor Press (Dumbbell),0,,0,normal,40,10,,,
Push,"5 Jan 2026, 10:00","5 Jan 2026, 11:00",,Plank,0,,0,normal,,,,60,
Push,"5 Jan 2026, 10:00","5 Jan 2026, 11:00",,Treadmill,,,0,normal,,,1.5,900,
Push,"5 Jan 2026, 10:00","5 Jan 2026, 11:00",,Floor Press (Dumbbell),0,,1,dropset,30,12,,,
"""
    (s,) = read_log(text, source="h.csv").sessions
    assert [x.superset for x in s.sets] == [0, 0, None, 0]
    assert s.sets[0].load_kg == pytest.approx(40 * LB_TO_KG, abs=1e-3) and s.sets[3].set_type is SetType.DROP
    assert s.sets[2].distance_m == pytest.approx(1.5 * 1609.344, abs=1e-3) and s.sets[2].hold_s == 900
    assert s.duration_s == 3600


def test_exports_match_the_apps_header_quoting_and_per_exercise_set_order():
    (s,) = read_log(STRONG_2025, source="n.csv").sessions[:1]
    strong = write_log([s], "strong", names={"custom:leg-press-machine": "Leg Press (Machine)"})
    lines = strong.splitlines()
    assert (
        lines[0]
        == '"Workout #","Date","Workout Name","Duration (sec)","Exercise Name","Set Order","Weight (kg)","Reps","RPE","Distance (meters)","Seconds","Notes","Workout Notes"'
    )
    import csv
    import io

    rows = list(csv.reader(io.StringIO(strong)))[1:]
    assert [r[5] for r in rows] == ["W", "1", "2", "D", "1", "F"]
    assert rows[4][4] == "Leg Press (Machine)" and strong.count('"') % 2 == 0 and ',"",' not in lines[0]
    hevy = write_log([s], "hevy", names={"custom:leg-press-machine": "Leg Press (Machine)"})
    hl = hevy.splitlines()
    assert hl[0] == ",".join(
        f'"{c}"'
        for c in [
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
    )
    assert hl[1].startswith('"Hinge day","2 Mar 2026, 07:10","2 Mar 2026, 08:02","slept well')
    assert (
        '"Deadlift (Barbell)",,"",0,"warmup",40,8,,,' in hevy
    )  # text quoted, numbers bare, empty superset bare
    assert [r[7] for r in list(csv.reader(io.StringIO(hevy)))[1:]] == [
        "0",
        "1",
        "2",
        "3",
        "0",
        "1",
    ]  # per exercise
    again = read_log(hevy, source="again.csv").sessions[0]
    assert [(x.exercise_id, x.set_type, x.load_kg) for x in again.sets] == [
        (x.exercise_id.replace("custom:leg-press-machine", "custom:leg-press-machine"), x.set_type, x.load_kg)
        for x in s.sets
    ]


loaded_sets = st.builds(
    SetRecord,
    exercise_id=st.sampled_from(
        ["conventional-deadlift", "romanian-deadlift", "kettlebell-deadlift", "lunge"]
    ),
    reps=st.integers(1, 20),
    load_kg=st.integers(0, 800).map(lambda x: x / 4),
    rpe=st.one_of(st.none(), st.sampled_from([6.0, 7.5, 9.0])),
    set_type=st.sampled_from(list(SetType)),
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
    """Sets grouped by exercise in order of first appearance: how both apps list a session."""

    def grouped(sets):
        order = list(dict.fromkeys(x.exercise_id for x in sets))
        return sorted(sets, key=lambda x: order.index(x.exercise_id))

    return [
        (
            s.performed_at,
            s.title,
            [
                (x.exercise_id, x.reps, x.load_kg, x.hold_s, x.distance_m, x.rpe, x.set_type, x.superset)
                for x in grouped(s.sets)
            ],
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 Juli 2026, 14:21", datetime(2026, 7, 25, 14, 21)),
        ("3 de jul. de 2026, 10:00", datetime(2026, 7, 3, 10, 0)),
        ("5 févr. 2026 18:30", datetime(2026, 2, 5, 18, 30)),
        ("12 mrt 2026, 07:05", datetime(2026, 3, 12, 7, 5)),
        ("1 dez 2025, 19:00", datetime(2025, 12, 1, 19, 0)),
        ("9 Apr 2026, 6:18 PM", datetime(2026, 4, 9, 18, 18)),
    ],
)
def test_hevy_dates_in_other_app_languages(text, expected):
    row = f'"Beine","{text}","{text}","","Plank",,"",0,"normal",,,,60,\n'
    (s,) = read_log(HEVY.splitlines()[0] + "\n" + row, source="h.csv", now=datetime(2027, 1, 1)).sessions
    assert s.performed_at == expected
    with pytest.raises(InputError, match=r"field 'start_time': '31 Foo 2026, 10:00' is not a date"):
        read_log(HEVY.splitlines()[0] + "\n" + row.replace(text, "31 Foo 2026, 10:00"), source="h.csv")


def test_hevy_with_both_weight_columns_and_strong_hour_durations():
    text = (
        '"title","start_time","end_time","exercise_title","set_index","set_type","weight_kg","weight_lbs","reps"\n'
        '"Push","12 Jan 2024, 18:30","12 Jan 2024, 19:00","Floor Press (Barbell)",0,"normal",,220,5\n'
        '"Push","12 Jan 2024, 18:30","12 Jan 2024, 19:00","Floor Press (Barbell)",1,"normal",100,,5\n'
    )
    (s,) = read_log(text, source="h.csv").sessions
    assert [x.load_kg for x in s.sets] == [pytest.approx(220 * LB_TO_KG, abs=1e-3), 100]
    strong = STRONG.replace(",45m,", ",1h 2min,").replace(",20m,", ",1h,")
    a, b = read_log(strong, source="s.csv").sessions
    assert (a.duration_s, b.duration_s) == (3720, 3600)
