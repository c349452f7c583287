"""Store fixtures. ``db_url`` (SQLite and PostgreSQL variants) and ``run_cli`` live in tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture()
def store(db_url):
    from liftsafe.store.db import Store

    s = Store(db_url)
    yield s
    s.close()
