"""Request-body limits enforced while the body streams in (an ASGI middleware).

A declared ``Content-Length`` over the limit is answered 413 before a byte of the body is
read; a chunked body (no ``Content-Length``) is counted as it arrives and the request stops
with 413 the moment it passes the limit. Either way this happens before sign-in, CSRF or
form parsing spend any work on it, and nothing larger than the limit reaches the disk.

Uploads (``POST /analyses``, ``POST /api/analyses``) may be ``max_upload_bytes`` plus room for
the multipart framing; every other request body (forms, JSON) ``max_form_bytes``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException

UPLOAD_PATHS = ("/analyses", "/api/analyses")
UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # heuristic: room for the multipart framing and form fields

# longest text accepted per form field (characters); any other field: DEFAULT_FIELD_CHARS
FIELD_CHARS = {
    "email": 254,
    "coach_email": 254,  # RFC 5321: a path is at most 256 octets including the brackets
    "password": 1024,
    "notes": 4000,
    "job_json": 256 * 1024,
    "name": 200,
}
DEFAULT_FIELD_CHARS = 1000  # heuristic: every other field is a number, a choice or a short name


def check_field_lengths(form: Any) -> None:
    """Refuse a form whose text fields are longer than their limit (400 naming the field)."""
    from liftsafe.errors import InputError

    for key, value in form.multi_items():
        if not isinstance(value, str):
            continue
        limit = FIELD_CHARS.get(key, FIELD_CHARS["notes"] if key.endswith("-notes") else DEFAULT_FIELD_CHARS)
        if len(value) > limit:
            raise InputError(f"field '{key[:60]}' is {len(value)} characters long; the limit is {limit}.")


Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes the limit. An HTTPException so that a form
    parser that wraps other errors (FastAPI answers 400 "error parsing the body") lets it through."""

    def __init__(self, limit: int, upload: bool) -> None:
        super().__init__(413, _message(limit, upload))
        self.limit = limit
        self.upload = upload


def _message(limit: int, upload: bool) -> str:
    if upload:
        mb = (limit - UPLOAD_OVERHEAD_BYTES) / (1024 * 1024)
        return (
            f"the upload is larger than the {mb:.0f} MB limit; trim the clip to the lift or raise "
            "LIFTSAFE_MAX_UPLOAD_MB."
        )
    return (
        f"the form is larger than the {limit // 1024} KB limit (LIFTSAFE_MAX_FORM_KB); "
        "shorten the text you entered."
    )


class BodyLimitMiddleware:
    """``BodyLimitMiddleware(app, max_upload_bytes=..., max_form_bytes=..., respond=...)``;
    ``respond(scope, exc)`` builds the 413 response."""

    def __init__(self, app, *, max_upload_bytes: int, max_form_bytes: int, respond) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_form_bytes = max_form_bytes
        self.respond = respond

    def _limit(self, scope: Scope) -> tuple[int, bool]:
        if scope["method"] == "POST" and scope["path"] in UPLOAD_PATHS:
            return self.max_upload_bytes + UPLOAD_OVERHEAD_BYTES, True
        return self.max_form_bytes, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; answer 413 once it passes the limit."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit, upload = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.strip().isdigit() and int(declared) > limit:
            await self.respond(scope, BodyTooLarge(limit, upload))(scope, receive, send)
            return
        received = 0
        started = False
        over: BodyTooLarge | None = None

        async def counted_receive() -> Message:
            # past the limit the app sees the client go away (it stops reading, whatever layer
            # reads the body), and whatever it answers is replaced by the 413 below
            nonlocal received, over
            if over is not None:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = BodyTooLarge(limit, upload)
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if over is not None and not started:
                return  # the app's answer to the cut-off body is not sent
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except Exception:
            if over is None or started:
                raise
        if over is not None and not started:
            await self.respond(scope, over)(scope, receive, send)
