"""CLI of the training area: ``plan``, ``plan create``, ``plan show``, ``log add``, ``log list``,
``progress``, ``assess-me``, ``import`` and ``export``.

Commands parse options, call one function of the core (``liftsafe.training``) or the store
(``liftsafe.store``), and print text or ``--json``. Every write is one transaction.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import typer
from rich.console import Console


console = Console()


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _amount_text(ex: dict[str, Any]) -> str:
    if "reps" in ex:
        return f"{ex['sets']} x {ex['reps']} reps"
    if "hold_s" in ex:
        return f"{ex['sets']} x {ex['hold_s']} s hold"
    return f"{ex['sets']} x {ex['distance_m']} m"


def _print_plan(plan_dict: dict[str, Any], *, show_cues: bool, title: str = "") -> None:
    from liftsafe.training.plan import BELT_CUE

    if title:
        console.print(f"[bold]{title}[/]")
    for week in plan_dict["weeks"]:
        tag = " [yellow](deload)[/]" if week["deload"] else ""
        console.print(f"\n[bold]Week {week['index']}[/] - {week['phase']}{tag}")
        for session in week["sessions"]:
            console.print(f"  Session {session['index']}")
            for block in session["blocks"]:
                for ex in block["exercises"]:
                    belt = " [magenta]belt optional[/]" if BELT_CUE in ex["cues"] else ""
                    console.print(f"    {block['kind']:<10} {ex['id']:<28} {_amount_text(ex):<18} {ex['load']}{belt}", highlight=False, soft_wrap=True)
                    if show_cues:
                        for cue in ex["cues"]:
                            console.print(f"{'':<16}- {cue}", highlight=False)


def _split_equipment(equipment: Optional[str]) -> Optional[list[str]]:
    if equipment is None:
        return None
    if equipment.strip().lower() in ("", "none"):
        return []
    return [item.strip() for item in equipment.split(",") if item.strip()]


LEVEL_HELP = "beginner | intermediate | advanced (coaching.md 'Levels')."
EQUIPMENT_HELP = "Comma list of what you have (band, barbell, blocks, dowel, dumbbells, kettlebell, trap-bar) or 'none'; default: a full gym."


def register(app: typer.Typer) -> None:
    """Add the training commands to the root ``liftsafe`` app."""
    plan_app = typer.Typer(help="Generate, save and show periodised back-safe plans.", no_args_is_help=False)

    @plan_app.callback(invoke_without_command=True)
    def plan(
        ctx: typer.Context,
        level: str = typer.Option("beginner", "--level", help=LEVEL_HELP),
        weeks: int = typer.Option(12, "--weeks", help="Plan length in weeks (1-52); every 4th week is a deload."),
        sessions_per_week: int = typer.Option(3, "--sessions-per-week", help="2 or 3."),
        equipment: Optional[str] = typer.Option(None, "--equipment", help=EQUIPMENT_HELP),
        extra_mobility_weeks: int = typer.Option(0, "--extra-mobility-weeks", help="Lengthen the mobility phase (from assess-me)."),
        cues: bool = typer.Option(False, "--cues", help="Show every cue under each exercise."),
        as_json: bool = typer.Option(False, "--json", help="Print the plan JSON to stdout."),
    ) -> None:
        """Print a plan without saving it (``plan create`` saves one)."""
        if ctx.invoked_subcommand is not None:
            return
        from liftsafe.training.plan import generate_plan

        result = generate_plan(
            level, weeks=weeks, sessions_per_week=sessions_per_week, equipment=_split_equipment(equipment),
            extra_mobility_weeks=extra_mobility_weeks,
        )
        if as_json:
            _print_json(result.to_dict())
        else:
            _print_plan(result.to_dict(), show_cues=cues, title=f"{weeks}-week {result.level.value} plan, {sessions_per_week} sessions a week")

    app.add_typer(plan_app, name="plan")

    from liftsafe.training import store_commands

    store_commands.register(app, plan_app)

    from liftsafe.training import assess_commands

    assess_commands.register(app)
