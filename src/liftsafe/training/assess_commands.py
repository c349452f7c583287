"""``liftsafe assess-me``: the pre-plan assessment, interactive or entirely by flags."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from liftsafe.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command("assess-me")
    def assess_me(
        level: Optional[str] = typer.Option(None, "--level", help="beginner | intermediate | advanced."),
        pain: Optional[int] = typer.Option(None, "--pain", help="Back pain right now, 0-10."),
        pain_where: Optional[str] = typer.Option(None, "--pain-where", help="Where it hurts (free text)."),
        pain_type: Optional[str] = typer.Option(None, "--pain-type", help="sharp | dull."),
        red_flag: list[str] = typer.Option(
            [], "--red-flag", help="Repeat for each: groin-numbness, bladder-bowel, weight-loss, fever, night-pain, leg-weakness."),
        no_red_flags: bool = typer.Option(False, "--no-red-flags", help="Confirm none of the red flags applies."),
        toe_touch: Optional[str] = typer.Option(None, "--toe-touch", help="Standing, knees straight, fingertips reach: floor | shins | knees."),
        hinge_test: Optional[str] = typer.Option(None, "--hinge-test", help="Wall-tap hinge test: pass | fail | unknown."),
        hinge_result: Optional[Path] = typer.Option(None, "--hinge-result", help="A technique-analysis result JSON of a hinge (verdict good = pass)."),
        job: Optional[str] = typer.Option(None, "--job", help="Lifting at work: none | occasional | frequent | heavy."),
        equipment: Optional[str] = typer.Option(None, "--equipment", help="Comma list of equipment, 'none', or 'all' (default)."),
        sessions_per_week: Optional[int] = typer.Option(None, "--sessions-per-week", help="2 or 3."),
        interactive: Optional[bool] = typer.Option(
            None, "--interactive/--no-interactive", help="Ask for missing answers (default: when run in a terminal)."),
        as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
    ) -> None:
        """Answer a few questions (or give them as flags) and get a safe starting point."""
        from rich.prompt import Confirm, IntPrompt, Prompt

        from liftsafe.training.assessment import (
            RED_FLAG_TEXT, Answers, HingeTest, JobDemand, RedFlag, ToeTouch, assess, hinge_test_from_result, parse_choice,
            parse_red_flags,
        )
        from liftsafe.training.library import Level
        from liftsafe.training.log import PainType

        ask = sys.stdin.isatty() if interactive is None else interactive

        if red_flag and no_red_flags:
            raise InputError("give either --red-flag or --no-red-flags, not both.")
        flags = parse_red_flags(red_flag)
        if not red_flag and not no_red_flags:
            if not ask:
                raise InputError("answer the red-flag question: --no-red-flags if none applies, or --red-flag NAME for each that does.")
            chosen = []
            for flag in RedFlag:
                if Confirm.ask(f"Do you have {RED_FLAG_TEXT[flag]}?", default=False):
                    chosen.append(flag)
            flags = frozenset(chosen)

        def choice(value, enum, option, question, default):
            if value is None and ask:
                value = Prompt.ask(question, choices=[m.value for m in enum], default=default)
            return parse_choice(value if value is not None else default, enum, option)

        lvl = choice(level, Level, "--level", "Your training level", "beginner")
        if pain is None and ask:
            pain = IntPrompt.ask("Back pain right now (0 = none, 10 = worst)", default=0)
        pain = pain or 0
        if not 0 <= pain <= 10:
            raise InputError(f"--pain must be 0-10; got {pain}.")
        ptype = None
        if pain:
            ptype = choice(pain_type, PainType, "--pain-type", "Is it sharp or dull?", "dull")
            if pain_where is None and ask:
                pain_where = Prompt.ask("Where do you feel it?", default="lower back")
        elif pain_type:
            raise InputError("--pain-type given but --pain is 0; rate the pain 1-10 or drop --pain-type.")
        toe = choice(toe_touch, ToeTouch, "--toe-touch", "Standing with straight knees, your fingertips reach the", "unknown")
        source = "self"
        if hinge_result is not None:
            if hinge_test is not None:
                raise InputError("give either --hinge-test or --hinge-result, not both.")
            try:
                result = json.loads(hinge_result.read_text(encoding="utf-8"))
            except OSError as exc:
                raise InputError(f"cannot read --hinge-result {hinge_result}: {exc.strerror}.") from None
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise InputError(f"--hinge-result {hinge_result}: not a JSON technique-analysis result.") from None
            hinge = hinge_test_from_result(result, source=str(hinge_result))
            source = str(hinge_result)
        else:
            hinge = choice(hinge_test, HingeTest, "--hinge-test", "Wall-tap hinge test (hips back to the wall, back flat)", "unknown")
        job_demand = choice(job, JobDemand, "--job", "How much do you lift at work?", "none")
        if equipment is None and ask:
            equipment = Prompt.ask("Equipment you have (comma list, 'none' or 'all')", default="all")
        if equipment is None or equipment.strip().lower() == "all":
            equip = None
        elif equipment.strip().lower() in ("none", ""):
            equip = ()
        else:
            equip = tuple(sorted({e.strip().lower() for e in equipment.split(",") if e.strip()}))
            from liftsafe.training.library import load_library

            unknown = sorted(set(equip) - load_library().equipment)
            if unknown:
                raise InputError(f"--equipment: unknown item(s) {', '.join(unknown)}; known: {', '.join(sorted(load_library().equipment))}.")
        if sessions_per_week is None and ask:
            sessions_per_week = IntPrompt.ask("Sessions a week", choices=["2", "3"], default=3)
        answers = Answers(
            level=lvl, pain_now=pain, pain_where=(pain_where or "").strip(), pain_type=ptype, red_flags=flags,
            toe_touch=toe, hinge_test=hinge, hinge_source=source, job_demand=job_demand, equipment=equip,
            sessions_per_week=sessions_per_week or 3,
        )
        result = assess(answers)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        if not result.clear_to_train:
            typer.echo("Not cleared to start training yet:")
            for reason in result.refer_reasons:
                typer.echo(f"  - {reason}")
            return
        typer.echo(f"Cleared to start: {result.level.value} level, {result.sessions_per_week} sessions a week.")
        for line in result.advice:
            typer.echo(f"  - {line}")
        typer.echo(f"Next: {result.plan_command()}")
