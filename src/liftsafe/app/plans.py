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


def save_plan(store: Store, plan: Plan, *, name: str) -> StoredPlan:
    """Save ``plan`` under ``name`` (one transaction) and return the stored record."""
    with store.transaction() as session:
        plan_id = repository.save_plan(session, plan, name=name)
    with store.transaction() as session:
        stored = repository.get_plan(session, plan_id)
    assert stored is not None  # just saved
    return stored


def list_plans(store: Store) -> list[StoredPlan]:
    """The saved plans, oldest first."""
    with store.transaction() as session:
        return repository.list_plans(session)


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
