"""MediaPipe BlazePose (full model) as a :class:`~liftsafe.pose.estimator.PoseEstimator`.

Uses the ``mediapipe.solutions.pose`` graph with ``model_complexity=1``: the
``pose_landmark_full.tflite`` and ``pose_detection.tflite`` models ship inside the
``mediapipe==0.10.21`` wheel, so nothing is downloaded, ever. (``model_complexity=2``, the
"heavy" model, is *not* in the wheel and would try to download: we refuse it.)

Video mode (``static_image_mode=False``) tracks the person from frame to frame and smooths
landmarks; 33 landmarks come in normalised image coordinates (scaled here to pixels), with a
"visibility" score used as confidence, and in metric world coordinates (origin between the
hips). The person segmentation mask is produced only when ``segmentation=True``.

Tracking only re-runs the person detector when it loses the person, so a wrong start -- a
close-up of the legs at the start of an edited clip, a plate mistaken for the torso -- can
lock the tracker onto an upside-down skeleton for the rest of the clip. :meth:`process`
then starts the graph afresh -- at most once per ``RESET_COOLDOWN_FRAMES`` -- and re-runs
that frame through the person detector (:meth:`reset`, :func:`upside_down`). (Resetting at
every scene cut as well was tried: it changed the estimates of four edited clips and made
three verdicts worse, so it is not done; docs/evaluation.md.)

Reference: Bazarevsky et al. (2020), BlazePose: On-device Real-time Body Pose tracking,
arXiv:2006.10204.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import numpy as np

from liftsafe.pose.frame import FramePose
from liftsafe.pose.layouts import joint_index

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
        sys.stderr = os.fdopen(
            os.dup(saved), "w", buffering=1, encoding=getattr(old_stderr, "encoding", None) or "utf-8"
        )
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


#: heuristic: a lifter's trunk never points more than 120 deg away from vertical-up (the
#: shoulders well below the hips); a pose that does is a tracking failure
UPSIDE_DOWN_DEG = 120.0
#: at most one automatic reset per this many frames: a fresh graph costs a model load
RESET_COOLDOWN_FRAMES = 15
_SHOULDERS, _HIPS, _ANKLES = (
    [joint_index("blazepose33", f"{side}_{joint}") for side in ("left", "right")]
    for joint in ("shoulder", "hip", "ankle")
)


def upside_down(xy: np.ndarray) -> bool:
    """True when a BlazePose skeleton (33 x 2, image pixels) stands on its head.

    The trunk (mid-hip -> mid-shoulder) points more than :data:`UPSIDE_DOWN_DEG` from
    vertical-up, or the ankles are above the shoulders (image y grows downwards).
    """
    shoulder, hip, ankle = (xy[ix].mean(axis=0) for ix in (_SHOULDERS, _HIPS, _ANKLES))  # type: ignore[index]
    dx, dy = shoulder - hip
    if not (np.isfinite(dx) and np.isfinite(dy)) or dx == dy == 0:
        return False
    from_up = float(np.degrees(np.arctan2(abs(dx), -dy)))
    return from_up > UPSIDE_DOWN_DEG or bool(ankle[1] < shoulder[1])


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
        self._settings = (mp, segmentation, min_detection_confidence, min_tracking_confidence)
        self._pose = self._make(*self._settings)
        self._since_reset = RESET_COOLDOWN_FRAMES
        self.resets = 0  # automatic resets (upside-down poses), for tests and diagnostics

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

    def reset(self) -> None:
        """Forget the tracked person: the next frame runs the person detector from scratch."""
        self._pose.close()
        self._pose = self._make(*self._settings)
        self._since_reset = 0

    def restart(self) -> None:
        """Start afresh for a new clip, exactly as a newly made estimator would (a fresh graph,
        the upside-down check armed from the first frame); the model stays imported."""
        self.reset()
        self._since_reset = RESET_COOLDOWN_FRAMES
        self.resets = 0

    def process(self, rgb: np.ndarray, timestamp_ms: int) -> FramePose | None:
        """Pose of one RGB frame, or None when no person is found."""
        del timestamp_ms  # the legacy solution graph timestamps frames itself
        rgb = np.ascontiguousarray(rgb)
        rgb.flags.writeable = False
        self._since_reset += 1
        pose = self._run(rgb)
        if pose is not None and self._since_reset > RESET_COOLDOWN_FRAMES and upside_down(pose.xy):
            self.reset()
            self.resets += 1
            self._since_reset = 1
            pose = self._run(rgb)
        return pose

    def _run(self, rgb: np.ndarray) -> FramePose | None:
        h, w = rgb.shape[:2]
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
        """Release the MediaPipe graph."""
        self._pose.close()

    def __enter__(self) -> "BlazePoseEstimator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
