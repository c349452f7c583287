"""Published tables of the revised NIOSH lifting equation (RNLE) that have no formula.

Only the frequency multiplier (FM, Table 5) and the coupling multiplier (CM, Table 7) are
tables; every other multiplier is computed from its formula in :mod:`liftsafe.ergonomics.niosh`.

Source (public domain): Waters TR, Putz-Anderson V, Garg A (1994). *Applications Manual for the
Revised NIOSH Lifting Equation*. DHHS (NIOSH) Publication No. 94-110, revised 9/2021,
doi:10.26616/NIOSHPUB94110revised092021 -- Table 5 "Frequency Multiplier Table (FM)" and
Table 7 "Coupling Multiplier".

The data are plain Python literals (no file I/O at import time).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Duration(StrEnum):
    """Lifting-duration category of the RNLE (manual section 1.3.5)."""

    SHORT = "short"  # <= 1 h, followed by recovery >= 1.0 x work time (2021 revision)
    MODERATE = "moderate"  # > 1 h and <= 2 h, followed by recovery >= 0.3 x work time
    LONG = "long"  # > 2 h and <= 8 h with standard breaks


class Coupling(StrEnum):
    """Hand-to-object coupling class (manual Table 6 / decision tree, p. 18)."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


#: Frequency rows of Table 5, in lifts/min. 0.2 stands for "<= 0.2" (footnote: lifting less
#: often than once every 5 min is rated at F = 0.2). Above 15 lifts/min every column is 0.
FM_FREQUENCIES: Final[tuple[float, ...]] = (
    0.2, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
)  # fmt: skip

#: Table 5 columns, keyed by (duration, v_at_origin_is_low) where "low" means V < 75 cm
#: (30 in). Each tuple is aligned with :data:`FM_FREQUENCIES`. Values copied cell by cell
#: from the manual's Table 5.
FM_TABLE: Final[dict[tuple[Duration, bool], tuple[float, ...]]] = {
    # <= 1 h
    (Duration.SHORT, True): (
        1.00, .97, .94, .91, .88, .84, .80, .75, .70, .60, .52, .45, .41, .37, .00, .00, .00,
    ),
    (Duration.SHORT, False): (
        1.00, .97, .94, .91, .88, .84, .80, .75, .70, .60, .52, .45, .41, .37, .34, .31, .28,
    ),
    # > 1 h and <= 2 h
    (Duration.MODERATE, True): (
        .95, .92, .88, .84, .79, .72, .60, .50, .42, .35, .30, .26, .00, .00, .00, .00, .00,
    ),
    (Duration.MODERATE, False): (
        .95, .92, .88, .84, .79, .72, .60, .50, .42, .35, .30, .26, .23, .21, .00, .00, .00,
    ),
    # > 2 h and <= 8 h
    (Duration.LONG, True): (
        .85, .81, .75, .65, .55, .45, .35, .27, .22, .18, .00, .00, .00, .00, .00, .00, .00,
    ),
    (Duration.LONG, False): (
        .85, .81, .75, .65, .55, .45, .35, .27, .22, .18, .15, .13, .00, .00, .00, .00, .00,
    ),
}  # fmt: skip

#: Table 7 (coupling multiplier), keyed by (coupling, v_is_low) with "low" = V < 75 cm (30 in).
#: CM uses V at the point being evaluated (origin or destination).
CM_TABLE: Final[dict[tuple[Coupling, bool], float]] = {
    (Coupling.GOOD, True): 1.00,
    (Coupling.GOOD, False): 1.00,
    (Coupling.FAIR, True): 0.95,
    (Coupling.FAIR, False): 1.00,
    (Coupling.POOR, True): 0.90,
    (Coupling.POOR, False): 0.90,
}


def fm_column(duration: Duration, *, v_low: bool) -> tuple[float, ...]:
    """The Table 5 column for a duration category and V-at-origin side (V < 75 cm / 30 in)."""
    return FM_TABLE[(Duration(duration), bool(v_low))]


def fm_column_max_frequency(duration: Duration, *, v_low: bool) -> float:
    """Highest frequency (lifts/min) with a non-zero FM in the column (the column's maximum)."""
    column = fm_column(duration, v_low=v_low)
    return max(f for f, value in zip(FM_FREQUENCIES, column, strict=True) if value > 0.0)
