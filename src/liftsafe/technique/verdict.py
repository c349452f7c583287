"""The verdict path: which faults are checked in a clip, which are reported, and the verdict.

Used by the pipeline *and* by ``liftsafe evaluate --calibrate`` (which scores candidate
configs through :func:`clip_verdict` on recorded metrics), so the calibration cannot drift
from the product.

**Availability hook.** Whether a fault can be checked in a clip is decided by *providers*:
functions ``provider(ctx: ClipContext) -> Mapping[FaultCode | str, str | Unavailable]`` that
name the faults they rule out, each with a reason a lifter can read ("hips hidden behind the
plate at lockout"). :data:`DEFAULT_PROVIDERS` holds :func:`view_and_budget` (the camera view,
the camera's yaw, and the false-alarm budget) and :func:`lift_off_not_filmed` (a clip that
starts after the load left the floor: back rounding not checked);
``analyze_series(providers=...)`` replaces them and ``analyze_series(unavailable={code:
reason})`` adds fixed entries. The first provider
that names a fault gives its reason. A plain string reason gets the provider's ``kind``
attribute (else its ``__name__``) as its kind; kinds ``camera_view``, ``camera_angle`` and
``false_alarm_budget`` are the ones a candidate config can change (the calibration recomputes
them), any other kind (e.g. ``occlusion``) is a property of the clip and is kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from liftsafe.result import Exercise, FaultCode, Severity, Verdict, View
from liftsafe.technique.budget import MIN_SOUND_REPS

if TYPE_CHECKING:
    from liftsafe.pose.series import PoseSeries
    from liftsafe.reps.detect import RepSpan
    from liftsafe.technique.config import AnalysisConfig
    from liftsafe.technique.thresholds import Threshold

#: kinds of "not checked" that follow from the config (recomputed for a candidate config)
CONFIG_KINDS = frozenset({"camera_view", "camera_angle", "false_alarm_budget"})


class Unavailable(NamedTuple):
    reason: str
    kind: str


@dataclass(frozen=True, eq=False)
class ClipContext:
    """What a provider may look at: the cleaned series, the signals, the camera, the reps."""

    series: PoseSeries
    signals: dict[str, np.ndarray]
    view: View
    yaw_deg: float
    spans: tuple[RepSpan, ...]
    exercise: Exercise
    config: AnalysisConfig
    fps: float


Provider = Callable[[ClipContext], Mapping[Any, "str | Unavailable"]]

_VIEW_REASON = {
    View.FRONT: "cannot be seen from the front or back: film side-on to check it",
    View.UNKNOWN: "the camera view could not be determined",
}


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def config_unavailable(
    exercise: Exercise,
    view: View,
    yaw_deg: float,
    config: AnalysisConfig,
) -> dict[FaultCode, Unavailable]:
    """Faults of ``exercise`` not checked from ``view`` / ``yaw_deg`` under ``config``."""
    out: dict[FaultCode, Unavailable] = {}
    for t in config.thresholds:
        if exercise not in t.limits:
            continue  # not part of this exercise: not listed at all
        if view not in t.views:
            reason = _VIEW_REASON.get(view) or (
                "seen only from the front"
                if t.views == (View.FRONT,)
                else f"cannot be seen from {_a(view.value)} view"
            )
            out[t.code] = Unavailable(reason, "camera_view")
        elif not t.judgeable(view, yaw_deg):
            out[t.code] = Unavailable(
                f"the camera is about {yaw_deg:.0f}° off side-on; this is checked only within "
                f"{t.max_yaw_deg:.0f}° "
                "of side-on",
                "camera_angle",
            )
        else:
            b = config.budget_for(t.code, view)
            # too few measured sound reps, and no more false alarms among them than 10 reps allow:
            # a lack of evidence, not noise
            unproven = (
                b is not None
                and not b.checked
                and b.sound_reps < MIN_SOUND_REPS
                and b.fires <= config.max_false_alarm_rate * MIN_SOUND_REPS
            )
            if unproven:
                out[t.code] = Unavailable(
                    f"not validated yet from {_a(view.value)} view: too few sound lifts measured",
                    "false_alarm_budget",
                )
            elif b is None or not b.checked:
                out[t.code] = Unavailable(
                    f"not measured reliably enough to report from {_a(view.value)} view", "false_alarm_budget"
                )
    return out


def view_and_budget(ctx: ClipContext) -> dict[FaultCode, Unavailable]:
    """The built-in provider: camera view, camera yaw and the false-alarm budget."""
    return config_unavailable(ctx.exercise, ctx.view, ctx.yaw_deg, ctx.config)


#: why back rounding is not checked in a rep whose lift-off the clip does not show (and its kind)
LIFT_OFF_KIND = "lift_off_not_filmed"
LIFT_OFF_REASON = (
    "the clip starts after the load left the floor: the start of the pull, where back rounding is "
    "read, was not filmed. Start filming before the set-up"
)


def lift_off_not_filmed(ctx: ClipContext) -> dict[FaultCode, Unavailable]:
    """Back rounding is read from just before lift-off (the initial pull): not checked when no
    rep's lift-off is in the clip (:func:`liftsafe.technique.metrics.lift_off_filmed`)."""
    from liftsafe.technique.metrics import lift_off_filmed

    if ctx.spans and not any(lift_off_filmed(ctx.signals, span) for span in ctx.spans):
        return {FaultCode.ROUNDED_BACK: Unavailable(LIFT_OFF_REASON, LIFT_OFF_KIND)}
    return {}


DEFAULT_PROVIDERS: tuple[Provider, ...] = (view_and_budget, lift_off_not_filmed)


def collect_unavailable(
    ctx: ClipContext,
    providers: Sequence[Provider],
    extra: Mapping[Any, str | Unavailable] | None = None,
) -> dict[FaultCode, Unavailable]:
    """Merge the providers' answers (first one wins), then ``extra`` (a plain reason gets kind
    ``caller``)."""
    out: dict[FaultCode, Unavailable] = {}
    for provider in providers:
        kind = getattr(provider, "kind", getattr(provider, "__name__", "provider"))
        for code, why in (provider(ctx) or {}).items():
            code = FaultCode(code)
            if code not in out:
                out[code] = why if isinstance(why, Unavailable) else Unavailable(str(why), kind)
    for code, why in (extra or {}).items():
        why = why if isinstance(why, Unavailable) else Unavailable(str(why), "caller")
        out.setdefault(FaultCode(code), why)
    return out


@dataclass(frozen=True)
class Judgement:
    threshold: Threshold
    severity: Severity
    limit: float
    value: float


def judge(
    values: Mapping[str, float | None],
    *,
    exercise: Exercise,
    view: View,
    config: AnalysisConfig,
    skip: Collection[FaultCode] = (),
) -> list[Judgement]:
    """The faults one rep's metric ``values`` show, each at or above its reporting floor
    (``config.budget``) and not in ``skip`` (the clip's not-checked faults)."""
    from liftsafe.technique.thresholds import severity_level

    out: list[Judgement] = []
    for t in config.thresholds:
        if exercise not in t.limits or t.code in skip:
            continue
        value = values.get(t.metric)
        if value is None or not math.isfinite(value):
            continue
        severity, limit = severity_level(value, t, exercise)
        if severity is None:
            continue
        b = config.budget_for(t.code, view)
        if b is None or b.floor is None or severity.rank < b.floor.rank:
            continue
        out.append(Judgement(t, severity, float(limit), float(value)))
    return out


def verdict_of(worst_rank: int) -> Verdict:
    """The verdict for the worst reported severity rank (0: no fault)."""
    return Verdict.UNSAFE if worst_rank >= 3 else Verdict.NEEDS_WORK if worst_rank == 2 else Verdict.GOOD


def clip_verdict(
    rep_metrics: Iterable[Mapping[str, float | None]],
    *,
    exercise: Exercise | str,
    view: View | str,
    yaw_deg: float,
    config: AnalysisConfig,
    clip_unavailable: Mapping[Any, str] | None = None,
) -> Verdict:
    """The verdict of a clip from its reps' recorded metrics under ``config`` -- the pipeline's
    rule: ``not_judged`` without reps or with nothing checkable, else the worst reported severity."""
    exercise, view = Exercise(exercise), View(view)
    reps = list(rep_metrics)
    skip = set(config_unavailable(exercise, view, yaw_deg, config)) | {
        FaultCode(c) for c in (clip_unavailable or {})
    }
    checkable = [t for t in config.thresholds if exercise in t.limits and t.code not in skip]
    if not reps or not checkable:
        return Verdict.NOT_JUDGED
    worst = 0
    for values in reps:
        for j in judge(values, exercise=exercise, view=view, config=config, skip=skip):
            worst = max(worst, j.severity.rank)
    return verdict_of(worst)
