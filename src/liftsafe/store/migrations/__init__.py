"""Alembic migrations of the liftsafe store (run by :func:`liftsafe.store.db.upgrade`)."""
