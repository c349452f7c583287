"""``liftsafe plan`` (print), ``plan create/list/show`` and ``assess-me``: back-safe training plans.

Commands parse options, call one use-case of :mod:`liftsafe.app` (``plans``, ``assessment``,
``joblifts``) or a pure function of ``liftsafe.training``, and print text or ``--json``. Every
write is one transaction.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from liftsafe.cli._common import DbOption, echo_json, open_store, split_equipment
from liftsafe.errors import InputError

console = Console()

plan_app = typer.Typer(help="Generate, save and show periodised back-safe plans.", no_args_is_help=False)


def register(app: typer.Typer) -> None:
    """Add the ``plan`` group and ``assess-me`` to the root app."""
    app.add_typer(plan_app, name="plan")
    app.command("assess-me")(assess_me)


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
                    console.print(
                        f"    {block['kind']:<10} {ex['id']:<28} {_amount_text(ex):<18} {ex['load']}{belt}",
                        highlight=False,
                        soft_wrap=True,
                    )
                    if show_cues:
                        for cue in ex["cues"]:
                            console.print(f"{'':<16}- {cue}", highlight=False)
    _print_guidance()


def _print_guidance() -> None:
    """Beyond the sessions: the daily reminder, rest days and recovery, with the sources."""
    from liftsafe.training.recovery import plan_guidance

    g = plan_guidance()
    console.print("\n[bold]Every day and on rest days[/]", highlight=False)
    console.print(f"  {g['daily']}", highlight=False, soft_wrap=True)
    console.print(f"  {g['rest_days']}", highlight=False, soft_wrap=True)
    console.print("[bold]Recovery[/]", highlight=False)
    for item in g["recovery"]:
        console.print(f"  {item['topic']}: {item['advice']}", highlight=False, soft_wrap=True)
    console.print("[bold]Sources[/]", highlight=False)
    for src in g["sources"]:
        console.print(f"  - {src}", highlight=False, soft_wrap=True)


LEVEL_HELP = "beginner | intermediate | advanced."
JOB_LIFT_HELP = (
    "A lift of your job to practise: 'name=tote to shelf,load_kg=12,from_cm=0,to_cm=150,reach_cm=40,"
    "carry_m=3,rwl_kg=10'. Repeat per lift."
)
JOB_VIDEO_HELP = (
    "A filmed job lift (video or keypoint file, side-on): its geometry is measured as `liftsafe assess` "
    "does and the NIOSH RWL becomes the drill's limit; needs --job-video-load and --height."
)
JOB_VIDEO_LOAD_HELP = "Load of the filmed lift, kg."
JOB_FILE_HELP = "A NIOSH job file (as for `liftsafe niosh`): each task becomes a job-lift drill with its RWL."
EQUIPMENT_HELP = (
    "Comma list of what you have (band, barbell, blocks, dowel, dumbbells, kettlebell, "
    "trap-bar) or 'none'; default: a full gym."
)

# Options that several commands declare alike: one declaration each, the default at the use.
LevelOption = Annotated[str, typer.Option("--level", help=LEVEL_HELP)]
SessionsPerWeekOption = Annotated[int, typer.Option("--sessions-per-week", help="2 or 3.")]
ExtraMobilityWeeksOption = Annotated[
    int, typer.Option("--extra-mobility-weeks", help="Lengthen the mobility phase (from assess-me).")
]
# the job lifts of ``plan``, ``plan create`` and ``assess-me`` (see ``_job_lifts``)
JobLiftOption = Annotated[list[str], typer.Option("--job-lift", help=JOB_LIFT_HELP)]
JobFileOption = Annotated[str | None, typer.Option("--job-file", help=JOB_FILE_HELP)]
JobVideoOption = Annotated[Path | None, typer.Option("--job-video", help=JOB_VIDEO_HELP)]
JobVideoLoadOption = Annotated[float | None, typer.Option("--job-video-load", help=JOB_VIDEO_LOAD_HELP)]
HeightOption = Annotated[
    float | None, typer.Option("--height", help="Your height in metres (for --job-video).")
]
JobVideoFrequencyOption = Annotated[
    float, typer.Option("--job-video-frequency", help="Filmed lifts per minute.")
]


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    level: LevelOption = "beginner",
    weeks: int = typer.Option(12, "--weeks", help="Plan length in weeks (1-52); every 4th week is a deload."),
    sessions_per_week: SessionsPerWeekOption = 3,
    equipment: str | None = typer.Option(None, "--equipment", help=EQUIPMENT_HELP),
    extra_mobility_weeks: ExtraMobilityWeeksOption = 0,
    job_lift: JobLiftOption = [],  # noqa: B006 -- never mutated; each call gets a new list
    job_file: JobFileOption = None,
    job_video: JobVideoOption = None,
    job_video_load: JobVideoLoadOption = None,
    height: HeightOption = None,
    job_video_frequency: JobVideoFrequencyOption = 1.0,
    cues: bool = typer.Option(False, "--cues", help="Show every cue under each exercise."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan JSON to stdout."),
) -> None:
    """Print a plan without saving it (``plan create`` saves one)."""
    if ctx.invoked_subcommand is not None:
        return
    result = _generate(
        level, weeks, sessions_per_week, equipment, extra_mobility_weeks,
        job_lift, job_file, job_video, job_video_load, height, job_video_frequency,
    )
    if as_json:
        echo_json(result.to_dict())
    else:
        _print_plan(
            result.to_dict(),
            show_cues=cues,
            title=f"{weeks}-week {result.level.value} plan, {sessions_per_week} sessions a week",
        )


@plan_app.command("create")
def plan_create(
    level: LevelOption = "beginner",
    weeks: int = typer.Option(12, "--weeks", help="Plan length in weeks (1-52)."),
    sessions_per_week: SessionsPerWeekOption = 3,
    equipment: str | None = typer.Option(None, "--equipment", help="Comma list of equipment, or 'none'."),
    extra_mobility_weeks: ExtraMobilityWeeksOption = 0,
    job_lift: JobLiftOption = [],  # noqa: B006 -- never mutated; each call gets a new list
    job_file: JobFileOption = None,
    job_video: JobVideoOption = None,
    job_video_load: JobVideoLoadOption = None,
    height: HeightOption = None,
    job_video_frequency: JobVideoFrequencyOption = 1.0,
    name: str = typer.Option("", "--name", help="A name for the plan (default: describes it)."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the saved plan record as JSON."),
) -> None:
    """Generate a plan and save it (one transaction)."""
    from liftsafe.app.plans import save_plan

    plan = _generate(
        level, weeks, sessions_per_week, equipment, extra_mobility_weeks,
        job_lift, job_file, job_video, job_video_load, height, job_video_frequency,
    )
    label = name.strip() or f"{weeks}-week {plan.level.value} plan, {sessions_per_week}x/week"
    with open_store(db) as store:
        stored = save_plan(store, plan, name=label[:200])
    plan_id = stored.id
    if as_json:
        echo_json(stored.to_dict())
    else:
        typer.echo(f"saved plan {plan_id}: {label} (show it with `liftsafe plan show {plan_id}`)")


@plan_app.command("list")
def plan_list(
    db: DbOption = None,
    as_json: bool = typer.Option(
        False, "--json", help="Print the saved plans (without their weeks) as JSON."
    ),
) -> None:
    """List saved plans."""
    from liftsafe.app.plans import list_plans

    with open_store(db) as store:
        plans = list_plans(store)
    if as_json:
        echo_json({"plans": [{k: v for k, v in p.to_dict().items() if k != "plan"} for p in plans]})
        return
    if not plans:
        typer.echo("no saved plans yet; create one with `liftsafe plan create`.")
    for p in plans:
        typer.echo(
            f"plan {p.id}: {p.name} ({p.level.value}, {p.weeks} weeks, {p.sessions_per_week}x/week, created "
            f"{p.created_at:%Y-%m-%d})"
        )


@plan_app.command("show")
def plan_show(
    plan_id: int | None = typer.Argument(None, help="Plan id (default: the newest plan)."),
    week: int | None = typer.Option(None, "--week", help="Show only this week."),
    cues: bool = typer.Option(False, "--cues", help="Show every cue."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the plan record as JSON."),
) -> None:
    """Show a saved plan, with kilograms where the log knows a load."""
    from liftsafe.app.plans import plan_with_loads

    with open_store(db) as store:
        found = plan_with_loads(store, plan_id, week=week)
    if found is None:
        raise InputError(
            "no saved plan yet; create one with `liftsafe plan create`."
            if plan_id is None
            else f"no plan with id {plan_id}; list them with `liftsafe plan list`."
        )
    stored, doc = found
    if as_json:
        echo_json(doc)
    else:
        _print_plan(
            doc["plan"],
            show_cues=cues,
            title=f"plan {stored.id}: {stored.name} (created {doc['created_at']})",
        )


def assess_me(
    level: str | None = typer.Option(None, "--level", help=LEVEL_HELP),
    pain: int | None = typer.Option(None, "--pain", help="Back pain right now, 0-10."),
    pain_where: str | None = typer.Option(None, "--pain-where", help="Where it hurts (free text)."),
    pain_type: str | None = typer.Option(None, "--pain-type", help="sharp | dull."),
    red_flag: list[str] = typer.Option(
        [],
        "--red-flag",
        help="Repeat for each: groin-numbness, bladder-bowel, weight-loss, fever, night-pain, leg-weakness.",
    ),
    no_red_flags: bool = typer.Option(False, "--no-red-flags", help="Confirm none of the red flags applies."),
    toe_touch: str | None = typer.Option(
        None, "--toe-touch", help="Standing, knees straight, fingertips reach: floor | shins | knees."
    ),
    hinge_test: str | None = typer.Option(
        None, "--hinge-test", help="Wall-tap hinge test: pass | fail | unknown."
    ),
    hinge_result: Path | None = typer.Option(
        None, "--hinge-result",
        help="A technique-analysis result JSON of a hinge (verdict good = pass, needs_work or unsafe = fail, "
        "not_judged = unknown).",
    ),
    job: str | None = typer.Option(
        None, "--job", help="Lifting at work: none | occasional | frequent | heavy."
    ),
    equipment: str | None = typer.Option(
        None, "--equipment", help="Comma list of equipment, 'none', or 'all' (default)."
    ),
    sessions_per_week: int | None = typer.Option(None, "--sessions-per-week", help="2 or 3."),
    job_lift: JobLiftOption = [],  # noqa: B006 -- never mutated; each call gets a new list
    job_file: JobFileOption = None,
    job_video: JobVideoOption = None,
    job_video_load: JobVideoLoadOption = None,
    height: HeightOption = None,
    job_video_frequency: JobVideoFrequencyOption = 1.0,
    interactive: bool | None = typer.Option(
        None,
        "--interactive/--no-interactive",
        help="Ask for missing answers (default: when run in a terminal).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
) -> None:
    """Answer a few questions (or give them as flags) and get a safe starting point."""
    from rich.prompt import IntPrompt, Prompt

    from liftsafe.training.assessment import Answers, HingeTest, JobDemand, ToeTouch, parse_choice
    from liftsafe.training.library import Level

    ask = sys.stdin.isatty() if interactive is None else interactive
    flags = _red_flags(red_flag, no_red_flags, ask=ask)

    def choice(value, enum, option, question, default):
        if value is None and ask:
            value = Prompt.ask(question, choices=[m.value for m in enum], default=default)
        return parse_choice(value if value is not None else default, enum, option)

    lvl = choice(level, Level, "--level", "Your training level", "beginner")
    pain, ptype, pain_where = _pain(pain, pain_type, pain_where, ask=ask, choice=choice)
    toe = choice(
        toe_touch,
        ToeTouch,
        "--toe-touch",
        "Standing with straight knees, your fingertips reach the",
        "unknown",
    )
    source = "self"
    if hinge_result is not None:
        if hinge_test is not None:
            raise InputError("give either --hinge-test or --hinge-result, not both.")
        hinge = _hinge_from_result(hinge_result)
        source = str(hinge_result)
    else:
        hinge = choice(
            hinge_test,
            HingeTest,
            "--hinge-test",
            "Wall-tap hinge test (hips back to the wall, back flat)",
            "unknown",
        )
    job_demand = choice(job, JobDemand, "--job", "How much do you lift at work?", "none")
    if equipment is None and ask:
        equipment = Prompt.ask("Equipment you have (comma list, 'none' or 'all')", default="all")
    equip = _assessment_equipment(equipment)
    if sessions_per_week is None and ask:
        sessions_per_week = IntPrompt.ask("Sessions a week", choices=["2", "3"], default=3)
    answers = Answers(
        level=lvl,
        pain_now=pain,
        pain_where=(pain_where or "").strip(),
        pain_type=ptype,
        red_flags=flags,
        toe_touch=toe,
        hinge_test=hinge,
        hinge_source=source,
        job_demand=job_demand,
        equipment=equip,
        sessions_per_week=sessions_per_week or 3,
    )
    from liftsafe.app.assessment import assess_me as assess_answers

    jobs = _job_lifts(job_lift, job_file, job_video, job_video_load, height, job_video_frequency)
    assessed = assess_answers(answers, jobs)
    result = assessed.result
    if as_json:
        typer.echo(json.dumps(assessed.to_dict(), indent=2, ensure_ascii=False))
        return
    if not result.clear_to_train:
        typer.echo("Not cleared to start training yet:")
        for reason in result.refer_reasons:
            typer.echo(f"  - {reason}")
        return
    typer.echo(f"Cleared to start: {result.level.value} level, {result.sessions_per_week} sessions a week.")
    for line in result.advice:
        typer.echo(f"  - {line}")
    for advice in assessed.job_advice:
        typer.echo(f"  - {advice}")
    extra = "".join(f" --job-lift '{spec}'" for spec in job_lift) + (
        f" --job-file {job_file}" if job_file else ""
    )
    if job_video is not None and jobs:  # the measured lift, so the plan need not measure it again
        extra += f" --job-lift '{job_lift_spec(jobs[-1])}'"
    typer.echo(f"Next: {result.plan_command()}{extra}")


def _generate(
    level: str,
    weeks: int,
    sessions_per_week: int,
    equipment: str | None,
    extra_mobility_weeks: int,
    job_lift: list[str],
    job_file: str | None,
    job_video: Path | None,
    job_video_load: float | None,
    height: float | None,
    job_video_frequency: float,
) -> Any:
    """The plan of ``plan`` and ``plan create``, with the job lifts their options describe."""
    from liftsafe.training.plan import generate_plan

    return generate_plan(
        level,
        weeks=weeks,
        sessions_per_week=sessions_per_week,
        equipment=split_equipment(equipment),
        extra_mobility_weeks=extra_mobility_weeks,
        job_lifts=_job_lifts(job_lift, job_file, job_video, job_video_load, height, job_video_frequency),
    )


def _job_lifts(
    job_lift: list[str],
    job_file: str | None,
    job_video: Path | None,
    job_video_load: float | None,
    height: float | None,
    job_video_frequency: float,
) -> list[Any]:
    """The job lifts of ``--job-lift``, ``--job-file`` and ``--job-video`` (``plan``, ``assess-me``)."""
    from liftsafe.app.joblifts import job_lifts_from_options

    return job_lifts_from_options(
        job_lift,
        job_file,
        job_video=job_video,
        video_load_kg=job_video_load,
        height_m=height,
        video_frequency=job_video_frequency,
    )


def job_lift_spec(job: Any) -> str:
    """A ``--job-lift`` spec of a job lift (as measured on a video)."""
    name = job.name.replace(",", " ").replace("=", " ").replace("'", "")
    parts = [f"name={name}", f"load_kg={job.load_kg:g}"]
    parts += [f"from_cm={job.origin_cm:g}", f"to_cm={job.destination_cm:g}"]
    if job.reach_cm is not None:
        parts.append(f"reach_cm={job.reach_cm:g}")
    if job.rwl_kg is not None:
        parts.append(f"rwl_kg={job.rwl_kg:g}")
    return ",".join(parts)


def _red_flags(red_flag: list[str], no_red_flags: bool, *, ask: bool) -> frozenset[Any]:
    """The red flags given as flags, or asked one by one in a terminal."""
    from rich.prompt import Confirm

    from liftsafe.training.assessment import RED_FLAG_TEXT, RedFlag, parse_red_flags

    if red_flag and no_red_flags:
        raise InputError("give either --red-flag or --no-red-flags, not both.")
    if red_flag or no_red_flags:
        return parse_red_flags(red_flag)
    if not ask:
        raise InputError(
            "answer the red-flag question: --no-red-flags if none applies, or --red-flag NAME for each "
            "that does."
        )
    return frozenset(
        flag for flag in RedFlag if Confirm.ask(f"Do you have {RED_FLAG_TEXT[flag]}?", default=False)
    )


def _hinge_from_result(hinge_result: Path) -> Any:
    """The hinge test read from a technique-analysis result (good = pass, not_judged = unknown)."""
    from liftsafe.training.assessment import hinge_test_from_result

    try:
        result = json.loads(hinge_result.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read --hinge-result {hinge_result}: {exc.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(f"--hinge-result {hinge_result}: not a JSON technique-analysis result.") from None
    return hinge_test_from_result(result, source=str(hinge_result))


def _assessment_equipment(equipment: str | None) -> tuple[str, ...] | None:
    """``--equipment`` of assess-me: ``all`` (None), ``none`` (empty) or known library items."""
    if equipment is None or equipment.strip().lower() == "all":
        return None
    if equipment.strip().lower() in ("none", ""):
        return ()
    equip = tuple(sorted({e.strip().lower() for e in equipment.split(",") if e.strip()}))
    from liftsafe.training.library import load_library

    unknown = sorted(set(equip) - load_library().equipment)
    if unknown:
        raise InputError(
            f"--equipment: unknown item(s) {', '.join(unknown)}; known: "
            f"{', '.join(sorted(load_library().equipment))}."
        )
    return equip


def _pain(
    pain: int | None, pain_type: str | None, pain_where: str | None, *, ask: bool, choice: Any
) -> tuple[int, Any, str | None]:
    """Back pain now (0-10), its type and where, given as flags or asked in a terminal."""
    from rich.prompt import IntPrompt, Prompt

    from liftsafe.training.log import PainType

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
    return pain, ptype, pain_where
