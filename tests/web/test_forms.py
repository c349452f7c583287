"""Numbers from submitted forms."""

import pytest

from liftsafe.errors import InputError
from liftsafe.web.services.forms import form_number


def test_numbers_defaults_and_errors():
    form = {"a": " 12 ", "b": "2.5", "c": "", "d": "ten"}
    assert form_number(form, "a", whole=True) == 12
    assert form_number(form, "b") == 2.5
    assert form_number(form, "c", 3, whole=True) == 3 and form_number(form, "missing") is None
    with pytest.raises(InputError, match="field 'b' must be a whole number; got '2.5'"):
        form_number(form, "b", whole=True)
    with pytest.raises(InputError, match="field 'd' must be a number; got 'ten'"):
        form_number(form, "d")
