"""Static sagittal-plane estimate of L5/S1 disc compression (a Chaffin-style 2-D model).

Model (after Chaffin DB, Andersson GBJ, Martin BJ (2006), *Occupational Biomechanics*, 4th ed.,
Wiley, ch. 6 "single equivalent muscle" low-back model):

* The body above L5/S1 is the trunk (head, neck, thorax, abdomen) plus both arms. The trunk is a
  straight segment from L5/S1 to the shoulders, flexed forward by ``trunk_flexion_deg`` from
  vertical.
* Moment about L5/S1 (N·m) = W_trunk x r_trunk x sin(theta) + W_arms x x_arms + W_load x h, where h
  is the horizontal distance from L5/S1 to the hands (load centre) and x_arms is half-way between
  the shoulder's horizontal position and the hands.
* One equivalent extensor (erector spinae) balances the moment with a 5 cm moment arm:
  F_muscle = M / 0.05 m (Chaffin et al. 2006).
* Compression = F_muscle + (W_trunk + W_arms + W_load) x cos(theta);
  shear = (W_trunk + W_arms + W_load) x sin(theta). Static: no inertia, no abdominal pressure.

Body-segment parameters (Winter DA (2009), *Biomechanics and Motor Control of Human Movement*,
4th ed., Table 4.1, after Dempster 1955; segment lengths after Drillis & Contini 1966):

* masses as fractions of body mass: head+neck 0.081, thorax 0.216, abdomen 0.139 (trunk above
  L5/S1: 0.436); upper arm 0.028, forearm 0.016, hand 0.006 (two arms: 0.100);
* lengths as fractions of body height: shoulder height 0.818, hip height 0.530, so the L5/S1 ->
  shoulder distance is taken as (0.818 - 0.530) x height = 0.288 x height (L5/S1 is assumed at
  hip height: an approximation);
* the trunk's centre of mass is placed at 0.58 of the L5/S1 -> shoulder distance: the mass-
  weighted position of the thorax+abdomen (0.355 at ~0.45) and head+neck (0.081 at ~1.15) --
  a derived estimate (heuristic), not a tabulated value.

Limits (NIOSH 1981 Work Practices Guide): 3400 N action limit, 6400 N maximum permissible limit.

Assumptions and limits: sagittal-plane symmetric two-handed lift, static (slow lifts; jerky
lifts load the spine more), population-average segment proportions, no lumbar curvature or
pelvic tilt, no intra-abdominal pressure, a single 5 cm extensor moment arm; results are an
estimate of the order of magnitude (a few hundred newtons), not a measurement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from liftsafe.errors import InputError

__all__ = [
    "ACTION_LIMIT_N",
    "MAX_PERMISSIBLE_LIMIT_N",
    "CompressionBand",
    "L5S1Result",
    "SegmentModel",
    "l5s1_compression",
]

G_M_S2: Final[float] = 9.80665
#: NIOSH (1981) Work Practices Guide for Manual Lifting, DHHS (NIOSH) Pub. 81-122.
ACTION_LIMIT_N: Final[float] = 3400.0
MAX_PERMISSIBLE_LIMIT_N: Final[float] = 6400.0


@dataclass(frozen=True)
class SegmentModel:
    """Anthropometric and muscle constants of the model (sources in the module docstring)."""

    trunk_mass_fraction: float = 0.081 + 0.216 + 0.139  # Winter 2009 Table 4.1
    arms_mass_fraction: float = 2 * (0.028 + 0.016 + 0.006)  # Winter 2009 Table 4.1
    shoulder_height_fraction: float = 0.818  # Winter 2009 Fig. 4.1 (Drillis & Contini 1966)
    hip_height_fraction: float = 0.530  # Winter 2009 Fig. 4.1 (Drillis & Contini 1966)
    trunk_com_fraction: float = 0.58  # derived estimate (heuristic), see module docstring
    erector_moment_arm_m: float = 0.05  # Chaffin, Andersson & Martin 2006, ch. 6


DEFAULT_MODEL = SegmentModel()

#: Inputs beyond these describe no human lift: refused as bad input naming the field.
MAX_BODY_MASS_KG = 1000.0
MAX_BODY_HEIGHT_M = 300.0  # generous: 0.5-2.5 m is checked with a warning (a height in cm given as m)
MAX_HAND_DISTANCE_M = 5.0
MAX_LOAD_KG = 1000.0


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


class CompressionBand(StrEnum):
    BELOW_ACTION_LIMIT = "below_action_limit"  # < 3400 N
    ABOVE_ACTION_LIMIT = "above_action_limit"  # 3400..6400 N
    ABOVE_MAXIMUM = "above_maximum_permissible"  # > 6400 N


@dataclass(frozen=True)
class L5S1Result:
    compression_n: float
    shear_n: float
    moment_nm: float
    erector_force_n: float
    trunk_moment_nm: float
    arms_moment_nm: float
    load_moment_nm: float
    band: CompressionBand
    warnings: tuple[str, ...]


def l5s1_compression(
    *,
    body_mass_kg: float,
    body_height_m: float,
    trunk_flexion_deg: float,
    hand_distance_m: float,
    load_kg: float,
    model: SegmentModel = DEFAULT_MODEL,
) -> L5S1Result:
    """Static L5/S1 compression (N) of a two-handed sagittal lift.

    ``trunk_flexion_deg``: trunk inclination from vertical (0 upright, 90 horizontal; positive =
    forward). ``hand_distance_m``: horizontal distance from L5/S1 to the hands (load centre).
    """
    for name, value, low, high in (
        ("body_mass_kg", body_mass_kg, 1e-9, MAX_BODY_MASS_KG),
        ("body_height_m", body_height_m, 1e-9, MAX_BODY_HEIGHT_M),
        ("hand_distance_m", hand_distance_m, 0.0, MAX_HAND_DISTANCE_M),
        ("load_kg", load_kg, 0.0, MAX_LOAD_KG),
        ("trunk_flexion_deg", trunk_flexion_deg, -90.0, math.inf),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            raise InputError(f"L5/S1 model: {name} must be a number >= {low:g}; got {value!r:.80}")
        if value < low:
            raise InputError(f"L5/S1 model: {name} must be a number >= {low:g}; got {value!r:.80}")
        if value > high:
            raise InputError(
                f"L5/S1 model: {name} must be <= {high:g} (no human lift has more); got {value:g}"
            )
    if trunk_flexion_deg > 135:
        raise InputError(f"L5/S1 model: trunk_flexion_deg must be <= 135; got {trunk_flexion_deg:g}")
    warnings: list[str] = []
    if not 0.5 <= body_height_m <= 2.5:
        warnings.append(f"body height {body_height_m:g} m looks wrong (expected metres, 0.5-2.5)")
    if not 0 <= trunk_flexion_deg <= 90:
        warnings.append(
            f"trunk flexion {trunk_flexion_deg:g} deg is outside 0-90 deg: the model is extrapolating"
        )
    theta = math.radians(trunk_flexion_deg)
    trunk_len = (model.shoulder_height_fraction - model.hip_height_fraction) * body_height_m
    w_trunk = model.trunk_mass_fraction * body_mass_kg * G_M_S2
    w_arms = model.arms_mass_fraction * body_mass_kg * G_M_S2
    w_load = load_kg * G_M_S2
    shoulder_x = trunk_len * math.sin(theta)
    trunk_moment = w_trunk * model.trunk_com_fraction * trunk_len * math.sin(theta)
    arms_moment = w_arms * 0.5 * (shoulder_x + hand_distance_m)
    load_moment = w_load * hand_distance_m
    moment = trunk_moment + arms_moment + load_moment
    erector = max(moment, 0.0) / model.erector_moment_arm_m
    axial = (w_trunk + w_arms + w_load) * math.cos(theta)
    shear = (w_trunk + w_arms + w_load) * math.sin(theta)
    compression = erector + axial
    if compression > MAX_PERMISSIBLE_LIMIT_N:
        band = CompressionBand.ABOVE_MAXIMUM
    elif compression > ACTION_LIMIT_N:
        band = CompressionBand.ABOVE_ACTION_LIMIT
    else:
        band = CompressionBand.BELOW_ACTION_LIMIT
    return L5S1Result(
        compression, shear, moment, erector, trunk_moment, arms_moment, load_moment, band, tuple(warnings)
    )
