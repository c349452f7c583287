"""README's command table names every command `liftsafe --help` and each group's --help list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import typer

from liftsafe.cli import build_app

README = Path(__file__).resolve().parents[2] / "README.md"


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    runs = not hasattr(command, "list_commands") or command.invoke_without_command  # `plan` prints one
    found = [prefix] if prefix and runs else []
    if hasattr(command, "list_commands"):  # a group (Typer's own copy of click's Group)
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            found += _paths(sub, (*prefix, name))
    return found


def test_readme_lists_every_command() -> None:
    root = typer.main.get_command(build_app())
    paths = _paths(root)
    assert ("log", "add") in paths and ("plan", "create") in paths  # the walk reaches the groups
    text = README.read_text(encoding="utf-8")
    # the table says `liftsafe plan create`, then `plan list` for the rest of the group
    named = {tuple(m.split()) for m in re.findall(r"`(?:liftsafe )?([a-z0-9 -]+?)(?: [A-Z.\[][^`]*)?`", text)}
    missing = [" ".join(p) for p in paths if p not in named]
    assert not missing, f"README.md does not list: {missing}"
