"""Synthetic data for the report-writer tests: a small analysis (planar stick figure doing two
hinge reps, the second with a rounded-back fault) and a tiny synthetic video.

A uniquely named module (not ``conftest``) so test files can import it without clashing with
other areas' conftest modules."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np

from liftsafe.pose.layouts import BLAZEPOSE33
from liftsafe.pose.series import PoseSeries
from liftsafe.result import (
    AnalysisResult,
    Evidence,
    Fault,
    FaultCode,
    Rep,
    Severity,
    Tempo,
    View,
    verdict_for,
)

FPS = 30.0
WIDTH, HEIGHT = 320, 240
IDLE = 5
REP_FRAMES = 30
N_REPS = 2
N_FRAMES = IDLE + N_REPS * REP_FRAMES + IDLE  # 70
CUE = "Chest up & proud <keep a long spine>"  # characters that must be escaped in HTML


def _figure(trunk_deg: float, knee_deg: float) -> dict[str, tuple[float, float]]:
    """Joint positions (pixels) of a stick figure facing image-right."""
    ankle = np.array([160.0, 215.0])
    shin = math.radians(knee_deg * 0.5)
    knee = ankle + 50 * np.array([math.sin(shin), -math.cos(shin)])
    thigh = math.radians(knee_deg * 0.5)
    hip = knee + 55 * np.array([-math.sin(thigh), -math.cos(thigh)])
    tr = math.radians(trunk_deg)
    up = np.array([math.sin(tr), -math.cos(tr)])
    shoulder = hip + 70 * up
    return {
        "ankle": ankle,
        "knee": knee,
        "hip": hip,
        "shoulder": shoulder,
        "ear": shoulder + 16 * up,
        "elbow": shoulder + np.array([0.0, 30.0]),
        "wrist": shoulder + np.array([0.0, 58.0]),
        "heel": ankle + np.array([-10.0, 6.0]),
        "foot_index": ankle + np.array([24.0, 6.0]),
    }


def _angles(n: int) -> tuple[np.ndarray, np.ndarray]:
    m = max(n, N_FRAMES)
    trunk = np.full(m, 8.0)
    knee = np.full(m, 5.0)
    for r in range(N_REPS):
        s = IDLE + r * REP_FRAMES
        phase = np.sin(np.pi * np.arange(REP_FRAMES) / (REP_FRAMES - 1)) ** 2
        trunk[s : s + REP_FRAMES] = 8.0 + 62.0 * phase
        knee[s : s + REP_FRAMES] = 5.0 + 25.0 * phase
    return trunk[:n], knee[:n]


def make_series(n: int = N_FRAMES) -> PoseSeries:
    trunk, knee = _angles(n)
    xy = np.full((n, len(BLAZEPOSE33), 2), np.nan)
    conf = np.zeros((n, len(BLAZEPOSE33)))
    for i in range(n):
        fig = _figure(trunk[i], knee[i])
        for part, p in fig.items():
            for side, dx, c in (("left", 0.0, 0.95), ("right", 3.0, 0.6)):
                j = BLAZEPOSE33.index(f"{side}_{part}")
                xy[i, j] = p + np.array([dx, 0.0])
                conf[i, j] = c
        nose = BLAZEPOSE33.index("nose")
        xy[i, nose] = fig["ear"] + np.array([9.0, 2.0])
        conf[i, nose] = 0.9
    return PoseSeries(xy=xy, confidence=conf, fps=FPS, layout="blazepose33", image_size=(WIDTH, HEIGHT),
                      source="synthetic.csv")


def make_signals(n: int = N_FRAMES) -> dict[str, np.ndarray]:
    trunk, knee = _angles(n)
    hip = trunk + knee * 0.5
    neck = np.full(n, 12.0)
    neck[:3] = np.nan
    return {
        "trunk_inclination_deg": trunk,
        "hip_flexion_deg": hip,
        "knee_flexion_deg": knee,
        "shin_angle_deg": knee * 0.5,
        "neck_extension_deg": neck,
        "hand_forward_m": np.linspace(0.02, 0.05, n),
    }


def _rep(index: int, faults: tuple[Fault, ...] = ()) -> Rep:
    s = IDLE + (index - 1) * REP_FRAMES
    e = s + REP_FRAMES - 1
    b = s + REP_FRAMES // 2
    t = lambda f: f / FPS  # noqa: E731
    phases = {
        "setup": (t(s), t(s + 3)),
        "descent": (t(s + 3), t(b - 2)),
        "bottom": (t(b - 2), t(b + 2)),
        "ascent": (t(b + 2), t(e - 3)),
        "lockout": (t(e - 3), t(e)),
    }
    return Rep(
        index=index,
        start_s=t(s),
        end_s=t(e),
        phases=phases,
        tempo=Tempo(descent_s=t(b - 2) - t(s + 3), pause_s=4 / FPS, ascent_s=t(e - 3) - t(b + 2)),
        metrics={"max_trunk_inclination_deg": 70.0, "max_knee_flexion_deg": 30.0},
        faults=faults,
        start_frame=s,
        end_frame=e,
        bottom_frame=b,
    )


def make_result(*, simulated: bool = False, severity: Severity = Severity.MAJOR) -> AnalysisResult:
    b2 = IDLE + REP_FRAMES + REP_FRAMES // 2
    fault = Fault(
        code=FaultCode.ROUNDED_BACK,
        severity=severity,
        start_s=(b2 - 4) / FPS,
        end_s=(b2 + 3) / FPS,
        evidence=Evidence(metric="spine_flexion_deg", value=31.5, threshold=20.0, unit="deg", comparison=">",
                          frame=b2, time_s=b2 / FPS, source="heuristic"),
        cue=CUE,
    )
    reps = (_rep(1), _rep(2, (fault,)))
    return AnalysisResult(
        source="synthetic <clip>.mp4",
        exercise="deadlift",
        fps=FPS,
        duration_s=N_FRAMES / FPS,
        view=View.SIDE,
        rep_count=len(reps),
        verdict=verdict_for(reps),
        reps=reps,
        warnings=("camera slightly high: film at hip height",),
        camera={"view": "side", "whole_body_in_frame": True},
        simulated=simulated,
    )


def write_test_video(path: Path, n_frames: int = N_FRAMES, size: tuple[int, int] = (WIDTH, HEIGHT)) -> Path:
    """A tiny H.264 clip: a gradient background with a moving square."""
    import av

    w, h = size
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(int(FPS)))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        yy, xx = np.mgrid[0:h, 0:w]
        base = np.stack([(xx * 255 // w), (yy * 255 // h), np.full_like(xx, 90)], axis=-1).astype(np.uint8)
        for i in range(n_frames):
            img = base.copy()
            x = (i * 3) % (w - 20)
            img[20:40, x : x + 20] = (250, 250, 250)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def decode_all(path: Path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
