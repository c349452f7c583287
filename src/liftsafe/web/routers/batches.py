"""Batches stored by ``liftsafe batch --db`` (liftsafe.batch.db): a workplace admin's table of
tasks and workers with verdicts and trends, as a page and as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from liftsafe.batch import db as batch_db
from liftsafe.web import deps
from liftsafe.web.errors import NotFoundError
from liftsafe.web.services.accounts import User

router = APIRouter()


def _table(request: Request, user: User, name: str) -> dict:
    table = batch_db.batch_table(deps.store(request), user.id, name)
    if not table["clips"]:
        raise NotFoundError(f"batch {name!r} not found.")
    return table


@router.get("/workplace/batches")
def batches_page(request: Request, name: str | None = None, user: User = Depends(deps.page_user)):
    """The owner's batches, and one batch as a table when ``name`` is given."""
    names = batch_db.batch_names(deps.store(request), user.id)
    table = _table(request, user, name) if name else None
    return deps.render(request, "batches.html", user, batches=names, table=table)


@router.get("/api/batches")
def batches_api(request: Request, user: User = Depends(deps.api_user)):
    """The owner's batches as JSON."""
    return [
        {**b, "updated": b["updated"].isoformat()} for b in batch_db.batch_names(deps.store(request), user.id)
    ]


@router.get("/api/batches/{name:path}")
def batch_api(request: Request, name: str, user: User = Depends(deps.api_user)):
    """One batch as JSON: clips and rows per task and worker."""
    return _table(request, user, name)
