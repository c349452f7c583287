"""Loads a person can put on the bar: the lifter's equipment profile and load rounding.

An :class:`EquipmentProfile` says which barbell, plates, kettlebells and dumbbells exist.
:func:`round_load` turns a computed load (a progression step, a 60 % deload, -10 % after a
breakdown) into one that can be lifted: a barbell or trap-bar load made of the bar and pairs
of the plates, a kettlebell or a dumbbell that exists. :func:`plate_breakdown` says which
plates go on each side.

Defaults (heuristic, common gym kit): 20 kg barbell (the men's Olympic bar, IWF), 25 kg trap
bar, plate pairs of 25, 20, 15, 10, 5, 2.5 and 1.25 kg (the IWF competition plate set),
kettlebells of 4-48 kg in the usual 2 / 4 kg steps, dumbbells of 1-10 kg in 1 kg steps and
12-50 kg in 2 kg steps.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Mapping

from liftsafe.errors import InputError
from liftsafe.training.library import LibraryExercise
from liftsafe.units import KG_PER_LB

LB_TO_KG = KG_PER_LB
MAX_TOTAL_KG = 500.0  # heuristic: no plan or rule asks for more

DEFAULT_PLATES_KG = (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25)
DEFAULT_KETTLEBELLS_KG = (4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 20.0, 24.0, 28.0, 32.0, 36.0, 40.0, 48.0)
DEFAULT_DUMBBELLS_KG = tuple(float(x) for x in [*range(1, 11), *range(12, 51, 2)])


@dataclass(frozen=True)
class EquipmentProfile:
    barbell_kg: float = 20.0
    trap_bar_kg: float = 25.0
    plates_kg: tuple[float, ...] = DEFAULT_PLATES_KG  # sizes of which the lifter has pairs
    kettlebells_kg: tuple[float, ...] = DEFAULT_KETTLEBELLS_KG
    dumbbells_kg: tuple[float, ...] = DEFAULT_DUMBBELLS_KG  # per hand
    unit: Literal["kg", "lb"] = "kg"  # how loads are shown
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        d = asdict(self)
        d.pop("_cache")
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], *, where: str = "equipment") -> EquipmentProfile:
        """A profile from its JSON fields, validated (errors name the field)."""
        if not isinstance(raw, Mapping):
            raise InputError(f"{where}: expected an object of equipment fields.")
        allowed = {"barbell_kg", "trap_bar_kg", "plates_kg", "kettlebells_kg", "dumbbells_kg", "unit"}
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise InputError(
                f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}."
            )
        kw: dict[str, Any] = {}
        for key in ("barbell_kg", "trap_bar_kg"):
            if key in raw:
                kw[key] = _weight(raw[key], f"{where}, field '{key}'", lo=0, hi=100)
        for key in ("plates_kg", "kettlebells_kg", "dumbbells_kg"):
            if key in raw:
                values = raw[key]
                if isinstance(values, str):
                    values = [v for v in values.split(",") if v.strip()]
                if not isinstance(values, (list, tuple)):
                    raise InputError(f"{where}, field '{key}': expected a list of weights in kg.")
                kw[key] = tuple(
                    sorted(
                        {_weight(v, f"{where}, field '{key}'", lo=0.25, hi=100) for v in values},
                        reverse=key == "plates_kg",
                    )
                )
        if "unit" in raw:
            if raw["unit"] not in ("kg", "lb"):
                raise InputError(f"{where}, field 'unit': must be kg or lb; got {raw['unit']!r}.")
            kw["unit"] = raw["unit"]
        return cls(**kw)

    def loads_for(self, ex: LibraryExercise) -> tuple[float, ...] | None:
        """Every load that can be lifted for ``ex``, ascending; None when any load goes
        (bodyweight and band exercises, or an implement the profile does not describe)."""
        kind = implement(ex)
        if kind is None:
            return None
        if kind not in self._cache:
            if kind == "kettlebell":
                loads = tuple(sorted(self.kettlebells_kg))
            elif kind == "dumbbells":
                loads = tuple(sorted(self.dumbbells_kg))
            else:
                bar = self.barbell_kg if kind == "barbell" else self.trap_bar_kg
                loads = tuple(sorted({round(bar + 2 * side, 3) for side in _side_loads(self.plates_kg)}))
            self._cache[kind] = loads
        return self._cache[kind]

    def show(self, kg: float) -> str:
        """A load as the lifter reads it (kg, or lb with kg in brackets)."""
        if self.unit == "lb":
            return f"{kg / LB_TO_KG:.0f} lb ({kg:g} kg)"
        return f"{kg:g} kg"


def _weight(value: Any, where: str, *, lo: float, hi: float) -> float:
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else float("nan")
    except ValueError:
        raise InputError(f"{where}: expected a weight in kg, got {value!r}.") from None
    if not lo <= number <= hi:
        raise InputError(f"{where}: {value!r} kg is impossible; it must be between {lo:g} and {hi:g} kg.")
    return number


def _side_loads(plates: tuple[float, ...]) -> set[float]:
    """Every load one side of the bar can carry with the plates (any number of each size,
    as gyms have), up to half of :data:`MAX_TOTAL_KG`."""
    limit = MAX_TOTAL_KG / 2
    reachable = {0.0}
    frontier = [0.0]
    while frontier:
        nxt = []
        for base in frontier:
            for p in plates:
                v = round(base + p, 3)
                if v <= limit and v not in reachable:
                    reachable.add(v)
                    nxt.append(v)
        frontier = nxt
    return reachable


def implement(ex: LibraryExercise) -> str | None:
    """The loaded implement of an exercise (barbell, trap-bar, kettlebell, dumbbells) or None."""
    for kind in ("barbell", "trap-bar", "kettlebell", "dumbbells"):
        if kind in ex.equipment:
            return kind
    return None


def round_load(
    ex: LibraryExercise,
    kg: float,
    profile: EquipmentProfile,
    *,
    mode: Literal["nearest", "up", "down"] = "nearest",
) -> float:
    """The achievable load nearest to ``kg`` (``up``: the lightest at or above it; ``down``:
    the heaviest at or below it), or ``kg`` to 0.5 kg when any load goes."""
    loads = profile.loads_for(ex)
    if not loads:
        return round(kg * 2) / 2
    if mode == "up":
        return next((x for x in loads if x >= kg - 1e-9), loads[-1])
    if mode == "down":
        return next((x for x in reversed(loads) if x <= kg + 1e-9), loads[0])
    return min(loads, key=lambda x: (abs(x - kg), x))


def plate_breakdown(
    total_kg: float, profile: EquipmentProfile, *, bar_kg: float | None = None
) -> tuple[float, ...] | None:
    """Plates per side for a barbell load, heaviest first; None when the plates cannot make it."""
    bar = profile.barbell_kg if bar_kg is None else bar_kg
    side = round((total_kg - bar) / 2, 3)
    if side < 0:
        return None
    out: list[float] = []
    for p in sorted(profile.plates_kg, reverse=True):
        while side >= p - 1e-9:
            out.append(p)
            side = round(side - p, 3)
    return tuple(out) if side < 1e-6 else None


def describe_load(ex: LibraryExercise, kg: float, profile: EquipmentProfile) -> str:
    """``62.5 kg (20 kg bar + 20 + 1.25 kg a side)``, ``a 16 kg kettlebell``, ``two 12 kg dumbbells``."""
    kind = implement(ex)
    shown = profile.show(kg)
    if kind in ("barbell", "trap-bar"):
        bar = profile.barbell_kg if kind == "barbell" else profile.trap_bar_kg
        plates = plate_breakdown(kg, profile, bar_kg=bar)
        if plates is None:
            return shown
        if not plates:
            return f"{shown} (the empty {bar:g} kg bar)"
        return f"{shown} ({bar:g} kg bar + {' + '.join(f'{p:g}' for p in plates)} kg a side)"
    if kind == "kettlebell":
        return f"a {shown} kettlebell"
    if kind == "dumbbells":
        return f"{shown} dumbbells" if "suitcase" not in ex.id else f"a {shown} dumbbell"
    return shown


DEFAULT_PROFILE = EquipmentProfile()
