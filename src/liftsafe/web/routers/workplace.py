"""Workplace pages: jobs and tasks, NIOSH / LiFFT results with what-if advice, printable report."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

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
    """Store a job entered in the form (assessed before it is saved)."""
    form = await request.form()
    store = deps.store(request)
    try:
        if form.get("analysis_id"):
            job = workplace.job_from_video(store, user, form, data_dir=deps.settings(request).data_dir)
        else:
            job = workplace.job_from_form(form)
        job_id = workplace.create_job(store, user, job)
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
def job_report(request: Request, job_id: int, user: User = Depends(deps.page_user)):
    """One job's NIOSH / LiFFT / L5-S1 report with what-if advice."""
    job, doc = workplace.get_job(deps.store(request), user, job_id)
    return deps.render(request, "workplace_job.html", user, job=job, doc=doc, band=workplace.band)
