"""Units: the conversion constants, the unit systems, and parsing quantities typed by people
(``178cm``, ``1.78 m``, ``5ft10``, ``70in``, ``18kg``, ``40 lb``).

A bare number is refused with a message asking for the unit (a wrong unit is the most common
input error: 178 could be cm, 1.78 m). The constants are the exact international definitions
(International Yard and Pound Agreement, 1959): 1 lb = 0.45359237 kg, 1 in = 2.54 cm.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from liftsafe.errors import InputError

KG_PER_LB = 0.45359237
CM_PER_IN = 2.54
M_PER_IN = 0.0254
M_PER_FT = 0.3048
M_PER_MILE = 1609.344

UnitSystem = Literal["metric", "us"]
"""``metric`` (kg, cm) or ``us`` (lb, in): the units of a job file or a report."""
UNIT_SYSTEMS: tuple[str, ...] = get_args(UnitSystem)

_NUM = r"(\d+(?:[.,]\d+)?)"
_LENGTH_UNITS_M = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": M_PER_IN, "ft": M_PER_FT}
_MASS_UNITS_KG = {"kg": 1.0, "g": 0.001, "lb": KG_PER_LB, "lbs": KG_PER_LB}


def parse_unit_system(value: str, *, what: str = "units") -> UnitSystem:
    """``metric`` or ``us`` (any case); anything else is an :class:`InputError` naming ``what``."""
    v = str(value).lower()
    if v == "metric":
        return "metric"
    if v == "us":
        return "us"
    raise InputError(f"{what} must be one of metric, us; got '{value}'")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_length_m(text: str, *, what: str = "length") -> float:
    """Metres from '178cm', '1.78m', '5ft10', '5'10"', '70in'."""
    s = str(text).strip().lower().replace(" ", "")
    m = re.fullmatch(rf"{_NUM}ft{_NUM}?(?:in)?", s) or re.fullmatch(rf"{_NUM}'(?:{_NUM}\"?)?", s)
    if m:
        feet = _num(m.group(1))
        inches = _num(m.group(2)) if m.group(2) else 0.0
        return feet * M_PER_FT + inches * M_PER_IN
    m = re.fullmatch(rf"{_NUM}(m|cm|mm|in|ft)", s)
    if m:
        return _num(m.group(1)) * _LENGTH_UNITS_M[m.group(2)]
    if re.fullmatch(_NUM, s):
        raise InputError(f"{what} '{text}' has no unit: write it like 178cm, 1.78m or 5ft10.")
    raise InputError(f"{what} '{text}' is not a length: write it like 178cm, 1.78m or 5ft10.")


def parse_mass_kg(text: str, *, what: str = "load") -> float:
    """Kilograms from '18kg', '40lb', '40 lbs'."""
    s = str(text).strip().lower().replace(" ", "")
    m = re.fullmatch(rf"{_NUM}(kg|g|lbs?|lb)", s)
    if m:
        return _num(m.group(1)) * _MASS_UNITS_KG[m.group(2)]
    if re.fullmatch(_NUM, s):
        raise InputError(f"{what} '{text}' has no unit: write it like 18kg or 40lb.")
    raise InputError(f"{what} '{text}' is not a mass: write it like 18kg or 40lb.")
