"""Migration 0005_security on a database that already holds web data (SQLite rebuilds the
tables to add AUTOINCREMENT; PostgreSQL only adds the token expiry column)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from liftsafe.store.db import Store, downgrade, make_engine, upgrade


def test_existing_rows_survive_and_ids_are_never_reused(web_db_url):
    engine = make_engine(web_db_url)
    upgrade(engine, "0002_web")
    now = datetime(2026, 11, 30, 12, 0)
    with engine.begin() as conn:
        uid = conn.execute(
            text(
                "INSERT INTO web_users (email, password_hash, role, created_at) "
                "VALUES ('ann@example.com', 'x', 'lifter', :t) RETURNING id"
            ),
            {"t": now},
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO web_api_tokens (token_hash, user_id, name, created_at) "
                "VALUES ('abc', :u, 'old token', :t)"
            ),
            {"u": uid, "t": now},
        )
        ids = [
            conn.execute(
                text(
                    "INSERT INTO web_analysis_jobs (user_id, exercise, filename, input_path, status, "
                    "progress_pct, cancel_requested, created_at, updated_at) VALUES "
                    "(:u, 'deadlift', 'a.mp4', '', 'done', 100, false, :t, :t) RETURNING id"
                ),
                {"u": uid, "t": now},
            ).scalar()
            for _ in range(3)
        ]
    engine.dispose()
    store = Store(web_db_url)  # brings the database to the newest revision
    try:
        with store.engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM web_analysis_jobs")).scalar() == 3
            assert conn.execute(text("SELECT expires_at FROM web_api_tokens")).scalar() is None
            conn.execute(text("DELETE FROM web_analysis_jobs WHERE id = :id"), {"id": ids[-1]})
        with store.engine.begin() as conn:
            new_id = conn.execute(
                text(
                    "INSERT INTO web_analysis_jobs (user_id, exercise, filename, input_path, status, "
                    "progress_pct, cancel_requested, created_at, updated_at) "
                    "VALUES (:u, 'deadlift', 'b.mp4', '', 'queued', 0, false, :t, :t) "
                    "RETURNING id"
                ),
                {"u": uid, "t": now},
            ).scalar()
        assert new_id > ids[-1]  # not the deleted newest id
        with (
            pytest.raises(IntegrityError),
            store.engine.begin() as conn,
        ):  # CHECK constraints survived the rebuild
            conn.execute(text("UPDATE web_analysis_jobs SET status = 'bogus' WHERE id = :id"), {"id": ids[0]})
        downgrade(store.engine, "0002_web")
        upgrade(store.engine)
        with store.engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM web_analysis_jobs")).scalar() == 3
    finally:
        store.close()
