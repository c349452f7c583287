"""The app factory: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from liftsafe.errors import LiftsafeError, OutputError
from liftsafe.store.db import Store
from liftsafe.web import security
from liftsafe.web.deps import TEMPLATES_DIR, SignInRequired
from liftsafe.web.errors import http_status
from liftsafe.web.files import clean_stale_partials, private_dir, remove_shared_pose_cache, restrict_sqlite
from liftsafe.web.limits import BodyLimitMiddleware
from liftsafe.web.settings import Settings
from liftsafe.web.worker import Worker

log = logging.getLogger("liftsafe.web")
STATIC_DIR = Path(__file__).with_name("static")
# everything comes from this server; scripts only from /static (no inline handlers), report plots as data:
# images
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "media-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    csrf = getattr(request.state, "csrf", "")
    return templates.TemplateResponse(request, "error.html", {"user": None, "csrf": csrf, "status": status,
                                                              "message": message}, status_code=status)


HSTS = "max-age=31536000; includeSubDomains"  # one year, as OWASP's HTTP headers cheat sheet suggests


def _security_headers(request: Request, response) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Content-Security-Policy", CSP)
    if not request.url.path.startswith("/static/"):
        # every other page or API answer may hold health data: never stored by browsers or proxies
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    if request.url.scheme == "https":
        response.headers.setdefault("Strict-Transport-Security", HSTS)


async def _http_error(request: Request, exc: StarletteHTTPException):
    response = _error_response(request, exc.status_code, str(exc.detail))
    _security_headers(request, response)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _invalid(request: Request, exc: RequestValidationError):
    """A malformed request: a path id that cannot exist is 404, anything else 400 naming the field."""
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = [str(p) for p in first.get("loc", ())]
    if where and where[0] == "path":  # /analyses/abc, ids past 2^63-1: no such thing
        return _error_response(request, 404, f"{request.url.path} not found.")
    field = where[-1] if where else "request"
    message = f"field '{field}': {first.get('msg', 'invalid value')}.".replace("..", ".")
    return _error_response(request, 400, message)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app: routers, templates, the store and the analysis worker."""
    settings = settings or Settings.from_env()
    store = Store(settings.database_url)
    restrict_sqlite(store.url)
    data_dir = Path(settings.data_dir)
    try:
        private_dir(data_dir)
    except OSError as exc:
        raise OutputError(
            f"cannot create the data folder {data_dir}: {exc.strerror}; set LIFTSAFE_DATA_DIR or --data-dir."
        ) from None
    clean_stale_partials(data_dir)  # half-written files of a server that was killed
    remove_shared_pose_cache(data_dir)  # landmarks of every account's uploads, from older versions
    worker = Worker(store, data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.worker:
            worker.start()
        try:
            yield
        finally:
            if settings.worker:
                worker.stop()

    # docs_url=None: FastAPI's Swagger page loads its JS/CSS from a CDN; /api/docs is rendered here instead
    app = FastAPI(title="liftsafe", version=_version(), lifespan=lifespan, docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.settings = settings
    app.state.store = store
    app.state.worker = worker
    app.state.sign_in_throttle = security.SignInThrottle()
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.middleware("http")
    async def guard_and_headers(request: Request, call_next):
        token = request.cookies.get(security.CSRF_COOKIE) or security.new_token()
        request.state.csrf = token
        response = await call_next(request)
        if request.cookies.get(security.CSRF_COOKIE) != token:
            response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="lax",
                                secure=request.url.scheme == "https", path="/")
        _security_headers(request, response)
        return response

    def _too_large(scope, exc):
        request = Request(scope)
        response = _error_response(request, exc.status_code, exc.detail)
        _security_headers(request, response)
        response.headers["Connection"] = "close"  # the rest of the body is not read
        return response

    # added last = outermost of the app's own middleware: the body is counted before anything reads it
    app.add_middleware(BodyLimitMiddleware, max_upload_bytes=settings.max_upload_bytes,
                       max_form_bytes=settings.max_form_bytes, respond=_too_large)

    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired):
        response = RedirectResponse(exc.location(), status_code=303)
        response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(LiftsafeError)
    async def _user_error(request: Request, exc: LiftsafeError):
        return _error_response(request, http_status(exc), str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(
            request,
            500,
            "something went wrong on the server (logged); nothing you saved was lost. Try again.",
        )

    from liftsafe.web.routers import accounts, analyses, api, batches, train, train_api, workplace

    for module in (accounts, analyses, api, train, train_api, workplace, batches):
        app.include_router(module.router)
    return app


def _version() -> str:
    from liftsafe import __version__

    return __version__
