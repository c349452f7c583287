import numpy as np

from liftsafe.kinematics.clean import keep_longest_shot, shots
from liftsafe.pose import cache
from liftsafe.pose.estimator import SceneChange, VideoPoseResult
from liftsafe.pose.video import VideoInfo
from liftsafe.simulate.lifter import SimConfig, simulate_lift


def test_scene_change_spikes_at_a_cut():
    a = np.zeros((72, 128, 3), np.uint8)
    a[:, :64] = 200  # one shot: bright on the left
    b = np.zeros((72, 128, 3), np.uint8)
    b[:, 64:] = 200  # the next shot: bright on the right
    sc = SceneChange()
    values = [sc(a), sc(a), sc(np.clip(a.astype(int) + 2, 0, 255).astype(np.uint8)), sc(b)]
    assert np.isnan(values[0]) and values[1] == 0.0 and values[2] < 3.0 and values[3] > 20.0


def test_shots_and_longest_shot_blanking():
    change = np.array([np.nan, 0.5, 12.0, 0.4, 0.3, 0.2, 9.0, 0.1])
    assert shots(change) == [(0, 2), (2, 6), (6, 8)]
    sim = simulate_lift(SimConfig(n_reps=1, seed=1))
    n = sim.series.n_frames
    change = np.zeros(n)
    change[5] = 15.0
    from dataclasses import replace

    series = replace(sim.series, frame_features={"scene_change": change, "dorsal_deviation": np.ones(n)})
    kept, note = keep_longest_shot(series)
    assert "cuts between 2 shots" in note
    assert np.all(kept.confidence[:5] == 0) and np.all(np.isnan(kept.xy[:5]))
    assert np.all(np.isnan(kept.frame_features["dorsal_deviation"][:8]))  # 5 outside + 3 settling
    assert np.all(kept.frame_features["dorsal_deviation"][8:] == 1)
    assert keep_longest_shot(sim.series) == (sim.series, None)


def test_cache_round_trip(tmp_path):
    sim = simulate_lift(SimConfig(n_reps=1, seed=1))
    from dataclasses import replace

    series = replace(
        sim.series, frame_features={"dorsal_deviation": np.arange(sim.series.n_frames, dtype=float)}
    )
    info = VideoInfo(
        path=tmp_path / "v.mp4",
        fps=30.0,
        width=1280,
        height=720,
        rotation_deg=0,
        n_frames=series.n_frames,
        duration_s=series.duration_s,
        codec="h264",
    )
    cache.save(tmp_path, "k1", VideoPoseResult(series=series, info=info, warnings=["w"]))
    back = cache.load(tmp_path, "k1")
    np.testing.assert_array_equal(back.series.xy, series.xy)
    np.testing.assert_array_equal(back.series.world_m, series.world_m)
    np.testing.assert_array_equal(
        back.series.frame_features["dorsal_deviation"], series.frame_features["dorsal_deviation"]
    )
    assert back.info == info and back.warnings == ["w"]
    (tmp_path / "k2.npz").write_bytes(b"broken")
    assert cache.load(tmp_path, "k2") is None and cache.load(tmp_path, "absent") is None
