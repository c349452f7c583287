"""Published LiFFT and NIOSH values reproduced within their printed rounding.

Each test names the publication and the printed value. See docs/ergonomics.md, "Published values
reproduced".
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from liftsafe.cli import build_app
from liftsafe.ergonomics.lifft import (
    CALCULATOR_2019,
    CAUTION_PLM_NM,
    CYCLES_TO_FAILURE_CONSTANT,
    NM_PER_FTLB,
    PAPER_2017,
    LifftTask,
    damage_per_cycle,
    lifft,
    peak_load_moment_nm,
)
from liftsafe.ergonomics.niosh import (
    Coupling,
    Duration,
    HandLocation,
    LiftingTask,
    Point,
    assess_task,
    duration_from_schedule,
    duration_from_times,
)
from liftsafe.errors import InputError


def _sig(value: float, digits: int = 2) -> float:
    """Round to ``digits`` significant figures, as the publications print."""
    return float(f"{value:.{digits - 1}e}")


# ------------------------------------------------------------------------------ LiFFT --


def test_lifft_manuscript_example_damage_per_cycle_and_cumulative_damage():
    # Gallagher et al. (2017): 13 kg at 40 cm, 400 times a day -> damage per cycle 1.1e-5, CD 0.0043
    res = lifft([LifftTask(13, 0.40, 400, "manuscript")])
    assert _sig(res.tasks[0].damage_per_cycle) == 1.1e-5  # reproduced at the printed 2 figures
    # NOT reproduced at its printed rounding: the SI inputs give 0.00421, which prints as 0.0042,
    # not 0.0043 (see docs/ergonomics.md, "LiFFT manuscript example"). Within 3 % of the printed
    # value -- not the 2.1x of the old 1,902,416 constant (0.0020).
    assert _sig(res.cumulative_damage) == 0.0042
    assert res.cumulative_damage == pytest.approx(0.0043, rel=0.03)


def test_lifft_manuscript_example_in_inches_and_pounds_gives_both_printed_values():
    # The explanation docs/ergonomics.md gives for the 0.0043 above, checked here -- a hypothesis,
    # not a confirmed reproduction (the paper's worked text could not be read): the published
    # calculator works in lb and in, and 13 kg = 28.66 lb at 40 cm ~ 16 in (40.64 cm) gives
    # 38.2 ft·lb, 1.08e-5 per cycle and 0.00434 a day, which print as 1.1e-5 and 0.0043.
    task = LifftTask.from_units(load=13 / 0.45359237, distance=16, reps_per_day=400, units="us")
    res = lifft([task])
    assert res.tasks[0].peak_load_moment_ftlb == pytest.approx(38.21, abs=0.01)
    assert _sig(res.tasks[0].damage_per_cycle) == 1.1e-5
    assert _sig(res.cumulative_damage) == 0.0043


def test_lifft_calculator_mono_task_example_40_percent():
    # LiFFT calculator instructions (v1.4.1): 30 lb at 16 in (40 ft·lb), 760 times a day -> 40 %
    task = LifftTask.from_units(load=30, distance=16, reps_per_day=760, units="us")
    res = lifft([task])
    assert res.tasks[0].peak_load_moment_ftlb == pytest.approx(40.0)
    assert res.cumulative_damage == pytest.approx(760 * 10 ** (-5.81636 + 0.0222878 * 40))
    # default = printed 1.72 / 1.03 (paper): 40.5 % -> "40 %"
    assert res.constants == PAPER_2017
    assert round(100 * res.probability_high_risk) == 40
    # the calculator's current 1.7229 / 1.0239: 40.9 % (40 % only if the page truncates; see docs)
    assert 0.40 <= lifft([task], constants=CALCULATOR_2019).probability_high_risk < 0.41
    # the old constants (1,902,416) gave 32.8 %
    assert res.probability_high_risk > 0.38


def test_calculator_formula_equals_paper_eq1_with_902416():
    # 10^-5.81636 = exp(0.32) / 902,416 and ln(10) x 0.0222878 per ft·lb = 0.0379 per N·m (~0.038)
    assert 10**-5.81636 == pytest.approx(math.exp(0.32) / CYCLES_TO_FAILURE_CONSTANT, rel=1e-3)
    assert math.log(10) * 0.0222878 / NM_PER_FTLB == pytest.approx(0.038, rel=0.005)
    for plm in (0.0, 25.0, 50.0, 100.0):
        exo = math.exp(0.038 * plm + 0.32) / CYCLES_TO_FAILURE_CONSTANT  # Zelik et al. (2022) Eq. 1
        assert damage_per_cycle(plm) == pytest.approx(exo, rel=0.02)


def test_lifft_warns_above_100_nm_and_refuses_absurd_loads():
    ok = lifft([LifftTask(20, 0.45, 300, "heavy")])  # 88 N·m
    assert ok.warnings == ()
    warned = lifft([LifftTask(30, 0.45, 300, "heavier")])  # 132 N·m
    assert peak_load_moment_nm(30, 0.45) > CAUTION_PLM_NM
    assert len(warned.warnings) == 1 and "132 N·m is above 100 N·m" in warned.warnings[0]
    with pytest.raises(InputError, match=r"field 'load' is 20000 kg"):
        lifft([LifftTask(20000, 0.45, 300)])  # math.exp overflowed here before
    with pytest.raises(InputError, match=r"peak load moment of 2206 N·m"):
        lifft([LifftTask(500, 0.45, 300)])
    with pytest.raises(InputError, match=r"field 'distance'"):
        lifft([LifftTask(10, 1e300, 300)])
    with pytest.raises(InputError, match=r"field 'reps'"):
        lifft([LifftTask(10, 0.4, 1e12)])


def test_l5s1_absurd_inputs_are_errors_naming_the_field():
    from liftsafe.ergonomics.spine_load import l5s1_compression

    base = dict(body_mass_kg=80, body_height_m=1.78, trunk_flexion_deg=45, hand_distance_m=0.45, load_kg=15)
    assert math.isfinite(l5s1_compression(**base).compression_n)
    for field, value in (
        ("body_mass_kg", 1e308),
        ("load_kg", 20000),
        ("hand_distance_m", 1e300),
        ("body_height_m", 1e300),
    ):
        with pytest.raises(InputError, match=rf"{field} must be <="):
            l5s1_compression(**{**base, field: value})  # gave "Infinity" in the JSON before


# ------------------------------------------------- NIOSH Applications Manual, Example 4 --


@pytest.mark.parametrize(("frequency", "duration"), [(3, "short"), (1, "moderate")])
def test_manual_example_4_package_inspection_origin_rwl(frequency, duration):
    # Waters, Putz-Anderson & Garg (1994), Applications Manual for the Revised NIOSH Lifting
    # Equation, DHHS (NIOSH) Publication No. 94-110, Example 4 "Package Inspection", Figure 14
    # (p. 46), origin: RWL = 51 x 1.0 x .94 x .87 x 1.0 x .88 x .95 = 34.9 lb, with
    # DM = .82 + 1.8/37 (D = 37 in), fair coupling, V = 22 in at the origin and 59 in at the
    # destination (read from a public transcription of the worksheet; see docs/ergonomics.md).
    # HM 1.0 -> H <= 10 in. FM .88 is the Table 5 cell of 3 lifts/min for <= 1 h and of
    # 1 lift/min for 1-2 h (both give the same RWL; the worksheet's F is not used here).
    task = LiftingTask(
        20.0,
        HandLocation(10.0, 22.0),
        HandLocation(10.0, 22.0 + 37.0),
        frequency,
        Coupling.FAIR,
        False,
        "example 4",
    )
    res = assess_task(task, units="us", duration=duration)
    origin = res.origin
    assert origin is not None
    m = origin.multipliers.rounded()
    assert (m.hm, m.vm, m.dm, m.am, m.fm, m.cm) == (1.0, 0.94, 0.87, 1.0, 0.88, 0.95)
    # the worksheet multiplies the rounded multipliers: 34.9 lb, as printed
    assert origin.rwl_rounded == 34.9
    # at full precision DM = 0.8686..., so the RWL is 34.8 lb: a rounding difference the manual
    # itself warns about (p. 29), not an error
    assert round(origin.rwl, 1) == 34.8


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        # 30 min lifting, 10 min light work, 45 min lifting: moderate (75 min together)
        ([(30, 10), (45, None)], Duration.MODERATE),
        # the same with a 30-minute recovery: short (recovery >= 1.0 x work time, 2021 revision)
        ([(30, 30), (45, None)], Duration.SHORT),
        # 2 h of continuous lifting needs at least 36 min of recovery (0.3 x 120) to stay moderate
        ([(120, 36), (60, None)], Duration.MODERATE),
        ([(120, 35), (60, None)], Duration.LONG),
    ],
)
def test_manual_duration_illustrations(schedule, expected):
    # Applications Manual (NIOSH 94-110, revised 9/2021), section 1.3.5.2, p. 14: the worked
    # illustrations of the duration categories.
    assert duration_from_schedule(schedule).category == expected


# ------------------------------------- NIOSH Applications Manual, Example 5 (dish-washing) --

# Waters, Putz-Anderson & Garg (1994), Applications Manual for the Revised NIOSH Lifting
# Equation, DHHS (NIOSH) Publication No. 94-110, Example 5 "Dish-Washing Machine Unloading"
# (pp. 47-50), as restated in the chapter "Revised NIOSH Lifting Equation" of Marras WS,
# Karwowski W (eds., 2006), Fundamentals and Assessment Tools for Occupational Ergonomics, 2nd
# ed., CRC Press, ch. 46, section 46.7.2 ("Dish-Washing Machine Unloading, Example 2", Figures
# 46.9 and 46.10): trays of 20 lb (assumed for all trays), H = 20 in, V = 44 in, A = 30 deg at the
# origin; H = 20 in, V = 7 in, A = 30 deg at the destination; 5 lifts/min; the job takes 45 min to
# 1 h; good coupling (handhold cut-outs); significant control at the destination. Printed:
# FM = 0.80, RWL 14.4 lb at the origin and 13.3 lb at the destination.
DISH_TRAYS = LiftingTask(
    20.0,
    HandLocation(20.0, 44.0, 30.0),
    HandLocation(20.0, 7.0, 30.0),
    5,
    Coupling.GOOD,
    True,
    "dish trays",
)


def test_manual_example_5_dish_washing_rwl_at_origin_and_destination():
    duration = duration_from_times(60)  # a 45-60 min job followed by the end of the task: short
    assert duration is Duration.SHORT
    res = assess_task(DISH_TRAYS, units="us", duration=duration)
    assert res.origin is not None and res.destination is not None
    assert res.origin.multipliers.fm == 0.80  # Table 5, 5 lifts/min, <= 1 h, V >= 30 in
    # the printed RWLs, which multiply multipliers rounded to 2 decimals
    assert res.origin.rwl_rounded == 14.4
    assert res.destination.rwl_rounded == 13.3
    assert res.governing is Point.DESTINATION  # the lower of the two
    # full precision: 14.3 lb at the origin (VM .895 and AM .904 print as .90, DM .8686 as .87),
    # 13.3 lb at the destination -- the rounding difference the manual warns about (p. 29)
    assert round(res.origin.rwl, 1) == 14.3
    assert round(res.destination.rwl, 1) == 13.3


def test_manual_example_5_dish_washing_through_the_cli(tmp_path):
    # the same example as a job file through `liftsafe niosh --json --details`
    job = {
        "units": "us",
        "duration": {"work_min": 60},
        "tasks": [
            {
                "name": "dish trays",
                "load": 20,
                "origin": {"h": 20, "v": 44, "a": 30},
                "destination": {"h": 20, "v": 7, "a": 30},
                "frequency": 5,
                "coupling": "good",
                "control_at_destination": True,
            }
        ],
    }
    path = tmp_path / "dish.json"
    path.write_text(json.dumps(job))
    result = CliRunner().invoke(build_app(), ["niosh", str(path), "--json", "--details"])
    assert result.exit_code == 0, result.output
    task = json.loads(result.stdout)["tasks"][0]
    assert task["origin"]["multipliers"]["fm"] == 0.80
    assert task["details"]["governing"] == "destination"
    assert task["details"]["rounded"]["rwl"] == 13.3  # printed RWL at the destination
    assert round(task["origin"]["rwl"], 1) == 14.3 and round(task["destination"]["rwl"], 1) == 13.3
