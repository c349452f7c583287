"""MediaPipe BlazePose (full model) as a :class:`~liftsafe.pose.estimator.PoseEstimator`.

Uses the ``mediapipe.solutions.pose`` graph with ``model_complexity=1``: the
``pose_landmark_full.tflite`` and ``pose_detection.tflite`` models ship inside the
``mediapipe==0.10.21`` wheel, so nothing is downloaded, ever. (``model_complexity=2``, the
"heavy" model, is *not* in the wheel and would try to download: we refuse it.)

Video mode (``static_image_mode=False``) tracks the person from frame to frame and smooths
landmarks; 33 landmarks come in normalised image coordinates (scaled here to pixels), with a
"visibility" score used as confidence, and in metric world coordinates (origin between the
hips). The person segmentation mask is produced only when ``segmentation=True``.

Reference: Bazarevsky et al. (2020), BlazePose: On-device Real-time Body Pose tracking,
arXiv:2006.10204.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import numpy as np

from liftsafe.pose.estimator import FramePose

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextmanager
def quiet_native_stderr():
    """Silence MediaPipe's C++ (absl/glog/TFLite) chatter, which ignores Python logging.

    File descriptor 2 is pointed at /dev/null while Python's ``sys.stderr`` is pointed at a
    duplicate of the real stderr, so progress bars, warnings and tracebacks still show.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr (embedded use)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    old_stderr = sys.stderr
    try:
        sys.stderr = os.fdopen(os.dup(saved), "w", buffering=1, encoding=getattr(old_stderr, "encoding", None) or "utf-8")
    except OSError:
        sys.stderr = old_stderr
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        if sys.stderr is not old_stderr:
            try:
                sys.stderr.close()
            except OSError:
                pass
        sys.stderr = old_stderr
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class BlazePoseEstimator:
    layout = "blazepose33"

    def __init__(
        self,
        *,
        segmentation: bool = False,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        import mediapipe as mp  # imported lazily: slow to import, not needed for keypoint files

        self.segmentation = segmentation
        self._pose = self._make(mp, segmentation, min_detection_confidence, min_tracking_confidence)

    @staticmethod
    def _make(mp, segmentation: bool, min_detection_confidence: float, min_tracking_confidence: float):
        return mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=True,
            enable_segmentation=segmentation,
            smooth_segmentation=segmentation,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def process(self, rgb: np.ndarray, timestamp_ms: int) -> FramePose | None:
        del timestamp_ms  # the legacy solution graph timestamps frames itself
        h, w = rgb.shape[:2]
        rgb = np.ascontiguousarray(rgb)
        rgb.flags.writeable = False
        out = self._pose.process(rgb)
        if out.pose_landmarks is None:
            return None
        lm = out.pose_landmarks.landmark
        xy = np.array([[p.x * w, p.y * h] for p in lm], dtype=float)
        conf = np.clip(np.array([p.visibility for p in lm], dtype=float), 0.0, 1.0)
        world = None
        if out.pose_world_landmarks is not None:
            world = np.array([[p.x, p.y, p.z] for p in out.pose_world_landmarks.landmark], dtype=float)
        mask = None
        if self.segmentation and out.segmentation_mask is not None:
            mask = np.asarray(out.segmentation_mask)
        return FramePose(xy=xy, confidence=conf, world_m=world, mask=mask)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> "BlazePoseEstimator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
