"""Engine, schema migration and transactions of the training store.

* URL: an explicit ``url`` argument, else env ``LIFTSAFE_DATABASE_URL``, else a SQLite file
  ``liftsafe.db`` in ``platformdirs.user_data_dir("liftsafe")`` (created on first use, never
  at import). PostgreSQL works with ``postgresql+psycopg://user@host:port/db``.
* Schema: Alembic migrations shipped in ``liftsafe/store/migrations``; :class:`Store` brings
  the database to the newest revision when it opens it (``liftsafe db upgrade`` does so
  explicitly).
* Transactions: :meth:`Store.transaction` is one database transaction -- committed only when
  the block finishes, rolled back on any error. SQLite runs with ``synchronous=FULL`` and
  foreign keys on, so a committed (confirmed) write survives a crash of the process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from liftsafe.errors import InputError, OutputError

ENV_URL = "LIFTSAFE_DATABASE_URL"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def default_sqlite_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("liftsafe")) / "liftsafe.db"


def env_database_url() -> str | None:
    """``$LIFTSAFE_DATABASE_URL`` if set (the one place it is read), else None."""
    return os.environ.get(ENV_URL, "").strip() or None


def database_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$LIFTSAFE_DATABASE_URL``, else the user SQLite file."""
    if url:
        return url
    env = env_database_url()
    if env:
        return env
    return f"sqlite:///{default_sqlite_path()}"


def now_seconds() -> datetime:
    """The local time to the second, as timestamps are stored."""
    return datetime.now().replace(microsecond=0)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` (creating the SQLite file's folder if needed)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            f"database URL {url!r} is not valid; use sqlite:///path/to/file.db or "
            f"postgresql+psycopg://user@host/db ({ENV_URL})."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"cannot create the database folder {folder}: {exc.strerror}; set {ENV_URL} to a "
                    f"writable place."
                ) from None
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # missing driver and the like
        raise InputError(
            f"cannot use database URL {parsed.render_as_string(hide_password=True)!r}: {exc}."
        ) from None


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration revision shipped with liftsafe."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None for an empty database."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` in one transaction."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema down to ``revision``."""
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


def _describe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _is_locked(reason: str) -> bool:
    return "database is locked" in reason or "lock timeout" in reason or "could not obtain lock" in reason


def _locked_message(url: str) -> str:
    return (
        f"the database {_describe(url)} is locked by another program (another liftsafe, or a database "
        f"browser "
        "with unsaved changes); nothing was saved. Close that program and try again."
    )


class Store:
    """The training database. ``Store(url)``; ``with store.transaction() as session: ...``."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            try:
                if current_revision(self.engine) != head_revision():
                    upgrade(self.engine)
            except DBAPIError as exc:  # unreachable server, bad credentials, not a database file, ...
                self.engine.dispose()
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                if _is_locked(reason):
                    raise OutputError(_locked_message(self.url)) from None
                raise InputError(
                    f"cannot open the database {_describe(self.url)}: {reason}. Check {ENV_URL}."
                ) from None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls everything back on error.

        Database errors (constraint violations, lost connections, ...) become an
        :class:`~liftsafe.errors.OutputError` saying nothing was saved."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                with session.begin():
                    yield session
            except DBAPIError as exc:  # the transaction was rolled back: nothing of it is stored
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                if _is_locked(reason):
                    raise OutputError(_locked_message(self.url)) from None
                raise OutputError(f"database write failed, nothing was saved ({reason}).") from None

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = [
    "ENV_URL",
    "Store",
    "database_url",
    "make_engine",
    "upgrade",
    "downgrade",
    "current_revision",
    "head_revision",
]
