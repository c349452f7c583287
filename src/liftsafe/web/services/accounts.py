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
MAX_PASSWORD_LEN = 1024  # heuristic: long passphrases fit; argon2 is not handed megabytes
MAX_EMAIL_LEN = 254  # RFC 5321 path limit, as the column
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


def check_email(email: str, field: str = "e-mail") -> str:
    """The normalised address, or an InputError naming the field (too long, not an address)."""
    if len(email) > MAX_EMAIL_LEN:
        raise InputError(
            f"the {field} is longer than {MAX_EMAIL_LEN} characters; enter an address like name@example.com."
        )
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise InputError(f"'{email}' is not an e-mail address; enter one like name@example.com.")
    return email


SIGN_UP_REFUSED = ("this e-mail address cannot be used for a new account. If you already have an account, "
                   "sign in (or use another address).")


def sign_up(store: Store, *, email: str, password: str, role: str = "lifter") -> User:
    """Create an account (InputError for a bad e-mail, a bad password or role, or a taken e-mail)."""
    email = check_email(email)
    if len(password) < MIN_PASSWORD_LEN:
        raise InputError(f"the password must be at least {MIN_PASSWORD_LEN} characters long.")
    if len(password) > MAX_PASSWORD_LEN:
        raise InputError(f"the password must be at most {MAX_PASSWORD_LEN} characters long.")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}; got '{role}'.")
    hashed = security.hash_password(password)
    with store.transaction() as s:
        if s.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            raise InputError(SIGN_UP_REFUSED)
        row = UserRow(email=email, password_hash=hashed, role=role, created_at=_now())
        s.add(row)
        s.flush()
        return _user(row)


WRONG_SIGN_IN = "wrong e-mail or password; check both and try again."


def authenticate(
    store: Store, *, email: str, password: str, throttle: security.SignInThrottle | None = None
) -> User:
    """The user with this e-mail and password, or an error (rate-limited; same work for any address)."""
    if len(email) > MAX_EMAIL_LEN or len(password) > MAX_PASSWORD_LEN:
        raise InputError(WRONG_SIGN_IN)  # no account has such an address or password
    key = normalise_email(email)
    if throttle is not None:
        wait = throttle.begin(key)  # check and reserve atomically: parallel guesses share one budget
        if wait > 0:
            raise TooManyAttemptsError(
                f"too many failed sign-ins for this address; wait {int(wait // 60) + 1} minute(s) "
                "and try again."
            )
    ok = False
    try:
        with store.transaction() as s:
            row = s.scalars(select(UserRow).where(UserRow.email == key)).first()
        # an unknown address verifies a dummy hash: both answers take the same time
        known_hash = None if row is None else row.password_hash
        ok = security.verify_password(known_hash, password) and row is not None
    finally:
        if throttle is not None:
            throttle.succeeded(key) if ok else throttle.failed(key)
    if not ok:
        raise InputError(WRONG_SIGN_IN)
    return _user(row)


def password_matches(store: Store, user: User, password: str) -> bool:
    """True when ``password`` is the user's current password."""
    if len(password) > MAX_PASSWORD_LEN:
        return False
    with store.transaction() as s:
        row = s.get(UserRow, user.id)
    return row is not None and security.verify_password(row.password_hash, password)


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


def active_sessions(
    store: Store, user: User, current_token: str | None
) -> list[tuple[datetime, datetime, bool]]:
    """(signed in, expires, is this browser) of the user's unexpired sign-ins, newest first."""
    mine = security.digest(current_token) if current_token else ""
    with store.transaction() as s:
        rows = s.scalars(select(WebSessionRow)
                         .where(WebSessionRow.user_id == user.id, WebSessionRow.expires_at > _now())
                         .order_by(WebSessionRow.created_at.desc()))
        return [(r.created_at, r.expires_at, r.token_hash == mine) for r in rows]


def end_other_sessions(store: Store, user: User, current_token: str | None) -> int:
    """Sign out every other browser of the user (this one stays signed in); returns how many."""
    mine = security.digest(current_token) if current_token else ""
    with store.transaction() as s:
        result = s.execute(delete(WebSessionRow)
                           .where(WebSessionRow.user_id == user.id, WebSessionRow.token_hash != mine))
        return int(result.rowcount or 0)


def sign_out(store: Store, token: str | None) -> None:
    """End this browser's sign-in and revoke the user's API tokens (documented on the account
    page and in docs/security.md: a token never outlives its owner's sign-out)."""
    if not token:
        return
    with store.transaction() as s:
        row = s.get(WebSessionRow, security.digest(token))
        if row is None:
            return
        s.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == row.user_id))
        s.delete(row)


def expire_sessions_of(store: Store, user_id: int) -> None:
    """Expire every sign-in of a user now (used by tests and by a future 'sign out everywhere')."""
    with store.transaction() as s:
        for row in s.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user_id)):
            row.expires_at = _now() - timedelta(seconds=1)


DEFAULT_TOKEN_DAYS = 90.0


def _token_expiry(row: ApiTokenRow, days: float) -> datetime:
    return row.expires_at or row.created_at + timedelta(days=days)  # tokens from before expiry existed


def create_api_token(store: Store, user: User, *, name: str, days: float = DEFAULT_TOKEN_DAYS) -> str:
    """A new API token (shown once; only its digest is stored), valid for ``days``."""
    name = name.strip() or "API token"
    token = security.new_token(security.API_TOKEN_PREFIX)
    now = _now()
    with store.transaction() as s:
        s.add(ApiTokenRow(token_hash=security.digest(token), user_id=user.id, name=name[:100], created_at=now,
                          expires_at=now + timedelta(days=days)))
    return token


def list_api_tokens(
    store: Store, user: User, *, days: float = DEFAULT_TOKEN_DAYS
) -> list[tuple[int, str, datetime, datetime]]:
    """(id, name, created, expires) of the user's tokens."""
    with store.transaction() as s:
        rows = s.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id))
        return [(r.id, r.name, r.created_at, _token_expiry(r, days)) for r in rows]


def revoke_api_token(store: Store, user: User, token_id: int) -> None:
    """Revoke one of the user's API tokens."""
    with store.transaction() as s:
        row = s.get(ApiTokenRow, token_id)
        if row is None or row.user_id != user.id:
            raise NotFoundError(f"API token {token_id} not found.")
        s.delete(row)


def token_user(store: Store, token: str, *, days: float = DEFAULT_TOKEN_DAYS) -> User | None:
    """The owner of a valid API token; None when unknown, revoked or expired (expired ones are deleted)."""
    if len(token) > 200:
        return None
    with store.transaction() as s:
        row = s.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == security.digest(token))).first()
        if row is None:
            return None
        if _token_expiry(row, days) <= _now():
            s.delete(row)
            return None
        return _user(s.get(UserRow, row.user_id))


def invite_message(email: str) -> str:
    """The same answer whether or not a coach account exists (no account discovery)."""
    return (f"if {email} has a coach account, that coach can now read your analyses and training log; "
            "they appear under 'Coaches with access' once they do.")


def invite_coach(store: Store, lifter: User, *, coach_email: str) -> str:
    """Give a coach access; returns the neutral message shown whether or not the coach exists."""
    email = check_email(coach_email, "coach's e-mail")
    with store.transaction() as s:
        coach = s.scalars(select(UserRow).where(UserRow.email == email, UserRow.role == "coach")).first()
        if coach is not None and coach.id != lifter.id:
            exists = s.scalar(select(CoachLinkRow.id).where(CoachLinkRow.lifter_id == lifter.id,
                                                            CoachLinkRow.coach_id == coach.id))
            if exists is None:
                s.add(CoachLinkRow(lifter_id=lifter.id, coach_id=coach.id))
    return invite_message(email)


def coaches_of(store: Store, lifter: User) -> list[User]:
    """The coaches a lifter has given access to (listed on the account page, each withdrawable)."""
    return _linked_users(store, lifter, as_lifter=True)


def withdraw_coach(store: Store, lifter: User, coach_id: int) -> None:
    """End a coach's access to the lifter's analyses and training (404 if they had none)."""
    with store.transaction() as s:
        result = s.execute(delete(CoachLinkRow)
                           .where(CoachLinkRow.lifter_id == lifter.id, CoachLinkRow.coach_id == coach_id))
        if not result.rowcount:
            raise NotFoundError(f"coach {coach_id} has no access to withdraw.")


def coached_lifter(store: Store, coach: User, lifter_id: int) -> User:
    """One lifter who invited ``coach``; 404 otherwise (including the coach's own id)."""
    found = next((u for u in coached_lifters(store, coach) if u.id == lifter_id), None)
    if found is None:
        raise NotFoundError("no such lifter among the people who invited you.")
    return found


def coached_lifters(store: Store, coach: User) -> list[User]:
    """The lifters who invited this coach."""
    return _linked_users(store, coach, as_lifter=False)


def _linked_users(store: Store, user: User, *, as_lifter: bool) -> list[User]:
    """The other ends of ``user``'s coach links, by e-mail: their coaches (``as_lifter``) or their lifters."""
    mine, theirs = CoachLinkRow.lifter_id, CoachLinkRow.coach_id
    if not as_lifter:
        mine, theirs = theirs, mine
    with store.transaction() as s:
        rows = s.scalars(
            select(UserRow).join(CoachLinkRow, theirs == UserRow.id)
            .where(mine == user.id).order_by(UserRow.email)
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
