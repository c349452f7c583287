"""The exercise library: complete against coaching.md, validated at load."""

from __future__ import annotations

import tomllib

import pytest

from liftsafe.errors import InputError
from liftsafe.training.library import LIBRARY_PATH, Category, DoseType, load_library, parse_library

# Every exercise and drill named in ../shared/reference/coaching.md and issue 5.
REQUIRED_IDS = {
    "wall-taps", "dowel-hinge", "kettlebell-deadlift", "romanian-deadlift", "conventional-deadlift",
    "trap-bar-deadlift", "block-pull", "glute-bridge", "lumbar-curl", "bird-dog", "plank", "side-plank",
    "pallof-press", "dead-bug", "russian-twist", "single-leg-deadlift", "lunge", "floor-press",
    "farmer-carry", "suitcase-carry", "kneeling-hip-flexor-stretch", "hamstring-floss", "thoracic-open-book",
}


def _raw() -> dict:
    return tomllib.loads(LIBRARY_PATH.read_text(encoding="utf-8"))


def test_library_covers_every_reference_exercise():
    lib = load_library()
    assert REQUIRED_IDS <= set(lib.exercises)
    assert {ex.category for ex in lib} == set(Category)


def test_library_entries_are_consistent():
    lib = load_library()
    for ex in lib:
        assert ex.cues, ex.id
        for ref in ex.progressions + ex.regressions:
            assert ref in lib and ref != ex.id
    assert lib.get("plank").dose is DoseType.HOLD_S
    assert lib.get("farmer-carry").dose is DoseType.DISTANCE_M
    assert lib.get("kneeling-hip-flexor-stretch").unilateral
    assert lib.get("conventional-deadlift").technique_check == "deadlift"
    assert lib.get("glute-bridge").technique_check is None


def test_unknown_id_suggests_the_closest():
    with pytest.raises(
        InputError, match=r"set 2: unknown exercise id 'romanian-deadlfit'.*'romanian-deadlift'"
    ):
        load_library().get("romanian-deadlfit", where="set 2")


def test_alias_lookup_for_imports():
    lib = load_library()
    assert lib.by_alias("Deadlift (Barbell)").id == "conventional-deadlift"
    assert lib.by_alias("  romanian deadlift (dumbbell) ").id == "romanian-deadlift"
    assert lib.by_alias("Bench Press (Barbell)") is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["exercises"]["plank"].update(category="cardio"),
            r"exercise 'plank', field 'category': must be one of",
        ),
        (lambda d: d["exercises"]["plank"].update(level="elite"), r"exercise 'plank', field 'level'"),
        (lambda d: d["exercises"]["plank"].pop("cues"), r"exercise 'plank': missing field 'cues'"),
        (lambda d: d["exercises"]["plank"].update(cues=[]), r"exercise 'plank', field 'cues': at least one"),
        (lambda d: d["exercises"]["plank"].update(unilateral="yes"), r"field 'unilateral': expected bool"),
        (lambda d: d["exercises"]["plank"].update(colour="red"), r"unknown field\(s\) colour"),
        (
            lambda d: d["exercises"]["plank"].update(progressions=["plonk"]),
            r"field 'progressions': unknown exercise id 'plonk'",
        ),
        (
            lambda d: d["exercises"]["plank"].update(technique_check="bench"),
            r"field 'technique_check': must be empty or one of",
        ),
        (lambda d: d.update(extra={}), r"exactly one top-level table 'exercises'"),
    ],
)
def test_broken_library_is_rejected_with_field_named(mutate, message):
    data = _raw()
    mutate(data)
    with pytest.raises(InputError, match=message):
        parse_library(data, source="test.toml")


def test_broken_toml_file_is_rejected(tmp_path):
    bad = tmp_path / "lib.toml"
    bad.write_text("[exercises.plank\nname=", encoding="utf-8")
    with pytest.raises(InputError, match=r"lib.toml: not valid TOML"):
        load_library(bad)
    with pytest.raises(InputError, match=r"cannot read exercise library"):
        load_library(tmp_path / "missing.toml")
