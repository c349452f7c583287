"""Workplace pages: jobs and tasks, NIOSH / LiFFT results with what-if advice, printable report."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from liftsafe.errors import InputError
from liftsafe.web import deps
from liftsafe.web.services import workplace
from liftsafe.web.services.accounts import User

router = APIRouter()


@router.get("/workplace")
def dashboard(request: Request, user: User = Depends(deps.page_user)):
    """The workplace admin's jobs and their risk."""
    if user.role != "workplace_admin":
        return deps.render(request, "workplace_info.html", user)
    store = deps.store(request)
    return deps.render(request, "workplace.html", user, rows=range(1, workplace.MAX_TASK_ROWS + 1),
                       analyses=workplace.finished_analyses(store, user), **workplace.overview(store, user))


@router.post("/workplace/jobs", dependencies=[Depends(deps.csrf_form)])
async def create_job(request: Request, user: User = Depends(deps.page_user)):
    """Store a job entered in the form (assessed in a worker thread before it is saved)."""
    form = await request.form()  # reading the body is async; the assessment is CPU work: a worker thread
    return await run_in_threadpool(_create_job, request, user, form)


def _create_job(request: Request, user: User, form):
    store, settings = deps.store(request), deps.settings(request)
    try:
        if form.get("analysis_id"):
            job = workplace.job_from_video(store, user, form, data_dir=settings.data_dir)
        else:
            job = workplace.job_from_form(form)
        job_id = workplace.create_job(store, user, job, max_tasks=settings.max_tasks)
    except InputError as exc:
        if getattr(exc, "status", 400) != 400:
            raise
        return deps.render(
            request,
            "workplace.html",
            user,
            rows=range(1, workplace.MAX_TASK_ROWS + 1),
            error=str(exc),
            form=dict(form),
            status_code=400,
            analyses=workplace.finished_analyses(store, user),
            **workplace.overview(store, user),
        )
    return RedirectResponse(f"/workplace/jobs/{job_id}", status_code=303)


@router.get("/workplace/jobs/{job_id}")
def job_report(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """One job's NIOSH / LiFFT / L5-S1 report with what-if advice."""
    job, doc = workplace.get_job(deps.store(request), user, job_id)
    return deps.render(request, "workplace_job.html", user, job=job, doc=doc, band=workplace.band)
