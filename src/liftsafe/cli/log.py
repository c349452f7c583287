"""``liftsafe log add/next/list/soreness``, ``import``, ``export`` and ``progress``: the workout log.

Each command that writes does so in exactly one transaction (``Store.transaction``): a
``log add`` of a whole session is atomic -- either every set is stored, or (on any error,
including a crash) none is -- and once the command prints "saved", the session is committed
and survives a crash.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from liftsafe.atomic import write_text_atomic
from liftsafe.cli._common import DbOption, echo_json, open_store, read_json
from liftsafe.errors import InputError

if TYPE_CHECKING:
    from liftsafe.training.log import SetRecord


def register(app: typer.Typer) -> None:
    """Add the ``log`` group, ``import``, ``progress`` and ``export`` to the root app."""
    app.add_typer(log_app, name="log")
    app.command("import")(import_log)
    app.command("progress")(progress)
    app.command("export")(export_log)
    app.add_typer(exercises_app, name="exercises")
    app.add_typer(equipment_app, name="equipment")


def _set_text(st: SetRecord) -> str:
    parts = [st.exercise_id]
    if st.side:
        parts.append(st.side.value)
    dose = []
    if st.reps is not None:
        dose.append(f"{st.reps} reps")
    if st.hold_s is not None:
        dose.append(f"{st.hold_s:g} s")
    if st.distance_m is not None:
        dose.append(f"{st.distance_m:g} m")
    if st.load_kg is not None:
        dose.append(f"@ {st.load_kg:g} kg")
    if st.rir is not None:
        dose.append(f"RIR {st.rir}")
    if st.rpe is not None:
        dose.append(f"RPE {st.rpe:g}")
    extra = []
    if st.form:
        extra.append(f"form {st.form.value}")
    if st.pain_during:
        extra.append(f"pain {st.pain_during}/10 {st.pain_type.value if st.pain_type else ''}".rstrip())
    return " ".join(parts + dose) + (f" ({', '.join(extra)})" if extra else "")


log_app = typer.Typer(help="Log training sessions and review them.", no_args_is_help=True)


@log_app.command("add")
def log_add(
    set_specs: list[str] = typer.Option(
        [],
        "--set",
        help="One set: 'EXERCISE,reps=8,load_kg=40,rir=2,form=flawless,pain=0,side=L,tempo=3-1-1-0'. "
        "Keys: exercise reps load_kg hold_s distance_m rpe rir tempo side form pain pain_type notes "
        "analysis(=result.json). Repeat per set.",
    ),
    from_file: Path | None = typer.Option(
        None, "--from", help="A JSON file with one session object (see docs/training.md)."
    ),
    date: str | None = typer.Option(
        None, "--date", help="When: 2026-01-31 or 2026-01-31T18:30 (default: now)."
    ),
    title: str = typer.Option("", "--title"),
    readiness: int | None = typer.Option(None, "--readiness", help="How ready you felt, 1-10."),
    pain_after: int | None = typer.Option(None, "--pain-after", help="Pain after the session, 0-10."),
    pain_after_type: str | None = typer.Option(None, "--pain-after-type", help="sharp | dull."),
    soreness: int | None = typer.Option(None, "--soreness", help="Soreness, 0-10."),
    soreness_onset_h: float | None = typer.Option(
        None, "--soreness-onset-h", help="Hours after the session the soreness began."
    ),
    soreness_end_h: float | None = typer.Option(
        None, "--soreness-end-h", help="Hours after the session it was gone (omit while still sore)."
    ),
    soreness_worsening: bool = typer.Option(
        False, "--soreness-worsening", help="Soreness is getting worse with activity."
    ),
    notes: str = typer.Option("", "--notes"),
    plan_id: int | None = typer.Option(None, "--plan-id"),
    plan_week: int | None = typer.Option(None, "--plan-week"),
    plan_session: int | None = typer.Option(None, "--plan-session"),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the saved session and the decisions as JSON."),
) -> None:
    """Log one session with all its sets -- atomically: all sets are saved, or none."""
    from liftsafe.app.training import log_session
    from liftsafe.training.library import load_library
    from liftsafe.training.log import parse_session, parse_set_spec

    library = load_library()
    if from_file is not None:
        if set_specs:
            raise InputError("give the sets either with --set or in the --from file, not both.")
        flags = {
            "--date": date,
            "--title": title or None,
            "--readiness": readiness,
            "--pain-after": pain_after,
            "--pain-after-type": pain_after_type,
            "--soreness": soreness,
            "--soreness-onset-h": soreness_onset_h,
            "--soreness-end-h": soreness_end_h,
            "--soreness-worsening": soreness_worsening or None,
            "--notes": notes or None,
            "--plan-id": plan_id,
            "--plan-week": plan_week,
            "--plan-session": plan_session,
        }
        given = [k for k, v in flags.items() if v is not None]
        if given:
            raise InputError(f"with --from, put {', '.join(given)} in the file's session fields instead.")
        raw = read_json(from_file, "session file")
        if not isinstance(raw, dict):
            raise InputError(f"{from_file}: expected one session object with 'performed_at' and 'sets'.")
        record = parse_session(raw, where=str(from_file), library=library)
    else:
        if not set_specs:
            raise InputError(
                "no sets given: add --set 'EXERCISE,reps=8,load_kg=40' once per set (or --from session.json)."
            )
        sets = []
        for i, spec in enumerate(set_specs, start=1):
            st = parse_set_spec(
                spec,
                where=f"--set {i}",
                library=library,
                load_analysis=lambda p, i=i: read_json(Path(p), f"analysis result of --set {i}"),
            )
            sets.append(st)
        raw = {
            "performed_at": date or datetime.now().replace(microsecond=0),
            "title": title,
            "readiness": readiness,
            "pain_after": pain_after,
            "pain_after_type": pain_after_type,
            "soreness": soreness,
            "soreness_onset_h": soreness_onset_h,
            "soreness_end_h": soreness_end_h,
            "soreness_worsening": soreness_worsening,
            "notes": notes,
            "plan_id": plan_id,
            "plan_week": plan_week,
            "plan_session": plan_session,
        }
        record = parse_session(raw, where="log add", library=library, sets=sets)
    with open_store(db) as store:
        logged = log_session(store, record, library=library)
    session_id, decisions = logged.session_id, logged.decisions
    from liftsafe.app.training import personal_records_after

    with open_store(db) as store:
        records = personal_records_after(store, record, library=library)
    if as_json:
        echo_json(
            {
                "session_id": session_id,
                "sets": len(record.sets),
                "decisions": [d.to_dict() for d in decisions],
                "records": [r.to_dict() for r in records],
            }
        )
        return
    typer.echo(
        f"saved session {session_id} ({record.performed_at:%Y-%m-%d %H:%M}) with {len(record.sets)} set(s)"
    )
    for r in records:
        typer.echo(f"  {r.text}")
    for d in decisions:
        typer.echo(f"  next {d.exercise_id}: {d.explanation} [{d.rule.value}]")


@log_app.command("next")
def log_next(
    exercise: str | None = typer.Option(
        None, "--exercise", help="Exercise id (default: every exercise of the newest session)."
    ),
    deload: bool = typer.Option(False, "--deload", help="The next session is in a deload week."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the decisions as JSON."),
) -> None:
    """What to do next time: the auto-regulation decisions, each with its rule and evidence."""
    from liftsafe.app.training import decide_next, list_sessions
    from liftsafe.training.library import load_library

    library = load_library()
    if exercise is not None and not exercise.startswith("custom:"):
        library.get(exercise, where="--exercise")
    with open_store(db) as store:
        history = list_sessions(store)
        decisions = decide_next(store, history, deload=deload, exercise=exercise, library=library)
    if as_json:
        echo_json({"decisions": [d.to_dict() for d in decisions]})
        return
    if not decisions:
        typer.echo("no sessions logged yet (add one with `liftsafe log add`).")
    for d in decisions:
        typer.echo(f"{d.exercise_id}: {d.explanation} [{d.rule.value}]")


@log_app.command("today")
def log_today(
    db: DbOption = None, as_json: bool = typer.Option(False, "--json")
) -> None:
    """Today: the daily hip-flexor reminder, rest-day mobility and recovery guidance."""
    from liftsafe.app.training import today_guidance

    with open_store(db) as store:
        info = today_guidance(store, now=datetime.now())
    if as_json:
        echo_json(info)
        return
    typer.echo(f"{info['date']}: {'training day' if info['trained_today'] else 'rest day'}")
    for r in info["reminders"]:
        typer.echo(f"  - {r}")
    typer.echo("recovery:")
    for r in info["recovery"]:
        typer.echo(f"  - {r['topic']}: {r['advice']}")


@log_app.command("list")
def log_list(
    exercise: str | None = typer.Option(None, "--exercise", help="Only sessions with this exercise id."),
    since: str | None = typer.Option(
        None, "--since", help="Only sessions on or after this date (2026-01-31)."
    ),
    limit: int | None = typer.Option(None, "--limit", help="Only the newest N sessions."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the sessions as JSON."),
) -> None:
    """List logged sessions, oldest first."""
    from liftsafe.app.training import list_sessions
    from liftsafe.training.library import load_library
    from liftsafe.training.log import parse_datetime

    if exercise is not None and not exercise.startswith(
        "custom:"
    ):  # custom exercises are listed and charted too
        load_library().get(exercise, where="--exercise")
    since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be 1 or more; got {limit}.")
    with open_store(db) as store:
        records = list_sessions(store, exercise=exercise, since=since_dt, limit=limit)
    if as_json:
        echo_json({"sessions": [r.to_dict() for r in records]})
        return
    if not records:
        typer.echo("no sessions logged yet (add one with `liftsafe log add`).")
    for r in records:
        extras = []
        if r.pain_after is not None:
            extras.append(f"pain after {r.pain_after}/10")
        if r.soreness:
            extras.append(f"soreness {r.soreness}/10")
        typer.echo(
            f"session {r.id}  {r.performed_at:%Y-%m-%d %H:%M}  {r.title}"
            + (f"  [{', '.join(extras)}]" if extras else "")
        )
        for i, st in enumerate(r.sets, start=1):
            typer.echo(f"   {i:>2}. {_set_text(st)}")


@log_app.command("soreness")
def log_soreness(
    session_id: int = typer.Argument(..., help="The session the soreness followed."),
    level: int = typer.Option(..., "--level", help="Soreness 1-10."),
    onset_h: float | None = typer.Option(None, "--onset-h", help="Hours after the session it began."),
    end_h: float | None = typer.Option(
        None, "--end-h", help="Hours after the session it was gone (omit while still sore)."
    ),
    worsening: bool = typer.Option(False, "--worsening", help="It is getting worse with activity."),
    db: DbOption = None,
) -> None:
    """Record soreness that followed a logged session (days later)."""
    from liftsafe.app.training import record_soreness
    from liftsafe.training.log import SetRecord, parse_session

    rec = parse_session(
        {
            "performed_at": "2000-01-01",
            "soreness": level,
            "soreness_onset_h": onset_h,
            "soreness_end_h": end_h,
            "soreness_worsening": worsening,
        },
        where="log soreness",
        sets=[SetRecord(exercise_id="plank", hold_s=1)],
    )
    if not rec.soreness:
        raise InputError("--level must be 1-10 (0 means no soreness: nothing to record).")
    with open_store(db) as store:
        if not record_soreness(
            store,
            session_id,
            soreness=rec.soreness,
            onset_h=rec.soreness_onset_h,
            end_h=rec.soreness_end_h,
            worsening=rec.soreness_worsening,
        ):
            raise InputError(f"no session with id {session_id}; see `liftsafe log list`.")
    typer.echo(f"saved soreness {rec.soreness}/10 for session {session_id}")


def import_log(
    path: Path = typer.Argument(..., help="A Strong or Hevy CSV export, or a liftsafe JSON log or backup."),
    fmt: str = typer.Option("auto", "--format", help="auto | strong | hevy | json."),
    weight_unit: str = typer.Option(
        "kg",
        "--weight-unit",
        help="Strong files without any unit column or header: the app's unit (kg | lb).",
    ),
    distance_unit: str = typer.Option(
        "km",
        "--distance-unit",
        help="Strong files without any unit column or header: the app's unit (m | km | mi).",
    ),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print a summary as JSON."),
) -> None:
    """Import a whole log or backup in one transaction: every session, or (on any bad row) none.

    Exercises outside the library become your custom exercises (see ``liftsafe exercises``).
    """
    from liftsafe.app.training import import_log as import_sessions

    if fmt not in ("auto", "strong", "hevy", "json"):
        raise InputError(f"--format must be auto, strong, hevy or json; got {fmt!r}.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file; export it again from the app.") from None
    with open_store(db) as store:
        summary = import_sessions(
            store, text, source=str(path), fmt=fmt, weight_unit=weight_unit, distance_unit=distance_unit
        )
    if as_json:
        echo_json(summary.to_dict())
        return
    typer.echo(
        f"imported {summary.imported_sessions} session(s), {summary.imported_sets} set(s) from {path} "
        f"({summary.kept_share:.0%} of its {summary.set_rows} set rows are in your log)"
    )
    if summary.restored_plans:
        typer.echo(f"  restored {summary.restored_plans} plan(s)")
    if summary.already_present_sessions:
        typer.echo(
            f"  {summary.already_present_sessions} session(s) were already in the log and were left as they "
            "are"
        )
    if summary.new_custom_exercises:
        more = " ..." if len(summary.new_custom_exercises) > 10 else ""
        typer.echo(
            f"  {len(summary.new_custom_exercises)} exercise(s) outside the library were kept as your own: "
            f"{', '.join(summary.new_custom_exercises[:10])}{more}; "
            "map them with `liftsafe exercises map NAME ID` to get load advice"
        )


def progress(
    exercise: str | None = typer.Option(
        None, "--exercise", help="Exercise id (default: the one with most logged sets)."
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Chart file: .png or .html (default: liftsafe-out/progress-<exercise>.html).",
    ),
    since: str | None = typer.Option(None, "--since", help="Only sessions on or after this date."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the series as JSON instead of drawing."),
) -> None:
    """Chart load, e1RM, pain and soreness over time for one exercise."""
    from liftsafe.app.training import progress_of
    from liftsafe.training.library import load_library
    from liftsafe.training.log import parse_datetime
    from liftsafe.training.progress import write_progress

    since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
    if exercise is not None and not exercise.startswith(
        "custom:"
    ):  # custom exercises are listed and charted too
        load_library().get(exercise, where="--exercise")
    with open_store(db) as store:
        found = progress_of(store, exercise, since=since_dt)
    if found is None:
        raise InputError("no sessions logged yet; add one with `liftsafe log add` or `liftsafe import`.")
    exercise, series = found
    if as_json:
        echo_json(series.to_dict())
        return
    path = output or Path("liftsafe-out") / f"progress-{exercise}.html"
    write_progress(series, path)
    typer.echo(f"wrote {path} ({len(series.points)} session(s) of {exercise})")


def export_log(
    output: str = typer.Option(..., "--output", "-o", help="File to write, or - for stdout."),
    fmt: str = typer.Option("json", "--format", help="json (full backup) | strong | hevy (CSV layouts)."),
    since: str | None = typer.Option(None, "--since", help="Only sessions on or after this date."),
    db: DbOption = None,
) -> None:
    """Export the log: the full JSON backup (equipment, plans, custom exercises, every session
    field) or Strong / Hevy CSV."""
    from liftsafe.app.logbook import export_text
    from liftsafe.training.log import parse_datetime

    if fmt not in ("strong", "hevy", "json"):
        raise InputError(f"--format must be json, strong or hevy; got {fmt!r}.")
    since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
    with open_store(db) as store:
        text, n_sessions = export_text(store, fmt, since=since_dt)
    if output == "-":
        typer.echo(text, nl=False)
        return
    write_text_atomic(text, Path(output))
    typer.echo(f"wrote {n_sessions} session(s) to {output}")


exercises_app = typer.Typer(
    help="Your own exercises (imported names outside the library).", no_args_is_help=True
)


@exercises_app.command("list")
def exercises_list(
    db: DbOption = None, as_json: bool = typer.Option(False, "--json")
) -> None:
    """List your custom exercises, what they are mapped to and how many sets they have."""
    from liftsafe.app.logbook import list_exercises

    with open_store(db) as store:
        rows = list_exercises(store)
    if as_json:
        echo_json({"custom_exercises": rows})
        return
    if not rows:
        typer.echo("no custom exercises (every imported name matched the library).")
    for r in rows:
        typer.echo(
            f"{r['name']}  [{r['id']}]  {r['sets']} set(s)"
            + (f"  -> {r['mapped_to']}" if r["mapped_to"] else "")
        )


@exercises_app.command("map")
def exercises_map(
    name: str = typer.Argument(..., help="The custom exercise: its name as imported or its custom: id."),
    exercise_id: str = typer.Argument(
        ..., help="The library exercise id it is, e.g. barbell-romanian-deadlift."
    ),
    db: DbOption = None,
) -> None:
    """Map a custom exercise to a library exercise: its sets get load advice, and later imports use it."""
    from liftsafe.app.logbook import map_exercise

    with open_store(db) as store:
        cid, target, moved = map_exercise(store, name, exercise_id)
    typer.echo(f"mapped {cid} to {target}: {moved} set(s) moved")


equipment_app = typer.Typer(
    help="Your equipment: bar, plates, kettlebells, dumbbells (loads are rounded to it).",
    no_args_is_help=True,
)


@equipment_app.command("show")
def equipment_show(
    db: DbOption = None, as_json: bool = typer.Option(False, "--json")
) -> None:
    """Show the equipment profile the load advice is rounded to."""
    from liftsafe.app.logbook import get_equipment

    with open_store(db) as store:
        d = get_equipment(store).to_dict()
    if as_json:
        echo_json({"equipment": d})
        return
    for key, value in d.items():
        typer.echo(f"{key}: {', '.join(f'{v:g}' for v in value) if isinstance(value, list) else value}")


@equipment_app.command("set")
def equipment_set(
    barbell_kg: float | None = typer.Option(None, "--barbell-kg", help="Weight of your barbell (kg)."),
    trap_bar_kg: float | None = typer.Option(None, "--trap-bar-kg", help="Weight of your trap bar (kg)."),
    plates: str | None = typer.Option(
        None, "--plates", help="Plate sizes you have pairs of, kg: 20,10,5,2.5."
    ),
    kettlebells: str | None = typer.Option(None, "--kettlebells", help="Kettlebell sizes, kg: 8,12,16."),
    dumbbells: str | None = typer.Option(
        None, "--dumbbells", help="Dumbbell sizes per hand, kg: 2,4,6,8,10."
    ),
    unit: str | None = typer.Option(None, "--unit", help="Show loads in kg or lb."),
    db: DbOption = None,
) -> None:
    """Save what you have; every load liftsafe prescribes is rounded to it."""
    from liftsafe.app.logbook import set_equipment

    fields = {
        "barbell_kg": barbell_kg,
        "trap_bar_kg": trap_bar_kg,
        "plates_kg": plates,
        "kettlebells_kg": kettlebells,
        "dumbbells_kg": dumbbells,
        "unit": unit,
    }
    changes = {k: v for k, v in fields.items() if v is not None}
    if not changes:
        raise InputError(
            "nothing to change: give --plates, --kettlebells, --dumbbells, --barbell-kg, --trap-bar-kg or "
            "--unit."
        )
    with open_store(db) as store:
        profile = set_equipment(store, changes)
    typer.echo(
        "saved equipment: " + "; ".join(f"{k} {v}" for k, v in profile.to_dict().items() if k in changes)
    )
