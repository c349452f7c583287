"""User-facing errors: each says what is wrong and what to do, and maps to an exit code.

Exit codes (documented in README.md):

* 0 -- success
* 1 -- unexpected internal error (a bug: please report it)
* 2 -- bad command-line usage or bad input file (user mistake)
* 3 -- the input could not be analysed (no person, unusable video, ...)
* 4 -- an output could not be written
"""

from __future__ import annotations


class LiftsafeError(Exception):
    """Base class for errors a user can act on. ``str(err)`` is the one-line message.

    ``field`` names the input the message is about (``"exercise"``, ``"weeks"``): the core
    speaks of fields, and each face says it in its own words (the CLI as ``--exercise``).
    """

    exit_code = 2

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InputError(LiftsafeError):
    """The input file is missing, unreadable, malformed or of the wrong kind."""

    exit_code = 2


class AnalysisError(LiftsafeError):
    """The input was read but cannot be analysed (no person found, too short, ...)."""

    exit_code = 3


class OutputError(LiftsafeError):
    """An output file or folder could not be written."""

    exit_code = 4
