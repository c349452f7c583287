"""The ``liftsafe`` command line (Typer).

Each capability keeps its commands in its own module (``liftsafe/<area>/commands.py``) and
registers them in :func:`build_app`; this module only wires them together and turns
:class:`~liftsafe.errors.LiftsafeError` into a one-line message and an exit code.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from liftsafe import __version__
from liftsafe.errors import LiftsafeError

err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"liftsafe {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="liftsafe",
        help="Lifting-safety coach: technique analysis, workplace lifting risk, back-safe training.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
        ),
    ) -> None:
        """liftsafe -- watch a lift, rate a workplace lift, coach a back-safe program."""

    # --- command registration: one line per area -------------------------------------
    from liftsafe.technique import commands as technique_commands

    technique_commands.register(app)
    from liftsafe.training import commands as training_commands
    training_commands.register(app)
    from liftsafe.ergonomics import commands as ergonomics_commands
    ergonomics_commands.register(app)
    from liftsafe.evaluation import commands as evaluation_commands

    evaluation_commands.register(app)
    from liftsafe.web import commands as web_commands
    web_commands.register(app)
    # (other areas register here)
    # ------------------------------------------------------------------------------------
    return app


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    os.environ.setdefault("GLOG_minloglevel", "2")  # quiet MediaPipe's C++ logging
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    app = build_app()
    try:
        # standalone mode: the CLI library prints usage errors itself (exit 2) and exits;
        # our own user-facing errors propagate here and become one line
        app(args=argv, prog_name="liftsafe")
    except LiftsafeError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
