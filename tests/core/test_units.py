import math

import pytest

from liftsafe.errors import InputError
from liftsafe.units import parse_length_m, parse_mass_kg


@pytest.mark.parametrize(
    "text,metres",
    [
        ("178cm", 1.78),
        ("1.78m", 1.78),
        ("1,78 m", 1.78),
        ("5ft10", 1.778),
        ("5'10\"", 1.778),
        ("70in", 1.778),
        ("1780mm", 1.78),
    ],
)
def test_lengths(text, metres):
    assert math.isclose(parse_length_m(text), metres, abs_tol=1e-3)


@pytest.mark.parametrize("text,kg", [("18kg", 18.0), ("40lb", 18.1437), ("40 lbs", 18.1437), ("500g", 0.5)])
def test_masses(text, kg):
    assert math.isclose(parse_mass_kg(text), kg, abs_tol=1e-3)


def test_bare_number_asks_for_unit():
    with pytest.raises(InputError, match="has no unit: write it like 178cm"):
        parse_length_m("178", what="--height")
    with pytest.raises(InputError, match="has no unit: write it like 18kg"):
        parse_mass_kg("18")


def test_wrong_unit_is_refused():
    with pytest.raises(InputError, match="'18kg' is not a length"):
        parse_length_m("18kg", what="--height")
    with pytest.raises(InputError, match="'2m' is not a mass"):
        parse_mass_kg("2m")
