"""liftsafe.store -- the training database (SQLAlchemy 2 + Alembic; SQLite or PostgreSQL).

Depends on :mod:`liftsafe.training` (records in and out); the training core never imports
this package.
"""
