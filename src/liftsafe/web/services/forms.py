"""Reading numbers from submitted HTML forms (one place for the parsing and its error)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from liftsafe.errors import InputError


def form_number(form: Mapping[str, Any], key: str, default: float | None = None, *, whole: bool = False):
    """The field ``key`` as an int (``whole``) or float; ``default`` when it is empty or absent.

    A value that is not a number is an :class:`InputError` naming the field.
    """
    raw = str(form.get(key, "") or "").strip()
    if not raw:
        return default
    kind = "a whole number" if whole else "a number"
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        raise InputError(f"field '{key}' must be {kind}; got '{raw[:40]}'.") from None
    if not whole and not math.isfinite(value):  # 'nan', 'inf', '1e400'
        raise InputError(f"field '{key}' must be {kind}; got '{raw[:40]}'.")
    return value
