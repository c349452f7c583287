"""The exercise library: data in ``exercises.toml``, validated at load.

Every exercise and drill of the back-safe program (hinge drills and the strengthening program
after McGill 2015; Haff & Triplett 2016) is one entry.
The file is data, not code: coaches can read and edit it, and :func:`load_library` rejects a
broken file with an :class:`~liftsafe.errors.InputError` that names the exercise and field.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from liftsafe.errors import InputError

LIBRARY_PATH = Path(__file__).with_name("exercises.toml")

#: Technique-analysis exercises that can check a library exercise (``liftsafe.result.Exercise``).
TECHNIQUE_CHECKS = ("deadlift", "rdl", "kettlebell-deadlift", "hip-hinge", "squat", "box-lift")


class Category(StrEnum):
    """The pillar an exercise trains (mobility, stability, loading; carries; stretches)."""

    MOBILITY = "mobility"
    STABILITY = "stability"
    STRENGTH = "strength"
    CARRY = "carry"
    STRETCH = "stretch"


class Level(StrEnum):
    """Training level: beginner, intermediate or advanced."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        """Order of levels: beginner 0, intermediate 1, advanced 2."""
        return {"beginner": 0, "intermediate": 1, "advanced": 2}[self.value]


class DoseType(StrEnum):
    """How a set is dosed: repetitions, a hold in seconds, or a distance in metres."""

    REPS = "reps"
    HOLD_S = "hold_s"
    DISTANCE_M = "distance_m"


@dataclass(frozen=True)
class LibraryExercise:
    """One exercise or drill of the library."""

    id: str
    name: str
    category: Category
    level: Level
    equipment: tuple[str, ...]
    unilateral: bool
    dose: DoseType
    hinge: bool
    targets: tuple[str, ...]
    cues: tuple[str, ...]
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    technique_check: str | None
    aliases: tuple[str, ...]

    def needs_only(self, available: frozenset[str] | None) -> bool:
        """True when every piece of equipment is in ``available`` (``None`` = everything)."""
        return available is None or set(self.equipment) <= available


@dataclass(frozen=True)
class Library:
    """All exercises by id, with a lookup that explains unknown ids."""

    exercises: Mapping[str, LibraryExercise]

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def __iter__(self):
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str, *, where: str = "") -> LibraryExercise:
        """The exercise ``exercise_id``; an InputError naming ``where`` if it is unknown."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(exercise_id, list(self.exercises), n=1)
            hint = (
                f" Did you mean '{close[0]}'?"
                if close
                else " Run `liftsafe plan --help` or see docs/training.md for ids."
            )
            prefix = f"{where}: " if where else ""
            raise InputError(f"{prefix}unknown exercise id '{exercise_id}'.{hint}") from None

    def by_alias(self, name: str) -> LibraryExercise | None:
        """The exercise whose id, name or alias equals ``name`` (case-insensitive), else None."""
        key = name.strip().casefold()
        for ex in self.exercises.values():
            if key == ex.id or key == ex.name.casefold() or key in (a.casefold() for a in ex.aliases):
                return ex
        return None

    @property
    def equipment(self) -> frozenset[str]:
        """Every equipment item some exercise needs."""
        return frozenset(item for ex in self.exercises.values() for item in ex.equipment)


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "category": str,
    "level": str,
    "equipment": list,
    "unilateral": bool,
    "dose": str,
    "hinge": bool,
    "targets": list,
    "cues": list,
    "progressions": list,
    "regressions": list,
    "technique_check": str,
    "aliases": list,
}


def _enum(value: str, enum: type[StrEnum], where: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise InputError(f"{where}: must be one of {choices}; got '{value}'.") from None


def _parse_entry(ex_id: str, raw: Any, source: str) -> LibraryExercise:
    where = f"{source}: exercise '{ex_id}'"
    if not isinstance(raw, dict):
        raise InputError(f"{where}: must be a table of fields.")
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        raise InputError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(_FIELDS)}."
        )
    for field_name, kind in _FIELDS.items():
        if field_name not in raw:
            raise InputError(f"{where}: missing field '{field_name}'.")
        if not isinstance(raw[field_name], kind):
            raise InputError(
                f"{where}, field '{field_name}': expected {kind.__name__}, got "  # type: ignore[union-attr]
                f"{type(raw[field_name]).__name__}."
            )
        if kind is list and not all(isinstance(item, str) and item.strip() for item in raw[field_name]):
            raise InputError(f"{where}, field '{field_name}': every item must be a non-empty string.")
    if not raw["cues"]:
        raise InputError(f"{where}, field 'cues': at least one cue is required.")
    check = raw["technique_check"]
    if check and check not in TECHNIQUE_CHECKS:
        raise InputError(
            f"{where}, field 'technique_check': must be empty or one of {', '.join(TECHNIQUE_CHECKS)}; got "
            f"'{check}'."
        )
    return LibraryExercise(
        id=ex_id,
        name=raw["name"],
        category=_enum(raw["category"], Category, f"{where}, field 'category'"),
        level=_enum(raw["level"], Level, f"{where}, field 'level'"),
        equipment=tuple(raw["equipment"]),
        unilateral=raw["unilateral"],
        dose=_enum(raw["dose"], DoseType, f"{where}, field 'dose'"),
        hinge=raw["hinge"],
        targets=tuple(raw["targets"]),
        cues=tuple(raw["cues"]),
        progressions=tuple(raw["progressions"]),
        regressions=tuple(raw["regressions"]),
        technique_check=check or None,
        aliases=tuple(raw["aliases"]),
    )


def parse_library(data: Mapping[str, Any], *, source: str = "library") -> Library:
    """Validate parsed TOML data (``{"exercises": {id: {...}}}``) into a :class:`Library`."""
    if set(data) != {"exercises"} or not isinstance(data["exercises"], dict) or not data["exercises"]:
        raise InputError(
            f"{source}: expected exactly one top-level table 'exercises' with at least one exercise."
        )
    exercises = {ex_id: _parse_entry(ex_id, raw, source) for ex_id, raw in data["exercises"].items()}
    for ex in exercises.values():
        for field_name in ("progressions", "regressions"):
            for ref in getattr(ex, field_name):
                if ref not in exercises:
                    raise InputError(
                        f"{source}: exercise '{ex.id}', field '{field_name}': unknown exercise id '{ref}'."
                    )
                if ref == ex.id:
                    raise InputError(
                        f"{source}: exercise '{ex.id}', field '{field_name}': an exercise cannot list itself."
                    )
    return Library(exercises=dict(exercises))


def load_library(path: str | Path | None = None) -> Library:
    """Load and validate the library (the packaged ``exercises.toml`` by default)."""
    if path is None:
        return _default_library()
    return _load(Path(path))


def _load(path: Path) -> Library:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read exercise library {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc}).") from None
    return parse_library(data, source=str(path))


@lru_cache(maxsize=1)
def _default_library() -> Library:
    return _load(LIBRARY_PATH)
