"""Variable Lifting Index (Waters et al. 2016): hand-worked values from the method's formula.

The paper's worked example could not be consulted (see docs/ergonomics.md), so these tests check
the formula on hand-worked jobs and on properties the method must have.
Geometry is ideal (HM = VM = DM = AM = CM = 1, so FIRWL = 23 kg) unless a test says otherwise.
FM (Table 5, V >= 75 cm): short 1 -> .94, 2 -> .91, 3 -> .88, 4 -> .84, 5 -> .80, 6 -> .75;
long 1 -> .75, 2 -> .65, 3 -> .55, 4 -> .45.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.ergonomics.composite import Job, assess_job
from liftsafe.ergonomics.niosh import Duration, HandLocation, LiftingTask, ScopeFlag, Units, assess_task
from liftsafe.ergonomics.vli import assess_vli, variable_lifting_index
from liftsafe.errors import InputError


def sub(name, load, freq, v=75.0, h=25.0):
    return LiftingTask(load, HandLocation(h, v), HandLocation(h, v), freq, name=name)


def job(*tasks, duration="short"):
    return Job(tasks=tuple(tasks), units=Units.METRIC, duration=Duration(duration))


def test_two_subtasks_follow_the_cli_equation_ordered_by_fili():
    # FILI: a = 20/23, b = 10/23. b is lifted more often, so its STLI ranks differently -- the
    # VLI orders by FILI: VLI = FILI_a / FM(1) + FILI_b (1/FM(1+3) - 1/FM(1))
    res = assess_vli(job(sub("b", 10, 3), sub("a", 20, 1)))
    expected = (20 / 23) / 0.94 + (10 / 23) * (1 / 0.84 - 1 / 0.94)
    assert res.vli == pytest.approx(expected)
    assert [c.subtasks for c in res.categories] == [("a",), ("b",)]
    assert [t.frequency_sum for t in res.terms] == [1, 4]
    assert res.terms[1].fm_previous == 0.94 and res.terms[1].fm_sum == 0.84


def test_splitting_one_task_into_identical_subtasks_gives_its_single_task_li():
    whole = assess_task(sub("whole", 12, 4), units="metric", duration="long")
    parts = assess_vli(job(*(sub(f"p{i}", 12, 0.5) for i in range(8)), duration="long"))
    assert len(parts.categories) == 1 and parts.categories[0].frequency == 4
    assert parts.vli == pytest.approx(whole.li)  # 12 / (23 x .45)


def test_categories_weight_fili_by_frequency():
    # 7 sub-tasks > 6 categories: FILI range [2/23, 16/23] cut into 6 equal classes of width 14/138
    loads = [2, 2.5, 5, 8, 11, 15.5, 16]
    freqs = [1, 1, 0.5, 0.5, 0.5, 0.25, 0.75]
    res = assess_vli(job(*(sub(f"s{i}", lo, f) for i, (lo, f) in enumerate(zip(loads, freqs, strict=True)))))
    tops = [c for c in res.categories if "s6" in c.subtasks][0]
    assert tops.subtasks == ("s5", "s6")  # 15.5 and 16 kg share the top class
    assert tops.frequency == 1.0
    assert tops.fili == pytest.approx((0.25 * 15.5 / 23 + 0.75 * 16 / 23) / 1.0)
    bottom = res.categories[-1]
    assert bottom.subtasks == ("s0", "s1") and bottom.fili == pytest.approx((2 + 2.5) / 2 / 23)
    assert sum(c.frequency for c in res.categories) == pytest.approx(sum(freqs))
    # the sum, term by term: frequencies accumulate in FILI order, FM read at each running sum
    f_sum = 0.0
    for t in res.terms:
        f_sum += res.categories[t.rank - 1].frequency
        assert t.frequency_sum == pytest.approx(f_sum)
    assert res.vli == pytest.approx(sum(t.increment for t in res.terms))
    assert res.terms[-1].frequency_sum == pytest.approx(4.5)
    assert res.terms[-1].fm_sum == pytest.approx((0.84 + 0.80) / 2)  # Table 5 interpolated at 4.5


def test_explicit_boundaries_and_equal_to_cli_when_no_aggregation_and_same_order():
    tasks = [sub("a", 18, 0.5), sub("b", 12, 1), sub("c", 6, 2)]
    res = assess_vli(job(*tasks), boundaries=[10 / 23])  # two classes: FILI <= 10/23 and above
    assert [c.subtasks for c in res.categories] == [("a", "b"), ("c",)]
    assert res.categories[0].fili == pytest.approx((0.5 * 18 + 1 * 12) / 1.5 / 23)
    # here STLI order = FILI order, so with one sub-task per category VLI = CLI
    assert assess_vli(job(*tasks)).vli == pytest.approx(assess_job(job(*tasks)).cli)


def test_v_column_of_a_category_and_unbounded_vli():
    low = assess_vli(job(sub("low", 10, 11, v=30), duration="short"))  # V < 75: FM(11) = .41 in both columns
    assert low.categories[0].v_low and low.vli == pytest.approx((10 / 23) / (0.41 * (1 - 0.003 * 45)))
    over = assess_vli(job(sub("x", 10, 10, v=30), sub("y", 5, 6, v=30), duration="short"))  # 16/min in all
    assert math.isinf(over.vli) and any("unbounded" in w for w in over.warnings)


def test_out_of_scope_subtask_and_bad_arguments():
    bad = LiftingTask(
        5,
        HandLocation(25, 75),
        HandLocation(25, 75),
        1,
        name="seated",
        scope_flags=frozenset({ScopeFlag.SEATED}),
    )
    with pytest.raises(InputError, match=r"sub-task\(s\) seated outside"):
        assess_vli(job(bad, sub("a", 5, 1)))
    assert assess_vli(job(bad, sub("a", 5, 1)), ignore_scope=True).vli > 0
    results = [assess_task(sub("a", 5, 1))]
    with pytest.raises(InputError, match="categories"):
        variable_lifting_index(results, units="metric", duration="short", n_categories=0)
    with pytest.raises(InputError, match="boundaries"):
        variable_lifting_index(results, units="metric", duration="short", boundaries=[math.nan])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 30), st.floats(0.1, 2), st.floats(25, 63)), min_size=1, max_size=12))
def test_vli_is_at_least_the_worst_subtask_alone(rows):
    tasks = [sub(f"t{i}", load, f, h=h) for i, (load, f, h) in enumerate(rows)]
    res = assess_vli(job(*tasks, duration="moderate"))
    top = res.categories[0]
    fm_top = res.terms[0].fm_sum
    assert res.vli >= top.fili / fm_top - 1e-9  # later terms only add (FM falls as F grows)
    assert all(t.increment >= -1e-12 for t in res.terms)


def test_cli_vli_option_json_and_terminal(tmp_path, capsys):
    from liftsafe.cli import main

    data = {
        "units": "metric",
        "duration": "short",
        "tasks": [
            {
                "name": "b",
                "load": 10,
                "origin": {"h": 25, "v": 75},
                "destination": {"h": 25, "v": 75},
                "frequency": 3,
                "coupling": "good",
            },
            {
                "name": "a",
                "load": 20,
                "origin": {"h": 25, "v": 75},
                "destination": {"h": 25, "v": 75},
                "frequency": 1,
                "coupling": "good",
            },
        ],
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exc:
        main(["niosh", str(path), "--vli", "--json"])
    assert exc.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["vli"]["vli"] == pytest.approx((20 / 23) / 0.94 + (10 / 23) * (1 / 0.84 - 1 / 0.94))
    assert [c["subtasks"] for c in doc["vli"]["categories"]] == [["a"], ["b"]]
    with pytest.raises(SystemExit) as exc:
        main(["niosh", str(path), "--json"])
    assert "vli" not in json.loads(capsys.readouterr().out)  # the schema is unchanged without --vli
    with pytest.raises(SystemExit) as exc:
        main(["niosh", str(path), "--vli"])
    assert exc.value.code == 0 and "VLI = 0.98" in capsys.readouterr().out
