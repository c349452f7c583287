"""Drawing helpers and number formatting."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_factory import HEIGHT, WIDTH, make_series

from liftsafe.pose.layouts import BLAZEPOSE33, COCO17
from liftsafe.report import drawing
from liftsafe.report.fmt import num, pretty_signal, split_unit


def _canvas() -> np.ndarray:
    return drawing.blank_canvas(WIDTH, HEIGHT)


def test_draw_skeleton_returns_a_new_image_and_leaves_input_alone() -> None:
    series = make_series()
    img = _canvas()
    before = img.copy()
    out = drawing.draw_skeleton(img, series.xy[10], series.confidence[10], series.layout)
    assert np.array_equal(img, before)
    assert out.shape == img.shape and out.dtype == np.uint8
    hip = series.joint("left_hip")[10]
    y, x = int(round(hip[1])), int(round(hip[0]))
    assert (
        np.abs(out[y - 2 : y + 3, x - 2 : x + 3].astype(int) - before[y - 2 : y + 3, x - 2 : x + 3]).max()
        > 50
    )


def test_inplace_draws_on_the_given_array() -> None:
    series = make_series()
    img = _canvas()
    out = drawing.draw_skeleton(img, series.xy[0], series.confidence[0], series.layout, inplace=True)
    assert out is img
    assert not np.all(img == np.array(drawing.CANVAS_COLOR, dtype=np.uint8))


def test_low_confidence_and_missing_points_are_not_drawn() -> None:
    series = make_series()
    img = _canvas()
    out = drawing.draw_skeleton(img, series.xy[0], np.zeros(len(BLAZEPOSE33)), series.layout)
    assert np.array_equal(out, img)
    out = drawing.draw_skeleton(img, np.full((len(COCO17), 2), np.nan), np.ones(len(COCO17)), "coco17")
    assert np.array_equal(out, img)


@settings(max_examples=40, deadline=None)
@given(
    dx=st.floats(-400, 400),
    dy=st.floats(-300, 300),
    scale=st.floats(0.05, 5.0),
    missing=st.lists(st.integers(0, len(BLAZEPOSE33) - 1), max_size=10),
)
def test_draw_skeleton_never_fails_for_points_anywhere(
    dx: float, dy: float, scale: float, missing: list[int]
) -> None:
    series = make_series()
    xy = series.xy[20] * scale + np.array([dx, dy])
    xy[missing] = np.nan
    out = drawing.draw_skeleton(_canvas(), xy, series.confidence[20], series.layout)
    assert out.shape == (HEIGHT, WIDTH, 3)


def test_visible_side_prefers_the_more_confident_side() -> None:
    conf = np.zeros(len(BLAZEPOSE33))
    for i, name in enumerate(BLAZEPOSE33):
        conf[i] = 0.9 if name.startswith("right_") else 0.4
    assert drawing.visible_side(conf, "blazepose33") == "right"
    assert drawing.visible_side(1 - conf, "blazepose33") == "left"


def test_draw_angle_arc_is_on_the_inside_of_the_angle() -> None:
    img = drawing.blank_canvas(200, 200, color=(0, 0, 0))
    v, a, b = (100, 100), (180, 100), (100, 20)  # rays to the right and up: a 90-degree angle
    out = drawing.draw_angle(img, v, a, b, radius=40, color=(255, 255, 0))
    inside = (100 + 40 * math.cos(math.radians(-45)), 100 + 40 * math.sin(math.radians(-45)))
    outside = (100 + 40 * math.cos(math.radians(135)), 100 + 40 * math.sin(math.radians(135)))
    assert out[int(round(inside[1])), int(round(inside[0]))].max() > 100
    assert out[int(round(outside[1])), int(round(outside[0]))].max() == 0


def test_nan_angle_leaves_the_image_unchanged() -> None:
    img = _canvas()
    assert np.array_equal(drawing.draw_angle(img, (np.nan, 1), (2, 3), (4, 5), label="x"), img)


def test_border_and_label_stay_inside_the_image() -> None:
    img = drawing.blank_canvas(64, 48, color=(0, 0, 0))
    out = drawing.draw_border(img, (255, 0, 0))
    assert tuple(out[0, 0]) == (255, 0, 0) and tuple(out[24, 32]) == (0, 0, 0)
    out = drawing.draw_label(img, "A long label that does not fit", (60, 45))
    assert out.shape == img.shape and out.any()


@pytest.mark.parametrize(
    ("metric", "kind"),
    [
        ("trunk_inclination_deg", "inclination"),
        ("hand_forward_peak_bh", "horizontal"),
        ("dorsal_deviation_peak", "segment"),
        ("knee_to_hip_flexion_ratio", "angle"),
        ("something_new", "angle"),
    ],
)
def test_geometry_for_metric(metric: str, kind: str) -> None:
    assert drawing.geometry_for_metric(metric)[0] == kind


@pytest.mark.parametrize("metric", ["trunk_inclination_deg", "hand_forward_peak_bh", "dorsal_deviation_peak",
                                    "neck_deviation_peak_deg", "knee_to_hip_flexion_ratio"])
def test_draw_metric_draws_something(metric: str) -> None:
    series = make_series()
    img = _canvas()
    out = drawing.draw_metric(img, series.xy[35], series.confidence[35], series.layout, metric, label="7 deg")
    assert (np.abs(out.astype(int) - img).sum(axis=2) > 0).mean() > 0.002


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_num_is_plain_and_close(x: float) -> None:
    text = num(x)
    assert "e" not in text.lower()
    assert float(text) == pytest.approx(x, rel=5e-3, abs=1e-12 if x == 0 else 5e-3 * abs(x) + 1e-300)


def test_num_unknown_values() -> None:
    assert num(None) == num(float("nan")) == num(float("inf")) == "–"


def test_units_from_names() -> None:
    assert split_unit("trunk_inclination_deg") == ("trunk inclination", "deg")
    assert split_unit("peak_hip_extension_velocity_deg_s") == ("peak hip extension velocity", "deg/s")
    assert split_unit("hand_forward_bh") == ("hand forward", "body heights")
    assert pretty_signal("dorsal_deviation") == "dorsal deviation"
