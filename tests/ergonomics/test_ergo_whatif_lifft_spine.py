"""What-if advice, LiFFT and the L5/S1 compression model."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from liftsafe.ergonomics.lifft import (
    NM_PER_FTLB,
    LifftConstants,
    LifftTask,
    damage_per_cycle,
    lifft,
    peak_load_moment_nm,
    probability_high_risk,
)
from liftsafe.ergonomics.niosh import assess_lift, assess_task
from liftsafe.ergonomics.spine_load import ACTION_LIMIT_N, CompressionBand, l5s1_compression
from liftsafe.ergonomics.whatif import Lever, what_if
from liftsafe.errors import InputError

# ----------------------------------------------------------------------------- what-if --


def test_no_advice_when_already_acceptable_or_out_of_scope():
    ok = assess_lift(
        load=5, h_origin=25, v_origin=75, h_destination=25, v_destination=75, frequency_per_min=1
    )
    assert what_if(ok) is None
    odd = assess_lift(load=50, h_origin=25, v_origin=75, h_destination=25, v_destination=75, frequency_per_min=1,  # noqa: E501
                      scope_flags=["one_handed"])  # fmt: skip
    assert what_if(odd) is None


def test_h_advice_solves_the_hm_equation():
    # only H costs: H 50 -> HM 0.5, RWL = 23 x 0.5 x 0.94 = 10.81 (short, F=1), load 15 -> LI 1.39
    r = assess_lift(load=15, h_origin=50, v_origin=75, h_destination=50, v_destination=75, frequency_per_min=1,  # noqa: E501
                    duration="short")  # fmt: skip
    w = what_if(r)
    assert w.costliest == "hm" and "HM = 0.50" in w.costliest_message
    h = next(a for a in w.advice if a.lever is Lever.H_ORIGIN)
    # closed form: 25 / H = 15 / (23 x 0.94)  ->  H = 36.04 cm; first 0.5 cm grid value below is 36.0
    assert h.sufficient and h.target == 36.0
    assert "H <= 36 cm (now 50)" in h.message
    check = assess_task(replace(r.task, origin=replace(r.task.origin, h=h.target)), duration="short")
    assert check.li <= 1.0
    just_above = assess_task(
        replace(r.task, origin=replace(r.task.origin, h=h.target + 0.5)), duration="short"
    )
    assert just_above.li > 1.0


def test_frequency_advice_and_ranking():
    r = assess_lift(load=10, h_origin=25, v_origin=75, h_destination=25, v_destination=75, frequency_per_min=6,  # noqa: E501
                    duration="long")  # fmt: skip
    # FM(6, long) = 0.27, RWL = 6.21 -> LI 1.61; need FM >= 10/23 = 0.435 -> F <= 4 + (0.45-0.435)/0.10 = 4.15
    w = what_if(r)
    assert w.costliest == "fm"
    f = next(a for a in w.advice if a.lever is Lever.FREQUENCY)
    assert f.sufficient and f.target == pytest.approx(4.1)
    sufficient = [a for a in w.advice if a.sufficient]
    assert sufficient and all(a.li_after <= 1.0 for a in sufficient)
    # ranked: every sufficient lever before any insufficient one
    flags = [a.sufficient for a in w.advice]
    assert flags == sorted(flags, reverse=True)


def test_team_lift_or_hoist_when_no_single_change_suffices():
    r = assess_lift(load=40, h_origin=60, v_origin=10, h_destination=60, v_destination=160, a_origin_deg=90,
                    frequency_per_min=5, coupling="poor", duration="long")  # fmt: skip
    w = what_if(r)
    assist = w.advice[-1]
    assert assist.lever is Lever.ASSIST and "no single change" in assist.message and "hoist" in assist.message
    assert not any(a.sufficient for a in w.advice if a.lever is not Lever.LOAD)


# ------------------------------------------------------------------------------- LiFFT --


def test_lifft_formulas():
    # 10 kg at 0.5 m: PLM = 49.03 N·m
    plm = peak_load_moment_nm(10, 0.5)
    assert plm == pytest.approx(49.03325)
    dpc = damage_per_cycle(plm)
    assert dpc == pytest.approx(10 ** (-5.81636 + 0.0222878 * plm / NM_PER_FTLB))
    res = lifft([LifftTask(10, 0.5, 500, "a"), LifftTask(5, 0.3, 1000, "b")])
    assert res.tasks[0].peak_load_moment_ftlb == pytest.approx(plm / NM_PER_FTLB)
    expected_cd = 500 * dpc + 1000 * damage_per_cycle(peak_load_moment_nm(5, 0.3))
    assert res.cumulative_damage == pytest.approx(expected_cd)
    y = 1.72 + 1.03 * math.log10(expected_cd)
    assert res.probability_high_risk == pytest.approx(math.exp(y) / (1 + math.exp(y)))


def test_lifft_30_nm_less_moment_cuts_damage_by_about_70_percent():
    # Exo-LiFFT abstract (Zelik et al. 2022): a 30 N·m exo moment cuts cumulative damage by ~70 %
    for plm in (40.0, 80.0, 120.0):
        ratio = damage_per_cycle(plm - 30) / damage_per_cycle(plm)
        assert ratio == pytest.approx(math.exp(-0.038 * 30), rel=0.01)  # Exo-LiFFT's 0.038 per N·m
        assert 0.65 < 1 - ratio < 0.72


def test_lifft_units_and_monotonicity():
    metric = LifftTask.from_units(load=10, distance=50, reps_per_day=100, units="metric")
    us = LifftTask.from_units(load=22.0462262, distance=19.6850394, reps_per_day=100, units="us")
    assert us.load_kg == pytest.approx(metric.load_kg) and us.horizontal_distance_m == pytest.approx(0.5)
    light = lifft([LifftTask(5, 0.4, 500)])
    heavy = lifft([LifftTask(15, 0.4, 500)])
    more = lifft([LifftTask(5, 0.4, 1000)])
    assert heavy.cumulative_damage > light.cumulative_damage
    assert more.cumulative_damage == pytest.approx(2 * light.cumulative_damage)
    assert 0 < light.probability_high_risk < heavy.probability_high_risk < 1
    assert probability_high_risk(0) == 0.0


def test_lifft_constants_can_be_overridden():
    natural = LifftConstants(log_base=math.e)
    res = lifft([LifftTask(10, 0.5, 500)], constants=natural)
    y = 1.72 + 1.03 * math.log(res.cumulative_damage)
    assert res.probability_high_risk == pytest.approx(1 / (1 + math.exp(-y)))


def test_lifft_errors():
    with pytest.raises(InputError, match=r"LiFFT task 1 \('x'\): field 'reps' must be a number >= 0"):
        lifft([LifftTask(10, 0.5, -1, "x")])
    with pytest.raises(InputError, match=r"at least one task"):
        lifft([])
    with pytest.raises(InputError, match=r"units must be 'metric' or 'us'"):
        LifftTask.from_units(load=1, distance=1, reps_per_day=1, units="si")


# ------------------------------------------------------------------------------ L5/S1 --


def test_l5s1_hand_worked():
    # 80 kg, 1.78 m, upright (0 deg), 10 kg at 0.30 m
    r = l5s1_compression(
        body_mass_kg=80, body_height_m=1.78, trunk_flexion_deg=0, hand_distance_m=0.30, load_kg=10
    )
    g = 9.80665
    w_trunk, w_arms, w_load = 0.436 * 80 * g, 0.100 * 80 * g, 10 * g
    moment = w_arms * 0.5 * 0.30 + w_load * 0.30  # trunk upright: no trunk moment
    assert r.moment_nm == pytest.approx(moment)
    assert r.compression_n == pytest.approx(moment / 0.05 + w_trunk + w_arms + w_load)
    assert r.shear_n == pytest.approx(0.0, abs=1e-9)
    assert r.band is CompressionBand.BELOW_ACTION_LIMIT


def test_l5s1_increases_with_flexion_load_and_distance():
    base = dict(body_mass_kg=80, body_height_m=1.78, trunk_flexion_deg=30, hand_distance_m=0.4, load_kg=10)
    c0 = l5s1_compression(**base).compression_n
    assert l5s1_compression(**{**base, "trunk_flexion_deg": 60}).compression_n > c0
    assert l5s1_compression(**{**base, "load_kg": 20}).compression_n > c0
    assert l5s1_compression(**{**base, "hand_distance_m": 0.6}).compression_n > c0


def test_l5s1_bands_and_errors():
    heavy = l5s1_compression(
        body_mass_kg=90, body_height_m=1.8, trunk_flexion_deg=70, hand_distance_m=0.6, load_kg=30
    )
    assert heavy.compression_n > ACTION_LIMIT_N and heavy.band is not CompressionBand.BELOW_ACTION_LIMIT
    huge = l5s1_compression(
        body_mass_kg=90, body_height_m=1.8, trunk_flexion_deg=80, hand_distance_m=0.7, load_kg=40
    )
    assert huge.band is CompressionBand.ABOVE_MAXIMUM
    with pytest.raises(InputError, match=r"L5/S1 model: load_kg must be a number >= 0"):
        l5s1_compression(
            body_mass_kg=80, body_height_m=1.8, trunk_flexion_deg=0, hand_distance_m=0.3, load_kg=-1
        )
    w = l5s1_compression(
        body_mass_kg=80, body_height_m=178, trunk_flexion_deg=100, hand_distance_m=0.3, load_kg=1
    )
    assert any("looks wrong" in x for x in w.warnings) and any("extrapolating" in x for x in w.warnings)
