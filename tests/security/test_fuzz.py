"""Property-based fuzzing (hypothesis) of the parsers that take a person's files and forms:
keypoint files (JSON and CSV, read directly and through ``liftsafe analyze``), labels files
and the web app's form posts. No input may crash (exit 1 / HTTP 500) and none may allocate
more than 500 MB (tracemalloc peak; numpy reports its arrays to tracemalloc).

Strong/Hevy CSV imports and workplace job files are fuzzed beside their own parsers."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liftsafe.errors import LiftsafeError

MAX_ALLOC_BYTES = 500 * 1024 * 1024
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 1e308, -1e308, 2**63, 1_000_000, 1e-300]),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def keypoint_docs(draw):
    from liftsafe.pose.layouts import LAYOUTS

    layout = draw(st.sampled_from([*LAYOUTS, "nonsense", None]))
    n = len(LAYOUTS.get(layout, LAYOUTS["coco17"])) + draw(st.sampled_from([0, 0, 0, -1, 1]))
    point = st.one_of(st.none(), st.lists(numbers, min_size=2, max_size=3), junk)
    frames = []
    frame_numbers = draw(
        st.one_of(st.none(), st.lists(st.integers(min_value=-5, max_value=2**40), min_size=1, max_size=6))
    )
    count = len(frame_numbers) if frame_numbers else draw(st.integers(min_value=0, max_value=6))
    for i in range(count):
        fr: dict = {
            "keypoints": draw(st.lists(point, min_size=n, max_size=n)) if draw(st.booleans()) else draw(junk)
        }
        if frame_numbers:
            fr["frame"] = frame_numbers[i]
        if draw(st.booleans()):
            fr["world"] = draw(
                st.one_of(junk, st.lists(st.lists(numbers, min_size=3, max_size=3), min_size=n, max_size=n))
            )
        frames.append(fr)
    doc = {"frames": frames if draw(st.integers(0, 9)) else draw(junk)}
    for key, value in (
        ("fps", st.one_of(numbers, junk)),
        ("layout", st.just(layout)),
        ("image_size", st.one_of(st.lists(numbers, min_size=0, max_size=3), junk)),
        ("normalized", junk),
    ):
        if draw(st.booleans()):
            doc[key] = draw(value)
    return doc


@st.composite
def keypoint_csvs(draw):
    from liftsafe.pose.layouts import LAYOUTS

    layout = draw(st.sampled_from(list(LAYOUTS)))
    names = LAYOUTS[layout]
    columns = ["frame", "time_s"] + [f"{p}_{s}" for p in names for s in ("x", "y", "conf")]
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))[: draw(st.integers(1, len(columns)))]
    meta = draw(
        st.lists(
            st.sampled_from(
                [
                    "# fps=30",
                    "# fps=abc",
                    "# width=640",
                    "# height=480",
                    "# layout=" + layout,
                    "# normalized=true",
                    "# fps=-1",
                    "# width=1e400",
                ]
            ),
            max_size=4,
        )
    )
    cell = st.one_of(numbers.map(str), st.text(max_size=5), st.just(""))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(columns) + 1), max_size=6))
    if draw(st.booleans()):  # numbered frames, possibly far apart
        rows = [[str(draw(st.integers(0, 2**40)))] + r[1:] for r in rows if r]
    lines = meta + [",".join(columns)] + [",".join(r) for r in rows]
    return "\n".join(lines)


def _bounded(fn):
    """Run ``fn``; a LiftsafeError (a clear one-line message) is a fine answer, any other
    exception a bug. Returns the peak number of bytes allocated meanwhile."""
    tracemalloc.start()
    try:
        fn()
    except LiftsafeError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MAX_ALLOC_BYTES, peak
    return peak


@FUZZ
@given(doc=keypoint_docs())
def test_keypoint_json_never_crashes(tmp_path_factory, doc):
    from liftsafe.pose.files import read_keypoints

    path = tmp_path_factory.mktemp("kp") / "fuzz.json"
    path.write_text(json.dumps(doc, allow_nan=True))
    _bounded(lambda: read_keypoints(path))


@FUZZ
@given(text=keypoint_csvs())
def test_keypoint_csv_never_crashes(tmp_path_factory, text):
    from liftsafe.pose.files import read_keypoints

    path = tmp_path_factory.mktemp("kp") / "fuzz.csv"
    path.write_text(text)
    _bounded(lambda: read_keypoints(path))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".json", ".csv"]))
def test_keypoint_bytes_never_crash(tmp_path_factory, raw, suffix):
    from liftsafe.pose.files import read_keypoints

    path = tmp_path_factory.mktemp("kp") / f"raw{suffix}"
    path.write_bytes(raw)
    _bounded(lambda: read_keypoints(path))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=keypoint_docs())
def test_analyze_cli_never_exits_1(tmp_path_factory, doc):
    """Through the whole command: 0 (analysed), 2 (bad input) or 3 (cannot analyse), never 1."""
    from liftsafe.cli import main

    folder = tmp_path_factory.mktemp("cli")
    path = folder / "fuzz.json"
    path.write_text(json.dumps(doc, allow_nan=True))
    code = 0
    try:
        main(
            [
                "analyze",
                str(path),
                "--out",
                str(folder / "out"),
                "--no-video",
                "--no-html",
                "--no-csv",
                "--quiet",
            ]
        )
    except SystemExit as exit_:
        code = exit_.code or 0
    assert code in (0, 2, 3), code


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "a.mp4",
                        "b.mp4",
                        "good",
                        "bad",
                        "3",
                        "-1",
                        "1e9",
                        "",
                        "back_rounding",
                        "side",
                        "front",
                        "g1",
                        "file",
                        "label",
                    ]
                ),
                st.text(max_size=6),
            ),
            max_size=7,
        ),
        max_size=6,
    ),
    header=st.booleans(),
)
def test_labels_file_never_crashes(tmp_path_factory, rows, header):
    import csv
    import io

    from liftsafe.evaluation.labels import read_labels

    folder = tmp_path_factory.mktemp("labels")
    clips = folder / "clips"
    clips.mkdir()
    (clips / "a.mp4").write_bytes(b"x")
    (clips / "b.mp4").write_bytes(b"x")
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(["file", "label", "rep_count", "fault", "group", "view"])
    writer.writerows(rows)
    path = folder / "labels.csv"
    path.write_text(out.getvalue())
    _bounded(lambda: read_labels(path, clips))


# ------------------------------------------------------------------ form posts
FORM_ROUTES = (
    "/signup",
    "/signin",
    "/account/coach",
    "/account/height",
    "/account/tokens",
    "/train/assessment",
    "/train/log",
    "/workplace/jobs",
    "/train/workouts/1/soreness",
    "/analyses/1/cancel",
    "/account/delete",
)
FIELDS = (
    "email",
    "password",
    "role",
    "next",
    "coach_email",
    "height_cm",
    "name",
    "level",
    "pain_now",
    "pain_where",
    "pain_type",
    "toe_touch",
    "hinge_test",
    "job_demand",
    "sessions_per_week",
    "weeks",
    "red_flags",
    "readiness",
    "pain_after",
    "pain_after_type",
    "notes",
    "plan_week",
    "plan_session",
    "set-1-done",
    "set-1-exercise",
    "set-1-dose",
    "set-1-amount",
    "set-1-load_kg",
    "set-1-form",
    "set-1-pain",
    "set-1-rir",
    "set-x-done",
    "job_json",
    "duration",
    "t1-name",
    "t1-load",
    "t1-oh",
    "t1-ov",
    "t1-dh",
    "t1-dv",
    "t1-frequency",
    "t1-coupling",
    "t1-reps_per_day",
    "analysis_id",
    "v-load",
    "v-height_cm",
    "v-frequency",
    "soreness",
    "soreness_onset_h",
    "confirm",
)
values = st.one_of(
    st.text(max_size=20),
    numbers.map(str),
    st.sampled_from(
        [
            "",
            "nan",
            "inf",
            "-0",
            "1e400",
            "9223372036854775808",
            "lifter",
            "coach",
            "workplace_admin",
            "deadlift-rdl",
            '{"name": "x", "tasks": [{}]}',
            '{"name": "x", "units": "metric", "tasks": "no"}',
            "[]",
            "{",
            "sharp",
            "on",
        ]
    ),
)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from fastapi.testclient import TestClient

    from liftsafe.web import create_app
    from liftsafe.web.settings import Settings

    folder = tmp_path_factory.mktemp("fuzzweb")
    app = create_app(
        Settings(
            database_url=f"sqlite:///{folder / 'web.db'}",
            data_dir=folder / "data",
            max_upload_mb=2,
            worker=False,
        )
    )
    clients = {}
    for role in ("lifter", "coach", "workplace_admin"):
        c = TestClient(app)
        c.__enter__()
        c.get("/signin")
        r = c.post(
            "/signup",
            data={
                "email": f"{role}@example.com",
                "password": "correct horse battery",
                "role": role,
                "csrf_token": c.cookies["liftsafe_csrf"],
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        clients[role] = c
    yield clients
    for c in clients.values():
        c.__exit__(None, None, None)
    app.state.store.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(["lifter", "coach", "workplace_admin"]),
    route=st.sampled_from(FORM_ROUTES),
    form=st.dictionaries(st.sampled_from(FIELDS), values, max_size=8),
)
def test_form_posts_never_answer_500(web, role, route, form):
    client = web[role]  # (a fuzzed sign-up that succeeds signs this client in as the new account: fine)
    data = {**form, "csrf_token": client.cookies["liftsafe_csrf"]}
    if route == "/account/delete":
        data["confirm"] = "no"  # keep the accounts for the next examples
    r = client.post(route, data=data, follow_redirects=False)
    assert r.status_code < 500, (route, form, r.text[-500:])


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=600), suffix=st.sampled_from(["", ".mp4", ".json", ".csv", ".MOV", ".x" * 20]))
def test_upload_names_are_bounded_and_keep_their_extension(name, suffix):
    from liftsafe.web.services.analyses import MAX_FILENAME_CHARS, safe_filename

    shown = safe_filename(name + suffix)
    assert 0 < len(shown) <= MAX_FILENAME_CHARS and "/" not in shown and "\\" not in shown
    assert all(ch.isprintable() for ch in shown)
    base = (name + suffix).replace("\\", "/").rsplit("/", 1)[-1]
    if suffix in (".mp4", ".json") and base.endswith(suffix) and len(base) > len(suffix):
        assert shown.endswith(suffix)
