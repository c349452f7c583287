"""Atomic output files: write to a hidden temporary file beside the target, rename on success.

Every report writer goes through :func:`atomic_path`, so an interrupted or failed write never
leaves a partial file at the target path that looks complete: the data is written to
``.<name>.partial-<random><suffix>`` in the target's folder and moved over the target with
:func:`os.replace` (atomic on POSIX and Windows when both are on the same file system, which
they are because they share a folder). On any exception the temporary file is removed and the
exception propagates; an ``OSError`` (permission denied, disk full, read-only file system)
becomes a one-line :class:`~liftsafe.errors.OutputError` naming the path and what to do.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from liftsafe.errors import OutputError


def _folder_error(folder: Path, reason: str) -> OutputError:
    return OutputError(
        f"cannot write to folder {folder} ({reason}). Choose another output folder or fix its permissions."
    )


def prepare_target(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` can be written: its folder exists (created if missing) and is writable.

    Returns the target as a :class:`~pathlib.Path`. Raises :class:`OutputError` otherwise.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise OutputError(
            f"{target} is a folder; give a file name for the output (e.g. {target / 'report.html'})."
        )
    folder = target.parent if str(target.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise _folder_error(folder, "it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc.strerror or type(exc).__name__) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _folder_error(folder, "permission denied")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success move it to ``path`` atomically.

    The temporary file lives in the same folder and keeps the target's suffix (so tools that
    pick a format from the extension, such as FFmpeg, still work). If the ``with`` body
    raises, the temporary file is deleted and nothing appears at ``path`` (an existing file
    there is left untouched).
    """
    target = prepare_target(path)
    tmp = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}{target.suffix}")
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"internal error: nothing was written for {target}. Please report this bug.")
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise OutputError(
            f"could not write {target} ({exc.strerror or exc}). Check free disk space and permissions, "
            "or choose another output path."
        ) from None
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(tmp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()


def write_text_atomic(text: str, path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the final path."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
    return Path(path).expanduser()
