"""Number and name formatting shared by the report writers."""

from __future__ import annotations

import math

#: Unit suffixes of signal and metric names (see liftsafe.kinematics.signals) and how to show them.
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_deg_s", "deg/s"),
    ("_deg", "deg"),
    ("_bh", "body heights"),
    ("_tl", "trunk lengths"),
    ("_cm", "cm"),
    ("_m", "m"),
    ("_s", "s"),
    ("_ratio", "ratio"),
    ("_px", "px"),
)


def split_unit(name: str) -> tuple[str, str]:
    """``trunk_inclination_deg`` → (``trunk inclination``, ``deg``); no known suffix → (name, "")."""
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].replace("_", " "), unit
    return name.replace("_", " "), ""


def pretty_signal(name: str) -> str:
    """``trunk_inclination_deg`` → ``trunk inclination (deg)``."""
    stem, unit = split_unit(name)
    return f"{stem} ({unit})" if unit else stem


def num(value: object, *, digits: int = 3) -> str:
    """A readable number: ``digits`` significant digits, no exponent, no trailing zeros;
    ``–`` for None/NaN/inf."""
    if value is None:
        return "–"
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    magnitude = int(math.floor(math.log10(abs(x))))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fixed(value: object, decimals: int = 1) -> str:
    """``value`` with at most ``decimals`` decimals (trailing zeros dropped); ``–`` if unknown."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–" if value is None else str(value)
    if not math.isfinite(x):
        return "–"
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
