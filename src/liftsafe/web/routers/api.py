"""The JSON API (OpenAPI docs at /api/docs). Auth: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from liftsafe.web import deps
from liftsafe.web.schemas import AnalysisAccepted, AnalysisOut, ErrorOut, MeOut
from liftsafe.web.services import analyses
from liftsafe.web.services.accounts import User
from liftsafe.web.services.analyses import Job

router = APIRouter(prefix="/api", tags=["api"])
ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413, 415, 429, 503)}


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request):
    """The OpenAPI document as a plain page (no Swagger UI: it would load scripts from a CDN)."""
    spec = request.app.openapi()
    operations = [
        (path, method.upper(), op) for path, item in spec["paths"].items() for method, op in item.items()
    ]
    return deps.render(
        request, "api_docs.html", deps.optional_user(request), spec=spec, operations=operations
    )


def _out(job: Job, *, with_result: bool = True) -> AnalysisOut:
    return AnalysisOut(
        id=job.id,
        exercise=job.exercise,
        filename=job.filename,
        status=job.status,
        progress_pct=job.progress_pct,
        error=job.error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        result=job.result if with_result and job.status == "done" else None,
    )


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(user: User = Depends(deps.api_user)):
    """The signed-in user."""
    return MeOut(id=user.id, email=user.email, role=user.role)


@router.post("/analyses", status_code=202, response_model=AnalysisAccepted, responses=ERRORS)
def create_analysis(
    request: Request,
    video: UploadFile = File(
        ..., description="the clip (mp4/mov/webm/mkv/avi) or a keypoint file (.json/.csv)"
    ),
    exercise: str = Form(...),
    user: User = Depends(deps.api_user),
):
    """Upload a clip and queue its analysis (202 with the analysis URL)."""
    job = deps.queue_upload(request, user, video, exercise)
    return AnalysisAccepted(id=job.id, status=job.status, url=f"/api/analyses/{job.id}")


@router.get("/analyses", response_model=list[AnalysisOut], responses=ERRORS)
def list_analyses(request: Request, user: User = Depends(deps.api_user)):
    """The user's analyses, newest first, without results."""
    return [_out(j, with_result=False) for j in analyses.list_jobs(deps.store(request), user)]


@router.get("/analyses/{job_id}", response_model=AnalysisOut, responses=ERRORS)
def get_analysis(request: Request, job_id: deps.RowId, user: User = Depends(deps.api_user)):
    """One analysis with its result once done."""
    return _out(analyses.get_job(deps.store(request), user, job_id))


@router.post("/analyses/{job_id}/cancel", response_model=AnalysisOut, responses=ERRORS)
def cancel_analysis(request: Request, job_id: deps.RowId, user: User = Depends(deps.api_user)):
    """Cancel a queued or running analysis."""
    return _out(analyses.cancel_job(deps.store(request), user, job_id))
