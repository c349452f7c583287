"""Shared fixtures.

* ``clips_dir``: the real clips live outside the repository (../shared/data/deadlift-clips).
* ``run_cli``: ``liftsafe <argv>`` in-process through the real entry point (error handling
  included); returns ``(exit_code, stdout, stderr)`` as a named tuple.
* ``write_hostile_keypoints``: writes a small keypoint file that needs gigabytes once read (for the
  memory limits of batch and web workers).
* ``db_url``: every database test runs on SQLite and on PostgreSQL. The PostgreSQL variant
  uses ``LIFTSAFE_TEST_POSTGRES_URL`` (``.ci/run`` starts a throw-away server and exports it).
  Unset: the variant is skipped -- except under ``CI=true``, where an unset URL fails the test.
  Each test gets a clean schema: a fresh SQLite file, or a unique PostgreSQL schema (selected
  with ``search_path``) that is dropped afterwards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

CLIPS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "deadlift-clips"


@pytest.fixture(scope="session")
def clips_dir() -> Path:
    """The shared clip folder; skipped when absent, a failure under CI=true."""
    if not CLIPS_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared clips are missing at {CLIPS_DIR}")
        pytest.skip(f"shared clips not found at {CLIPS_DIR}")
    return CLIPS_DIR


PG_ENV = "LIFTSAFE_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A database URL with an empty schema, for each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'liftsafe-test.db'}"
        return
    base = os.environ.get(PG_ENV, "").strip()
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"{PG_ENV} is not set but CI=true: the PostgreSQL database tests must run in CI (see "
                f".ci/run)."
            )
        pytest.skip(
            f"{PG_ENV} not set: PostgreSQL variant skipped (set it to run the database tests on PostgreSQL)."
        )
    schema = f"liftsafe_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class CliResult(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str  # whitespace runs collapsed: rich wraps long messages at the terminal width


@pytest.fixture()
def run_cli(capsys):
    from liftsafe.cli import main

    def _run(*argv: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, " ".join(out.err.split()))

    return _run


@pytest.fixture()
def write_hostile_keypoints(monkeypatch) -> Callable[[Path], Path]:
    """A writer of a 2 kB keypoint file whose frame numbers run to 1,000,000: read, it needs gigabytes.
    The input limits refuse such a file before it is read; they are lifted here, so what stops it is
    the memory limit of the process that reads it."""
    monkeypatch.setenv("LIFTSAFE_MAX_FRAME_SPAN", "10000000")
    points = [[100.0 + i, 200.0 + i, 0.9] for i in range(33)]
    doc = {
        "fps": 30,
        "layout": "blazepose33",
        "image_size": [640, 480],
        "frames": [{"frame": 0, "keypoints": points}, {"frame": 1_000_000, "keypoints": points}],
    }

    def write(path: Path) -> Path:
        path.write_text(json.dumps(doc))
        return path

    return write
