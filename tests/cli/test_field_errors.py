"""Core errors name the field; the command line says it as the flag the user typed."""

from __future__ import annotations

import pytest

from liftsafe.errors import InputError


def test_the_core_names_fields_not_flags():
    from liftsafe.pipeline import parse_exercise
    from liftsafe.training.plan import generate_plan

    with pytest.raises(InputError, match=r"^exercise must be one of") as exc:
        parse_exercise("deadlfit")
    assert exc.value.field == "exercise"
    with pytest.raises(InputError, match=r"^sessions_per_week must be 2 or 3") as exc:
        generate_plan("beginner", weeks=8, sessions_per_week=5)
    assert exc.value.field == "sessions_per_week"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["plan", "--weeks", "60"], "--weeks must be a whole number from 1 to 52; got 60."),
        (["plan", "--sessions-per-week", "5"], "--sessions-per-week must be 2 or 3"),
        (["plan", "--equipment", "sled"], "--equipment: unknown item(s) sled"),
        (["analyze", "missing.csv", "-e", "deadlfit"], "--exercise must be one of deadlift"),
        (["assess-me", "--level", "expert", "--no-red-flags", "--no-interactive"],
         "--level must be one of beginner, intermediate, advanced; got 'expert'."),
        (["assess-me", "--red-flag", "headache", "--no-interactive"], "--red-flag must be one of"),
    ],
)
def test_the_cli_says_flags(run_cli, argv, expected):
    res = run_cli(*argv)
    assert res.exit_code == 2
    assert f"error: {expected}" in res.stderr, res.stderr
    assert "----" not in res.stderr
