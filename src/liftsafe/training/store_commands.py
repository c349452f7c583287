"""Training commands that read or write the database: ``plan create``, ``plan show``,
``log add``, ``log list``, ``log soreness``, ``db upgrade``, ``db current``.

Each command that writes does so in exactly one transaction (``Store.transaction``): a
``log add`` of a whole session is atomic -- either every set is stored, or (on any error,
including a crash) none is -- and once the command prints "saved", the session is committed
and survives a crash.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

import typer

from liftsafe.errors import InputError

DB_HELP = "Database URL (default: $LIFTSAFE_DATABASE_URL, else a SQLite file in the user data folder)."


def _store(db: Optional[str]):
    from liftsafe.store.db import Store

    return Store(db)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file.") from None


def _set_text(st) -> str:
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


def register(app: typer.Typer, plan_app: typer.Typer) -> None:
    @plan_app.command("create")
    def plan_create(
        level: str = typer.Option("beginner", "--level", help="beginner | intermediate | advanced."),
        weeks: int = typer.Option(12, "--weeks", help="Plan length in weeks (1-52)."),
        sessions_per_week: int = typer.Option(3, "--sessions-per-week", help="2 or 3."),
        equipment: Optional[str] = typer.Option(None, "--equipment", help="Comma list of equipment, or 'none'."),
        extra_mobility_weeks: int = typer.Option(0, "--extra-mobility-weeks", help="Lengthen the mobility phase (from assess-me)."),
        name: str = typer.Option("", "--name", help="A name for the plan (default: describes it)."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the saved plan record as JSON."),
    ) -> None:
        """Generate a plan and save it (one transaction)."""
        from liftsafe.store import repository
        from liftsafe.training.commands import _split_equipment
        from liftsafe.training.plan import generate_plan

        plan = generate_plan(
            level, weeks=weeks, sessions_per_week=sessions_per_week, equipment=_split_equipment(equipment),
            extra_mobility_weeks=extra_mobility_weeks,
        )
        label = name.strip() or f"{weeks}-week {plan.level.value} plan, {sessions_per_week}x/week"
        with _store(db) as store:
            with store.transaction() as session:
                plan_id = repository.save_plan(session, plan, name=label[:200])
            with store.transaction() as session:
                stored = repository.get_plan(session, plan_id)
        if as_json:
            _echo_json(stored.to_dict())
        else:
            typer.echo(f"saved plan {plan_id}: {label} (show it with `liftsafe plan show {plan_id}`)")

    @plan_app.command("list")
    def plan_list(
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the saved plans (without their weeks) as JSON."),
    ) -> None:
        """List saved plans."""
        from liftsafe.store import repository

        with _store(db) as store, store.transaction() as session:
            plans = repository.list_plans(session)
        if as_json:
            _echo_json({"plans": [{k: v for k, v in p.to_dict().items() if k != "plan"} for p in plans]})
            return
        if not plans:
            typer.echo("no saved plans yet; create one with `liftsafe plan create`.")
        for p in plans:
            typer.echo(f"plan {p.id}: {p.name} ({p.level.value}, {p.weeks} weeks, {p.sessions_per_week}x/week, created {p.created_at:%Y-%m-%d})")

    @plan_app.command("show")
    def plan_show(
        plan_id: Optional[int] = typer.Argument(None, help="Plan id (default: the newest plan)."),
        week: Optional[int] = typer.Option(None, "--week", help="Show only this week."),
        cues: bool = typer.Option(False, "--cues", help="Show every cue."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the plan record as JSON."),
    ) -> None:
        """Show a saved plan."""
        from liftsafe.store import repository
        from liftsafe.training.commands import _print_plan

        with _store(db) as store, store.transaction() as session:
            stored = repository.get_plan(session, plan_id)
        if stored is None:
            raise InputError("no saved plan yet; create one with `liftsafe plan create`." if plan_id is None else f"no plan with id {plan_id}; list them with `liftsafe plan list`.")
        doc = stored.to_dict()
        if week is not None:
            if not 1 <= week <= stored.weeks:
                raise InputError(f"--week must be between 1 and {stored.weeks} for plan {stored.id}; got {week}.")
            doc["plan"] = {"weeks": [w for w in stored.plan["weeks"] if w["index"] == week]}
        if as_json:
            _echo_json(doc)
        else:
            _print_plan(doc["plan"], show_cues=cues, title=f"plan {stored.id}: {stored.name} (created {doc['created_at']})")

    log_app = typer.Typer(help="Log training sessions and review them.", no_args_is_help=True)

    @log_app.command("add")
    def log_add(
        set_specs: list[str] = typer.Option(
            [], "--set", help="One set: 'EXERCISE,reps=8,load_kg=40,rir=2,form=flawless,pain=0,side=L,tempo=3-1-1-0'. "
            "Keys: exercise reps load_kg hold_s distance_m rpe rir tempo side form pain pain_type notes analysis(=result.json). Repeat per set."),
        from_file: Optional[Path] = typer.Option(None, "--from", help="A JSON file with one session object (see docs/training.md)."),
        date: Optional[str] = typer.Option(None, "--date", help="When: 2026-01-31 or 2026-01-31T18:30 (default: now)."),
        title: str = typer.Option("", "--title"),
        readiness: Optional[int] = typer.Option(None, "--readiness", help="How ready you felt, 1-10."),
        pain_after: Optional[int] = typer.Option(None, "--pain-after", help="Pain after the session, 0-10."),
        pain_after_type: Optional[str] = typer.Option(None, "--pain-after-type", help="sharp | dull."),
        soreness: Optional[int] = typer.Option(None, "--soreness", help="Soreness, 0-10."),
        soreness_onset_h: Optional[float] = typer.Option(None, "--soreness-onset-h", help="Hours after the session the soreness began."),
        soreness_end_h: Optional[float] = typer.Option(None, "--soreness-end-h", help="Hours after the session it was gone (omit while still sore)."),
        soreness_worsening: bool = typer.Option(False, "--soreness-worsening", help="Soreness is getting worse with activity."),
        notes: str = typer.Option("", "--notes"),
        plan_id: Optional[int] = typer.Option(None, "--plan-id"),
        plan_week: Optional[int] = typer.Option(None, "--plan-week"),
        plan_session: Optional[int] = typer.Option(None, "--plan-session"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the saved session and the decisions as JSON."),
    ) -> None:
        """Log one session with all its sets -- atomically: all sets are saved, or none."""
        from liftsafe.store import repository
        from liftsafe.training.autoregulation import decide_all
        from liftsafe.training.library import load_library
        from liftsafe.training.log import parse_session, parse_set_spec

        library = load_library()
        if from_file is not None:
            if set_specs:
                raise InputError("give the sets either with --set or in the --from file, not both.")
            flags = {"--date": date, "--title": title or None, "--readiness": readiness, "--pain-after": pain_after,
                     "--pain-after-type": pain_after_type, "--soreness": soreness, "--soreness-onset-h": soreness_onset_h,
                     "--soreness-end-h": soreness_end_h, "--soreness-worsening": soreness_worsening or None,
                     "--notes": notes or None, "--plan-id": plan_id, "--plan-week": plan_week, "--plan-session": plan_session}
            given = [k for k, v in flags.items() if v is not None]
            if given:
                raise InputError(f"with --from, put {', '.join(given)} in the file's session fields instead.")
            raw = _read_json(from_file, "session file")
            if not isinstance(raw, dict):
                raise InputError(f"{from_file}: expected one session object with 'performed_at' and 'sets'.")
            record = parse_session(raw, where=str(from_file), library=library)
        else:
            if not set_specs:
                raise InputError("no sets given: add --set 'EXERCISE,reps=8,load_kg=40' once per set (or --from session.json).")
            sets = []
            for i, spec in enumerate(set_specs, start=1):
                st = parse_set_spec(spec, where=f"--set {i}", library=library, load_analysis=lambda p, i=i: _read_json(Path(p), f"analysis result of --set {i}"))
                sets.append(st)
            raw = {
                "performed_at": date or datetime.now().replace(microsecond=0), "title": title, "readiness": readiness,
                "pain_after": pain_after, "pain_after_type": pain_after_type, "soreness": soreness,
                "soreness_onset_h": soreness_onset_h, "soreness_end_h": soreness_end_h,
                "soreness_worsening": soreness_worsening, "notes": notes, "plan_id": plan_id, "plan_week": plan_week,
                "plan_session": plan_session,
            }
            record = parse_session(raw, where="log add", library=library, sets=sets)
        with _store(db) as store:
            if record.plan_id is not None:
                with store.transaction() as session:
                    if repository.get_plan(session, record.plan_id) is None:
                        raise InputError(f"--plan-id: no plan with id {record.plan_id}.")
            with store.transaction() as session:
                session_id = repository.add_workout(session, record)
            with store.transaction() as session:
                history = repository.list_workouts(session)
                deload_next = _next_week_is_deload(session, record)
        decisions = decide_all(history, now=max(datetime.now(), record.performed_at), next_week_deload=deload_next, library=library)
        if as_json:
            _echo_json({"session_id": session_id, "sets": len(record.sets), "decisions": [d.to_dict() for d in decisions]})
            return
        typer.echo(f"saved session {session_id} ({record.performed_at:%Y-%m-%d %H:%M}) with {len(record.sets)} set(s)")
        for d in decisions:
            typer.echo(f"  next {d.exercise_id}: {d.explanation} [{d.rule.value}]")

    @log_app.command("next")
    def log_next(
        exercise: Optional[str] = typer.Option(None, "--exercise", help="Exercise id (default: every exercise of the newest session)."),
        deload: bool = typer.Option(False, "--deload", help="The next session is in a deload week."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the decisions as JSON."),
    ) -> None:
        """What to do next time: the auto-regulation decisions, each with its rule and evidence."""
        from liftsafe.store import repository
        from liftsafe.training.autoregulation import decide, decide_all
        from liftsafe.training.library import load_library

        library = load_library()
        if exercise is not None:
            library.get(exercise, where="--exercise")
        with _store(db) as store, store.transaction() as session:
            history = repository.list_workouts(session)
        now = max([datetime.now(), *(r.performed_at for r in history)])
        if exercise is not None:
            decisions = [decide(history, exercise, now=now, next_week_deload=deload, library=library)]
        else:
            decisions = decide_all(history, now=now, next_week_deload=deload, library=library)
        if as_json:
            _echo_json({"decisions": [d.to_dict() for d in decisions]})
            return
        if not decisions:
            typer.echo("no sessions logged yet (add one with `liftsafe log add`).")
        for d in decisions:
            typer.echo(f"{d.exercise_id}: {d.explanation} [{d.rule.value}]")

    @log_app.command("list")
    def log_list(
        exercise: Optional[str] = typer.Option(None, "--exercise", help="Only sessions with this exercise id."),
        since: Optional[str] = typer.Option(None, "--since", help="Only sessions on or after this date (2026-01-31)."),
        limit: Optional[int] = typer.Option(None, "--limit", help="Only the newest N sessions."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the sessions as JSON."),
    ) -> None:
        """List logged sessions, oldest first."""
        from liftsafe.store import repository
        from liftsafe.training.library import load_library
        from liftsafe.training.log import parse_datetime

        if exercise is not None:
            load_library().get(exercise, where="--exercise")
        since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
        if limit is not None and limit < 1:
            raise InputError(f"--limit must be 1 or more; got {limit}.")
        with _store(db) as store, store.transaction() as session:
            records = repository.list_workouts(session, exercise_id=exercise, since=since_dt, limit=limit)
        if as_json:
            _echo_json({"sessions": [r.to_dict() for r in records]})
            return
        if not records:
            typer.echo("no sessions logged yet (add one with `liftsafe log add`).")
        for r in records:
            extras = []
            if r.pain_after is not None:
                extras.append(f"pain after {r.pain_after}/10")
            if r.soreness:
                extras.append(f"soreness {r.soreness}/10")
            typer.echo(f"session {r.id}  {r.performed_at:%Y-%m-%d %H:%M}  {r.title}" + (f"  [{', '.join(extras)}]" if extras else ""))
            for i, st in enumerate(r.sets, start=1):
                typer.echo(f"   {i:>2}. {_set_text(st)}")

    @log_app.command("soreness")
    def log_soreness(
        session_id: int = typer.Argument(..., help="The session the soreness followed."),
        level: int = typer.Option(..., "--level", help="Soreness 1-10."),
        onset_h: Optional[float] = typer.Option(None, "--onset-h", help="Hours after the session it began."),
        end_h: Optional[float] = typer.Option(None, "--end-h", help="Hours after the session it was gone (omit while still sore)."),
        worsening: bool = typer.Option(False, "--worsening", help="It is getting worse with activity."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Record soreness that followed a logged session (days later)."""
        from liftsafe.store import repository
        from liftsafe.training.log import parse_session

        from liftsafe.training.log import SetRecord

        rec = parse_session(
            {"performed_at": "2000-01-01", "soreness": level, "soreness_onset_h": onset_h, "soreness_end_h": end_h,
             "soreness_worsening": worsening},
            where="log soreness", sets=[SetRecord(exercise_id="plank", hold_s=1)],
        )
        if not rec.soreness:
            raise InputError("--level must be 1-10 (0 means no soreness: nothing to record).")
        with _store(db) as store, store.transaction() as session:
            if not repository.update_soreness(session, session_id, soreness=rec.soreness, onset_h=rec.soreness_onset_h, end_h=rec.soreness_end_h, worsening=rec.soreness_worsening):
                raise InputError(f"no session with id {session_id}; see `liftsafe log list`.")
        typer.echo(f"saved soreness {rec.soreness}/10 for session {session_id}")

    app.add_typer(log_app, name="log")

    @app.command("import")
    def import_log(
        path: Path = typer.Argument(..., help="A Strong or Hevy CSV export, or a liftsafe JSON log."),
        fmt: str = typer.Option("auto", "--format", help="auto | strong | hevy | json."),
        weight_unit: str = typer.Option("kg", "--weight-unit", help="Strong: the weight unit set in the app (kg | lb)."),
        distance_unit: str = typer.Option("km", "--distance-unit", help="Strong: the distance unit set in the app (m | km | mi)."),
        skip_unknown: bool = typer.Option(False, "--skip-unknown", help="Leave out exercises that are not in the library instead of failing."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print a summary as JSON."),
    ) -> None:
        """Import a whole log in one transaction: every session, or (on any bad row) none."""
        from liftsafe.store import repository
        from liftsafe.training.interchange import read_log

        if fmt not in ("auto", "strong", "hevy", "json"):
            raise InputError(f"--format must be auto, strong, hevy or json; got {fmt!r}.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not a UTF-8 text file; export it again from the app.") from None
        result = read_log(text, source=str(path), fmt=fmt, weight_unit=weight_unit, distance_unit=distance_unit, skip_unknown=skip_unknown)
        with _store(db) as store, store.transaction() as session:
            existing = {(r.performed_at, r.title) for r in repository.list_workouts(session)}
            new = [r for r in result.sessions if (r.performed_at, r.title) not in existing]
            ids = repository.add_workouts(session, new)
        summary = {
            "imported_sessions": len(ids), "imported_sets": sum(len(r.sets) for r in new),
            "already_present_sessions": len(result.sessions) - len(new),
            "skipped_sets": result.skipped_sets, "skipped_exercises": list(result.skipped_exercises),
        }
        if as_json:
            _echo_json(summary)
            return
        typer.echo(f"imported {summary['imported_sessions']} session(s), {summary['imported_sets']} set(s) from {path}")
        if summary["already_present_sessions"]:
            typer.echo(f"  {summary['already_present_sessions']} session(s) were already in the log and were left as they are")
        if result.skipped_sets:
            typer.echo(f"  skipped {result.skipped_sets} set(s) of exercises not in the library: {', '.join(result.skipped_exercises)}")

    @app.command("progress")
    def progress(
        exercise: Optional[str] = typer.Option(None, "--exercise", help="Exercise id (default: the one with most logged sets)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Chart file: .png or .html (default: liftsafe-out/progress-<exercise>.html)."),
        since: Optional[str] = typer.Option(None, "--since", help="Only sessions on or after this date."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the series as JSON instead of drawing."),
    ) -> None:
        """Chart load, e1RM, pain and soreness over time for one exercise."""
        from collections import Counter

        from liftsafe.store import repository
        from liftsafe.training.library import load_library
        from liftsafe.training.log import parse_datetime
        from liftsafe.training.progress import progress_series, write_progress

        since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
        if exercise is not None:
            load_library().get(exercise, where="--exercise")
        with _store(db) as store, store.transaction() as session:
            records = repository.list_workouts(session, exercise_id=exercise, since=since_dt)
        if exercise is None:
            counts = Counter(st.exercise_id for r in records for st in r.sets)
            if not counts:
                raise InputError("no sessions logged yet; add one with `liftsafe log add` or `liftsafe import`.")
            exercise = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        series = progress_series(records, exercise)
        if as_json:
            _echo_json(series.to_dict())
            return
        path = output or Path("liftsafe-out") / f"progress-{exercise}.html"
        write_progress(series, path)
        typer.echo(f"wrote {path} ({len(series.points)} session(s) of {exercise})")

    @app.command("export")
    def export_log(
        output: str = typer.Option(..., "--output", "-o", help="File to write, or - for stdout."),
        fmt: str = typer.Option("json", "--format", help="json (all columns) | strong | hevy (CSV layouts)."),
        since: Optional[str] = typer.Option(None, "--since", help="Only sessions on or after this date."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Export the log as liftsafe JSON or as Strong / Hevy CSV."""
        from liftsafe.store import repository
        from liftsafe.training.interchange import write_log
        from liftsafe.training.log import parse_datetime

        if fmt not in ("strong", "hevy", "json"):
            raise InputError(f"--format must be json, strong or hevy; got {fmt!r}.")
        since_dt = None if since is None else parse_datetime(since, where="--since", name="since")
        with _store(db) as store, store.transaction() as session:
            records = repository.list_workouts(session, since=since_dt)
        text = write_log(records, fmt)
        if output == "-":
            typer.echo(text, nl=False)
            return
        _write_atomic(Path(output), text)
        typer.echo(f"wrote {len(records)} session(s) to {output}")

    db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)

    @db_app.command("upgrade")
    def db_upgrade(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Create or migrate the database schema to the newest revision."""
        from liftsafe.store.db import current_revision

        with _store(db) as store:
            typer.echo(f"database at revision {current_revision(store.engine)}")

    @db_app.command("current")
    def db_current(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP), as_json: bool = typer.Option(False, "--json")) -> None:
        """Show the database URL (password hidden) and schema revision without changing it."""
        from sqlalchemy.engine import make_url

        from liftsafe.store.db import current_revision, head_revision

        store = _store_no_migrate(db)
        try:
            rev = current_revision(store.engine)
        finally:
            store.close()
        info = {"url": make_url(store.url).render_as_string(hide_password=True), "revision": rev, "head": head_revision()}
        if as_json:
            _echo_json(info)
        else:
            typer.echo(f"{info['url']}: revision {rev or '(empty)'}; newest is {info['head']}")

    app.add_typer(db_app, name="db")


def _next_week_is_deload(session, record) -> bool:
    """True when ``record`` is the last session of a plan week and the plan's next week is a deload."""
    from liftsafe.store import repository

    if record.plan_id is None or record.plan_week is None:
        return False
    stored = repository.get_plan(session, record.plan_id)
    if stored is None or record.plan_week >= stored.weeks:
        return False
    if record.plan_session is not None and record.plan_session < stored.sessions_per_week:
        return False
    return bool(stored.plan["weeks"][record.plan_week]["deload"])


def _store_no_migrate(db: Optional[str]):
    from liftsafe.store.db import Store

    return Store(db, migrate=False)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename (no half-written file)."""
    import os
    import tempfile

    from liftsafe.errors import OutputError

    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another --output.") from None
