"""The ``liftsafe`` command line (Typer).

One module per command group (:mod:`.analyze`, :mod:`.evaluate`, :mod:`.ergonomics`,
:mod:`.train`, :mod:`.log`, :mod:`.db`, :mod:`.serve`, :mod:`.batch`), each with module-level command
functions and a ``register(app)``; shared helpers live in :mod:`._common`. Commands parse
flags and print; the work is done by the use-cases in :mod:`liftsafe.app` and the core.
This module wires the groups together and turns :class:`~liftsafe.errors.LiftsafeError` into a
one-line message (core errors name a field; it is shown as its flag) and an exit code.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from rich.console import Console

from liftsafe import __version__
from liftsafe.errors import LiftsafeError

err_console = Console(stderr=True)

COMMAND_GROUPS = ("analyze", "batch", "train", "log", "db", "ergonomics", "evaluate", "serve")
"""The command modules, in the order their commands appear in ``liftsafe --help``."""

FIELD_FLAGS = {"height_m": "--height", "pain_now": "--pain"}
"""Fields whose flag is not simply ``--`` + the field name with dashes."""


def flag_message(exc: LiftsafeError) -> str:
    """The error message with its leading field name said as the command-line flag."""
    message = str(exc)
    field = getattr(exc, "field", None)
    if field and not field.startswith("-") and message.startswith(field):
        flag = FIELD_FLAGS.get(field, "--" + field.replace("_", "-"))
        return flag + message[len(field):]
    return message


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"liftsafe {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """The root Typer app with every command group registered."""
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

    for group in COMMAND_GROUPS:
        importlib.import_module(f"liftsafe.cli.{group}").register(app)
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
        err_console.print(f"[bold red]error:[/] {flag_message(exc)}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
