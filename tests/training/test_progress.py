"""Progress series and charts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from liftsafe.errors import InputError
from liftsafe.training.log import PainType, SessionRecord, SetRecord
from liftsafe.training.progress import progress_series, render_html, render_png, write_progress

T0 = datetime(2026, 1, 1, 8)
SESSIONS = [
    SessionRecord(
        T0 + timedelta(days=3 * i),
        (
            SetRecord(
                "romanian-deadlift",
                reps=8,
                load_kg=40 + 2 * i,
                pain_during=i % 3,
                pain_type=PainType.DULL if i % 3 else None,
            ),
            SetRecord("romanian-deadlift", reps=12, load_kg=30),
            SetRecord("plank", hold_s=30),
        ),
        pain_after=1,
        soreness=i,
    )
    for i in range(4)
] + [SessionRecord(T0 + timedelta(days=20), (SetRecord("plank", hold_s=40),))]


def test_series_values():
    p = progress_series(SESSIONS, "romanian-deadlift")
    assert len(p.points) == 4
    first = p.points[0]
    assert first.top_load_kg == 40 and first.volume_load_kg == 8 * 40 + 12 * 30
    assert first.e1rm_epley_kg == pytest.approx(40 * (1 + 8 / 30), abs=0.01)  # the 12-rep set is not used
    assert [pt.max_pain_during for pt in p.points] == [0, 1, 2, 0] and [pt.soreness for pt in p.points] == [
        0,
        1,
        2,
        3,
    ]
    assert p.e1rm_slope_kg_per_week > 0
    plank = progress_series(SESSIONS, "plank")
    assert len(plank.points) == 5 and all(pt.e1rm_epley_kg is None for pt in plank.points)


def test_png_and_html(tmp_path):
    p = progress_series(SESSIONS, "romanian-deadlift")
    png = render_png(p)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    page = render_html(p)
    assert page.count("<tr><td>") == 4 and "data:image/png;base64," in page and "kg per week" in page
    write_progress(p, tmp_path / "sub" / "c.png")
    assert (tmp_path / "sub" / "c.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match=r"output must end in .png or .html; got 'c.pdf'"):
        write_progress(p, tmp_path / "c.pdf")
    with pytest.raises(InputError, match=r"no logged sets of lunge to chart"):
        render_png(progress_series(SESSIONS, "lunge"))
