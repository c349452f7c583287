"""Store-backed training commands (filled in below)."""
from __future__ import annotations

import typer


def register(app: typer.Typer, plan_app: typer.Typer) -> None:
    return None
