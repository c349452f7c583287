"""What a lifter reads in the HTML report: no development notes, file names or threshold
provenance; camera facts in plain words; per-rep not-checked faults; a not-judged clip's reps
never marked good."""

from __future__ import annotations

import html
import re

import pytest

from liftsafe.pipeline import analyze_series
from liftsafe.report.html import render_html_report
from liftsafe.simulate.lifter import SimConfig, simulate_lift

#: words that belong in docs and JSON evidence, never in what the lifter reads
DEV_WORDS = ("heuristic", "docs/", ".md", "advisory", "shared clip", "budget", "calibrat", "provenance",
             "stature", "(px)", "roll source", "not_checked", "not_judged", "needs_work")


def _text(analysis) -> str:
    page = render_html_report(analysis)
    page = re.sub(r"<style.*?</style>|<svg.*?</svg>|<img[^>]*>|<meta[^>]*>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def faulty():
    faults = {0: ("jerked_pull",), 2: ("squatting_the_hinge",)}
    return analyze_series(simulate_lift(SimConfig(n_reps=3, seed=3, faults=faults)).series,
                          exercise="deadlift")


def test_the_report_has_no_development_notes(faulty):
    text = _text(faulty).lower()
    found = [w for w in DEV_WORDS if w in text]
    assert not found, found
    sources = {f.evidence.source for r in faulty.result.reps for f in r.faults if f.evidence.source}
    assert sources and not any(s.lower() in text for s in sources)  # provenance stays in the JSON
    assert "camera angle off side-on" in text and "lifter faces" in text


def test_rep_rows_name_the_faults_not_checked_in_that_rep(faulty):
    text = _text(faulty)
    for rep in faulty.result.reps:
        for x in rep.not_checked:
            assert f"not checked in this rep: {x['code'].replace('_', ' ')} ({x['reason']})" in text


def test_a_not_judged_clip_has_no_good_rep():
    behind = analyze_series(simulate_lift(SimConfig(n_reps=3, seed=3, camera_yaw_deg=90.0)).series,
                            exercise="deadlift")
    page = render_html_report(behind)
    assert 'id="verdict">Not judged<' in page
    assert "v-good" not in page.split('id="reps"')[1]
