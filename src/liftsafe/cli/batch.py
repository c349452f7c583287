"""``liftsafe batch`` (the command lives in liftsafe.batch.command until it moves here)."""

from liftsafe.batch.command import batch, register  # noqa: F401
