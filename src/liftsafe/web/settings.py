"""Web settings, read from the environment (or given directly to ``create_app``).

===============================  ==========================================  ==============
variable                         meaning                                     default
===============================  ==========================================  ==============
``LIFTSAFE_DATABASE_URL``        SQLAlchemy URL (SQLite file or PostgreSQL)  user data dir
``LIFTSAFE_DATA_DIR``            uploads, reports, annotated videos          user data dir
``LIFTSAFE_MAX_UPLOAD_MB``       largest accepted upload                     200
``LIFTSAFE_MAX_FORM_KB``         largest body of any other request (forms)   256
``LIFTSAFE_MAX_TASKS``           tasks per workplace job                     100
``LIFTSAFE_MAX_PENDING``         analyses queued or running per account      3
``LIFTSAFE_SESSION_HOURS``       sign-in lifetime                            336 (14 days)
``LIFTSAFE_TOKEN_DAYS``          API token lifetime                          90
``LIFTSAFE_WORKER``              ``0`` disables the background worker       1
===============================  ==========================================  ==============

Both body limits are enforced while the body streams in (:mod:`liftsafe.web.limits`). The
analysis input limits (pixels, frames, duration, keypoint frame span) are read from their
own variables by :mod:`liftsafe.pose.limits` and hold for the CLI as well.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from liftsafe.errors import InputError
from liftsafe.store.db import env_database_url


def _default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("liftsafe")) / "web"


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name} must be a number; got {raw!r}.") from None
    if not (value > 0 and math.isfinite(value)):
        raise InputError(f"{name} must be positive; got {raw!r}.")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = field(default_factory=_default_data_dir)
    max_upload_mb: float = 200.0
    session_hours: float = 336.0
    worker: bool = True
    max_form_kb: float = 256.0
    max_tasks: int = 100
    max_pending: int = 3
    token_days: float = 90.0

    @property
    def max_upload_bytes(self) -> int:
        """Largest accepted upload in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_form_bytes(self) -> int:
        """Largest accepted body of any other request in bytes."""
        return int(self.max_form_kb * 1024)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Settings from the environment (LIFTSAFE_*), with explicit overrides."""
        values = {
            "database_url": env_database_url(),
            "data_dir": Path(os.environ["LIFTSAFE_DATA_DIR"])
            if os.environ.get("LIFTSAFE_DATA_DIR")
            else _default_data_dir(),
            "max_upload_mb": _env_number("LIFTSAFE_MAX_UPLOAD_MB", 200.0),
            "session_hours": _env_number("LIFTSAFE_SESSION_HOURS", 336.0),
            "worker": os.environ.get("LIFTSAFE_WORKER", "1").strip() != "0",
            "max_form_kb": _env_number("LIFTSAFE_MAX_FORM_KB", 256.0),
            "max_tasks": int(_env_number("LIFTSAFE_MAX_TASKS", 100)),
            "max_pending": int(_env_number("LIFTSAFE_MAX_PENDING", 3)),
            "token_days": _env_number("LIFTSAFE_TOKEN_DAYS", 90.0),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
