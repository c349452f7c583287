"""Database fixtures: every store test runs on SQLite and on PostgreSQL.

The PostgreSQL variant uses ``LIFTSAFE_TEST_POSTGRES_URL`` (``.ci/run`` starts a throw-away
server and exports it). Unset: the variant is skipped -- except under ``CI=true``, where an
unset URL fails the test. Each test gets a clean schema: a fresh SQLite file, or a unique
PostgreSQL schema (selected with ``search_path``) that is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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
            pytest.fail(f"{PG_ENV} is not set but CI=true: the PostgreSQL store tests must run in CI (see .ci/run).")
        pytest.skip(f"{PG_ENV} not set: PostgreSQL variant skipped (set it to run the store tests on PostgreSQL).")
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
