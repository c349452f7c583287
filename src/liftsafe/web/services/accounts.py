"""Accounts: sign-up, sign-in sessions, API tokens, coach links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from liftsafe.errors import InputError
from liftsafe.store.db import Store, now_seconds
from liftsafe.store.web_models import ROLES, ApiTokenRow, CoachLinkRow, UserRow, WebSessionRow
from liftsafe.web import security
from liftsafe.web.errors import NotFoundError, TooManyAttemptsError

MIN_PASSWORD_LEN = 10  # heuristic; NIST SP 800-63B requires at least 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str
    height_m: float | None = None


@dataclass(frozen=True)
class SessionLookup:
    user: User | None
    expired: bool = False


_now = now_seconds


def _user(row: UserRow) -> User:
    return User(id=row.id, email=row.email, role=row.role, height_m=row.height_m)


def normalise_email(email: str) -> str:
    """The e-mail address as compared and stored: trimmed, lower case."""
    return email.strip().lower()


def sign_up(store: Store, *, email: str, password: str, role: str = "lifter") -> User:
    """Create an account (InputError for a bad e-mail, a short password, a bad role or a taken e-mail)."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise InputError(f"'{email}' is not an e-mail address; enter one like name@example.com.")
    if len(password) < MIN_PASSWORD_LEN:
        raise InputError(f"the password must be at least {MIN_PASSWORD_LEN} characters long.")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}; got '{role}'.")
    hashed = security.hash_password(password)
    with store.transaction() as s:
        if s.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            raise InputError(f"an account for {email} exists already; sign in instead.")
        row = UserRow(email=email, password_hash=hashed, role=role, created_at=_now())
        s.add(row)
        s.flush()
        return _user(row)


def authenticate(
    store: Store, *, email: str, password: str, throttle: security.SignInThrottle | None = None
) -> User:
    """The user with this e-mail and password, or an error (rate-limited)."""
    key = normalise_email(email)
    if throttle is not None:
        wait = throttle.wait_s(key)
        if wait > 0:
            raise TooManyAttemptsError(
                f"too many failed sign-ins for {key}; wait {int(wait // 60) + 1} minute(s) and try again."
            )
    with store.transaction() as s:
        row = s.scalars(select(UserRow).where(UserRow.email == key)).first()
    if row is None or not security.verify_password(row.password_hash, password):
        if throttle is not None:
            throttle.failed(key)
        raise InputError("wrong e-mail or password; check both and try again.")
    if throttle is not None:
        throttle.succeeded(key)
    return _user(row)


def start_session(store: Store, user: User, *, hours: float) -> str:
    """Start a session for the user; return its token."""
    token = security.new_token()
    now = _now()
    with store.transaction() as s:
        s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
        s.add(WebSessionRow(token_hash=security.digest(token), user_id=user.id, created_at=now,
                            expires_at=now + timedelta(hours=hours)))
    return token


def session_user(store: Store, token: str | None) -> SessionLookup:
    """The user of a session token, and whether the session expired."""
    if not token:
        return SessionLookup(None)
    with store.transaction() as s:
        row = s.get(WebSessionRow, security.digest(token))
        if row is None:
            return SessionLookup(None, expired=True)
        if row.expires_at <= _now():
            s.delete(row)
            return SessionLookup(None, expired=True)
        return SessionLookup(_user(s.get(UserRow, row.user_id)))


def end_session(store: Store, token: str | None) -> None:
    """End the session of this token."""
    if token:
        with store.transaction() as s:
            s.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == security.digest(token)))


def expire_sessions_of(store: Store, user_id: int) -> None:
    """Expire every sign-in of a user now (used by tests and by a future 'sign out everywhere')."""
    with store.transaction() as s:
        for row in s.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user_id)):
            row.expires_at = _now() - timedelta(seconds=1)


def create_api_token(store: Store, user: User, *, name: str) -> str:
    """A new API token (shown once; only its digest is stored)."""
    name = name.strip() or "API token"
    token = security.new_token(security.API_TOKEN_PREFIX)
    with store.transaction() as s:
        s.add(
            ApiTokenRow(
                token_hash=security.digest(token), user_id=user.id, name=name[:100], created_at=_now()
            )
        )
    return token


def list_api_tokens(store: Store, user: User) -> list[tuple[int, str, datetime]]:
    """The user's API tokens: id, name, created."""
    with store.transaction() as s:
        rows = s.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id))
        return [(r.id, r.name, r.created_at) for r in rows]


def revoke_api_token(store: Store, user: User, token_id: int) -> None:
    """Revoke one of the user's API tokens."""
    with store.transaction() as s:
        row = s.get(ApiTokenRow, token_id)
        if row is None or row.user_id != user.id:
            raise NotFoundError(f"API token {token_id} not found.")
        s.delete(row)


def token_user(store: Store, token: str) -> User | None:
    """The user of an API token, or None."""
    with store.transaction() as s:
        row = s.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == security.digest(token))).first()
        return None if row is None else _user(s.get(UserRow, row.user_id))


def invite_coach(store: Store, lifter: User, *, coach_email: str) -> None:
    """Let a coach read the lifter's analyses and training."""
    email = normalise_email(coach_email)
    with store.transaction() as s:
        coach = s.scalars(select(UserRow).where(UserRow.email == email, UserRow.role == "coach")).first()
        if coach is None:
            raise NotFoundError(f"no coach account for {email}; ask your coach to sign up as a coach first.")
        exists = s.scalar(
            select(CoachLinkRow.id).where(
                CoachLinkRow.lifter_id == lifter.id, CoachLinkRow.coach_id == coach.id
            )
        )
        if exists is None:
            s.add(CoachLinkRow(lifter_id=lifter.id, coach_id=coach.id))


def coached_lifters(store: Store, coach: User) -> list[User]:
    """The lifters who invited this coach."""
    with store.transaction() as s:
        rows = s.scalars(
            select(UserRow).join(CoachLinkRow, CoachLinkRow.lifter_id == UserRow.id)
            .where(CoachLinkRow.coach_id == coach.id).order_by(UserRow.email)
        )
        return [_user(r) for r in rows]


def readable_user_ids(store: Store, user: User) -> set[int]:
    """Whose analyses and training ``user`` may read: their own, plus (coach) the lifters who invited them."""
    ids = {user.id}
    if user.role == "coach":
        ids |= {u.id for u in coached_lifters(store, user)}
    return ids


MIN_HEIGHT_CM, MAX_HEIGHT_CM = 100.0, 230.0  # heuristic plausibility range for an adult lifter


def set_height(store: Store, user: User, *, height_cm: str) -> User:
    """The lifter's stature (scales analyses to metres, as ``liftsafe analyze --height``); blank clears it."""
    raw = height_cm.strip()
    value = None
    if raw:
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"height must be a number of centimetres, e.g. 178; got '{raw}'.") from None
        if not MIN_HEIGHT_CM <= value <= MAX_HEIGHT_CM:
            raise InputError(f"height must be {MIN_HEIGHT_CM:g}-{MAX_HEIGHT_CM:g} cm; got {value:g}.")
    with store.transaction() as s:
        row = s.get(UserRow, user.id)
        row.height_m = None if value is None else value / 100
        return _user(row)
