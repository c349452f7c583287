"""Analysis pages: upload form and history, progress/report page, result files, coach view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from liftsafe.result import Exercise
from liftsafe.web import deps
from liftsafe.web.services import accounts, analyses
from liftsafe.web.services.accounts import User

router = APIRouter()


@router.get("/analyses")
def history(request: Request, user: User = Depends(deps.page_user)):
    """The user's analyses and their trend."""
    jobs = analyses.list_jobs(deps.store(request), user)
    return _analyses_page(request, user, jobs)


def _analyses_page(request: Request, user: User, jobs: list[analyses.Job], *, owner: User | None = None):
    """The analyses page of ``jobs`` and their trend: the user's own, with the upload form, or read-only
    those of the lifter ``owner`` a coach looks at."""
    return deps.render(
        request,
        "analyses.html",
        user,
        jobs=jobs,
        trend=analyses.trend(jobs),
        exercises=list(Exercise),
        max_mb=0 if owner is not None else int(deps.settings(request).max_upload_mb),
        owner=owner,
    )


@router.post("/analyses", dependencies=[Depends(deps.csrf_form)])
def upload(
    request: Request,
    video: UploadFile = File(...),
    exercise: str = Form(...),
    user: User = Depends(deps.page_user),
):
    """Upload a clip and queue its analysis."""
    job = deps.queue_upload(request, user, video, exercise)
    return RedirectResponse(f"/analyses/{job.id}", status_code=303)


@router.get("/analyses/{job_id}")
def report(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """One analysis: status, progress and, when done, its report."""
    job = analyses.get_job(deps.store(request), user, job_id)
    return deps.render(request, "analysis.html", user, job=job, mine=job.user_id == user.id,
                       coach=analyses.coaching_view(job.result) if job.status == "done" else None)


@router.post("/analyses/{job_id}/cancel", dependencies=[Depends(deps.csrf_form)])
def cancel(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """Cancel a queued or running analysis."""
    analyses.cancel_job(deps.store(request), user, job_id)
    return RedirectResponse(f"/analyses/{job_id}", status_code=303)


@router.post("/analyses/{job_id}/delete", dependencies=[Depends(deps.csrf_form)])
def delete(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """Delete an analysis and its files."""
    analyses.delete_job(deps.store(request), user, job_id, data_dir=deps.settings(request).data_dir)
    return RedirectResponse("/analyses", status_code=303)


@router.get("/analyses/{job_id}/report.html")
def report_html(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """The analysis's HTML report (server paths replaced by the file name)."""
    path = analyses.job_file(deps.store(request), user, job_id, data_dir=deps.settings(request).data_dir,
                             name=analyses.REPORT_NAME)
    return HTMLResponse(analyses.public_report(deps.store(request), user, job_id, path))


@router.get("/analyses/{job_id}/annotated.mp4")
def annotated_video(request: Request, job_id: deps.RowId, user: User = Depends(deps.page_user)):
    """The analysis's annotated video."""
    path = analyses.job_file(deps.store(request), user, job_id, data_dir=deps.settings(request).data_dir,
                             name=analyses.VIDEO_NAME)
    return FileResponse(path, media_type="video/mp4")


@router.get("/coach")
def coach_home(request: Request, user: User = Depends(deps.page_user)):
    """A coach's list of the lifters who invited them."""
    return deps.render(
        request, "coach.html", user, lifters=accounts.coached_lifters(deps.store(request), user)
    )


@router.get("/coach/lifters/{lifter_id}/analyses")
def coach_lifter(request: Request, lifter_id: deps.RowId, user: User = Depends(deps.page_user)):
    """A coach's read-only view of an inviting lifter's analyses."""
    lifter = accounts.coached_lifter(deps.store(request), user, lifter_id)  # 404 for anyone else, own id too
    jobs = analyses.list_jobs(deps.store(request), user, owner_id=lifter_id)
    return _analyses_page(request, user, jobs, owner=lifter)
