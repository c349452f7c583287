"""Back rounding is read from just before lift-off: a clip that starts after the load left the
floor has no initial pull to read, and says so instead of reading the later pull (simulator)."""

import numpy as np
import pytest

from liftsafe.app.demo import with_silhouette_features
from liftsafe.pipeline import analyze_series
from liftsafe.result import Exercise, FaultCode
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.verdict import LIFT_OFF_KIND


def _rounded(n_reps: int = 1, seed: int = 0):
    faults = {i: {FaultCode.ROUNDED_BACK} for i in range(n_reps)}
    sim = simulate_lift(SimConfig(exercise=Exercise.DEADLIFT, n_reps=n_reps, seed=seed, noise_px=1.0,
                                  faults=faults))
    return sim, with_silhouette_features(sim)


def _starting_at(series, start: int, untracked: int):
    """The clip from frame ``start``, its first ``untracked`` frames without a person (a clip
    that opens mid-motion: the pose is found a few frames in)."""
    clip = series.slice(start, series.n_frames)
    xy, conf = clip.xy.copy(), clip.confidence.copy()
    xy[:untracked] = np.nan
    conf[:untracked] = 0.0
    return clip.with_xy(xy, conf)


def _rounded_faults(result):
    return [f for rep in result.reps for f in rep.faults if f.code is FaultCode.ROUNDED_BACK]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("untracked", [0, 1, 2])
def test_a_clip_that_starts_mid_pull_does_not_judge_the_back(seed, untracked):
    """Whether the pose is found on the clip's first frame or a frame or two later: the detector
    puts the rep's bottom on the first frames, and a lifter seen there for a frame is already
    rising (a real clip tilted by 6 deg was found one frame earlier than the original and was judged
    on its later pull)."""
    sim, series = _rounded(seed=seed)
    ascent = sim.reps[0].phases["ascent"][0]
    result = analyze_series(_starting_at(series, ascent + 4, untracked=untracked), exercise="deadlift",
                            simulated=True).result
    assert result.rep_count == 1
    # the later pull is still bowed (the simulated back stays rounded through the ascent's first
    # 40 %), so reading it would flag the back: it is not read
    assert not _rounded_faults(result)
    listed = {x["code"]: x for x in result.not_checked}
    assert listed["rounded_back"]["kind"] == LIFT_OFF_KIND
    assert "not filmed" in listed["rounded_back"]["reason"]
    assert result.judged is False
    assert np.isnan(result.reps[0].metrics["dorsal_curvature_pull"])


@pytest.mark.parametrize("seed", [0, 1])
def test_a_clip_that_starts_at_the_set_up_still_judges_the_back(seed):
    sim, series = _rounded(seed=seed)
    bottom = sim.reps[0].phases["bottom"][0]
    result = analyze_series(_starting_at(series, bottom, untracked=0), exercise="deadlift",
                            simulated=True).result
    assert _rounded_faults(result)
    assert "rounded_back" not in {x["code"] for x in result.not_checked}
    assert result.judged is True


def test_only_the_rep_whose_lift_off_was_missed_is_not_checked():
    sim, series = _rounded(n_reps=2)
    ascent = sim.reps[0].phases["ascent"][0]
    result = analyze_series(_starting_at(series, ascent + 4, untracked=2), exercise="deadlift",
                            simulated=True).result
    assert result.rep_count == 2
    first, second = result.reps
    assert {x["code"]: x["kind"] for x in first.not_checked}.get("rounded_back") == LIFT_OFF_KIND
    assert not any(f.code is FaultCode.ROUNDED_BACK for f in first.faults)
    assert any(f.code is FaultCode.ROUNDED_BACK for f in second.faults)
    assert "rounded_back" not in {x["code"] for x in result.not_checked}
    assert result.judged is True
