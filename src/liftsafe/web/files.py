"""Files of the web app kept private to the server's user: folders 0700, files 0600.

``liftsafe serve`` also sets the process umask to 077, so every file the analysis writes
(uploads, reports, annotated videos, the SQLite database and its journal) is created
owner-only; :func:`private_dir` / :func:`private_file` tighten what existed before.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("liftsafe.web")

PRIVATE_UMASK = 0o077
PARTIAL_GLOB = ".*.partial-*"  # liftsafe.report.atomic's temporary names


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it owner-only (0700)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _chmod(path, 0o700)
    return path


def private_file(path: Path) -> None:
    """Make a file owner-only (0600)."""
    _chmod(Path(path), 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            os.chmod(path, mode)
    except OSError:  # not ours (e.g. a shared folder): leave it, the server still works
        log.warning("cannot restrict permissions of %s", path)


def restrict_sqlite(url: str) -> None:
    """Make an SQLite database file (and its folder, when it is the server's own) owner-only."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - the store reported a bad URL already
        return
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    db = Path(parsed.database).expanduser()
    for extra in ("", "-journal", "-wal", "-shm"):
        candidate = db.with_name(db.name + extra)
        if candidate.exists():
            private_file(candidate)


def clean_stale_partials(data_dir: Path) -> int:
    """Remove ``.<name>.partial-*`` files left by a server that was killed mid-write (at
    start-up nothing is writing them); returns how many were removed."""
    removed = 0
    folder = Path(data_dir) / "analyses"
    if not folder.is_dir():
        return 0
    for path in list(folder.glob(f"*/{PARTIAL_GLOB}")) + list(folder.glob(".upload-*")):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    if removed:
        log.info("removed %d half-written file(s) left by a previous server", removed)
    return removed


def remove_shared_pose_cache(data_dir: Path) -> bool:
    """Delete ``<data_dir>/pose-cache``: earlier versions kept every upload's pose landmarks
    there, shared by all accounts and kept after the analysis was deleted. Pose estimates
    now live (if at all) inside their analysis's folder."""
    import shutil

    folder = Path(data_dir) / "pose-cache"
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    log.info("removed the shared pose cache %s (pose estimates are now kept per analysis)", folder)
    return True
