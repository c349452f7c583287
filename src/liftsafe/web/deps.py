"""Request dependencies: the store, settings, the signed-in user, CSRF checks, rendering, queueing an
upload."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Path as PathParam
from fastapi import Request, UploadFile
from fastapi.templating import Jinja2Templates

from liftsafe.store.db import Store
from liftsafe.web import security
from liftsafe.web.errors import AuthRequiredError, ForbiddenError
from liftsafe.web.limits import check_field_lengths
from liftsafe.web.services import accounts, analyses
from liftsafe.web.services.accounts import User
from liftsafe.web.settings import Settings

TEMPLATES_DIR = Path(__file__).with_name("templates")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
MAX_ROW_ID = 2**63 - 1  # a database integer key: larger ids exist nowhere (and overflow the driver)
RowId = Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]


class SignInRequired(Exception):
    """A page needs a signed-in user; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str, expired: bool) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.expired = expired

    def location(self) -> str:
        """Where to send the browser to sign in."""
        return f"/signin?next={quote(self.next_path)}" + ("&expired=1" if self.expired else "")


def store(request: Request) -> Store:
    """The app's store."""
    return request.app.state.store


def settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


def templates(request: Request) -> Jinja2Templates:
    """The app's templates."""
    return request.app.state.templates


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None."""
    return accounts.session_user(store(request), request.cookies.get(security.SESSION_COOKIE)).user


def page_user(request: Request) -> User:
    """The signed-in user of a page request, else a redirect to the sign-in page."""
    lookup = accounts.session_user(store(request), request.cookies.get(security.SESSION_COOKIE))
    if lookup.user is None:
        raise SignInRequired(_return_path(request), lookup.expired)
    return lookup.user


def _return_path(request: Request) -> str:
    """Where to go after signing in: this page, or for a form post the page the form was on."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def api_user(request: Request) -> User:
    """API clients: ``Authorization: Bearer <token>``; the site's own pages: the session cookie
    (with the ``X-CSRF-Token`` header on unsafe methods)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = accounts.token_user(store(request), auth[7:].strip(), days=settings(request).token_days)
        if user is None:
            raise AuthRequiredError(
                "the API token is not valid (expired, revoked by signing out, or mistyped); create one on "
                "your account page."
            )
        return user
    lookup = accounts.session_user(store(request), request.cookies.get(security.SESSION_COOKIE))
    if lookup.user is None:
        what = (
            "your sign-in has expired; sign in again"
            if lookup.expired
            else "sign in or send 'Authorization: Bearer <token>'"
        )
        raise AuthRequiredError(f"authentication required: {what}.")
    if request.method in UNSAFE_METHODS and not security.same(
        request.headers.get(security.CSRF_HEADER), request.cookies.get(security.CSRF_COOKIE)
    ):
        raise ForbiddenError("missing or wrong X-CSRF-Token header; reload the page and try again.")
    return lookup.user


async def csrf_form(request: Request) -> None:
    """Every form POST carries the CSRF token of its page (double-submit: cookie == form field),
    and no text field is longer than its limit (:data:`liftsafe.web.limits.FIELD_CHARS`)."""
    form = await request.form()
    if not security.same(form.get(security.CSRF_FIELD), request.cookies.get(security.CSRF_COOKIE)):
        raise ForbiddenError(
            "the form expired or came from another site (CSRF check failed); reload the page and submit "
            "again."
        )
    check_field_lengths(form)


def render(request: Request, name: str, user: User | None = None, *, status_code: int = 200, **context):
    """Render a page template with the user and the CSRF token."""
    return templates(request).TemplateResponse(
        request, name, {"user": user, "csrf": request.state.csrf, **context}, status_code=status_code
    )


def queue_upload(request: Request, user: User, video: UploadFile, exercise: str) -> analyses.Job:
    """Store an uploaded clip as ``user``'s queued analysis (within the upload and queue limits of the
    settings) and wake the worker: the upload page and the API."""
    s = settings(request)
    job = analyses.create_job(
        store(request),
        user,
        stream=video.file,
        filename=video.filename or "upload",
        exercise=exercise,
        data_dir=s.data_dir,
        max_bytes=s.max_upload_bytes,
        max_pending=s.max_pending,
    )
    request.app.state.worker.enqueue(job.id)
    return job
