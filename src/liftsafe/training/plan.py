"""Periodised back-safe plan generation (pure, deterministic).

Encodes a back-safe strength program after the coaching literature (McGill 2015; Haff & Triplett 2016; full
references
at the end of this docstring):

* three pillars in order -- mobility, then stability, then progressive loading;
* 2-3 short sessions a week, each *activation -> one primary hinge variation -> accessories
  (glutes, hamstrings, spinal erectors, core, unilateral work) -> gentle mobility*;
* three loading weeks, then one lighter (deload) week: every 4th week is a deload;
* exercise choice and dose by level (beginner: light hinges, bridges, lumbar curls;
  intermediate: weighted variations; advanced: carries, single-leg deadlifts, eccentric work);
* planks from 30 s holds, lengthened as strength grows; kneeling hip-flexor stretch 20-30 s
  per side; belt advice only on heavy sets (at or above about a 5-rep max), presented as
  performance support, never protection; breathing and bracing cues on every hinge.

The same inputs always give the same plan: there is no randomness and no clock.
Every numeric choice below that the reference does not fix is marked *heuristic*.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*, 3rd ed.,
Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training and
Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Sequence

from liftsafe.errors import InputError
from liftsafe.training.library import DoseType, Level, Library, LibraryExercise, load_library

#: Periodisation: three loading weeks, then one lighter (deload) week (Haff & Triplett 2016).
DELOAD_EVERY_WEEKS = 4
#: 2-3 focused sessions a week (Haff & Triplett 2016).
SESSIONS_PER_WEEK_CHOICES = (2, 3)
#: Plan length bounds (heuristic: one year is plenty before a reassessment).
MIN_WEEKS, MAX_WEEKS = 1, 52
#: Share of the non-deload weeks spent in the mobility and stability phases, by level
#: (heuristic: beginners spend longest on the first two pillars; the literature gives the order only).
PHASE_SHARES: dict[Level, tuple[float, float]] = {
    Level.BEGINNER: (0.25, 0.25),
    Level.INTERMEDIATE: (0.125, 0.125),
    Level.ADVANCED: (1 / 12, 1 / 12),
}
#: Primary-lift loading wave per level over the three loading weeks of a block:
#: (sets, reps, reps in reserve). Heuristic, conservative; moderate load (McGill 2015; Haff & Triplett 2016).
LOADING_WAVES: dict[Level, tuple[tuple[int, int, int], ...]] = {
    Level.BEGINNER: ((3, 10, 3), (3, 10, 3), (3, 8, 2)),
    Level.INTERMEDIATE: ((3, 8, 3), (4, 6, 2), (4, 5, 1)),
    Level.ADVANCED: ((4, 6, 2), (4, 5, 2), (5, 3, 2)),
}
#: A set is "heavy" (belt advice shown) when reps + reps in reserve <= this, i.e. the load is
#: at or above about a 5-rep max (belt use: McGill 2015).
HEAVY_SET_MAX_REPS_POSSIBLE = 5
#: Belt advice only on barbell / trap-bar hinges (belts for squats, deadlifts and power cleans
#: heavier than about a 5-rep max: McGill 2015); never on kettlebell or dumbbell lifts.
BELT_IMPLEMENTS = frozenset({"barbell", "trap-bar"})
#: Plank hold: start at 30 s (McGill 2015), +5 s per training
#: week, capped at 60 s (heuristic).
PLANK_START_S, PLANK_STEP_S, PLANK_MAX_S = 30, 5, 60
#: Side plank: start at 20 s, +5 s a week, capped at 45 s (heuristic: shorter lever, harder).
SIDE_PLANK_START_S, SIDE_PLANK_MAX_S = 20, 45
#: Kneeling hip-flexor stretch hold per side, 20-30 s (Haff & Triplett 2016).
HIP_FLEXOR_HOLD_S = {Level.BEGINNER: 20, Level.INTERMEDIATE: 30, Level.ADVANCED: 30}

BREATHING_CUE = (
    "Breathe: big breath in and hold at the top, draw the belly button in, "
    "then breathe out slowly as you finish the rep."
)
BRACING_CUE = (
    "Brace as if ready for a light punch and keep one flat line from neck to tailbone; "
    "let the hips and legs do the work, not the back."
)
BELT_CUE = (
    "Heavy set (about a 5-rep max or heavier): a belt can help you brace if you use one; "
    "it supports performance, it does not protect your back or replace core strength."
)
UNILATERAL_CUE = "Dose is per side: start with the weaker side and match it on the other."
DELOAD_CUE = "Deload week: lighter on purpose; move well and leave the session fresh."
ECCENTRIC_CUE = "Lower for a slow count of three and pause briefly before standing up."


class Phase(StrEnum):
    """The three pillars, in order (McGill 2015; Haff & Triplett 2016)."""

    MOBILITY = "mobility"
    STABILITY = "stability"
    LOADING = "loading"


class BlockKind(StrEnum):
    ACTIVATION = "activation"
    PRIMARY = "primary"
    ACCESSORY = "accessory"
    MOBILITY = "mobility"


@dataclass(frozen=True)
class Prescription:
    """One exercise in a session: ``sets`` x ``amount`` (reps, seconds or metres) at ``load``."""

    exercise_id: str
    sets: int
    dose: DoseType
    amount: int
    load: str
    cues: tuple[str, ...]
    heavy: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The prescribed exercise as a JSON-ready dict."""
        return {
            "id": self.exercise_id,
            "sets": self.sets,
            self.dose.value: self.amount,
            "load": self.load,
            "cues": list(self.cues),
        }


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    exercises: tuple[Prescription, ...]

    def to_dict(self) -> dict[str, Any]:
        """The block as a JSON-ready dict."""
        return {"kind": self.kind.value, "exercises": [p.to_dict() for p in self.exercises]}


@dataclass(frozen=True)
class PlannedSession:
    index: int
    blocks: tuple[Block, ...]

    def to_dict(self) -> dict[str, Any]:
        """The session as a JSON-ready dict."""
        return {"index": self.index, "blocks": [b.to_dict() for b in self.blocks]}


@dataclass(frozen=True)
class Week:
    index: int
    phase: Phase
    deload: bool
    sessions: tuple[PlannedSession, ...]

    def to_dict(self) -> dict[str, Any]:
        """The week as a JSON-ready dict."""
        return {
            "index": self.index,
            "phase": self.phase.value,
            "deload": self.deload,
            "sessions": [s.to_dict() for s in self.sessions],
        }


@dataclass(frozen=True)
class Plan:
    """A generated plan. ``to_dict`` is the documented plan JSON (``{"weeks": [...]}``)."""

    level: Level
    sessions_per_week: int
    weeks: tuple[Week, ...]
    equipment: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The plan as a JSON-ready dict."""
        return {"weeks": [w.to_dict() for w in self.weeks]}


# --- session templates --------------------------------------------------------------------
# Each slot is a tuple of candidate exercise ids; the first one allowed by the level and the
# available equipment is used. Templates are indexed by session (A, B, C) within a week.

_Slot = tuple[str, ...]

_PRIMARY: dict[Phase, dict[Level, tuple[_Slot, _Slot, _Slot]]] = {
    Phase.MOBILITY: {lvl: (("wall-taps",), ("dowel-hinge", "wall-taps"), ("wall-taps",)) for lvl in Level},
    Phase.STABILITY: {
        lvl: (
            ("kettlebell-deadlift", "romanian-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            ("romanian-deadlift", "kettlebell-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            ("kettlebell-deadlift", "romanian-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
        )
        for lvl in Level
    },
    Phase.LOADING: {
        Level.BEGINNER: (
            ("kettlebell-deadlift", "romanian-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            ("romanian-deadlift", "kettlebell-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            ("kettlebell-deadlift", "romanian-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
        ),
        Level.INTERMEDIATE: (
            (
                "trap-bar-deadlift",
                "romanian-deadlift",
                "kettlebell-deadlift",
                "backpack-deadlift",
                "dowel-hinge",
                "wall-taps",
            ),
            ("romanian-deadlift", "kettlebell-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            (
                "block-pull",
                "trap-bar-deadlift",
                "romanian-deadlift",
                "kettlebell-deadlift",
                "backpack-deadlift",
                "dowel-hinge",
                "wall-taps",
            ),
        ),
        Level.ADVANCED: (
            (
                "conventional-deadlift",
                "trap-bar-deadlift",
                "romanian-deadlift",
                "kettlebell-deadlift",
                "backpack-deadlift",
                "dowel-hinge",
                "wall-taps",
            ),
            ("romanian-deadlift", "kettlebell-deadlift", "backpack-deadlift", "dowel-hinge", "wall-taps"),
            (
                "trap-bar-deadlift",
                "block-pull",
                "conventional-deadlift",
                "romanian-deadlift",
                "kettlebell-deadlift",
                "backpack-deadlift",
                "dowel-hinge",
                "wall-taps",
            ),
        ),
    },
}

_ACTIVATION: dict[Phase, tuple[tuple[_Slot, ...], ...]] = {
    Phase.MOBILITY: ((("thoracic-open-book",), ("hamstring-floss",)),) * 3,
    Phase.STABILITY: (
        (("wall-taps",), ("thoracic-open-book",)),
        (("dowel-hinge", "wall-taps"), ("hamstring-floss",)),
        (("wall-taps",), ("thoracic-open-book",)),
    ),
    Phase.LOADING: (
        (("glute-bridge",), ("dead-bug",)),
        (("bird-dog",), ("dowel-hinge", "wall-taps")),
        (("glute-bridge",), ("dead-bug",)),
    ),
}

_ACCESSORY: dict[Phase, tuple[tuple[_Slot, ...], ...]] = {
    Phase.MOBILITY: (
        (("glute-bridge",), ("bird-dog",), ("plank",)),
        (("glute-bridge",), ("dead-bug",), ("plank",)),
        (("lumbar-curl",), ("bird-dog",), ("plank",)),
    ),
    Phase.STABILITY: (
        (("glute-bridge",), ("pallof-press", "dead-bug"), ("plank",)),
        (("lumbar-curl",), ("dead-bug",), ("side-plank",)),
        (("glute-bridge",), ("bird-dog",), ("pallof-press", "side-plank"), ("plank",)),
    ),
    Phase.LOADING: (
        (
            ("single-leg-deadlift", "lunge"),
            ("lumbar-curl",),
            ("pallof-press", "dead-bug"),
            ("suitcase-carry", "farmer-carry", "plank"),
        ),
        (("glute-bridge",), ("lunge",), ("russian-twist", "side-plank"), ("floor-press", "plank")),
        (("lunge",), ("lumbar-curl",), ("farmer-carry", "side-plank"), ("plank",)),
    ),
}

_COOLDOWN: tuple[tuple[_Slot, ...], ...] = (
    (("kneeling-hip-flexor-stretch",), ("hamstring-floss", "thoracic-open-book")),
    (("kneeling-hip-flexor-stretch",), ("thoracic-open-book", "hamstring-floss")),
    (("kneeling-hip-flexor-stretch",), ("hamstring-floss", "thoracic-open-book")),
)


def _accessory_slots(phase: Phase, session: int, *, flexibility_gate: bool) -> tuple[_Slot, ...]:
    """Accessory slots; with the flexibility gate, the half-kneeling floor pick-up is added
    before loading starts (a lunge-type, half-kneeling posture to reach the floor; McGill 2015)."""
    slots = _ACCESSORY[phase][session]
    if flexibility_gate and phase is not Phase.LOADING:
        slots = slots + (("half-kneel-lift",),)
    return slots


def _pick(
    slot: _Slot, *, level: Level, equipment: frozenset[str] | None, library: Library, used: set[str]
) -> LibraryExercise | None:
    """First candidate allowed by level and equipment and not yet in the session (adds it to ``used``)."""
    for ex_id in slot:
        ex = library.get(ex_id)
        if ex_id not in used and ex.level.rank <= level.rank and ex.needs_only(equipment):
            used.add(ex_id)
            return ex
    return None


def _phase_plan(n_training_weeks: int, level: Level, *, extra_mobility_weeks: int) -> list[Phase]:
    """Phase of each non-deload week: mobility -> stability -> loading (at least one each if n >= 3)."""
    n = n_training_weeks
    if n <= 2:
        return [Phase.MOBILITY, Phase.STABILITY][:n]
    share_m, share_s = PHASE_SHARES[level]
    n_m = max(1, int(n * share_m + 0.5)) + extra_mobility_weeks
    n_s = max(1, int(n * share_s + 0.5))
    n_m = min(n_m, n - 2)
    n_s = min(n_s, n - n_m - 1)
    return [Phase.MOBILITY] * n_m + [Phase.STABILITY] * n_s + [Phase.LOADING] * (n - n_m - n_s)


def _cues(ex: LibraryExercise, *, heavy: bool, deload: bool, eccentric: bool) -> tuple[str, ...]:
    cues = list(ex.cues)
    if ex.hinge:
        cues += [BREATHING_CUE, BRACING_CUE]
    if eccentric:
        cues.append(ECCENTRIC_CUE)
    if heavy:
        cues.append(BELT_CUE)
    if ex.unilateral:
        cues.append(UNILATERAL_CUE)
    if deload:
        cues.append(DELOAD_CUE)
    return tuple(cues)


def _rir_load(rir: int, *, implement: bool) -> str:
    if not implement:
        return f"bodyweight; stop {rir} reps short of failure"
    return f"moderate: a weight that leaves {rir} reps in reserve (RPE {10 - rir})"


#: Loaded hinges that need no gym equipment (a bag loaded with household weight).
HOUSEHOLD_LOADS = frozenset({"backpack-deadlift"})


def _primary(
    ex: LibraryExercise, phase: Phase, level: Level, *, wave_step: int, deload: bool
) -> Prescription:
    implement = (bool(ex.equipment) and ex.equipment != ("dowel",)) or ex.id in HOUSEHOLD_LOADS
    eccentric = level is Level.ADVANCED and ex.id == "romanian-deadlift" and phase is Phase.LOADING
    if phase is Phase.MOBILITY or not implement:
        sets, reps, load = (2 if deload else 3), 10, "bodyweight (or a light dowel); slow and controlled"
        return Prescription(
            ex.id, sets, ex.dose, reps, load, _cues(ex, heavy=False, deload=deload, eccentric=False)
        )
    if phase is Phase.STABILITY:
        sets, reps = (2 if deload else 3), 8
        load = (
            "light: a weight you could lift 4 more times; 3 s lowering"
            if not deload
            else "very light: practise the pattern"
        )
        return Prescription(
            ex.id, sets, ex.dose, reps, load, _cues(ex, heavy=False, deload=deload, eccentric=True)
        )
    sets, reps, rir = LOADING_WAVES[level][min(wave_step, 2)]
    if deload:
        sets0, reps0, _ = LOADING_WAVES[level][0]
        sets, reps = max(2, sets0 - 1), reps0
        load = "deload: about 60% of last week's working weight, 4+ reps in reserve"
        return Prescription(
            ex.id, sets, ex.dose, reps, load, _cues(ex, heavy=False, deload=True, eccentric=eccentric)
        )
    heavy = reps + rir <= HEAVY_SET_MAX_REPS_POSSIBLE
    belt = heavy and ex.hinge and bool(BELT_IMPLEMENTS & set(ex.equipment))
    load = _rir_load(rir, implement=True)
    if heavy:
        load = f"heavy: a weight that leaves {rir} reps in reserve (about a {reps + rir}-rep max)"
    return Prescription(
        ex.id,
        sets,
        ex.dose,
        reps,
        load,
        _cues(ex, heavy=belt, deload=False, eccentric=eccentric),
        heavy=heavy,
    )


def _accessory(
    ex: LibraryExercise, phase: Phase, level: Level, *, week_number: int, deload: bool, kind: BlockKind
) -> Prescription:
    """Dose for activation, accessory and cool-down exercises (heuristic moderate volume)."""
    if deload or kind is BlockKind.ACTIVATION:
        base_sets = 1 if deload else 2
    else:
        base_sets = 2 if phase is not Phase.LOADING or level is Level.BEGINNER else 3
    cues = _cues(ex, heavy=False, deload=deload, eccentric=False)
    if ex.id == "kneeling-hip-flexor-stretch":
        return Prescription(
            ex.id,
            2,
            ex.dose,
            HIP_FLEXOR_HOLD_S[level],
            "bodyweight; daily, after training or before bed",
            cues,
        )
    if ex.dose is DoseType.HOLD_S:
        if ex.id == "side-plank":
            start, cap = SIDE_PLANK_START_S, SIDE_PLANK_MAX_S
        else:
            start, cap = PLANK_START_S, PLANK_MAX_S
        hold = start if deload else min(cap, start + PLANK_STEP_S * week_number)
        return Prescription(ex.id, base_sets, ex.dose, hold, "bodyweight", cues)
    if ex.dose is DoseType.DISTANCE_M:
        metres = 20 if deload or level is not Level.ADVANCED else 30
        return Prescription(
            ex.id, base_sets, ex.dose, metres, "moderate: a weight you can carry with perfect posture", cues
        )
    implement = bool(ex.equipment) and phase is Phase.LOADING
    reps = 6 if ex.unilateral or ex.category.value == "mobility" else 10
    if implement:
        load = _rir_load(3, implement=True) if not deload else "light: 4+ reps in reserve"
    else:
        load = "bodyweight; controlled, pause where it is hardest"
    return Prescription(ex.id, base_sets, ex.dose, reps, load, cues)


def _job_drill(job, phase: Phase, *, deload: bool, loading_weeks: int, library: Library) -> Prescription:
    from liftsafe.training.joblift import job_drill

    ex = library.get("job-lift")
    d = job_drill(job, phase=phase.value, deload=deload, loading_week=loading_weeks, loading_weeks_total=3)
    return Prescription(ex.id, d.sets, ex.dose, d.reps, d.text, (*d.cues, BREATHING_CUE, BRACING_CUE))


def _build_session(
    s: int,
    phase: Phase,
    level: Level,
    *,
    deload: bool,
    training_weeks: int,
    loading_weeks: int,
    equipment: frozenset[str] | None,
    library: Library,
    flexibility_gate: bool,
    job_lifts: Sequence = (),
) -> PlannedSession:
    """Session ``s`` (0-based) of a week: activation -> primary hinge -> accessories -> mobility."""
    used: set[str] = set()

    def pick_all(slots: Sequence[_Slot]) -> list[LibraryExercise]:
        picked = (_pick(slot, level=level, equipment=equipment, library=library, used=used) for slot in slots)
        return [ex for ex in picked if ex is not None]

    def dose(exercises: list[LibraryExercise], kind: BlockKind) -> Block:
        return Block(
            kind,
            tuple(
                _accessory(ex, phase, level, week_number=training_weeks, deload=deload, kind=kind)
                for ex in exercises
            ),
        )

    primary = pick_all([_PRIMARY[phase][level][s]])  # chosen first: the main lift is never displaced
    activation = pick_all(_ACTIVATION[phase][s])
    accessories = pick_all(_accessory_slots(phase, s, flexibility_gate=flexibility_gate))
    cooldown = pick_all(_COOLDOWN[s])
    accessory_block = dose(accessories, BlockKind.ACCESSORY)
    if job_lifts and phase is not Phase.MOBILITY:  # the worker's own job lift, first among the accessories
        job = job_lifts[s % len(job_lifts)]
        drill = _job_drill(job, phase, deload=deload, loading_weeks=loading_weeks, library=library)
        accessory_block = Block(BlockKind.ACCESSORY, (drill, *accessory_block.exercises))
    return PlannedSession(
        index=s + 1,
        blocks=(
            dose(activation, BlockKind.ACTIVATION),
            Block(
                BlockKind.PRIMARY,
                tuple(_primary(ex, phase, level, wave_step=loading_weeks, deload=deload) for ex in primary),
            ),
            accessory_block,
            dose(cooldown, BlockKind.MOBILITY),
        ),
    )


def generate_plan(
    level: Level | str,
    *,
    weeks: int = 12,
    sessions_per_week: int = 3,
    equipment: Sequence[str] | None = None,
    extra_mobility_weeks: int = 0,
    library: Library | None = None,
    job_lifts: Sequence = (),
) -> Plan:
    """Build a periodised plan.

    ``equipment`` lists what the lifter has (``None`` = a full gym); exercises needing
    anything else fall back to the next candidate (e.g. no trap bar -> Romanian deadlift).
    ``extra_mobility_weeks`` lengthens the mobility phase (the assessment's flexibility gate,
    flexibility first; McGill 2015). ``job_lifts`` (:class:`~liftsafe.training.joblift.JobLift`)
    add the worker's own lifts as a drill to every stability- and loading-phase session.
    """
    try:
        level = Level(level)
    except ValueError:
        raise InputError(
            f"level must be one of beginner, intermediate, advanced; got '{level}'.", field="level"
        ) from None
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise InputError(
            f"weeks must be a whole number from {MIN_WEEKS} to {MAX_WEEKS}; got {weeks}.", field="weeks"
        )
    if sessions_per_week not in SESSIONS_PER_WEEK_CHOICES:
        raise InputError(
            f"sessions_per_week must be 2 or 3 (2-3 focused sessions a week); got {sessions_per_week}.",
            field="sessions_per_week",
        )
    if extra_mobility_weeks < 0:
        raise InputError(
            f"extra_mobility_weeks must be 0 or more; got {extra_mobility_weeks}.",
            field="extra_mobility_weeks",
        )
    library = library or load_library()
    available = None if equipment is None else frozenset(e.strip().lower() for e in equipment)
    if available is not None:
        unknown = sorted(available - library.equipment)
        if unknown:
            raise InputError(
                f"equipment: unknown item(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(library.equipment))}.",
                field="equipment",
            )

    deload_flags = [w % DELOAD_EVERY_WEEKS == 0 for w in range(1, weeks + 1)]
    phases = iter(_phase_plan(deload_flags.count(False), level, extra_mobility_weeks=extra_mobility_weeks))
    out: list[Week] = []
    phase = Phase.MOBILITY
    training_weeks = 0
    loading_weeks = 0
    for week_index, deload in enumerate(deload_flags, start=1):
        if not deload:
            phase = next(phases)
        sessions = tuple(
            _build_session(
                s,
                phase,
                level,
                deload=deload,
                training_weeks=training_weeks,
                loading_weeks=loading_weeks,
                equipment=available,
                library=library,
                flexibility_gate=extra_mobility_weeks > 0,
                job_lifts=tuple(job_lifts),
            )
            for s in range(sessions_per_week)
        )
        out.append(Week(index=week_index, phase=phase, deload=deload, sessions=sessions))
        if deload:
            loading_weeks = 0  # the loading wave restarts after every deload week
        else:
            training_weeks += 1
            if phase is Phase.LOADING:
                loading_weeks += 1
    return Plan(
        level=level,
        sessions_per_week=sessions_per_week,
        weeks=tuple(out),
        equipment=None if available is None else tuple(sorted(available)),
    )
