"""Training: assessment -> plan (owned by the user), the plan calendar, today's session,
logging sets, soreness check-ins, auto-regulation decisions and progress charts.

Every read is scoped by the ownership tables (``web_plan_owners``, ``web_workout_owners``):
the training store's own tables stay shared with the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from liftsafe.app import plans as app_plans
from liftsafe.app import training as app_training
from liftsafe.errors import InputError
from liftsafe.store.db import Store
from liftsafe.training import assessment as asm
from liftsafe.training.autoregulation import Decision
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import PainType, SessionRecord, parse_session, parse_set
from liftsafe.training.plan import generate_plan
from liftsafe.web.errors import NotFoundError
from liftsafe.web.services.accounts import User, readable_user_ids
from liftsafe.web.services.forms import form_number

FORM_CHOICES = ("flawless", "minor", "breakdown")
DEFAULT_WEEKS = 12
REST_S = {"primary": 120, "accessory": 60, "activation": 45, "mobility": 30}  # heuristic rest between sets


@dataclass(frozen=True)
class PlanView:
    id: int
    name: str
    level: str
    sessions_per_week: int
    weeks: list[dict[str, Any]]
    done: frozenset[tuple[int, int]]  # (week, session) already logged

    def next_session(self) -> tuple[int, int] | None:
        """The first (week, session) of the plan not logged yet, or None when finished."""
        for w in self.weeks:
            for s in w["sessions"]:
                if (w["index"], s["index"]) not in self.done:
                    return w["index"], s["index"]
        return None


def _library() -> Library:
    return load_library()


def _choice(form: Mapping[str, Any], key: str, enum, default):
    value = str(form.get(key, "") or "").strip()
    return asm.parse_choice(value, enum, key) if value else default


_int = partial(form_number, whole=True)


def _job_lifts(store: Store, user: User, form: Mapping[str, Any], *, data_dir: Any = None) -> list:
    """The assessment's optional job lifts: typed in (load and hand heights; carry and RWL if
    given), a NIOSH job file uploaded (``job_file``) or pasted (``job_text``), and a filmed job
    lift (``job_analysis_id``: one of the user's finished analyses, with ``job_video_load_kg``,
    ``job_video_height_cm`` and ``job_video_frequency``). The same use-cases as ``liftsafe
    assess-me --job-lift/--job-file/--job-video``."""
    from liftsafe.app import joblifts
    from liftsafe.training.joblift import parse_job_lift

    lifts = []
    names = ("load_kg", "from_cm", "to_cm", "carry_m", "rwl_kg")
    given = {k: str(form.get(f"job_{k}") or "").strip() for k in names}
    given = {k: v for k, v in given.items() if v}
    if given:
        spec = ",".join(["name=job lift", *(f"{k}={v}" for k, v in given.items())])
        lifts.append(parse_job_lift(spec, where="job lift"))
    upload = form.get("job_file")
    if upload is not None and getattr(upload, "filename", None):
        from liftsafe.ergonomics.jobfile import max_file_bytes

        data = upload.file.read(max_file_bytes() + 1)
        if data:
            lifts += joblifts.job_lifts_from_job_text(data, filename=str(upload.filename)[:100])
    pasted = str(form.get("job_text") or "")
    if pasted.strip():
        lifts += joblifts.job_lifts_from_job_text(pasted, filename="pasted job")
    analysis_id = str(form.get("job_analysis_id") or "").strip()
    if analysis_id:
        from liftsafe.web.services.analyses import input_path, pose_cache_dir

        if not analysis_id.isdigit():
            raise InputError(
                "field 'job_analysis_id': pick one of your finished analyses.", field="job_analysis_id"
            )
        load = form_number(form, "job_video_load_kg")
        if load is None:
            raise InputError(
                "field 'job_video_load_kg' is required for a filmed job lift.", field="job_video_load_kg"
            )
        height_cm = form_number(form, "job_video_height_cm")
        if height_cm is None:
            if user.height_m is None:
                raise InputError(
                    "field 'job_video_height_cm' is required for a filmed job lift (or set your height).",
                    field="job_video_height_cm",
                )
            height_cm = user.height_m * 100
        frequency = form_number(form, "job_video_frequency", 1.0)
        job, path = input_path(store, user, int(analysis_id))
        lift, _ = joblifts.job_lift_from_video(
            path,
            load_kg=float(load),
            height_m=float(height_cm) / 100,
            frequency=float(frequency),
            exercise=job.exercise,
            name=f"filmed lift: {job.filename}",
            cache_dir=None if data_dir is None else pose_cache_dir(data_dir),
        )
        lifts.append(lift)
    return lifts


def finished_analyses(store: Store, user: User) -> list:
    """The user's own finished analyses (a filmed job lift can be picked from them)."""
    from liftsafe.web.services.analyses import list_jobs

    return [j for j in list_jobs(store, user) if j.status == "done"]


def assess_and_plan(
    store: Store, user: User, form: Mapping[str, Any], *, red_flags: list[str], data_dir: Any = None
) -> tuple[asm.Assessment, int | None]:
    """Run the assessment; when cleared, generate and store a plan for the user."""
    from liftsafe.training.library import Level

    pain_type = str(form.get("pain_type") or "").strip()
    answers = asm.Answers(
        level=_choice(form, "level", Level, Level.BEGINNER),
        pain_now=_int(form, "pain_now", 0),
        pain_where=str(form.get("pain_where") or "")[:100],
        pain_type=PainType(pain_type) if pain_type in ("sharp", "dull") else None,
        red_flags=asm.parse_red_flags(red_flags),
        toe_touch=_choice(form, "toe_touch", asm.ToeTouch, asm.ToeTouch.UNKNOWN),
        hinge_test=_choice(form, "hinge_test", asm.HingeTest, asm.HingeTest.UNKNOWN),
        job_demand=_choice(form, "job_demand", asm.JobDemand, asm.JobDemand.NONE),
        sessions_per_week=_int(form, "sessions_per_week", 3),
    )
    from liftsafe.app.assessment import assess_me

    result = assess_me(answers).result
    if not result.clear_to_train:
        return result, None
    weeks = _int(form, "weeks", DEFAULT_WEEKS)
    plan = generate_plan(
        result.level,
        weeks=weeks,
        sessions_per_week=result.sessions_per_week,
        extra_mobility_weeks=result.extra_mobility_weeks,
        job_lifts=_job_lifts(store, user, form, data_dir=data_dir),
    )
    stored = app_plans.save_plan(
        store, plan, name=f"{result.level.value} plan, {weeks} weeks", owner_id=user.id
    )
    return result, stored.id


def history(store: Store, user: User, *, owner_id: int | None = None) -> list[SessionRecord]:
    """The training log of the user, or of a lifter who invited them."""
    owner = user.id if owner_id is None else owner_id
    if owner not in readable_user_ids(store, user):
        raise NotFoundError("no such lifter among the people who invited you.")
    return app_training.list_sessions(store, owner_id=owner)


def current_plan(store: Store, user: User) -> PlanView | None:
    """The user's newest plan with the sessions already logged, or None."""
    plans = app_plans.list_plans(store, owner_id=user.id)
    if not plans:
        return None
    newest = plans[-1]
    done = frozenset(
        (w.plan_week, w.plan_session)
        for w in app_training.list_sessions(store, owner_id=user.id)
        if w.plan_id == newest.id and w.plan_week
    )
    return PlanView(
        id=newest.id,
        name=newest.name,
        level=newest.level.value,
        sessions_per_week=newest.sessions_per_week,
        weeks=newest.plan["weeks"],
        done=done,
    )


def planned_session(plan: PlanView, week: int, session: int) -> dict[str, Any]:
    """One planned session of the plan (404 when not in it)."""
    for w in plan.weeks:
        if w["index"] == week:
            for s in w["sessions"]:
                if s["index"] == session:
                    return {"week": w, "session": s}
    raise NotFoundError(f"week {week}, session {session} is not in your plan.")


def session_rows(planned: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a planned session into set rows for the 'today' form."""
    lib = _library()
    rows = []
    for block in planned["session"]["blocks"]:
        for p in block["exercises"]:
            ex = lib.get(p["id"])
            dose = ex.dose.value
            for n in range(1, p["sets"] + 1):
                rows.append(
                    {
                        "key": f"{len(rows) + 1}",
                        "exercise": p["id"],
                        "name": ex.name,
                        "set": n,
                        "of": p["sets"],
                        "dose": dose,
                        "amount": p.get(dose),
                        "load": p["load"],
                        "cues": p["cues"] if n == 1 else [],
                        "kind": block["kind"],
                        "rest_s": REST_S.get(block["kind"], 60),
                    }
                )
    return rows


def done_set_keys(form: Mapping[str, Any]) -> list[str]:
    """The ``<k>`` of every ``set-<k>-done`` field, in set order; a ``<k>`` that is not a set
    number is a bad form (400 naming the field), not a crash."""
    keys = {k[len("set-"):-len("-done")] for k in form if k.startswith("set-") and k.endswith("-done")}
    bad = sorted(k for k in keys if not (k.isascii() and k.isdigit() and len(k) <= 4))
    if bad:
        raise InputError(
            f"field 'set-{bad[0][:40]}-done' is not a set of this session; reload the page and log again."
        )
    return sorted(keys, key=int)


def log_session(store: Store, user: User, form: Mapping[str, Any], *, now: datetime | None = None) -> int:
    """Store the sets ticked as done in the 'today' form (fields ``set-<k>-...``)."""
    lib = _library()
    plan = current_plan(store, user)
    keys = done_set_keys(form)
    sets = []
    for k in keys:
        dose = str(form.get(f"set-{k}-dose") or "reps")
        if dose not in ("reps", "hold_s", "distance_m"):
            raise InputError(f"set {k}: unknown dose '{dose}'.")
        raw = {
            "exercise": form.get(f"set-{k}-exercise"),
            dose: form.get(f"set-{k}-amount"),
            "load_kg": form.get(f"set-{k}-load_kg"),
            "form": form.get(f"set-{k}-form") or None,
            "pain": form.get(f"set-{k}-pain") or 0,
            "rir": form.get(f"set-{k}-rir"),
        }
        sets.append(parse_set(raw, where=f"set {k}", library=lib))
    if not sets:
        raise InputError("tick at least one set as done before saving the session.")
    week, session = _int(form, "plan_week"), _int(form, "plan_session")
    raw_session = {
        "performed_at": (now or datetime.now()).replace(microsecond=0).isoformat(),
        "title": f"Week {week} session {session}" if week else "Workout",
        "readiness": form.get("readiness") or None,
        "pain_after": form.get("pain_after") or None,
        "pain_after_type": form.get("pain_after_type") or None,
        "notes": form.get("notes") or "",
        "plan_id": plan.id if plan and week else None,
        "plan_week": week,
        "plan_session": session,
        "source": "web",
    }
    record = parse_session(raw_session, where="session", library=lib, sets=sets)
    logged = app_training.log_session(store, record, owner_id=user.id, now=now, library=lib)
    return logged.session_id


def check_in_soreness(store: Store, user: User, workout_id: int, form: Mapping[str, Any]) -> None:
    """A soreness check-in for one of the user's own sessions (validated like ``liftsafe log``)."""
    base = app_training.owned_session(store, workout_id, owner_id=user.id)
    if base is None:
        raise NotFoundError(f"workout {workout_id} not found.")
    raw = {
        "performed_at": base.performed_at.isoformat(),
        "soreness": form.get("soreness"),
        "soreness_onset_h": form.get("soreness_onset_h") or None,
        "soreness_end_h": form.get("soreness_end_h") or None,
        "soreness_worsening": "true" if form.get("soreness_worsening") else "false",
    }
    checked = parse_session(raw, where=f"workout {workout_id}", sets=base.sets)
    if checked.soreness is None:
        raise InputError("rate the soreness 0-10.")
    app_training.record_soreness(
        store,
        workout_id,
        soreness=checked.soreness,
        onset_h=checked.soreness_onset_h,
        end_h=checked.soreness_end_h,
        worsening=checked.soreness_worsening,
    )


def decisions(
    store: Store, sessions: list[SessionRecord], *, now: datetime | None = None, owner_id: int
) -> list[Decision]:
    """What's next for each exercise of the newest session of ``owner_id``'s log (loads rounded to
    that user's equipment) -- the same use-case ``liftsafe log add`` calls."""
    return app_training.decide_next(store, sessions, now=now, library=_library(), owner_id=owner_id)


def today_guidance(store: Store, user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """The daily hip-flexor reminder, rest-day mobility and recovery guidance for the "today" page."""
    from liftsafe.training.recovery import today

    return today(history(store, user), now=now or datetime.now())


def plan_guidance() -> dict[str, Any]:
    """The daily reminder, rest-day mobility and recovery guidance printed with every plan."""
    from liftsafe.training.recovery import plan_guidance as guidance

    return guidance()


def exercises_logged(sessions: list[SessionRecord]) -> list[str]:
    """Exercises logged with a load, in first-logged order."""
    return list(dict.fromkeys(st.exercise_id for s in sessions for st in s.sets if st.load_kg))


def progress_png(sessions: list[SessionRecord], exercise_id: str) -> bytes:
    """The progress chart of one exercise as PNG bytes."""
    from liftsafe.training.progress import progress_series, render_png

    return render_png(progress_series(sessions, exercise_id))


# --- JSON API (the same records and rules as the CLI, scoped to the signed-in owner) -------


def list_plans(store: Store, user: User) -> list[dict[str, Any]]:
    """The user's plans."""
    return [p.to_dict() for p in app_plans.list_plans(store, owner_id=user.id)]


def get_plan(store: Store, user: User, plan_id: int) -> dict[str, Any]:
    """One of the user's plans, with kilograms where the user's log knows a load."""
    doc = app_plans.owned_plan_with_loads(store, plan_id, owner_id=user.id)
    if doc is None:
        raise NotFoundError(f"plan {plan_id} not found.")
    return doc


def add_session(store: Store, user: User, raw: Any) -> int:
    """Log one session given as JSON (the fields of the JSON log); the plan must be the user's."""
    if not isinstance(raw, Mapping):
        raise InputError("expected one session object with 'performed_at' and 'sets'.")
    raw = {k: v for k, v in raw.items() if k not in ("id", "source")}
    record = parse_session({**raw, "source": "api"}, where="session", library=_library())
    return app_training.add_session(store, record, owner_id=user.id)


def import_log(store: Store, user: User, text: str, *, source: str, fmt: str = "auto") -> dict[str, Any]:
    """Import a Strong / Hevy export or a liftsafe JSON log into the user's own log, in one
    transaction, with the user's own custom exercises and mappings; sessions already in the
    user's log (same minute and title) are skipped. Plans in a JSON backup are not restored
    here (the web app builds plans from the assessment); sessions keep their plan week and
    session numbers. The same use-case as ``liftsafe import``."""
    if fmt not in ("auto", "strong", "hevy", "json"):
        raise InputError(f"format must be auto, strong, hevy or json; got {fmt!r}.", field="format")
    summary = app_training.import_log(store, text, source=source, fmt=fmt, owner_id=user.id)
    return {**summary.to_dict(), "custom_exercises": summary.new_custom_exercises}


def export_log(store: Store, user: User, fmt: str) -> str:
    """The user's own log as a liftsafe JSON backup (their plans, sessions, custom exercises,
    equipment) or as Strong / Hevy CSV -- the same use-case as ``liftsafe export``."""
    from liftsafe.app.logbook import export_text

    if fmt not in ("json", "strong", "hevy"):
        raise InputError(f"format must be json, strong or hevy; got {fmt!r}.", field="format")
    plans = list_plans(store, user)
    text, _ = export_text(store, fmt, owner_id=user.id, plans=plans, library=_library())
    return text


def list_exercises(store: Store, user: User) -> list[dict[str, Any]]:
    """The user's own custom exercises with their mappings and set counts."""
    from liftsafe.app.logbook import list_exercises as _list

    return _list(store, owner_id=user.id)


def map_exercise(store: Store, user: User, raw: Any) -> dict[str, Any]:
    """Map one of the user's custom exercises (``name``) to a library exercise (``exercise_id``)."""
    from liftsafe.app.logbook import map_exercise as _map

    if not isinstance(raw, Mapping):
        raise InputError("expected an object with 'name' and 'exercise_id'.")
    name, target = raw.get("name"), raw.get("exercise_id")
    for key, value in (("name", name), ("exercise_id", target)):
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"field '{key}': give the {key.replace('_', ' ')} as text.", field=key)
    cid, lib_id, moved = _map(store, str(name), str(target), library=_library(), owner_id=user.id)
    return {"id": cid, "mapped_to": lib_id, "sets_moved": moved}


def get_equipment(store: Store, user: User) -> dict[str, Any]:
    """The user's equipment profile."""
    from liftsafe.app.logbook import get_equipment as _get

    return _get(store, owner_id=user.id).to_dict()


def set_equipment(store: Store, user: User, raw: Any) -> dict[str, Any]:
    """Change fields of the user's equipment profile (validated like ``liftsafe equipment set``)."""
    from liftsafe.app.logbook import set_equipment as _set

    if not isinstance(raw, Mapping):
        raise InputError("expected an object with equipment fields.")
    return _set(store, dict(raw), owner_id=user.id).to_dict()
