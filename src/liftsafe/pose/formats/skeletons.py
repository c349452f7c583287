"""Other tools' keypoint layouts and how their points map onto liftsafe's joints.

Orders as published by each tool:

* OpenPose ``BODY_25`` and ``COCO`` (18 points) -- OpenPose documentation, "Output"
  (doc/02_output.md, "Pose Output Format (BODY_25)" / "(COCO)"; Cao et al. 2019, IEEE TPAMI
  43:172).
* ``coco17`` -- COCO keypoints (Lin et al. 2014), MMPose/RTMPose's default body layout.
* ``halpe26`` -- Halpe full-body, body part (Fang et al. 2022, AlphaPose, IEEE TPAMI 45:7157):
  COCO-17, then head, neck, hip, big toes, small toes, heels.
* ``coco_wholebody`` -- COCO-WholeBody (Jin et al. 2020, ECCV): COCO-17, then six foot points
  (left big toe, small toe, heel, right big toe, small toe, heel), then 68 face and 42 hand
  points (133 in all; only the body and feet are read).

Names are liftsafe's (:mod:`liftsafe.pose.layouts`); ``None`` marks a point liftsafe does not
use (OpenPose's neck and mid-hip are computed by liftsafe from the two sides instead). A big
toe becomes ``foot_index`` (BlazePose's "foot index" is the tip of the foot).
"""

from __future__ import annotations

import re

from liftsafe.pose.layouts import BLAZEPOSE33, COCO17

_L, _R = "left_", "right_"

OPENPOSE_BODY25: tuple[str | None, ...] = (
    "nose", None, "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
    "left_wrist", None, "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle",
    "right_eye", "left_eye", "right_ear", "left_ear", "left_foot_index", None, "left_heel",
    "right_foot_index", None, "right_heel",
)
OPENPOSE_COCO18: tuple[str | None, ...] = (
    "nose", None, "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
    "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle",
    "right_eye", "left_eye", "right_ear", "left_ear",
)
HALPE26: tuple[str | None, ...] = (
    *COCO17, None, None, None, "left_foot_index", "right_foot_index", None, None, "left_heel", "right_heel",
)
COCO_WHOLEBODY_BODY: tuple[str | None, ...] = (
    *COCO17, "left_foot_index", None, "left_heel", "right_foot_index", None, "right_heel",
)
COCO_WHOLEBODY_POINTS = 133

#: Joints the analysis cannot do without (each side; a side view still has both in the file).
REQUIRED: tuple[str, ...] = tuple(
    f"{side}{j}" for j in ("shoulder", "hip", "knee", "ankle") for side in (_L, _R)
)

# Marker / keypoint names of TRC files and movement datasets, matched after lower-casing and
# dropping everything but letters and digits (and an OpenCap ``_study`` suffix): Pose2Sim and
# Sports2D write ``RHip``, ``LBigToe``...; OpenCap ``r_knee_study``, ``RHJC_study`` (hip joint
# centre), ``r_calc_study`` (heel), ``r_toe_study``; DeepLabCut/SLEAP projects often
# ``left_hip`` or ``hip_left``.
_PARTS: dict[str, tuple[str, ...]] = {
    "shoulder": ("shoulder", "sho"),
    "elbow": ("elbow", "lelbow"),
    "wrist": ("wrist", "lwrist"),
    "hip": ("hip", "hjc"),
    "knee": ("knee",),
    "ankle": ("ankle", "ank"),
    "heel": ("heel", "calc"),
    "foot_index": ("bigtoe", "toe", "footindex", "foot"),
    "eye": ("eye",),
    "ear": ("ear",),
}
_SIDES = {_L: ("left", "l"), _R: ("right", "r")}


def _synonyms() -> dict[str, str]:
    table = {"nose": "nose"}
    for side, words in _SIDES.items():
        for part, aliases in _PARTS.items():
            for alias in aliases:
                for word in words:
                    table.setdefault(word + alias, side + part)
                    table.setdefault(alias + word, side + part)
    return table


_SYNONYMS = _synonyms()


def liftsafe_name(name: str) -> str | None:
    """liftsafe's joint for another tool's marker/keypoint name, or None when it is not one."""
    key = re.sub(r"_study$", "", str(name).strip().lower())
    key = re.sub(r"[^a-z0-9]", "", key)
    return _SYNONYMS.get(key)


def target_layout(names: set[str]) -> str:
    """``blazepose33`` when the points include heels and toes (BlazePose has them), else ``coco17``."""
    feet = {"left_heel", "right_heel", "left_foot_index", "right_foot_index"}
    return "blazepose33" if feet <= names else "coco17"


def target_names(layout: str) -> tuple[str, ...]:
    """Point names of a liftsafe layout."""
    return BLAZEPOSE33 if layout == "blazepose33" else COCO17
