"""Store fixtures. ``db_url`` (SQLite and PostgreSQL variants) lives in tests/conftest.py."""

from __future__ import annotations

import pytest

@pytest.fixture()
def store(db_url):
    from liftsafe.store.db import Store

    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture()
def run_cli(capsys):
    """Run ``liftsafe <argv>`` in-process through the real entry point; returns (code, out, err)."""
    from liftsafe.cli import main

    def _run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return code, out.out, " ".join(out.err.split())  # rich wraps long messages at the terminal width

    return _run
