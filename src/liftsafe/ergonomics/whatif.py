"""What-if advice: which multiplier costs most, and which single change brings LI to <= 1.0.

For each lever (load, H at origin/destination, V at origin/destination, asymmetry, frequency,
coupling, duration) we search for the value *closest to the current one* at which the task's
governing LI is <= 1.0, recomputing the whole task each time so that coupled effects are
included (moving V also changes D, the CM column and the FM column). Continuous levers are
scanned on a grid (0.5 cm / 0.25 in, 1 degree, 0.1 lifts/min) and the answer is the first grid
value that works, so a rounded recommendation is always verified, never extrapolated.

Levers are ranked by effect: first those that reach LI <= 1.0, ordered by the lowest LI the lever
can reach on its own; then the rest. When no single change suffices the advice says so and
recommends a combination, a mechanical assist (hoist, vacuum lifter, lift table) or a team lift
(which the RNLE itself does not rate).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from liftsafe.ergonomics.niosh import (
    A_MAX_DEG,
    F_MIN_PER_MIN,
    LI_DESIGN_GOAL,
    LI_HIGH,
    Coupling,
    Duration,
    LiftingTask,
    Point,
    TaskResult,
    Units,
    constants,
    governing_li,
    round_half_up,
)
from liftsafe.ergonomics.tables import FM_FREQUENCIES

__all__ = ["Advice", "Lever", "WhatIf", "what_if"]


class Lever(StrEnum):
    LOAD = "load"
    H_ORIGIN = "h_origin"
    H_DESTINATION = "h_destination"
    V_ORIGIN = "v_origin"
    V_DESTINATION = "v_destination"
    ASYMMETRY = "asymmetry"
    FREQUENCY = "frequency"
    COUPLING = "coupling"
    DURATION = "duration"
    ASSIST = "team_lift_or_hoist"


MULTIPLIER_NAMES = {
    "hm": "horizontal (HM)",
    "vm": "vertical (VM)",
    "dm": "distance (DM)",
    "am": "asymmetry (AM)",
    "fm": "frequency (FM)",
    "cm": "coupling (CM)",
}


@dataclass(frozen=True)
class Advice:
    """One concrete change. ``target`` is None when the lever alone cannot reach LI <= 1."""

    lever: Lever
    current: float | str | None
    target: float | str | None
    unit: str
    li_after: float | None  # LI at ``target`` (or at the lever's best value when unreachable)
    best_li: float | None  # lowest LI this lever reaches on its own
    sufficient: bool
    message: str


@dataclass(frozen=True)
class WhatIf:
    task_name: str
    li: float
    costliest: str  # multiplier key, e.g. "hm"
    costliest_value: float
    costliest_message: str
    advice: tuple[Advice, ...]  # ranked by effect


_ORDER = [Duration.SHORT, Duration.MODERATE, Duration.LONG]
#: Search resolution of the advice (heuristic: finer than anyone can set up a workplace).
GRID_STEP_LENGTH = {Units.METRIC: 0.5, Units.US: 0.25}  # cm / in
GRID_STEP_ANGLE_DEG = 1.0
GRID_STEP_FREQUENCY = 0.1  # lifts/min
_COUPLING_ORDER = [Coupling.GOOD, Coupling.FAIR, Coupling.POOR]


def what_if(result: TaskResult, *, goal_li: float = LI_DESIGN_GOAL) -> WhatIf | None:
    """Advice for an assessed task; None when it has no LI (out of scope) or already meets the goal."""
    if result.li is None or result.governing_point is None or result.li <= goal_li:
        return None
    task, units, duration = result.task, result.units, result.duration
    c = constants(units)
    gp = result.governing_point
    mult = gp.multipliers.as_dict()
    key = min(mult, key=lambda k: mult[k])
    where = "destination" if gp.point is Point.DESTINATION else "origin"
    costliest_message = (
        f"the {MULTIPLIER_NAMES[key]} multiplier costs most: {key.upper()} = "
        f"{round_half_up(mult[key], 2):.2f} at the {where} "
        f"removes {100 * (1 - mult[key]):.0f} % of the load constant"
    )

    def li_of(t: LiftingTask, d: Duration = duration) -> float:
        return governing_li(t, units=units, duration=d)  # = assess_task(t, ...).li, without the extras

    advice: list[Advice] = []
    # load: the RWL is the load that gives LI = 1 exactly
    assert result.rwl is not None
    safe_load = math.floor(result.rwl * goal_li * 10) / 10
    advice.append(
        Advice(Lever.LOAD, task.load, safe_load, c.load_unit, safe_load / task.load * result.li,
               safe_load / task.load * result.li, safe_load > 0,
               f"reduce the load to {safe_load:g} {c.load_unit} (now {task.load:g})" if safe_load > 0
               else "no load is acceptable at this geometry and frequency")
    )  # fmt: skip
    step = GRID_STEP_LENGTH[Units(units)]
    h_grid = _grid(0.0, c.h_max, step)
    v_grid = _grid(0.0, c.v_max, step)
    points = [("origin", Lever.H_ORIGIN, Lever.V_ORIGIN)]
    if task.control_at_destination:
        points.append(("destination", Lever.H_DESTINATION, Lever.V_DESTINATION))
    for name, h_lever, _ in points:
        loc = getattr(task, name)
        advice.append(
            _scan(h_lever, loc.h, h_grid, lambda x, n=name: li_of(_with_loc(task, n, h=x)), goal_li, c.length_unit,  # type: ignore[misc]  # noqa: E501
                  f"bring the load closer at the {name}: H <= {{x:g}} {c.length_unit} (now {loc.h:g})")
        )  # fmt: skip
    v_points = [("origin", Lever.V_ORIGIN), ("destination", Lever.V_DESTINATION)]
    for name, v_lever in v_points:
        loc = getattr(task, name)
        other = task.destination.v if name == "origin" else task.origin.v
        verb = "pick-up" if name == "origin" else "set-down"
        advice.append(
            _scan(v_lever, loc.v, v_grid, lambda x, n=name: li_of(_with_loc(task, n, v=x)), goal_li, c.length_unit,  # type: ignore[misc]  # noqa: E501
                  f"move the {verb} height to V = {{x:g}} {c.length_unit} (now {loc.v:g}; vertical travel D "
                  f"becomes {{d:g}} {c.length_unit}, now {task.vertical_travel:g})", other=other)
        )  # fmt: skip
    a_now = max(abs(task.origin.a_deg), abs(task.destination.a_deg))
    if a_now > 0:
        a_grid = _grid(0.0, min(a_now, A_MAX_DEG + 1), GRID_STEP_ANGLE_DEG) + [a_now]
        advice.append(
            _scan(Lever.ASYMMETRY, a_now, a_grid, lambda x: li_of(_with_asymmetry(task, x)), goal_li, "deg",
                  f"reduce twisting: asymmetry angle <= {{x:g}} deg (now {a_now:g})")
        )  # fmt: skip
    f_now = task.frequency_per_min
    if f_now > F_MIN_PER_MIN:
        # FM = 0 above the table's last row, so the grid need not go past it
        f_top = min(f_now, FM_FREQUENCIES[-1])
        f_grid = sorted({F_MIN_PER_MIN, *(_grid(F_MIN_PER_MIN, f_top, GRID_STEP_FREQUENCY)), f_top, f_now})
        advice.append(
            _scan(Lever.FREQUENCY, f_now, f_grid, lambda x: li_of(replace(task, frequency_per_min=x)), goal_li,  # noqa: E501
                  "lifts/min", f"cut the frequency to <= {{x:g}} lifts/min (now {f_now:g})")
        )  # fmt: skip
    better_couplings = _COUPLING_ORDER[: _COUPLING_ORDER.index(Coupling(task.coupling))]
    if better_couplings:
        advice.append(
            _discrete(Lever.COUPLING, str(task.coupling), list(reversed(better_couplings)),
                      lambda x: li_of(replace(task, coupling=x)), goal_li,
                      "improve the grip (handles or hand-holds) to coupling '{x}' (now "
                      "'" + str(task.coupling) + "')")
        )  # fmt: skip
    shorter = _ORDER[: _ORDER.index(Duration(duration))]
    if shorter:
        advice.append(
            _discrete(Lever.DURATION, str(duration), list(reversed(shorter)), lambda x: li_of(task, x), goal_li,  # noqa: E501
                      "shorten continuous lifting to '{x}' duration with the required recovery (now '"
                      + str(duration) + "')")
        )  # fmt: skip
    advice = [
        a for a in advice if a.best_li is not None and a.best_li < result.li - 1e-9
    ]  # drop no-effect levers
    ranked = sorted(
        advice, key=lambda a: (not a.sufficient, a.best_li if a.best_li is not None else math.inf)
    )
    if not any(a.sufficient and a.lever is not Lever.LOAD for a in ranked):
        best = min((a for a in ranked if a.lever is not Lever.LOAD and a.best_li is not None),
                   key=lambda a: a.best_li or math.inf, default=None)  # fmt: skip
        best_text = f" (the best single change, {best.lever}, reaches LI {best.best_li:.2f})" if best else ""
        ranked.append(
            Advice(Lever.ASSIST, None, None, "", None, None, False,
                   "no single change of the workplace brings LI to 1.0" + best_text + ": combine changes, "
                   "use a hoist, vacuum lifter or lift table, or make it a team lift (the RNLE does not "
                   "rate team lifts)")
        )  # fmt: skip
    elif result.li > LI_HIGH:
        ranked.append(
            Advice(Lever.ASSIST, None, None, "", None, None, False,
                   "LI > 3: consider a mechanical assist (hoist, vacuum lifter, lift table) as well")
        )  # fmt: skip
    return WhatIf(task.name, result.li, key, mult[key], costliest_message, tuple(ranked))


def _grid(lo: float, hi: float, step: float) -> list[float]:
    n = int(math.floor((hi - lo) / step + 1e-9))
    return [round(lo + i * step, 6) for i in range(n + 1)]


def _nearest_reaching(values: Iterable, li_at: Callable, goal: float):
    """(lowest LI, its value, (first value reaching ``goal``, its LI) or None) over ``values`` in order."""
    best_li, best_x, hit = math.inf, None, None
    for x in values:
        li = li_at(x)
        if li < best_li:
            best_li, best_x = li, x
        if hit is None and li <= goal:
            hit = (x, li)
    return best_li, best_x, hit


def _scan(
    lever: Lever,
    current: float,
    grid: Iterable[float],
    li_at: Callable[[float], float],
    goal: float,
    unit: str,
    template: str,
    other: float | None = None,
) -> Advice:
    def text(x: float) -> str:
        return template.format(x=x, d=abs(x - other) if other is not None else 0.0)

    best_li, best_x, hit = _nearest_reaching(sorted(grid, key=lambda x: (abs(x - current), x)), li_at, goal)
    if hit is not None:
        return Advice(lever, current, hit[0], unit, hit[1], best_li, True, text(hit[0]))
    msg = text(best_x) + f" only reaches LI {best_li:.2f}" if best_x is not None else "no effect"
    return Advice(lever, current, None, unit, best_li, best_li, False, "on its own not enough: " + msg)


def _discrete(
    lever: Lever, current: str, options: list, li_at: Callable, goal: float, template: str
) -> Advice:
    best_li, best_x, hit = _nearest_reaching(options, li_at, goal)  # options: nearest first
    if hit is not None:
        return Advice(lever, current, str(hit[0]), "", hit[1], best_li, True, template.format(x=hit[0]))
    return Advice(lever, current, None, "", best_li, best_li, False,
                  "on its own not enough: "
                  "" + template.format(x=best_x) + f" only reaches LI {best_li:.2f}")  # fmt: skip


def _with_loc(task: LiftingTask, point: str, **changes: float) -> LiftingTask:
    return replace(task, **{point: replace(getattr(task, point), **changes)})


def _with_asymmetry(task: LiftingTask, a_deg: float) -> LiftingTask:
    def clip(a: float) -> float:
        return math.copysign(min(abs(a), a_deg), a)

    return replace(
        task,
        origin=replace(task.origin, a_deg=clip(task.origin.a_deg)),
        destination=replace(task.destination, a_deg=clip(task.destination.a_deg)),
    )
