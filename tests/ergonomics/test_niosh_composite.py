"""Composite Lifting Index on hand-worked jobs (arithmetic written out, not via the library)."""

from __future__ import annotations

import math

import pytest

from liftsafe.ergonomics.composite import Job, assess_job
from liftsafe.ergonomics.niosh import Coupling, Duration, HandLocation, LiftingTask, ScopeFlag


def ideal_task(
    name: str, load: float, freq: float, *, max_load: float | None = None, v: float = 75
) -> LiftingTask:
    """H 25, V 75, D 0, A 0, good coupling: every multiplier but FM is 1, so FIRWL = 23 kg."""
    return LiftingTask(
        load, HandLocation(25, v), HandLocation(25, v), freq, Coupling.GOOD, False, name, max_load
    )


def test_hand_worked_three_task_cli():
    job = Job(
        (ideal_task("C", 10, 1), ideal_task("A", 20, 1), ideal_task("B", 15, 2)), duration=Duration.SHORT
    )
    result = assess_job(job)
    # FM (<= 1 h, V >= 75): F=1 .94, F=2 .91, F=3 .88, F=4 .84
    stli = {"A": 20 / (23 * 0.94), "B": 15 / (23 * 0.91), "C": 10 / (23 * 0.94)}
    fili = {"A": 20 / 23, "B": 15 / 23, "C": 10 / 23}
    expected = stli["A"] + fili["B"] * (1 / 0.88 - 1 / 0.94) + fili["C"] * (1 / 0.84 - 1 / 0.88)
    assert [t.task_name for t in result.composite.terms] == ["A", "B", "C"]  # by STLI, descending
    assert result.cli == pytest.approx(expected)
    for r in result.tasks:
        assert r.firwl == pytest.approx(23)
        assert r.stli == pytest.approx(stli[r.task.name])
        assert r.fili == pytest.approx(fili[r.task.name])
    terms = result.composite.terms
    assert terms[1].frequency_sum == 3 and terms[1].fm_sum == 0.88 and terms[1].fm_previous == 0.94
    assert terms[2].frequency_sum == 4 and terms[2].fm_sum == 0.84 and terms[2].fm_previous == 0.88


def test_ties_in_stli_put_higher_frequency_first():
    # same load, FM(F) differs -> STLI differs; build an exact tie instead: same F and load, different names
    a, b = ideal_task("low-f", 10, 1), ideal_task("high-f", 10, 1)
    r = assess_job(Job((a, b), duration=Duration.SHORT))
    assert r.composite.terms[0].task_name == "low-f"  # stable when frequencies tie
    # a tie with different frequencies: load scaled so that STLI is equal
    c = ideal_task("f1", 0.94 * 10, 1)  # STLI = 9.4 / (23 x .94) = 10/23
    d = ideal_task("f2", 0.91 * 10, 2)  # STLI = 9.1 / (23 x .91) = 10/23
    r = assess_job(Job((c, d), duration=Duration.SHORT))
    assert r.tasks[0].stli == pytest.approx(r.tasks[1].stli)
    assert r.composite.terms[0].task_name == "f2"


def test_max_load_enters_fili_and_flags():
    job = Job((ideal_task("heavy", 20, 1, max_load=30), ideal_task("light", 5, 1)), duration=Duration.SHORT)
    r = assess_job(job)
    heavy = r.tasks[0]
    assert heavy.fili == pytest.approx(30 / 23) and heavy.stli == pytest.approx(20 / (23 * 0.94))
    assert any(f.startswith("FILI > 1.0 (heavy)") for f in r.composite.flags)
    assert not any(f.startswith("STLI > 1.0") for f in r.composite.flags)  # 20 / 21.62 = 0.93
    assert any("FILI > STLI for 'heavy'" in f for f in r.composite.flags)  # 1.30 > 0.93


def test_cli_uses_the_v_column_of_the_added_task():
    # long duration: V < 75 column is 0 from F = 9 on, V >= 75 column is not
    high = ideal_task("high", 10, 5, v=80)
    low = ideal_task("low", 5, 4, v=50)
    r = assess_job(Job((high, low), duration=Duration.LONG))
    t2 = r.composite.terms[1]
    assert t2.task_name == "low" and t2.frequency_sum == 9 and t2.fm_sum == 0.0
    assert math.isinf(r.cli)
    assert any("unbounded" in w for w in r.warnings)


def test_single_task_job_has_no_cli():
    r = assess_job(Job((ideal_task("only", 10, 1),)))
    assert r.cli is None and r.composite is None


def test_out_of_scope_task_blocks_the_cli():
    odd = LiftingTask(10, HandLocation(25, 75), HandLocation(25, 75), 1, name="one hand",
                      scope_flags=frozenset({ScopeFlag.ONE_HANDED}))  # fmt: skip
    r = assess_job(Job((ideal_task("fine", 10, 1), odd)))
    assert r.cli is None
    assert any("no Composite Lifting Index" in w and "one hand" in w for w in r.warnings)
    forced = assess_job(Job((ideal_task("fine", 10, 1), odd)), ignore_scope=True)
    assert forced.cli is not None


def test_control_at_destination_enters_firwl():
    t = LiftingTask(10, HandLocation(25, 75), HandLocation(50, 75), 1, Coupling.GOOD, True, "ctl")
    r = assess_job(Job((t, ideal_task("other", 5, 1)), duration=Duration.SHORT))
    assert r.tasks[0].firwl == pytest.approx(23 * 25 / 50)
    assert r.tasks[0].strwl == pytest.approx(23 * 0.5 * 0.94)
