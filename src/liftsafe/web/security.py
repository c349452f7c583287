"""Passwords (argon2id), random tokens and their SHA-256 digests, CSRF comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, library defaults (RFC 9106 "second recommended" profile)
# each hash or verify holds 64 MiB (the profile's memory cost): at most this many at once, so
# a burst of sign-ins queues instead of taking gigabytes (30 parallel ones once took ~900 MB)
HASH_SLOTS = 4
_slots = threading.BoundedSemaphore(HASH_SLOTS)

SESSION_COOKIE = "liftsafe_session"
CSRF_COOKIE = "liftsafe_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
API_TOKEN_PREFIX = "lsk_"


def hash_password(password: str) -> str:
    """Argon2id hash of a password (at most ``HASH_SLOTS`` at once)."""
    with _slots:
        return _HASHER.hash(password)


_DUMMY_HASH: list[str] = []


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash.

    With ``password_hash=None`` (no such account) a dummy hash is verified, so the answer takes
    as long as for a real account (no account discovery by timing).
    """
    if password_hash is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(16)))
        password_hash = _DUMMY_HASH[0]
        try:
            with _slots:
                _HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        with _slots:
            return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    """A new random URL-safe token (256 bits)."""
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """SHA-256 of a token (hex): tokens are stored only as digests."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two non-empty strings."""
    return bool(a) and bool(b) and hmac.compare_digest(a, b)


class SignInThrottle:
    """Failed sign-ins per e-mail address in a sliding window (in memory, per server process).

    ``MAX_FAILURES`` failures within ``WINDOW_S`` block further attempts for that address until
    the oldest failure leaves the window (heuristic, in the spirit of OWASP's authentication
    cheat sheet: throttle password guessing without locking the account forever)."""

    MAX_FAILURES = 10
    WINDOW_S = 15 * 60.0

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._pending: dict[str, int] = {}  # attempts being checked now (argon2 takes ~0.1 s)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.WINDOW_S]
        self._failures[key] = times
        return times

    def wait_s(self, key: str, *, now: float | None = None) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait(key, now)

    def _wait(self, key: str, now: float) -> float:
        times = self._recent(key, now)
        if len(times) + self._pending.get(key, 0) < self.MAX_FAILURES:
            return 0.0
        if len(times) < self.MAX_FAILURES:  # the rest of the budget is being checked right now
            return 1.0
        return max(1.0, self.WINDOW_S - (now - times[-self.MAX_FAILURES]))

    def begin(self, key: str, *, now: float | None = None) -> float:
        """Reserve one attempt for ``key`` (check and reserve under one lock, so parallel
        requests cannot all pass the check): 0 when reserved, else the seconds to wait.
        Every reserved attempt ends with :meth:`failed` or :meth:`succeeded`."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            wait = self._wait(key, now)
            if wait == 0.0:
                self._pending[key] = self._pending.get(key, 0) + 1
            return wait

    def _release(self, key: str) -> None:
        left = self._pending.get(key, 0) - 1
        if left > 0:
            self._pending[key] = left
        else:
            self._pending.pop(key, None)

    def failed(self, key: str, *, now: float | None = None) -> None:
        """Count a failed attempt for ``key``."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            self._release(key)
            self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        """Forget the failed attempts of ``key``."""
        with self._lock:
            self._release(key)
            self._failures.pop(key, None)
