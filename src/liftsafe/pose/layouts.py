"""Keypoint layouts: the names and order of the points an estimator or a file provides.

Two layouts are supported:

* ``blazepose33`` -- MediaPipe BlazePose, 33 landmarks (Bazarevsky et al. 2020,
  "BlazePose: On-device Real-time Body Pose tracking", arXiv:2006.10204).
* ``coco17`` -- the COCO keypoint layout used by OpenPose-style, YOLO-pose, RTMPose and
  most public datasets (Lin et al. 2014).

Everything downstream works on :data:`JOINTS`, a layout-independent set of named points;
:func:`joint_index` maps a joint to its index in a layout (``None`` when the layout lacks it,
e.g. COCO-17 has no heels or toes).
"""

from __future__ import annotations

BLAZEPOSE33: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

COCO17: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)

LAYOUTS: dict[str, tuple[str, ...]] = {"blazepose33": BLAZEPOSE33, "coco17": COCO17}

#: Joints the analysis uses. Each side has its own point; mid-points are computed.
JOINTS: tuple[str, ...] = (
    "nose",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

#: Skeleton edges for drawing (pairs of joint names).
SKELETON_EDGES: tuple[tuple[str, str], ...] = (
    ("left_ear", "left_shoulder"),
    ("right_ear", "right_shoulder"),
    ("left_shoulder", "right_shoulder"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "right_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)


def layout_names(layout: str) -> tuple[str, ...]:
    """Return the ordered point names of ``layout`` or raise ``ValueError`` naming the choices."""
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(
            f"unknown keypoint layout {layout!r}; expected one of {', '.join(LAYOUTS)}"
        ) from None


def joint_index(layout: str, joint: str) -> int | None:
    """Index of ``joint`` in ``layout``, or ``None`` if the layout does not provide it."""
    names = layout_names(layout)
    try:
        return names.index(joint)
    except ValueError:
        return None
