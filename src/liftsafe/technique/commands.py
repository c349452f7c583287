"""CLI commands of the technique-analysis area: ``analyze`` and ``demo``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def analyze(video: str = typer.Argument(..., help="Video file or keypoint file (.csv/.json).")) -> None:
        """Analyse a lift video rep by rep (work in progress)."""
        raise typer.Exit(1)
