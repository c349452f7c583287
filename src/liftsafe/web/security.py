"""Passwords (argon2id), random tokens and their SHA-256 digests, CSRF comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, library defaults (RFC 9106 "second recommended" profile)

SESSION_COOKIE = "liftsafe_session"
CSRF_COOKIE = "liftsafe_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
API_TOKEN_PREFIX = "lsk_"


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
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
        import threading

        self._failures: dict[str, list[float]] = {}
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
            times = self._recent(key, now)
            if len(times) < self.MAX_FAILURES:
                return 0.0
            return max(0.0, self.WINDOW_S - (now - times[-self.MAX_FAILURES]))

    def failed(self, key: str, *, now: float | None = None) -> None:
        """Count a failed attempt for ``key``."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        """Forget the failed attempts of ``key``."""
        with self._lock:
            self._failures.pop(key, None)
