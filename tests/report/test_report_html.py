"""The self-contained HTML report."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from markupsafe import escape
from report_factory import CUE, make_result, make_series, make_signals

from liftsafe.analysis import Analysis
from liftsafe.report import write_html_report
from liftsafe.report.html import FILMING_ADVICE
from liftsafe.report.keyframes import build_keyframes
from liftsafe.result import Severity


def _external_refs(html: str) -> list[str]:
    patterns = [r'src\s*=\s*["\']?\s*(?:https?:)?//', r'href\s*=\s*["\']?\s*(?:https?:)?//',
                r'url\(\s*["\']?\s*(?:https?:)?//', r"@import", r"<script", r"<link"]
    return [p for p in patterns if re.search(p, html, flags=re.I)]


def _decode_data_uri(uri: str) -> np.ndarray:
    payload = uri.split(",", 1)[1]
    buf = np.frombuffer(base64.b64decode(payload), dtype=np.uint8)
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture analysis' report, written once for the read-only checks below."""
    out = tmp_path_factory.mktemp("html") / "out"
    analysis = Analysis(result=make_result(), series=make_series(), signals=make_signals())
    path = write_html_report(analysis, out / "report.html")
    return out, path.read_text(encoding="utf-8")


def test_report_is_one_self_contained_file(written: tuple[Path, str]) -> None:
    out, html = written
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert _external_refs(html) == []
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<meta name="viewport"' in html


def test_report_content(written: tuple[Path, str], analysis: Analysis) -> None:
    html = written[1]
    assert re.search(r'id="verdict">\s*Needs work\s*<', html)
    assert re.search(r'id="rep-count">\s*2\s*<', html)
    assert "Rounded back" in html and 'data-code="rounded_back"' in html
    assert "badge s-major" in html
    assert "spine flexion 31.5° vs 20°" in html  # evidence: value vs threshold with unit
    assert "fault when above 20°" in html
    assert "threshold source" not in html and "heuristic" not in html  # provenance stays in the JSON
    for line in FILMING_ADVICE:
        assert str(escape(line)) in html
    assert str(escape(analysis.result.warnings[0])) in html
    assert html.count("<svg") == 3  # angles, head/shin, hand distance (no back-outline signal here)
    assert html.count("<img") == 1  # one faulty rep → one keyframe
    assert 'id="keyframe-2"' in html and 'id="keyframe-1"' not in html
    assert "simulated-banner" not in html


def test_text_is_escaped(written: tuple[Path, str]) -> None:
    html = written[1]
    assert "<keep a long spine>" not in html and "<clip>" not in html
    assert "Chest up &amp; proud &lt;keep a long spine&gt;" in html
    assert "synthetic &lt;clip&gt;.mp4" in html
    assert CUE not in html


def test_each_cue_is_present(tmp_path: Path, make_analysis) -> None:
    a = make_analysis(severity=Severity.UNSAFE)
    html = write_html_report(a, tmp_path / "r.html").read_text(encoding="utf-8")
    cues = {f.cue for rep in a.result.reps for f in rep.faults}
    assert cues
    for cue in cues:
        assert str(escape(cue)) in html
    assert re.search(r'id="verdict">\s*Unsafe\s*<', html)


def test_simulated_banner(tmp_path: Path, make_analysis) -> None:
    html = write_html_report(make_analysis(simulated=True), tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="simulated-banner"' in html
    assert "Simulated lifter" in html
    assert html.index("simulated-banner") < html.index('id="summary"')  # at the top


def test_minor_only_rep_is_good_with_a_keyframe(tmp_path: Path, make_analysis) -> None:
    html = write_html_report(make_analysis(severity=Severity.MINOR), tmp_path / "r.html").read_text("utf-8")
    assert re.search(r'id="verdict">\s*Good\s*<', html)
    assert "Good (minor notes)" in html
    assert html.count("<img") == 1


def test_keyframe_comes_from_the_video_when_there_is_one(make_analysis, source_video: Path) -> None:
    with_video, notes = build_keyframes(make_analysis(video_path=source_video))
    without, _ = build_keyframes(make_analysis())
    assert notes == []
    assert [k.rep_index for k in with_video] == [2]
    assert with_video[0].from_video and not without[0].from_video
    assert with_video[0].frame == make_analysis().result.reps[1].faults[0].evidence.frame
    a = _decode_data_uri(with_video[0].data_uri())
    b = _decode_data_uri(without[0].data_uri())
    assert a.shape == b.shape
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 20  # video picture vs plain canvas


def test_missing_video_falls_back_to_skeleton_with_a_note(tmp_path: Path, make_analysis) -> None:
    a = make_analysis(video_path=tmp_path / "gone.mp4")
    html = write_html_report(a, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Some keyframes are drawn without the video picture" in html
    assert "gone.mp4" in html
    assert html.count("<img") == 1 and "(skeleton only)" in html


def test_report_without_signals_or_reps(tmp_path: Path, analysis: Analysis) -> None:
    from dataclasses import replace

    empty = Analysis(
        result=replace(analysis.result, reps=(), rep_count=0), series=analysis.series, signals={}
    )
    html = write_html_report(empty, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No reps were found" in html
    assert "<svg" not in html and "<img" not in html


def test_front_view_puts_filming_advice_first(tmp_path: Path, analysis: Analysis) -> None:
    from dataclasses import replace

    from liftsafe.result import View

    front = Analysis(result=replace(analysis.result, view=View.FRONT, judged=False), series=analysis.series,
                     signals=analysis.signals)
    html = write_html_report(front, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "front view (sagittal angles cannot be judged; film side-on)" in html
    assert "The spine could not be judged from this clip" in html
    assert html.index('id="camera"') < html.index('id="plots"')

def test_side_view_puts_filming_advice_last(written: tuple[Path, str]) -> None:
    side = written[1]
    assert side.index('id="camera"') > side.index('id="keyframes"')
