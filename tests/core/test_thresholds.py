from pathlib import Path

from liftsafe.result import Exercise, FaultCode, Severity
from liftsafe.technique.metrics import METRICS
from liftsafe.technique.rules import cues
from liftsafe.technique.thresholds import BY_CODE, TABLE, markdown_table, severity_level

DOCS = Path(__file__).resolve().parents[2] / "docs" / "thresholds.md"


def test_every_fault_code_has_one_threshold_a_metric_and_a_cue():
    assert sorted(t.code.value for t in TABLE) == sorted(c.value for c in FaultCode)
    for t in TABLE:
        assert t.metric in METRICS
        assert t.source and ("heuristic" in t.source or any(ch.isdigit() for ch in t.source))
        assert t.comparison in (">", "<")
    assert set(cues()) >= {c.value for c in FaultCode}


def test_limits_are_ordered():
    for t in TABLE:
        for exercise, lim in t.limits.items():
            levels = [v for v in (lim.minor, lim.major, lim.unsafe) if v is not None]
            assert levels == sorted(levels, reverse=(t.comparison == "<")), (t.code, exercise)


def test_severity_levels():
    t = BY_CODE[FaultCode.ROUNDED_BACK]
    lim = t.limits[Exercise.DEADLIFT]
    assert severity_level(lim.minor * 0.5, t, Exercise.DEADLIFT)[0] is None
    assert severity_level((lim.minor + lim.major) / 2, t, Exercise.DEADLIFT)[0] is Severity.MINOR
    assert severity_level((lim.major + lim.unsafe) / 2, t, Exercise.DEADLIFT)[0] is Severity.MAJOR
    assert severity_level(lim.unsafe * 1.5, t, Exercise.DEADLIFT)[0] is Severity.UNSAFE
    assert severity_level(float("nan"), t, Exercise.DEADLIFT)[0] is None
    d = BY_CODE[FaultCode.UNCONTROLLED_DESCENT]
    assert severity_level(0.1, d, Exercise.DEADLIFT)[0] is Severity.MAJOR
    assert severity_level(2.0, d, Exercise.DEADLIFT)[0] is None


def test_docs_table_is_current():
    # the generated part comes first; the simulator sweep (benchmarks/fault_views.py) follows it
    assert DOCS.read_text().startswith(markdown_table()), (
        "run: python -m liftsafe.technique.thresholds > docs/thresholds.md, then append the simulator sweep")
