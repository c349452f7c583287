"""Train pages: assessment, plan calendar, today's session (logging), check-ins, progress."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from liftsafe.training import assessment as asm
from liftsafe.training.library import Level
from liftsafe.web import deps
from liftsafe.web.services import training
from liftsafe.web.services.accounts import User

router = APIRouter()


def _assessment_choices(request: Request | None = None, user: User | None = None) -> dict:
    store = None if request is None else deps.store(request)
    analyses = [] if store is None or user is None else training.finished_analyses(store, user)
    return {"analyses": analyses, "levels": list(Level), "toe_touch": list(asm.ToeTouch),
            "hinge": list(asm.HingeTest), "job": list(asm.JobDemand),
            "red_flags": [(f.value, asm.RED_FLAG_TEXT[f]) for f in asm.RedFlag]}


@router.get("/train")
def train_home(request: Request, user: User = Depends(deps.page_user), new: int = 0):
    """The train page: the assessment, or the plan calendar, decisions and history."""
    store = deps.store(request)
    plan = None if new else training.current_plan(store, user)
    if plan is None:
        return deps.render(request, "assessment.html", user, **_assessment_choices(request, user))
    sessions = training.history(store, user)
    return deps.render(
        request,
        "train.html",
        user,
        plan=plan,
        next=plan.next_session(),
        sessions=sessions[-10:][::-1],
        decisions=training.decisions(store, sessions, owner_id=user.id),
        charts=training.exercises_logged(sessions),
        guidance=training.plan_guidance(),
    )


@router.post("/train/assessment", dependencies=[Depends(deps.csrf_form)])
async def assessment(request: Request, user: User = Depends(deps.page_user)):
    """Run the assessment; when cleared, store a plan."""
    form = await request.form()
    result, plan_id = training.assess_and_plan(
        deps.store(request),
        user,
        form,
        red_flags=[str(f) for f in form.getlist("red_flags")],
        data_dir=deps.settings(request).data_dir,
    )
    if plan_id is None:
        return deps.render(
            request, "assessment.html", user, result=result, **_assessment_choices(request, user)
        )
    return deps.render(request, "assessment_done.html", user, result=result)


@router.get("/train/today")
def today(
    request: Request,
    user: User = Depends(deps.page_user),
    week: int | None = None,
    session: int | None = None,
):
    """Today's planned session as a form to log."""
    plan = training.current_plan(deps.store(request), user)
    if plan is None:
        return RedirectResponse("/train", status_code=303)
    if week is None or session is None:
        nxt = plan.next_session()
        if nxt is None:
            return deps.render(request, "today.html", user, plan=plan, rows=[], planned=None, finished=True)
        week, session = nxt
    planned = training.planned_session(plan, week, session)
    return deps.render(
        request,
        "today.html",
        user,
        plan=plan,
        planned=planned,
        rows=training.session_rows(planned),
        forms=training.FORM_CHOICES,
        week=week,
        session=session,
        finished=False,
        guidance=training.today_guidance(deps.store(request), user),
    )


@router.post("/train/log", dependencies=[Depends(deps.csrf_form)])
async def log_session(request: Request, user: User = Depends(deps.page_user)):
    """Log the sets ticked as done."""
    form = await request.form()
    training.log_session(deps.store(request), user, form)
    return RedirectResponse("/train#decisions", status_code=303)


@router.post("/train/workouts/{workout_id}/soreness", dependencies=[Depends(deps.csrf_form)])
async def soreness(request: Request, workout_id: deps.RowId, user: User = Depends(deps.page_user)):
    """A soreness check-in for a logged session."""
    training.check_in_soreness(deps.store(request), user, workout_id, await request.form())
    return RedirectResponse("/train#history", status_code=303)


@router.get("/train/progress/{exercise_id}.png")
def progress_chart(request: Request, exercise_id: str, user: User = Depends(deps.page_user)):
    """The progress chart of one exercise (PNG)."""
    png = training.progress_png(training.history(deps.store(request), user), exercise_id)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/coach/lifters/{lifter_id}/train")
def coach_lifter_training(request: Request, lifter_id: deps.RowId, user: User = Depends(deps.page_user)):
    """A coach's read-only view of an inviting lifter's log and the decisions it leads to."""
    from liftsafe.web.services import accounts

    store = deps.store(request)
    lifter = accounts.coached_lifter(store, user, lifter_id)  # 404 unless invited (own id too)
    sessions = training.history(store, user, owner_id=lifter_id)
    return deps.render(request, "coach_train.html", user, lifter=lifter, sessions=sessions[::-1],
                       decisions=training.decisions(store, sessions, owner_id=lifter_id))
