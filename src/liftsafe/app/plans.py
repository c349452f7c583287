"""Use-cases of training plans: generate and save a plan, list the saved plans, show one with loads.

``liftsafe plan create/list/show`` call these; the web's train page saves and shows plans for an
account through the same store functions (owned plans).
"""

from __future__ import annotations

from typing import Any

from liftsafe.store import repository
from liftsafe.store.db import Store
from liftsafe.store.repository import StoredPlan
from liftsafe.training.plan import Plan


def save_plan(store: Store, plan: Plan, *, name: str, owner_id: int | None = None) -> StoredPlan:
    """Save ``plan`` under ``name`` (for web account ``owner_id`` when given; one transaction) and
    return the stored record."""
    with store.transaction() as session:
        plan_id = repository.save_plan(session, plan, name=name)
        if owner_id is not None:
            from liftsafe.store.web_models import PlanOwnerRow

            session.add(PlanOwnerRow(plan_id=plan_id, user_id=owner_id))
    with store.transaction() as session:
        stored = repository.get_plan(session, plan_id)
    assert stored is not None  # just saved
    return stored


def list_plans(store: Store, *, owner_id: int | None = None) -> list[StoredPlan]:
    """The saved plans, oldest first: web account ``owner_id``'s when given, else every plan (the
    command line)."""
    with store.transaction() as session:
        if owner_id is None:
            return repository.list_plans(session)
        return [p for p in repository.list_plans(session) if p.id in _owned_plan_ids(session, owner_id)]


def _owned_plan_ids(session: Any, owner_id: int) -> set[int]:
    from sqlalchemy import select

    from liftsafe.store.web_models import PlanOwnerRow

    return set(session.scalars(select(PlanOwnerRow.plan_id).where(PlanOwnerRow.user_id == owner_id)))


def owned_plan_with_loads(store: Store, plan_id: int, *, owner_id: int) -> dict[str, Any] | None:
    """Web account ``owner_id``'s plan ``plan_id`` as a document, with kilograms where their log knows
    a load; None when it is not theirs."""
    from liftsafe.store.web_models import PlanOwnerRow
    from liftsafe.training.loads import add_loads

    with store.transaction() as session:
        owner = session.get(PlanOwnerRow, plan_id)
        if owner is None or owner.user_id != owner_id:
            return None
        stored = repository.get_plan(session, plan_id)
        history = repository.list_workouts(session, owner_id=owner_id)
        equipment = repository.get_equipment(session, owner_id=owner_id)
    assert stored is not None  # owned, so present
    doc = stored.to_dict()
    doc["plan"] = add_loads(doc["plan"], history, equipment=equipment)
    return doc


def plan_with_loads(
    store: Store, plan_id: int | None = None, *, week: int | None = None
) -> tuple[StoredPlan, dict[str, Any]] | None:
    """The saved plan ``plan_id`` (default: the newest) as a document, with kilograms where the log
    knows a load and the recovery guidance; only week ``week`` when given. None when there is no such
    plan."""
    from liftsafe.errors import InputError
    from liftsafe.training.loads import add_loads
    from liftsafe.training.recovery import plan_guidance

    with store.transaction() as session:
        stored = repository.get_plan(session, plan_id)
        history, equipment = repository.list_workouts(session), repository.get_equipment(session)
    if stored is None:
        return None
    doc = stored.to_dict()
    if week is not None:
        if not 1 <= week <= stored.weeks:
            raise InputError(
                f"week must be between 1 and {stored.weeks} for plan {stored.id}; got {week}.", field="week"
            )
        doc["plan"] = {"weeks": [w for w in stored.plan["weeks"] if w["index"] == week]}
    doc["plan"] = add_loads(doc["plan"], history, equipment=equipment)  # kilograms once the log knows a load
    doc["guidance"] = plan_guidance()
    return stored, doc
