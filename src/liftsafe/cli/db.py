"""``liftsafe db upgrade`` and ``liftsafe db current``: database maintenance."""

from __future__ import annotations

import typer

from liftsafe.cli._common import DbOption, echo_json


def register(app: typer.Typer) -> None:
    """Add the ``db`` group to the root app."""
    app.add_typer(db_app, name="db")


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)

@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database schema to the newest revision."""
    from liftsafe.app.database import upgrade

    typer.echo(f"database at revision {upgrade(db)}")


@db_app.command("current")
def db_current(
    db: DbOption = None, as_json: bool = typer.Option(False, "--json")
) -> None:
    """Show the database URL (password hidden) and schema revision without changing it."""
    from liftsafe.app.database import describe

    info = describe(db)
    if as_json:
        echo_json(info)
    else:
        typer.echo(f"{info['url']}: revision {info['revision'] or '(empty)'}; newest is {info['head']}")
