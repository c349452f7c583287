"""Alembic environment: runs on the connection handed over by :func:`liftsafe.store.db.upgrade`
(``config.attributes["connection"]``) or, from the ``alembic`` command line, on
``sqlalchemy.url`` / ``LIFTSAFE_DATABASE_URL``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from liftsafe.store import web_models  # noqa: F401  (registers the web tables on Base.metadata)
from liftsafe.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from liftsafe.store.db import database_url

    engine = create_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
