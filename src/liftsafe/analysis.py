"""Analysis: the bundle that report writers receive.

``result`` is the plain, JSON-serialisable :class:`~liftsafe.result.AnalysisResult`;
``series`` the cleaned keypoints; ``signals`` the per-frame kinematic signals (name ->
array of length ``series.n_frames``; names carry units, see :mod:`liftsafe.kinematics`);
``video_path`` the source video when there is one (for keyframes and the annotated video).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from liftsafe.pose.series import PoseSeries
from liftsafe.reps.detect import RepSpan
from liftsafe.result import AnalysisResult

#: Signals plotted in the report, in this order.
PLOTTED_SIGNALS: tuple[str, ...] = ("trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg")


@dataclass(frozen=True, eq=False)
class Analysis:
    result: AnalysisResult
    series: PoseSeries
    signals: dict[str, np.ndarray]
    video_path: Path | None = None
    facing: int = 1  # +1 lifter faces image right, -1 faces image left
    spans: tuple[RepSpan, ...] = ()  # the reps' phase boundaries in frames, one per result rep
    #: fault code -> why it could not be checked in this clip (joints hidden in every rep;
    #: kinematics/occlusion.py), and the same per rep
    unavailable_faults: dict[str, str] = field(default_factory=dict)
    unavailable_faults_by_rep: tuple[dict[str, str], ...] = ()

    @property
    def time_s(self) -> np.ndarray:
        """Time of each frame in seconds."""
        return self.series.time_s
