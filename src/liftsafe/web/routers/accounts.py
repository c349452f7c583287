"""Sign-up, sign-in, sign-out and the account page (API tokens, coach invitations)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from liftsafe.errors import InputError
from liftsafe.web import deps, security
from liftsafe.web.services import accounts, privacy
from liftsafe.web.services.accounts import ROLES, User

router = APIRouter()


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _signed_in(request: Request, user: User, target: str) -> RedirectResponse:
    # a browser holds one sign-in: whoever was signed in here before is signed out now
    accounts.end_session(deps.store(request), request.cookies.get(security.SESSION_COOKIE))
    token = accounts.start_session(deps.store(request), user, hours=deps.settings(request).session_hours)
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=int(deps.settings(request).session_hours * 3600),
        path="/",
    )
    return response


@router.get("/")
def home(request: Request, user: User | None = Depends(deps.optional_user)):
    """Home page: signed-in users go to their start page, others see the welcome page."""
    if user is not None:
        return RedirectResponse(
            "/workplace" if user.role == "workplace_admin" else "/analyses", status_code=303
        )
    return deps.render(request, "home.html")


@router.get("/signup")
def signup_page(request: Request, deleted: int = 0):
    """The sign-up form (with a notice after an account was deleted)."""
    return deps.render(request, "signup.html", roles=ROLES,
                       notice="Your account and everything it held have been deleted." if deleted else None)


@router.post("/signup", dependencies=[Depends(deps.csrf_form)])
def signup(request: Request, email: str = Form(...), password: str = Form(...), role: str = Form("lifter")):
    """Create an account and sign in."""
    try:
        user = accounts.sign_up(deps.store(request), email=email, password=password, role=role)
    except InputError as exc:
        return deps.render(request, "signup.html", roles=ROLES, error=str(exc), email=email, status_code=400)
    return _signed_in(request, user, "/")


@router.get("/signin")
def signin_page(request: Request, next: str = "/", expired: int = 0):
    """The sign-in form."""
    message = "Your sign-in has expired; please sign in again." if expired else None
    return deps.render(request, "signin.html", next=_safe_next(next), notice=message)


@router.post("/signin", dependencies=[Depends(deps.csrf_form)])
def signin(request: Request, email: str = Form(...), password: str = Form(...), next: str = Form("/")):
    """Sign in with e-mail and password."""
    try:
        user = accounts.authenticate(deps.store(request), email=email, password=password,
                                     throttle=request.app.state.sign_in_throttle)
    except InputError as exc:
        return deps.render(request, "signin.html", next=_safe_next(next), error=str(exc), email=email,
                           status_code=getattr(exc, "status", 400))
    return _signed_in(request, user, next)


@router.post("/signout", dependencies=[Depends(deps.csrf_form)])
def signout(request: Request):
    """Sign out: end the session and revoke the user's API tokens."""
    accounts.sign_out(deps.store(request), request.cookies.get(security.SESSION_COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    response.headers["Clear-Site-Data"] = '"cache", "storage"'  # local training drafts go too
    return response


def _account_page(request: Request, user: User, **extra):
    store, s = deps.store(request), deps.settings(request)
    tokens = accounts.list_api_tokens(store, user, days=s.token_days)
    sessions = accounts.active_sessions(store, user, request.cookies.get(security.SESSION_COOKIE))
    return deps.render(request, "account.html", user, tokens=tokens,
                       lifters=accounts.coached_lifters(store, user) if user.role == "coach" else [],
                       coaches=accounts.coaches_of(store, user), token_days=s.token_days,
                       sessions=sessions, **extra)


@router.get("/account")
def account(request: Request, user: User = Depends(deps.page_user)):
    """The account page: sign-ins, API tokens, coaches with access, height, your data."""
    return _account_page(request, user)


@router.post("/account/tokens", dependencies=[Depends(deps.csrf_form)])
def new_api_token(request: Request, name: str = Form("API token"), user: User = Depends(deps.page_user)):
    """Create an API token (shown once)."""
    days = deps.settings(request).token_days
    token = accounts.create_api_token(deps.store(request), user, name=name, days=days)
    return _account_page(request, user, created_token=token)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(deps.csrf_form)])
def revoke_api_token(request: Request, token_id: deps.RowId, user: User = Depends(deps.page_user)):
    """Revoke an API token."""
    accounts.revoke_api_token(deps.store(request), user, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/coach", dependencies=[Depends(deps.csrf_form)])
def invite_coach(request: Request, coach_email: str = Form(...), user: User = Depends(deps.page_user)):
    """Invite a coach to read the user's analyses and training (neutral answer)."""
    message = accounts.invite_coach(deps.store(request), user, coach_email=coach_email)
    return _account_page(request, user, notice=message)


@router.post("/account/sessions/end-others", dependencies=[Depends(deps.csrf_form)])
def end_other_sessions(request: Request, user: User = Depends(deps.page_user)):
    """Sign out every other browser of the user."""
    n = accounts.end_other_sessions(deps.store(request), user, request.cookies.get(security.SESSION_COOKIE))
    return _account_page(request, user, notice=f"signed out {n} other browser(s).")


@router.post("/account/coaches/{coach_id}/withdraw", dependencies=[Depends(deps.csrf_form)])
def withdraw_coach(request: Request, coach_id: deps.RowId, user: User = Depends(deps.page_user)):
    """End a coach's access to the user's data."""
    accounts.withdraw_coach(deps.store(request), user, coach_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/account/export.json")
def export_my_data(request: Request, user: User = Depends(deps.page_user)):
    """Everything stored about the signed-in person, as one JSON download."""
    doc = privacy.export_user(deps.store(request), user)
    return JSONResponse(doc, headers={"Content-Disposition": 'attachment; filename="liftsafe-my-data.json"'})


@router.post("/account/delete", dependencies=[Depends(deps.csrf_form)])
def delete_my_account(request: Request, password: str = Form(""), confirm: str = Form(""),
                      user: User = Depends(deps.page_user)):
    """Delete the account and everything it owns (asks for the password and the word DELETE)."""
    if confirm.strip() != "DELETE" or not accounts.password_matches(deps.store(request), user, password):
        return _account_page(request, user,
                             error="type DELETE and your current password to delete your account.")
    privacy.delete_user(deps.store(request), user, data_dir=deps.settings(request).data_dir)
    response = RedirectResponse("/signup?deleted=1", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.post("/account/height", dependencies=[Depends(deps.csrf_form)])
def set_height(request: Request, height_cm: str = Form(""), user: User = Depends(deps.page_user)):
    """Set the user's height (used to add metres to analyses)."""
    accounts.set_height(deps.store(request), user, height_cm=height_cm)
    return RedirectResponse("/account", status_code=303)
