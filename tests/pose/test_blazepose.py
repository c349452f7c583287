"""BlazePose tracker recovery: an upside-down skeleton resets the tracker (real MediaPipe)."""

import numpy as np
import pytest

from liftsafe.pose.blazepose import RESET_COOLDOWN_FRAMES, BlazePoseEstimator, upside_down
from liftsafe.pose.video import FrameReader


def skeleton(shoulder, hip, ankle):
    xy = np.zeros((33, 2))
    xy[[11, 12]] = shoulder
    xy[[23, 24]] = hip
    xy[[27, 28]] = ankle
    return xy


@pytest.mark.parametrize(
    ("shoulder", "hip", "ankle", "expected"),
    [
        ((100, 100), (100, 200), (100, 380), False),  # standing (image y grows downwards)
        ((200, 190), (100, 200), (120, 380), False),  # hinged: trunk about horizontal
        ((180, 240), (100, 200), (120, 380), False),  # shoulders a little below the hips (117 deg)
        ((100, 300), (100, 200), (100, 380), True),  # trunk pointing straight down
        ((100, 100), (100, 200), (100, 50), True),  # ankles above the shoulders
    ],
)
def test_upside_down_geometry(shoulder, hip, ankle, expected):
    assert upside_down(skeleton(shoulder, hip, ankle)) is expected


def test_missing_points_are_not_upside_down():
    assert upside_down(np.full((33, 2), np.nan)) is False


@pytest.mark.clips
def test_upside_down_poses_reset_the_tracker_at_most_once_per_cooldown(clips_dir):
    frames = [rgb for _, rgb in FrameReader(clips_dir / "good" / "good014.mp4", max_width=480)][:40]
    with BlazePoseEstimator() as estimator:
        upright = [estimator.process(f, 0) for f in frames[:10]]
        assert all(p is not None and not upside_down(p.xy) for p in upright)
        assert estimator.resets == 0
        flipped = [estimator.process(np.ascontiguousarray(f[::-1]), 0) for f in frames[10:40]]
        # the flipped picture is found (upside down, as it is on screen), and each time the
        # tracker is started afresh -- once per cooldown, not on every frame
        assert sum(p is not None for p in flipped) >= 25
        assert 1 <= estimator.resets <= 30 // RESET_COOLDOWN_FRAMES + 1
        estimator.reset()
        assert estimator.process(frames[0], 0) is not None
