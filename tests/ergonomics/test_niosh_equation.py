"""RNLE single-task behaviour: range edges, FM interpolation, points, scope, duration, coupling."""

from __future__ import annotations

import math

import pytest

from liftsafe.ergonomics.niosh import (
    Coupling,
    Duration,
    HandLocation,
    LiftingTask,
    Point,
    RiskBand,
    ScopeFlag,
    assess_lift,
    assess_task,
    asymmetric_multiplier,
    coupling_class,
    distance_multiplier,
    duration_from_schedule,
    duration_from_times,
    frequency_multiplier,
    horizontal_multiplier,
    risk_band,
    round_half_up,
    scope_flags_from_conditions,
    vertical_multiplier,
)
from liftsafe.errors import InputError

# ------------------------------------------------------------------------- range edges --


@pytest.mark.parametrize(("units", "h_min", "h_max"), [("metric", 25, 63), ("us", 10, 25)])
def test_h_edges(units, h_min, h_max):
    assert horizontal_multiplier(0, units=units) == 1.0  # H < 25 cm (10 in) -> H = 25, HM = 1
    assert horizontal_multiplier(h_min - 1, units=units) == 1.0
    assert horizontal_multiplier(h_min, units=units) == 1.0
    assert horizontal_multiplier(h_max, units=units) == pytest.approx(h_min / h_max)  # 0.397 / 0.40
    assert horizontal_multiplier(h_max + 1e-6, units=units) == 0.0  # H > 63 cm (25 in) -> 0


@pytest.mark.parametrize(
    ("units", "v_opt", "v_max", "coef"), [("metric", 75, 175, 0.003), ("us", 30, 70, 0.0075)]
)
def test_v_edges(units, v_opt, v_max, coef):
    assert vertical_multiplier(v_opt, units=units) == 1.0
    assert vertical_multiplier(0, units=units) == pytest.approx(1 - coef * v_opt)  # floor: 0.775
    assert vertical_multiplier(v_max, units=units) == pytest.approx(0.70)
    assert vertical_multiplier(v_max + 1e-6, units=units) == 0.0  # V > 175 cm (70 in) -> 0


@pytest.mark.parametrize(("units", "d_min", "d_max", "num"), [("metric", 25, 175, 4.5), ("us", 10, 70, 1.8)])
def test_d_edges(units, d_min, d_max, num):
    assert distance_multiplier(0, units=units) == 1.0  # D < 25 cm (10 in) -> D = 25, DM = 1
    assert distance_multiplier(d_min - 0.5, units=units) == 1.0
    assert distance_multiplier(d_min, units=units) == pytest.approx(1.0)
    assert distance_multiplier(d_max, units=units) == pytest.approx(0.82 + num / d_max)
    assert distance_multiplier(d_max + 1e-6, units=units) == 0.0  # D > 175 cm (70 in) -> 0


def test_a_edges():
    assert asymmetric_multiplier(0) == 1.0
    assert asymmetric_multiplier(135) == pytest.approx(0.568)
    assert asymmetric_multiplier(135.01) == 0.0  # A > 135 deg -> 0
    assert asymmetric_multiplier(-45) == asymmetric_multiplier(45)  # magnitude only


def test_negative_distances_are_errors():
    with pytest.raises(InputError, match=r"field 'h' must be >= 0"):
        horizontal_multiplier(-1)
    with pytest.raises(InputError, match=r"field 'v' must be >= 0"):
        vertical_multiplier(-0.1, units="us")
    with pytest.raises(InputError, match=r"field 'd' must be >= 0"):
        distance_multiplier(-3)
    with pytest.raises(InputError, match=r"field 'frequency' must be >= 0"):
        frequency_multiplier(-1, v_origin=50, duration="short")


# ------------------------------------------------------------------------ FM behaviour --


def test_fm_below_0_2_is_rated_at_0_2():
    for f in (0.0, 0.05, 0.19, 0.2):
        assert frequency_multiplier(f, v_origin=50, duration="long") == 0.85


@pytest.mark.parametrize(
    ("f", "duration", "v", "expected"),
    [
        (0.35, "short", 80, 1.00 + (0.97 - 1.00) * (0.15 / 0.3)),  # between 0.2 and 0.5
        (1.5, "long", 80, (0.75 + 0.65) / 2),
        (2.25, "moderate", 20, 0.84 + (0.79 - 0.84) * 0.25),
        (12.5, "short", 80, (0.37 + 0.34) / 2),  # V >= 75: 13 is non-zero
        (9.9, "long", 80, 0.15 + (0.13 - 0.15) * 0.9),
    ],
)
def test_fm_interpolates_linearly_between_rows(f, duration, v, expected):
    assert frequency_multiplier(f, v_origin=v, duration=duration) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("duration", "v", "last_nonzero"),
    [
        ("short", 50, 12),
        ("short", 80, 15),
        ("moderate", 50, 10),
        ("moderate", 80, 12),
        ("long", 50, 8),
        ("long", 80, 10),
    ],
)
def test_fm_zero_rule_never_interpolates_into_a_zero_row(duration, v, last_nonzero):
    assert frequency_multiplier(last_nonzero, v_origin=v, duration=duration) > 0
    assert frequency_multiplier(last_nonzero + 0.01, v_origin=v, duration=duration) == 0.0
    assert frequency_multiplier(last_nonzero + 0.5, v_origin=v, duration=duration) == 0.0


def test_fm_uses_v_at_origin_and_cm_uses_v_at_each_point():
    # origin V < 75 with long duration and F = 9: FM = 0 (V < 75 column) at both points
    task = LiftingTask(10, HandLocation(30, 50), HandLocation(30, 100), 9, Coupling.FAIR, True, "t")
    r = assess_task(task, duration="long")
    assert r.origin.multipliers.fm == 0.0 and r.destination.multipliers.fm == 0.0
    assert r.origin.multipliers.cm == 0.95 and r.destination.multipliers.cm == 1.0


# --------------------------------------------------------------- origin/destination --


def test_destination_only_when_controlled_and_governing_is_the_lower_rwl():
    kw = dict(load=10, h_origin=30, v_origin=75, h_destination=50, v_destination=120, frequency_per_min=1)
    free = assess_lift(**kw)
    assert free.destination is None and free.governing is Point.ORIGIN
    ctrl = assess_lift(**kw, control_at_destination=True)
    assert ctrl.destination is not None
    assert ctrl.governing is Point.DESTINATION  # H 50 and V 120 at the destination cost more
    assert ctrl.rwl == ctrl.destination.rwl == min(ctrl.origin.rwl, ctrl.destination.rwl)
    assert ctrl.li == pytest.approx(10 / ctrl.destination.rwl)
    assert ctrl.firwl == pytest.approx(min(ctrl.origin.firwl, ctrl.destination.firwl))


def test_lowering_is_treated_like_lifting():
    up = assess_lift(
        load=10, h_origin=40, v_origin=20, h_destination=40, v_destination=120, frequency_per_min=1
    )
    down = assess_lift(
        load=10, h_origin=40, v_origin=120, h_destination=40, v_destination=20, frequency_per_min=1
    )
    assert up.origin.multipliers.dm == down.origin.multipliers.dm


def test_hand_worked_single_task_metric():
    # H 40 cm, V 30 cm, D 100 cm, A 30 deg, F 2/min long, V < 75 -> FM .65, fair -> CM .95
    r = assess_lift(load=12, h_origin=40, v_origin=30, h_destination=40, v_destination=130, a_origin_deg=30,
                    frequency_per_min=2, coupling="fair", duration="long")  # fmt: skip
    hm, vm, dm, am, fm, cm = 25 / 40, 1 - 0.003 * 45, 0.82 + 4.5 / 100, 1 - 0.0032 * 30, 0.65, 0.95
    rwl = 23 * hm * vm * dm * am * fm * cm
    assert r.rwl == pytest.approx(rwl)
    assert r.li == pytest.approx(12 / rwl)
    # manual rounding: multipliers to 2 decimals, then RWL and LI to 1 decimal
    rounded_rwl = 23 * 0.63 * 0.87 * 0.87 * 0.90 * 0.65 * 0.95
    assert r.rwl_rounded == round(rounded_rwl, 1) == 6.1
    assert r.li_rounded == 2.0  # 12 / 6.0655 = 1.978
    assert r.band is RiskBand.INCREASED


def test_hand_worked_single_task_us_units_are_native_not_converted():
    r = assess_lift(load=30, h_origin=15, v_origin=10, h_destination=15, v_destination=40,
                    frequency_per_min=1, coupling="good", duration="short", units="us")  # fmt: skip
    expected = 51 * (10 / 15) * (1 - 0.0075 * 20) * (0.82 + 1.8 / 30) * 1 * 0.94 * 1
    assert r.rwl == pytest.approx(expected)
    assert r.li == pytest.approx(30 / expected)


def test_rwl_zero_gives_infinite_li_and_a_warning():
    r = assess_lift(
        load=10, h_origin=70, v_origin=75, h_destination=30, v_destination=75, frequency_per_min=1
    )
    assert r.rwl == 0.0 and math.isinf(r.li) and r.band is RiskBand.HIGH
    assert any("HM = 0" in w for w in r.warnings)


GEOMETRY = {"h_origin": 30, "v_origin": 75, "h_destination": 30, "v_destination": 75}


def test_frequency_above_15_gives_fm_zero_and_a_warning_not_an_error():
    # Table 5: above 15 lifts/min every column is 0 -> FM = 0, RWL = 0, like the other zero cells
    r = assess_lift(**{**GEOMETRY, "load": 5, "frequency_per_min": 16}, name="fast")
    assert r.origin.multipliers.fm == 0.0 and r.rwl == 0.0 and math.isinf(r.li)
    assert r.firwl > 0 and r.fili == pytest.approx(5 / r.firwl)  # FILI does not depend on F
    assert any("task 'fast'" in w and "FM = 0" in w for w in r.warnings)


def test_absurd_inputs_are_errors_naming_the_field():
    # load 1e28 raised decimal.InvalidOperation (a traceback) in the manual rounding before
    with pytest.raises(InputError, match=r"task 'x': field 'load' must be <= 1000"):
        assess_lift(**{**GEOMETRY, "load": 1e28, "frequency_per_min": 1}, name="x")
    with pytest.raises(InputError, match=r"field 'origin.h' must be <= 1000"):
        assess_lift(**{**GEOMETRY, "load": 5, "frequency_per_min": 1, "h_origin": 1e300})
    with pytest.raises(InputError, match=r"field 'frequency' must be <= 100 lifts/min"):
        assess_lift(**{**GEOMETRY, "load": 5, "frequency_per_min": 1e28})
    assert round_half_up(1e28, 1) == 1e28  # and the rounding itself never raises


# ------------------------------------------------------------------------------- bands --


@pytest.mark.parametrize(("li", "band"), [(0.5, "acceptable"), (1.0, "acceptable"), (1.01, "increased"),
                                          (3.0, "increased"), (3.01, "high"), (math.inf, "high")])  # fmt: skip  # noqa: E501
def test_bands(li, band):
    assert risk_band(li) == band


# ------------------------------------------------------------------------------- scope --


@pytest.mark.parametrize("flag", list(ScopeFlag))
def test_out_of_scope_tasks_get_a_warning_not_a_number(flag):
    r = assess_lift(load=10, h_origin=30, v_origin=75, h_destination=30, v_destination=100, frequency_per_min=1,  # noqa: E501
                    scope_flags=[flag], name="odd")  # fmt: skip
    assert not r.in_scope and r.rwl is None and r.li is None and r.origin is None
    assert any("does not apply" in w and "odd" in w for w in r.warnings)
    forced = assess_lift(load=10, h_origin=30, v_origin=75, h_destination=30, v_destination=100,
                         frequency_per_min=1, scope_flags=[flag], ignore_scope=True)  # fmt: skip
    assert forced.li is not None and any("does not apply" in w for w in forced.warnings)


def test_scope_flags_from_conditions():
    assert scope_flags_from_conditions() == frozenset()
    assert scope_flags_from_conditions(shift_hours=9) == {ScopeFlag.OVER_8_HOURS}
    assert scope_flags_from_conditions(shift_hours=8, temperature_c=22, humidity_pct=40) == frozenset()
    assert scope_flags_from_conditions(temperature_c=30) == {ScopeFlag.ADVERSE_ENVIRONMENT}
    assert scope_flags_from_conditions(humidity_pct=80) == {ScopeFlag.ADVERSE_ENVIRONMENT}
    assert scope_flags_from_conditions(floor_friction=0.3) == {ScopeFlag.POOR_FLOOR_FRICTION}
    assert scope_flags_from_conditions(hand_speed_cm_s=90) == {ScopeFlag.FAST_MOTION}


# ---------------------------------------------------------------------------- duration --


@pytest.mark.parametrize(
    ("work", "recovery", "expected"),
    [
        (45, 45, Duration.SHORT),  # recovery 1.0 x work
        (60, 60, Duration.SHORT),
        (60, None, Duration.SHORT),  # end of shift
        (61, 30, Duration.MODERATE),  # > 1 h, recovery >= 0.3 x
        (120, 36, Duration.MODERATE),
        (121, 0, Duration.LONG),
        (480, None, Duration.LONG),
        (45, 30, Duration.SHORT),  # insufficient recovery, but no more lifting follows
    ],
)
def test_duration_from_times(work, recovery, expected):
    assert duration_from_times(work, recovery) is expected


def test_work_times_add_up_when_recovery_is_insufficient():
    # 45 min + 30 min rest (< 1.0 x) -> adds to the next 45 min: 90 min, then 60 min rest -> moderate
    a = duration_from_schedule([(45, 30), (45, 60)])
    assert a.category is Duration.MODERATE and a.blocks[0].work_min == 90
    # with enough rest each time, two short blocks
    b = duration_from_schedule([(45, 45), (45, None)])
    assert b.category is Duration.SHORT and len(b.blocks) == 2
    # moderate that never gets 0.3 x recovery keeps adding up -> long
    c = duration_from_schedule([(90, 20), (60, None)])
    assert c.category is Duration.LONG
    d = duration_from_schedule([(300, 30), (200, None)])
    assert d.over_8_hours and d.total_work_min == 500


def test_duration_errors():
    with pytest.raises(InputError, match=r"at least one"):
        duration_from_schedule([])
    with pytest.raises(InputError, match=r"schedule\[0\].work_min' must be >= 0"):
        duration_from_schedule([(-5, 10)])


# ---------------------------------------------------------------------------- coupling --


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (dict(loose_object=False, optimal_container=False), Coupling.POOR),
        (dict(loose_object=False, optimal_container=True, optimal_handles=True), Coupling.GOOD),
        (dict(loose_object=False, optimal_container=True, fingers_flexed_90=True), Coupling.FAIR),
        (dict(loose_object=False, optimal_container=True, fingers_flexed_90=False), Coupling.POOR),
        (dict(loose_object=True, bulky=True, optimal_grip=True), Coupling.POOR),
        (dict(loose_object=True, optimal_grip=True), Coupling.GOOD),
        (dict(loose_object=True, fingers_flexed_90=True), Coupling.FAIR),
        (dict(loose_object=True), Coupling.POOR),
    ],
)
def test_coupling_decision_tree(kwargs, expected):
    assert coupling_class(**kwargs) is expected
