"""The app factory: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from liftsafe.errors import LiftsafeError, OutputError
from liftsafe.store.db import Store
from liftsafe.web import security
from liftsafe.web.deps import TEMPLATES_DIR, SignInRequired
from liftsafe.web.errors import http_status
from liftsafe.web.settings import Settings
from liftsafe.web.worker import Worker

log = logging.getLogger("liftsafe.web")
STATIC_DIR = Path(__file__).with_name("static")
UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # heuristic: room for the multipart framing and form fields
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


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app: routers, templates, the store and the analysis worker."""
    settings = settings or Settings.from_env()
    store = Store(settings.database_url)
    data_dir = Path(settings.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the data folder {data_dir}: {exc.strerror}; set LIFTSAFE_DATA_DIR or --data-dir."
        ) from None
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

    upload_paths = ("/analyses", "/api/analyses")

    @app.middleware("http")
    async def guard_and_headers(request: Request, call_next):
        token = request.cookies.get(security.CSRF_COOKIE) or security.new_token()
        request.state.csrf = token
        length = request.headers.get("content-length", "")
        if (request.method == "POST" and request.url.path in upload_paths and length.isdigit()
                and int(length) > settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES):
            # refuse before the body is read (the upload service's own count covers chunked uploads)
            response = _error_response(
                request,
                413,
                f"the upload is larger than the {int(settings.max_upload_mb)} MB "
                "limit; trim the clip to the lift or raise LIFTSAFE_MAX_UPLOAD_MB.",
            )
        else:
            response = await call_next(request)
        if request.cookies.get(security.CSRF_COOKIE) != token:
            response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="lax",
                                secure=request.url.scheme == "https", path="/")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

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
