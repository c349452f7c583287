"""Rep detection on synthetic depth curves with known rep boundaries."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftsafe.reps.detect import detect_reps


def depth_curve(
    n_reps, *, fps, descent_s, pause_s, ascent_s, hold_s, idle_s, depth=160.0, start_at_bottom=False
):
    parts = [np.zeros(int(idle_s * fps))]
    bottoms = []
    for i in range(n_reps):
        if not (start_at_bottom and i == 0):
            n = max(2, int(descent_s * fps))
            parts.append(depth * (1 - np.cos(np.linspace(0, np.pi, n))) / 2)
        parts.append(np.full(max(1, int(pause_s * fps)), depth))
        bottoms.append(sum(len(p) for p in parts) - 1)
        n = max(2, int(ascent_s * fps))
        parts.append(depth * (1 + np.cos(np.linspace(0, np.pi, n))) / 2)
        parts.append(np.zeros(max(1, int(hold_s * fps))))
    parts.append(np.zeros(int(idle_s * fps)))
    return np.concatenate(parts), bottoms


@settings(max_examples=60, deadline=None)
@given(
    n_reps=st.integers(1, 8),
    fps=st.sampled_from([24.0, 25.0, 30.0, 60.0]),
    descent_s=st.floats(0.3, 2.5),
    pause_s=st.floats(0.0, 1.0),
    ascent_s=st.floats(0.4, 2.0),
    hold_s=st.floats(0.1, 1.5),
    idle_s=st.floats(0.0, 3.0),
    noise=st.floats(0.0, 4.0),
    seed=st.integers(0, 1000),
)
def test_rep_count_exact(n_reps, fps, descent_s, pause_s, ascent_s, hold_s, idle_s, noise, seed):
    d, bottoms = depth_curve(
        n_reps, fps=fps, descent_s=descent_s, pause_s=pause_s, ascent_s=ascent_s, hold_s=hold_s, idle_s=idle_s
    )
    d = d + np.random.default_rng(seed).normal(0, noise, d.size)
    det = detect_reps(d, fps=fps)
    assert len(det.reps) == n_reps
    for span, true_bottom in zip(det.reps, bottoms):
        assert span.start_frame <= true_bottom < span.end_frame


def test_tempo_measured():
    fps = 30.0
    d, _ = depth_curve(2, fps=fps, descent_s=2.0, pause_s=0.5, ascent_s=1.0, hold_s=1.0, idle_s=1.0)
    det = detect_reps(d, fps=fps)
    for span in det.reps:
        descent, pause, ascent = span.tempo_s(fps)
        # band edges cut ~12 % of the amplitude at each end: descent and ascent read a bit short
        assert descent == pytest.approx(2.0, abs=0.5)
        assert ascent == pytest.approx(1.0, abs=0.35)
        assert pause == pytest.approx(0.5, abs=0.35)


def test_clip_starting_at_the_bottom_counts_the_first_pull():
    fps = 30.0
    d, _ = depth_curve(
        3, fps=fps, descent_s=1.0, pause_s=0.3, ascent_s=1.0, hold_s=0.5, idle_s=0.0, start_at_bottom=True
    )
    det = detect_reps(d, fps=fps)
    assert len(det.reps) == 3
    assert det.reps[0].descent_start is None
    phases = det.reps[0].phases_s(fps, setup_start=0)
    assert "descent" not in phases and "ascent" in phases


def test_clip_ending_at_the_bottom_drops_the_last_descent():
    fps = 30.0
    d, _ = depth_curve(2, fps=fps, descent_s=1.0, pause_s=0.2, ascent_s=1.0, hold_s=0.5, idle_s=0.5)
    tail = 160.0 * (1 - np.cos(np.linspace(0, np.pi, 30))) / 2
    det = detect_reps(np.concatenate([d, tail]), fps=fps)
    assert len(det.reps) == 2
    assert any("clip ends at the bottom" in w for w in det.warnings)


def test_partial_rep_at_start_is_not_counted():
    fps = 30.0
    d, _ = depth_curve(2, fps=fps, descent_s=1.0, pause_s=0.2, ascent_s=1.0, hold_s=0.5, idle_s=0.5)
    partial = np.linspace(60.0, 0.0, 15)  # the clip opens half-way up an ascent
    det = detect_reps(np.concatenate([partial, d]), fps=fps)
    assert len(det.reps) == 2


def test_standing_still_is_no_lift():
    det = detect_reps(np.random.default_rng(1).normal(5, 2, 200), fps=30.0)
    assert det.reps == ()
    assert any("no lift found" in w for w in det.warnings)


def test_lift_that_goes_back_down_before_the_top_is_not_counted_and_the_next_rep_is_well_formed():
    fps = 30.0
    half = 160.0 * (1 - np.cos(np.linspace(0, np.pi, 30))) / 2  # top to bottom in 1 s
    up_half_way = np.linspace(160.0, 90.0, 20)  # up to mid-shin height only ...
    down_again = np.linspace(90.0, 160.0, 20)  # ... and back to the floor
    up = half[::-1]
    d = np.concatenate([np.zeros(20), half, up_half_way, down_again, np.full(5, 160.0), up, np.zeros(30)])
    det = detect_reps(d, fps=fps)
    assert len(det.reps) == 1
    span = det.reps[0]
    assert (
        span.start_frame
        <= span.bottom_start
        <= span.bottom_frame
        <= span.bottom_end
        <= span.ascent_end
        < span.end_frame
    )
    assert span.bottom_frame >= 20 + 30 + 20  # the second bottom: the completed lift
    assert any("went back down before reaching the top" in w for w in det.warnings)


def test_a_depth_swing_faster_than_any_lift_is_a_tracking_glitch_not_a_rep():
    # a real rep, then the pose collapses for a moment (depth jumps to 40 % of the rep and
    # snaps back up within 0.13 s), then the lifter stands still
    fps = 30.0
    d, _ = depth_curve(1, fps=fps, descent_s=1.0, pause_s=0.3, ascent_s=1.0, hold_s=1.0, idle_s=0.5)
    glitch = np.concatenate([np.linspace(0.0, 64.0, 9), np.linspace(64.0, 0.0, 4)])  # up in 0.13 s
    d = np.concatenate([d, glitch, np.zeros(30)])
    det = detect_reps(d, fps=fps)
    assert len(det.reps) == 1
    assert det.reps[0].bottom_frame < len(d) - 43
    assert any("faster than any lift" in w for w in det.warnings)
    # the same swing at a lift's pace (0.5 s up) is a (shallow) rep
    slow = np.concatenate([np.linspace(0.0, 64.0, 20), np.linspace(64.0, 0.0, 15)])
    d2 = np.concatenate([d[: len(d) - 43], slow, np.zeros(30)])
    assert len(detect_reps(d2, fps=fps).reps) == 2
