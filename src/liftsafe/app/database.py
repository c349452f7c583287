"""Use-cases of the database itself: open the store (migrated to the newest schema) and report its
revision -- ``liftsafe db upgrade/current`` and every command that reads or writes the log."""

from __future__ import annotations

from typing import Any

from liftsafe.store.db import Store, current_revision, head_revision


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """The training/web store at ``url`` (default: the settings' database URL), migrated unless
    ``migrate`` is False."""
    return Store(url) if migrate else Store(url, migrate=False)


def upgrade(url: str | None = None) -> str | None:
    """Create or migrate the schema to the newest revision; the revision it is at afterwards."""
    with open_store(url) as store:
        return current_revision(store.engine)


def describe(url: str | None = None) -> dict[str, Any]:
    """The database URL (password hidden), its schema revision and the newest one, without changing it."""
    from sqlalchemy.engine import make_url

    store = open_store(url, migrate=False)
    try:
        rev = current_revision(store.engine)
    finally:
        store.close()
    return {
        "url": make_url(store.url).render_as_string(hide_password=True),
        "revision": rev,
        "head": head_revision(),
    }
