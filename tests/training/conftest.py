"""Shared helpers for the training tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from liftsafe.cli import main


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture()
def run_cli(capsys):
    """Run ``liftsafe <argv>`` in-process through the real entry point (error handling included)."""

    def _run(*argv: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, " ".join(out.err.split()))  # rich wraps long messages

    return _run
