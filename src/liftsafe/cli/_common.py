"""Helpers shared by the command modules: output folders, progress bars, JSON printing, the store."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from liftsafe.errors import InputError, OutputError

T = TypeVar("T")

console = Console(stderr=True)
"""Progress bars and notices go to stderr, so ``--json -`` output on stdout stays clean."""

DB_HELP = "Database URL (default: $LIFTSAFE_DATABASE_URL, else a SQLite file in the user data folder)."
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
"""``--db`` of the commands that use the store (default ``None``: the settings' database URL)."""


def prepare_out(folder: Path) -> Path:
    """Create ``folder`` if needed and check that it can be written (else an :class:`OutputError`)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {folder} ({exc.strerror}); choose another with --out."
        ) from None
    probe = folder / ".liftsafe-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"cannot write into {folder} ({exc.strerror}); choose another folder with --out."
        ) from None
    return folder


def run_with_progress(fn: Callable[[Callable[[int, int], None] | None], T], *, quiet: bool) -> T:
    """Call ``fn(progress)`` with a progress-bar callback when stderr is a terminal, else ``fn(None)``."""
    if quiet or not sys.stderr.isatty():
        return fn(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("pose"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("pose", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return fn(progress)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def read_json(path: Path, what: str) -> Any:
    """Parse a JSON file, with one-line errors naming the file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}.") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file.") from None


def open_store(db: str | None, *, migrate: bool = True) -> Any:
    """The training/web store at ``db`` (default: the settings' database URL)."""
    from liftsafe.app.database import open_store as open_database

    return open_database(db, migrate=migrate)


def split_equipment(equipment: str | None) -> list[str] | None:
    """``--equipment``: a comma list, ``none`` (nothing) or absent (a full gym)."""
    if equipment is None:
        return None
    if equipment.strip().lower() in ("", "none"):
        return []
    return [item.strip() for item in equipment.split(",") if item.strip()]
