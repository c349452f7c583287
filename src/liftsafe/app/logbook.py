"""Use-cases of the training log that touch the database: import a log or a backup, export
(CSV layouts or the full JSON backup) and map custom exercises.

They are shared by the CLI and the web app, and each runs in one transaction: an import
stores every session of the file or (on any bad row, even one only the database catches)
none.

Duplicates: a session whose start time (to the minute -- Hevy writes minutes, Strong and
liftsafe seconds) and title match one already stored is left out, so re-importing an
export of the same log, in any of the three formats, adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Sequence

from liftsafe.errors import InputError
from liftsafe.store import repository
from liftsafe.store.db import Store
from liftsafe.store.models import LOCAL_OWNER
from liftsafe.store.web_models import WorkoutOwnerRow
from liftsafe.training.interchange import DEFAULT_TITLE, Format, ImportResult, read_log, write_log
from liftsafe.training.library import Library, load_library
from liftsafe.training.log import SessionRecord


def session_key(record: SessionRecord) -> tuple[datetime, str]:
    """Duplicate key: start time to the minute and the title (case and spaces ignored; the
    title liftsafe writes for untitled sessions counts as none)."""
    title = " ".join(record.title.split()).casefold()
    return record.performed_at.replace(second=0, microsecond=0), "" if title == DEFAULT_TITLE else title


@dataclass(frozen=True)
class ImportSummary:
    imported_sessions: int
    imported_sets: int
    already_present_sessions: int
    set_rows: int
    other_rows: int
    new_custom_exercises: list[str] = field(default_factory=list)
    restored_plans: int = 0

    @property
    def kept_share(self) -> float:
        """Share of the file's set rows that are now in the log (imported or already there)."""
        return 1.0 if not self.set_rows else round(min(1.0, self.kept_sets / self.set_rows), 4)

    kept_sets: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        return {
            "imported_sessions": self.imported_sessions,
            "imported_sets": self.imported_sets,
            "already_present_sessions": self.already_present_sessions,
            "set_rows": self.set_rows,
            "other_rows": self.other_rows,
            "kept_share": self.kept_share,
            "new_custom_exercises": self.new_custom_exercises,
            "restored_plans": self.restored_plans,
        }


def import_text(
    store: Store,
    text: str,
    *,
    source: str,
    fmt: Format | str | None = "auto",
    weight_unit: str = "kg",
    distance_unit: str = "km",
    now: datetime | None = None,
    library: Library | None = None,
    owner_id: int = LOCAL_OWNER,
) -> ImportSummary:
    """Import a Strong / Hevy CSV or a liftsafe JSON log or backup, in one transaction.

    ``owner_id`` is the user whose log it goes into: the command-line user (the default; a
    backup restored into an empty database keeps its ids and plans) or a web account (its
    custom exercises, mappings and equipment; duplicates are checked against that account's
    sessions only; plans in a backup are not restored -- the web app builds plans from the
    assessment -- and sessions keep their plan week and session numbers).
    """
    library = library or load_library()
    local = owner_id == LOCAL_OWNER
    with store.transaction() as session:
        mappings = repository.custom_mappings(session, owner_id=owner_id)
        result: ImportResult = read_log(
            text,
            source=source,
            fmt=fmt,
            weight_unit=weight_unit,
            distance_unit=distance_unit,
            mappings=mappings,
            library=library,
            now=now,
        )
        owned = repository.list_workouts(session, owner_id=None if local else owner_id)
        existing = {session_key(r) for r in owned}
        keep_ids = local and repository.is_empty(session)  # a restore into an empty database keeps every id
        plan_ids: dict[int, int] = {}
        for plan in result.plans if local else ():
            plan_ids[plan["id"]] = repository.restore_plan(session, plan, keep_id=keep_ids)
        new: list[SessionRecord] = []
        new_ids: list[int | None] = []
        seen = set(existing)
        backup_ids = result.session_ids or (None,) * len(result.sessions)
        for rec, backup_id in zip(result.sessions, backup_ids):
            key = session_key(rec)
            if key in seen:
                continue
            seen.add(key)
            new_ids.append(backup_id if keep_ids else None)
            if rec.plan_id is not None and not local:
                rec = replace(rec, plan_id=None)
            elif rec.plan_id is not None:
                if rec.plan_id in plan_ids:
                    rec = replace(rec, plan_id=plan_ids[rec.plan_id])
                elif repository.get_plan(session, rec.plan_id) is None:
                    rec = replace(
                        rec, plan_id=None
                    )  # a log without its plan: keep the week/session numbers only
            new.append(rec)
        names = dict(result.custom_exercises)
        known = set(repository.custom_names(session, owner_id=owner_id))
        repository.add_custom_exercises(session, names, result.mappings, owner_id=owner_id)
        if result.equipment is not None and (
            keep_ids or repository.get_setting(session, "equipment", owner_id=owner_id) is None
        ):
            repository.set_setting(session, "equipment", result.equipment, owner_id=owner_id)
        for rec, row_id in zip(new, new_ids):
            workout_id = repository.add_workout(session, rec, row_id=row_id)
            if not local:
                session.add(WorkoutOwnerRow(workout_id=workout_id, user_id=owner_id))
        if keep_ids:
            repository.sync_id_sequences(session)
    imported_sets = sum(len(r.sets) for r in new)
    present_sets = sum(len(r.sets) for r in result.sessions if session_key(r) in existing)
    return ImportSummary(
        imported_sessions=len(new),
        imported_sets=imported_sets,
        already_present_sessions=len(result.sessions) - len(new),
        set_rows=result.set_rows,
        other_rows=result.other_rows,
        new_custom_exercises=sorted(result.custom_exercises[c] for c in names if c not in known),
        restored_plans=len(plan_ids),
        kept_sets=imported_sets + present_sets,
    )


def export_text(
    store: Store,
    fmt: Format | str,
    *,
    since: datetime | None = None,
    library: Library | None = None,
    owner_id: int = LOCAL_OWNER,
    plans: list[dict[str, Any]] | None = None,
) -> tuple[str, int]:
    """The log as text in ``fmt`` and its number of sessions. JSON is the full backup: plans,
    custom exercises (with their mappings), the equipment profile and every session field.

    ``owner_id``: the command-line user (the whole log and every plan) or a web account (its
    own sessions, custom exercises and equipment; ``plans`` are that account's plans, and a
    session's link to any other plan is dropped)."""
    fmt = Format(fmt)
    local = owner_id == LOCAL_OWNER
    with store.transaction() as session:
        records = repository.list_workouts(session, since=since, owner_id=None if local else owner_id)
        customs = repository.list_custom_exercises(session, owner_id=owner_id)
        if fmt is not Format.JSON:
            plans = []
        elif plans is None:
            plans = [p.to_dict() for p in repository.list_plans(session)] if local else []
        equipment = repository.get_setting(session, "equipment", owner_id=owner_id)
    if not local:
        plan_ids = {p["id"] for p in plans}
        records = [
            r if r.plan_id in plan_ids or r.plan_id is None else replace(r, plan_id=None) for r in records
        ]
    names = {c["id"]: c["name"] for c in customs}
    custom_out = [{"id": c["id"], "name": c["name"], "mapped_to": c["mapped_to"]} for c in customs]
    text = write_log(
        records,
        fmt,
        library=library,
        names=names,
        plans=plans,
        custom_exercises=custom_out,
        equipment=equipment,
    )
    return text, len(records)


def get_equipment(store: Store, *, owner_id: int = LOCAL_OWNER):
    """The user's saved equipment profile (or the default one)."""
    with store.transaction() as session:
        return repository.get_equipment(session, owner_id=owner_id)


def set_equipment(store: Store, changes: dict[str, Any], *, owner_id: int = LOCAL_OWNER):
    """Change some fields of the user's saved equipment profile (validated); returns the new profile."""
    from liftsafe.training.equipment import EquipmentProfile

    with store.transaction() as session:
        merged = {**repository.get_equipment(session, owner_id=owner_id).to_dict(), **changes}
        profile = EquipmentProfile.from_dict(merged)
        repository.set_setting(session, "equipment", profile.to_dict(), owner_id=owner_id)
    return profile


def map_exercise(
    store: Store,
    name: str,
    library_id: str,
    *,
    library: Library | None = None,
    owner_id: int = LOCAL_OWNER,
) -> tuple[str, str, int]:
    """Map the user's custom exercise ``name`` (its name as imported, or its custom: id) to the
    library exercise ``library_id``; returns (custom id, library id, sets moved). Only that
    user's sets move and only that user's later imports use the mapping."""
    library = library or load_library()
    target = library.get(library_id.strip(), where="exercise id").id
    with store.transaction() as session:
        cid = repository.find_custom_exercise(session, name, owner_id=owner_id)
        if cid is None:
            mine = repository.list_custom_exercises(session, owner_id=owner_id)
            known = ", ".join(c["name"] for c in mine[:8]) or "none yet"
            raise InputError(
                f"no custom exercise named {name!r}; yours: {known} (see `liftsafe exercises list`).",
                field="name",
            )
        moved = repository.map_custom_exercise(session, cid, target, owner_id=owner_id)
    return cid, target, moved


def list_exercises(store: Store, *, owner_id: int = LOCAL_OWNER) -> list[dict[str, Any]]:
    """The user's custom exercises with their mappings and set counts."""
    with store.transaction() as session:
        return repository.list_custom_exercises(session, owner_id=owner_id)


__all__: Sequence[str] = (
    "ImportSummary",
    "export_text",
    "get_equipment",
    "import_text",
    "list_exercises",
    "map_exercise",
    "session_key",
    "set_equipment",
)
