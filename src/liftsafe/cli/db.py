"""``liftsafe db upgrade`` and ``liftsafe db current``: database maintenance."""

from __future__ import annotations

import typer

from liftsafe.cli._common import DB_HELP, echo_json, open_store


def register(app: typer.Typer) -> None:
    """Add the ``db`` group to the root app."""
    app.add_typer(db_app, name="db")


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)

@db_app.command("upgrade")
def db_upgrade(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Create or migrate the database schema to the newest revision."""
    from liftsafe.store.db import current_revision

    with open_store(db) as store:
        typer.echo(f"database at revision {current_revision(store.engine)}")

@db_app.command("current")
def db_current(
    db: str | None = typer.Option(None, "--db", help=DB_HELP), as_json: bool = typer.Option(False, "--json")
) -> None:
    """Show the database URL (password hidden) and schema revision without changing it."""
    from sqlalchemy.engine import make_url

    from liftsafe.store.db import current_revision, head_revision

    store = open_store(db, migrate=False)
    try:
        rev = current_revision(store.engine)
    finally:
        store.close()
    info = {
        "url": make_url(store.url).render_as_string(hide_password=True),
        "revision": rev,
        "head": head_revision(),
    }
    if as_json:
        echo_json(info)
    else:
        typer.echo(f"{info['url']}: revision {rev or '(empty)'}; newest is {info['head']}")



