"""Training JSON API: plans, sessions with their sets, decisions, import and export.

The same service functions and rules as the CLI; ``Authorization: Bearer <token>`` (or the
site's session cookie with the CSRF header), every record scoped to its owner like
``/api/analyses``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse

from liftsafe.errors import InputError
from liftsafe.web import deps
from liftsafe.web.schemas import ErrorOut
from liftsafe.web.services import training
from liftsafe.web.services.accounts import User

router = APIRouter(prefix="/api/training", tags=["training"])
ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413)}
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # heuristic: years of sets are a few MB


@router.get("/plans", responses=ERRORS)
def list_plans(request: Request, user: User = Depends(deps.api_user)) -> list[dict[str, Any]]:
    """The user's plans."""
    return training.list_plans(deps.store(request), user)


@router.get("/plans/{plan_id}", responses=ERRORS)
def get_plan(request: Request, plan_id: int, user: User = Depends(deps.api_user)) -> dict[str, Any]:
    """One of the user's plans, with kilograms where the log knows a load."""
    return training.get_plan(deps.store(request), user, plan_id)


@router.get("/sessions", responses=ERRORS)
def list_sessions(request: Request, user: User = Depends(deps.api_user)) -> list[dict[str, Any]]:
    """The user's sessions with their sets."""
    return [r.to_dict() for r in training.history(deps.store(request), user)]


@router.post("/sessions", status_code=201, responses=ERRORS)
def add_session(
    request: Request, session: dict[str, Any] = Body(...), user: User = Depends(deps.api_user)
) -> dict[str, Any]:
    """Log one session (JSON log fields) for the user."""
    workout_id = training.add_session(deps.store(request), user, session)
    return {"id": workout_id, "url": f"/api/training/sessions/{workout_id}"}


@router.get("/sessions/{workout_id}", responses=ERRORS)
def get_session(request: Request, workout_id: int, user: User = Depends(deps.api_user)) -> dict[str, Any]:
    """One of the user's sessions."""
    from liftsafe.web.errors import NotFoundError

    for r in training.history(deps.store(request), user):
        if r.id == workout_id:
            return r.to_dict()
    raise NotFoundError(f"session {workout_id} not found.")


@router.get("/decisions", responses=ERRORS)
def decisions(request: Request, user: User = Depends(deps.api_user)) -> list[dict[str, Any]]:
    """Auto-regulation decisions for the user's newest session."""
    store = deps.store(request)
    return [d.to_dict() for d in training.decisions(store, training.history(store, user), owner_id=user.id)]


@router.post("/import", responses=ERRORS)
def import_log(
    request: Request,
    file: UploadFile = File(..., description="a Strong or Hevy CSV export or a liftsafe JSON log"),
    format: str = Form("auto"),
    user: User = Depends(deps.api_user),
) -> dict[str, Any]:
    """Import a Strong / Hevy export or a liftsafe JSON log into the user's log."""
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(
            f"file: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; export a shorter period."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file: not a UTF-8 text file; export it again from the app.") from None
    return training.import_log(deps.store(request), user, text, source=file.filename or "upload", fmt=format)


@router.get("/export", responses=ERRORS, response_class=PlainTextResponse)
def export_log(
    request: Request, format: str = Query("json"), user: User = Depends(deps.api_user)
) -> PlainTextResponse:
    """The user's log as JSON backup or Strong / Hevy CSV."""
    text = training.export_log(deps.store(request), user, format)
    media = "application/json" if format == "json" else "text/csv"
    return PlainTextResponse(text, media_type=media)


@router.get("/exercises", responses=ERRORS)
def list_exercises(request: Request, user: User = Depends(deps.api_user)) -> list[dict[str, Any]]:
    """The user's own custom exercises (from imports) with their mappings and set counts."""
    return training.list_exercises(deps.store(request), user)


@router.post("/exercises/map", responses=ERRORS)
def map_exercise(
    request: Request, body: dict[str, Any] = Body(...), user: User = Depends(deps.api_user)
) -> dict[str, Any]:
    """Map one of the user's custom exercises (``name``) to a library exercise (``exercise_id``)."""
    return training.map_exercise(deps.store(request), user, body)


@router.get("/equipment", responses=ERRORS)
def get_equipment(request: Request, user: User = Depends(deps.api_user)) -> dict[str, Any]:
    """The user's equipment profile (plates, kettlebells, dumbbells, barbell, unit)."""
    return training.get_equipment(deps.store(request), user)


@router.put("/equipment", responses=ERRORS)
def set_equipment(
    request: Request, body: dict[str, Any] = Body(...), user: User = Depends(deps.api_user)
) -> dict[str, Any]:
    """Change fields of the user's equipment profile."""
    return training.set_equipment(deps.store(request), user, body)
