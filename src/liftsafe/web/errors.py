"""HTTP-flavoured user errors. Each is a :class:`~liftsafe.errors.InputError` (the message is
one line saying what is wrong and what to do) with the HTTP status the app answers with."""

from __future__ import annotations

from liftsafe.errors import AnalysisError, InputError, LiftsafeError, OutputError


class NotFoundError(InputError):
    status = 404


class ForbiddenError(InputError):
    status = 403


class TooLargeError(InputError):
    status = 413


class UnsupportedMediaError(InputError):
    status = 415


class TooManyAttemptsError(InputError):
    status = 429


class AuthRequiredError(InputError):
    status = 401


def http_status(exc: LiftsafeError) -> int:
    """The HTTP status for a user error: its own, else 400 input / 422 analysis / 503 database or disk."""
    own = getattr(exc, "status", None)
    if own:
        return own
    if isinstance(exc, AnalysisError):
        return 422
    if isinstance(exc, OutputError):
        return 503
    return 400
