"""THE threshold table: every fault's metric, limits per exercise, the views it can be judged
from, and where the numbers come from. No fault threshold lives anywhere else.

A fault fires when its metric crosses the ``minor`` limit; ``major`` and ``unsafe`` limits
raise the severity. A fault with only a ``minor`` limit never changes the verdict. Whether a
fault is *reported* at all, and from which severity, is decided per camera view by the
false-alarm budget (:mod:`liftsafe.technique.budget`). ``comparison`` ">" means larger is
worse, "<" smaller is worse.
``None`` for a level means that severity is not used for this fault.

Sources: "heuristic" marks a number chosen by the project from the coaching literature
(McGill 2015; Haff & Triplett 2016) and the simulator's clean/faulty ranges, to be calibrated
on labelled clips by cross-validation (``liftsafe evaluate``). Metric definitions:
:mod:`liftsafe.technique.metrics`; signal definitions: :mod:`liftsafe.kinematics.signals`.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from liftsafe.result import Comparison, Exercise, FaultCode, View

HINGES = (
    Exercise.DEADLIFT,
    Exercise.RDL,
    Exercise.KETTLEBELL_DEADLIFT,
    Exercise.HIP_HINGE,
    Exercise.BOX_LIFT,
)
ALL = tuple(Exercise)
SAGITTAL_VIEWS = (View.SIDE, View.OBLIQUE)
ANY_VIEW = (View.SIDE, View.OBLIQUE, View.FRONT)
#: back rounding is judged up to this camera yaw off side-on. Chosen on the simulator alone
#: (``python benchmarks/spine_views.py``, docs/spine.md): the largest yaw, in 5 deg steps,
#: at which every simulated rounded rep (deadlift, RDL, box lift; camera in front of or behind
#: the side) still reads above the major limit and no neutral rep does; at 42.5-45 deg the
#: far shoulder flattens a rounded box lift's outline to 0.2-0.3.
SPINE_MAX_YAW_DEG = 40.0
#: the back outline's curvature is read from just before lift-off through this share of the
#: ascent (the initial pull: McGill 2015; Haff & Triplett 2016). ``liftsafe evaluate --calibrate``
#: chooses among
#: SPINE_PULL_ASCENT_SHARES by nested cross-validation; on the shared clips its choice was
#: unstable (0.25 by source group, 0.75 by clip) and no gain survived nesting, so the half
#: stays (docs/evaluation.md).
SPINE_PULL_ASCENT_SHARE = 0.5
#: the windows the calibration chooses from: the ascent's quarters (fixed before looking at
#: any clip's curvature over time)
SPINE_PULL_ASCENT_SHARES = (0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Limits:
    minor: float
    major: float | None = None
    unsafe: float | None = None


@dataclass(frozen=True)
class Threshold:
    code: FaultCode
    metric: str
    unit: str
    comparison: Comparison
    limits: dict[Exercise, Limits]
    views: tuple[View, ...]
    source: str
    description: str
    #: limits a calibration may choose from (heuristic): outside this range a limit would
    #: contradict what the fault means (e.g. "incomplete lockout" at 0 deg of hip flexion)
    plausible: tuple[float, float] = (float("-inf"), float("inf"))
    #: the major limit is fitted on labelled clips by ``liftsafe evaluate --calibrate`` (a metric
    #: of this project's own with no published limit); the others are never re-fitted
    fitted: bool = False
    #: judged only when the camera is at most this far off side-on (deg); beyond it the
    #: metric does not measure what it means (the far side of the body joins the outline)
    max_yaw_deg: float = 90.0

    def beyond(self, value, limit: float):
        """Whether ``value`` (a number or a numpy array) is past ``limit`` in this fault's bad
        direction (NaN never is)."""
        return value > limit if self.comparison == ">" else value < limit

    def judgeable(self, view: View, yaw_deg: float = float("nan")) -> bool:
        """Whether this fault can be judged from ``view`` with the camera ``yaw_deg`` off side-on
        (an unknown yaw: from the view alone)."""
        if view not in self.views:
            return False
        return not math.isfinite(yaw_deg) or yaw_deg <= self.max_yaw_deg


def _same(limits: Limits, exercises=ALL) -> dict[Exercise, Limits]:
    return {e: limits for e in exercises}


TABLE: tuple[Threshold, ...] = (
    Threshold(
        FaultCode.ROUNDED_BACK,
        "dorsal_curvature_pull",
        "1/trunk length",
        ">",
        _same(Limits(0.20, 0.37, 0.55)),
        SAGITTAL_VIEWS,
        "minor and unsafe heuristic (simulator: neutral 0.09-0.15, rounded 0.66-0.74); major 0.37 fitted on "
        "the 21 "
        "judged shared clips by `liftsafe evaluate --calibrate` (cross-validated score in "
        "docs/evaluation.md, far "
        "below the training score); spine flexion in the initial pull is the most dangerous "
        "pattern (McGill 2015); "
        f"judged up to {SPINE_MAX_YAW_DEG:g} deg of camera yaw (simulator sweep: beyond it the far shoulder "
        f"joins "
        "the outline and a rounded back can read below the major limit, docs/spine.md)",
        "Curvature of the back's outline (dorsal contour of the person mask), median from just before "
        "lift-off through the first half of the ascent; 0 = flat back, positive = bowed outwards.",
        plausible=(0.05, 1.0),
        fitted=True,
        max_yaw_deg=SPINE_MAX_YAW_DEG,
    ),
    Threshold(
        FaultCode.SQUATTING_THE_HINGE,
        "knee_to_hip_flexion_ratio",
        "ratio",
        ">",
        {
            Exercise.DEADLIFT: Limits(0.90, 1.00),
            Exercise.BOX_LIFT: Limits(1.05, 1.25),
            Exercise.KETTLEBELL_DEADLIFT: Limits(0.90, 1.05),
            Exercise.RDL: Limits(0.55, 0.75),
            Exercise.HIP_HINGE: Limits(0.55, 0.75),
        },
        SAGITTAL_VIEWS,
        "heuristic; squatting the load up instead of hinging (McGill 2015; Haff & Triplett 2016)",
        "Knee flexion divided by hip flexion at the bottom of the rep.",
        plausible=(0.7, 1.6),
    ),
    Threshold(
        FaultCode.HIPS_RISE_FIRST,
        "early_ascent_trunk_drop_deg",
        "deg",
        ">",
        _same(Limits(8.0, 22.5), HINGES + (Exercise.SQUAT,)),
        SAGITTAL_VIEWS,
        "minor heuristic; major 22.5 fitted on the 21 judged shared clips by `liftsafe evaluate --calibrate` "
        "(was 11 before tracking failures behind plates were gated: one good clip moved it) "
        "(cross-validated score in docs/evaluation.md); turning the hinge into a pull with "
        "the back (McGill 2015; Haff & Triplett 2016)",
        "How much further the trunk tips forward during the first 40 % of the ascent (hips rising, "
        "shoulders not).",
        plausible=(5.0, 30.0),
        fitted=True,
    ),
    Threshold(
        FaultCode.JERKED_PULL,
        "peak_hip_extension_velocity_deg_s",
        "deg/s",
        ">",
        _same(Limits(300.0, 420.0), HINGES),
        SAGITTAL_VIEWS,
        "heuristic; twisting or jerking (McGill 2015; Haff & Triplett 2016); not part of the squat, which "
        "has no pull of a load from the floor and whose ascent is coached at maximal intended velocity "
        "(Pareja-Blanco et al. 2014, Int J Sports Med 35:916-924): a fast squat is not a jerk -- "
        "`python benchmarks/brisk_tempo.py` showed a fast sound squat (0.5 s up) over the limit on every rep",
        "Fastest hip extension in the first half of the ascent.",
        plausible=(200.0, 900.0),
    ),
    Threshold(
        FaultCode.LOAD_FAR_FROM_BODY,
        "hand_forward_peak_bh",
        "body heights",
        ">",
        _same(Limits(0.05), HINGES),
        SAGITTAL_VIEWS,
        "heuristic; NIOSH HM = 25/H: load moment grows with horizontal distance (Waters et al. 1994)",
        "Largest distance of the hands (load) ahead of the mid-foot from the bottom through the ascent.",
        plausible=(0.04, 0.2),
    ),
    Threshold(
        FaultCode.HEAD_OUT_OF_LINE,
        "neck_deviation_peak_deg",
        "deg",
        ">",
        _same(Limits(20.0)),
        SAGITTAL_VIEWS,
        "heuristic; dowel drill (McGill 2015): head, upper back and tailbone in one line",
        "Largest change of the head-to-trunk angle from the lifter's standing posture, during the rep.",
        plausible=(15.0, 50.0),
    ),
    Threshold(
        FaultCode.TWISTING,
        "shoulder_twist_deg",
        "deg",
        ">",
        _same(Limits(15.0, 20.0)),
        ANY_VIEW,
        "heuristic; twisting or jerking (McGill 2015; Haff & Triplett 2016)",
        "Largest change of the angle between the shoulder line and the hip line about the trunk axis (3-D "
        "world landmarks).",
        plausible=(10.0, 40.0),
    ),
    Threshold(
        FaultCode.LATERAL_SHIFT,
        "pelvis_shift_peak_bh",
        "body heights",
        ">",
        _same(Limits(0.025, 0.04)),
        (View.FRONT,),
        "heuristic; left/right imbalance (McGill 2015; Haff & Triplett 2016)",
        "Largest sideways shift of the mid-hip relative to its position at the rep start (front view).",
        plausible=(0.02, 0.1),
    ),
    Threshold(
        FaultCode.INCOMPLETE_LOCKOUT,
        "lockout_hip_flexion_deg",
        "deg",
        ">",
        {
            **_same(Limits(12.0, 18.0), (Exercise.DEADLIFT, Exercise.KETTLEBELL_DEADLIFT, Exercise.BOX_LIFT)),
            **_same(Limits(15.0, 22.0), (Exercise.RDL, Exercise.HIP_HINGE)),
            Exercise.SQUAT: Limits(20.0, 30.0),
        },
        SAGITTAL_VIEWS,
        "heuristic; incomplete range of motion (McGill 2015; Haff & Triplett 2016)",
        "Smallest hip flexion reached at the top of the rep.",
        plausible=(8.0, 35.0),
    ),
    Threshold(
        FaultCode.HYPEREXTENDED_LOCKOUT,
        "lockout_lean_back_deg",
        "deg",
        ">",
        _same(Limits(10.0, 15.0)),
        SAGITTAL_VIEWS,
        "heuristic; leaning back at lockout loads the lumbar facets",
        "How far the trunk leans back behind vertical at the top of the rep.",
        plausible=(5.0, 30.0),
    ),
    Threshold(
        FaultCode.UNCONTROLLED_DESCENT,
        "descent_duration_s",
        "s",
        "<",
        {
            **_same(Limits(0.45, 0.35), (Exercise.DEADLIFT, Exercise.BOX_LIFT)),
            **_same(
                Limits(0.60, 0.40),
                (Exercise.RDL, Exercise.KETTLEBELL_DEADLIFT, Exercise.HIP_HINGE, Exercise.SQUAT),
            ),
        },
        ANY_VIEW,
        "heuristic; slow descents and deliberate pauses build control (McGill 2015; Haff & Triplett 2016)",
        "Duration of the descent (top to bottom).",
        plausible=(0.2, 0.7),
    ),
    Threshold(
        FaultCode.SHALLOW_HINGE,
        "bottom_hip_flexion_deg",
        "deg",
        "<",
        {
            Exercise.DEADLIFT: Limits(60.0, 45.0),
            Exercise.BOX_LIFT: Limits(60.0, 45.0),
            Exercise.KETTLEBELL_DEADLIFT: Limits(55.0, 40.0),
            Exercise.RDL: Limits(50.0, 35.0),
            Exercise.HIP_HINGE: Limits(45.0, 30.0),
            Exercise.SQUAT: Limits(50.0, 35.0),
        },
        SAGITTAL_VIEWS,
        "heuristic; incomplete range of motion (McGill 2015; Haff & Triplett 2016); RDL to mid-shin",
        "Largest hip flexion reached at the bottom of the rep.",
        plausible=(20.0, 70.0),
    ),
    Threshold(
        FaultCode.HEELS_RISE,
        "heel_lift_peak_bh",
        "body heights",
        ">",
        _same(Limits(0.020)),
        SAGITTAL_VIEWS,
        "heuristic; drive through the heels (McGill 2015; Haff & Triplett 2016)",
        "Largest rise of the heel relative to the toe during the rep.",
        plausible=(0.01, 0.05),
    ),
    Threshold(
        FaultCode.ASYMMETRY,
        "left_right_flexion_diff_deg",
        "deg",
        ">",
        _same(Limits(12.0)),
        ANY_VIEW,
        "heuristic; left/right imbalance (McGill 2015; Haff & Triplett 2016); its 3-D landmarks "
        "come from one camera",
        "Largest change (from the rep start) of the left-right knee or hip flexion difference around the "
        "bottom; "
        "3-D world landmarks.",
        plausible=(8.0, 30.0),
    ),
)

BY_CODE: dict[FaultCode, Threshold] = {t.code: t for t in TABLE}


def severity_level(value: float, threshold: Threshold, exercise: Exercise):
    """The :class:`~liftsafe.result.Severity` for ``value``, or ``None`` if no fault."""
    from liftsafe.result import Severity

    limits = threshold.limits.get(exercise)
    if limits is None or value != value:  # NaN never fires
        return None, None

    def beyond(limit: float | None) -> bool:
        return limit is not None and threshold.beyond(value, limit)

    if beyond(limits.unsafe):
        return Severity.UNSAFE, limits.unsafe
    if beyond(limits.major):
        return Severity.MAJOR, limits.major
    if beyond(limits.minor):
        return Severity.MINOR, limits.minor
    return None, limits.minor


def markdown_table() -> str:
    """docs/thresholds.md, generated from :data:`TABLE` (a test keeps the file current)."""
    lines = [
        "# Fault thresholds",
        "",
        "Generated from `src/liftsafe/technique/thresholds.py` by",
        "`python -m liftsafe.technique.thresholds > docs/thresholds.md`; a test fails when it is stale.",
        "A fault fires at the *minor* limit; *major* and *unsafe* raise its severity. A verdict is",
        "`good` only when no rep has a major or unsafe fault.",
        "",
        "| fault | metric | unit | fires when | limits minor / major / unsafe by exercise | views | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in TABLE:
        groups: dict[tuple, list[str]] = {}
        for exercise, limits in t.limits.items():
            key = (limits.minor, limits.major, limits.unsafe)
            groups.setdefault(key, []).append(exercise.value)
        cells = []
        for (minor, major, unsafe), names in groups.items():
            levels = " / ".join("-" if v is None else f"{v:g}" for v in (minor, major, unsafe))
            cells.append(f"{', '.join(names)}: {levels}")
        views = ", ".join(v.value for v in t.views) + (
            f" (yaw <= {t.max_yaw_deg:g} deg)" if t.max_yaw_deg < 90 else ""
        )
        lines.append(
            f"| `{t.code.value}` | `{t.metric}`: {t.description} | {t.unit} | value {t.comparison} limit | "
            f"{'<br>'.join(cells)} | {views} | {t.source} |"
        )
    lines += [
        "",
        "Two more numbers belong to `rounded_back`:",
        "",
        f"- **window**: `dorsal_curvature_pull` is read from 0.2 s before lift-off through the first "
        f"{SPINE_PULL_ASCENT_SHARE:g} of the ascent (`SPINE_PULL_ASCENT_SHARE`; `liftsafe evaluate "
        f"--calibrate` "
        f"checks {', '.join(f'{x:g}' for x in SPINE_PULL_ASCENT_SHARES)} by nested cross-validation, "
        f"docs/evaluation.md);",
        f"- **camera**: judged only within {SPINE_MAX_YAW_DEG:g} deg of side-on (`SPINE_MAX_YAW_DEG`, "
        f"simulator "
        "sweep `benchmarks/spine_views.py`, docs/spine.md).",
        "",
        "## False-alarm budget: which faults are reported from which view",
        "",
        "A fault is reported from a camera view only if, on sound lifts filmed from that view, it",
        "fires on at most 1 rep in 10 (`src/liftsafe/technique/budget.py`). The lowest severity that",
        "fits becomes the fault's reporting floor -- never lower than the simulator's filming conditions",
        "allow (`SIMULATOR_MIN_FLOOR`: `rounded_back` from major, because a loose top with moving 6 mm",
        "folds makes clean simulated reps read between its minor and major limits; docs/kinematics.md);",
        "a fault that fits at no severity, or that was *measured* on fewer than 10 sound reps, is",
        "**not checked** from that view: the result lists it under `not_checked` with the reason and",
        "never shows it. Only reps on which the fault's metric was measured count: a one-rep clip that",
        "starts at the bottom has no descent, and plates hide most lockouts, so a rep without the",
        "metric is no evidence that the fault stays quiet on sound lifts. Views with fewer than 10",
        "such reps are judged on side and oblique reps together (both see the body's profile). The",
        "table is",
        "`src/liftsafe/technique/budget.json`, derived (not typed in) by",
        "",
        "    liftsafe evaluate ../shared/data/deadlift-clips --labels labels.csv --cache CACHE \\",
        "        --budget-out src/liftsafe/technique/budget.json",
        "",
        "from the 17 reps of the 20 sound shared clips (the view is the one the analysis found);",
        "*sound reps* in the table counts those on which the fault's metric was measured.",
        "They are all deadlifts: the same budget applies to every exercise until other exercises",
        "have labelled sound clips. *fired on* counts the sound reps the fault would be reported on",
        "at the floor (or at its lowest severity when not checked). Leave-one-source-out figures",
        "and recall on labelled clips: docs/evaluation.md.",
        "",
        markdown_budget_table(),
    ]
    return "\n".join(lines) + "\n"


def markdown_budget_table() -> str:
    """The false-alarm budget as a Markdown table (fault x view, with its sound-rep evidence)."""
    from liftsafe.technique.budget import markdown_budget, shipped_budget

    return markdown_budget(shipped_budget()).rstrip("\n")


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table(), end="")
