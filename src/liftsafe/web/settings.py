"""Web settings, read from the environment (or given directly to ``create_app``).

===============================  ==========================================  ==============
variable                         meaning                                     default
===============================  ==========================================  ==============
``LIFTSAFE_DATABASE_URL``        SQLAlchemy URL (SQLite file or PostgreSQL)  user data dir
``LIFTSAFE_DATA_DIR``            uploads, reports, annotated videos          user data dir
``LIFTSAFE_MAX_UPLOAD_MB``       largest accepted upload                     200
``LIFTSAFE_SESSION_HOURS``       sign-in lifetime                            336 (14 days)
``LIFTSAFE_WORKER``              ``0`` disables the background worker       1
===============================  ==========================================  ==============
"""

from __future__ import annotations

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
    if value <= 0:
        raise InputError(f"{name} must be positive; got {raw!r}.")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = field(default_factory=_default_data_dir)
    max_upload_mb: float = 200.0
    session_hours: float = 336.0
    worker: bool = True

    @property
    def max_upload_bytes(self) -> int:
        """Largest accepted upload in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

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
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
