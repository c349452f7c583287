"""Epley and Brzycki e1RM, valid only up to 10 repetitions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liftsafe.errors import InputError
from liftsafe.training.e1rm import e1rm_kg, e1rm_trend
from liftsafe.training.log import SessionRecord, SetRecord


def test_published_formulas():
    assert e1rm_kg(100, 5) == pytest.approx(100 * (1 + 5 / 30))
    assert e1rm_kg(100, 5, formula="brzycki") == pytest.approx(100 * 36 / 32)
    assert e1rm_kg(100, 10) == pytest.approx(133.333, abs=1e-3)
    assert e1rm_kg(140, 1) == 140 and e1rm_kg(140, 1, formula="brzycki") == 140
    assert e1rm_kg(100, 5, rir=2) == pytest.approx(100 * (1 + 7 / 30))


def test_not_estimated_beyond_10_reps():
    assert e1rm_kg(60, 11) is None
    assert e1rm_kg(60, 8, rir=3) is None
    assert e1rm_kg(60, 0) is None
    with pytest.raises(InputError, match="load_kg must be 0 or more"):
        e1rm_kg(-5, 5)


@given(load=st.floats(1, 400), reps=st.integers(1, 9))
def test_monotone_and_linear(load, reps):
    for f in ("epley", "brzycki"):
        a, b = e1rm_kg(load, reps, formula=f), e1rm_kg(load, reps + 1, formula=f)
        assert load <= a < b
        assert e1rm_kg(2 * load, reps, formula=f) == pytest.approx(2 * a)


def test_trend_best_set_per_session_and_slope():
    t0 = datetime(2026, 1, 1)
    sessions = [
        SessionRecord(
            t0 + timedelta(weeks=w),
            (
                SetRecord("romanian-deadlift", reps=8, load_kg=40 + 5 * w),
                SetRecord("romanian-deadlift", reps=12, load_kg=80),
                SetRecord("plank", hold_s=30),
            ),
        )
        for w in range(4)
    ]
    trend = e1rm_trend(sessions, "romanian-deadlift")
    assert [p.load_kg for p in trend.points] == [40, 45, 50, 55]  # the 12-rep set is never used
    assert trend.slope_kg_per_week == pytest.approx(5 * (1 + 8 / 30), abs=1e-3)
    assert e1rm_trend(sessions[:1], "romanian-deadlift").slope_kg_per_week is None
    assert e1rm_trend(sessions, "plank").points == ()


def test_e1rm_and_progress_leave_out_warmup_drop_and_pain_stopped_sets():
    from datetime import datetime

    from liftsafe.training.e1rm import e1rm_trend
    from liftsafe.training.log import PainType, SessionRecord, SetRecord, SetType
    from liftsafe.training.progress import progress_series

    s = SessionRecord(
        datetime(2026, 1, 5, 18),
        (
            SetRecord("conventional-deadlift", reps=5, load_kg=100),
            SetRecord(
                "conventional-deadlift", reps=5, load_kg=140, set_type=SetType.WARMUP
            ),  # mislabelled heavy warm-up
            SetRecord("conventional-deadlift", reps=8, load_kg=120, set_type=SetType.DROP),
            SetRecord("conventional-deadlift", reps=5, load_kg=130, pain_during=6, pain_type=PainType.SHARP),
            SetRecord("conventional-deadlift", reps=3, load_kg=125, pain_during=5, pain_type=PainType.DULL),
        ),
    )
    (point,) = e1rm_trend([s], "conventional-deadlift").points
    assert point.load_kg == 100
    (p,) = progress_series([s], "conventional-deadlift").points
    assert p.top_load_kg == 100 and p.max_pain_during == 6
