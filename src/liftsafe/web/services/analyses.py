"""Analysis jobs: accept an upload, persist the job, report status, result and files.

Files live under ``<data_dir>/analyses/<id>/``: ``input.<ext>`` (the upload),
``report.html`` (the CLI's HTML report) and ``annotated.mp4`` (H.264) once done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from liftsafe.app.analysis import REPORT_NAME, VIDEO_NAME  # noqa: F401 (the routers read them here)
from liftsafe.errors import InputError
from liftsafe.pose.limits import check_keypoint_file
from liftsafe.report.html import FILMING_ADVICE
from liftsafe.result import Exercise, Severity, Verdict
from liftsafe.store.db import Store, now_seconds
from liftsafe.store.web_models import AnalysisJobRow
from liftsafe.web.errors import NotFoundError, TooLargeError, TooManyAttemptsError, UnsupportedMediaError
from liftsafe.web.files import private_dir, private_file
from liftsafe.web.services.accounts import User, readable_user_ids

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")
KEYPOINT_SUFFIXES = (".json", ".csv")
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Job:
    id: int
    user_id: int
    exercise: str
    filename: str
    status: str
    progress_pct: float
    error: str | None
    result: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.status in ("done", "failed", "cancelled")

    @property
    def verdict(self) -> str | None:
        """The result's verdict value (a CSS class), None before a result or for an unknown one."""
        v = Verdict.parse((self.result or {}).get("verdict"))
        return None if v is None else v.value

    @property
    def verdict_label(self) -> str:
        """The verdict as a lifter reads it ("Not judged", never the raw value)."""
        v = Verdict.parse((self.result or {}).get("verdict"))
        return "" if v is None else v.label


def _job(row: AnalysisJobRow) -> Job:
    return Job(
        id=row.id,
        user_id=row.user_id,
        exercise=row.exercise,
        filename=row.filename,
        status=row.status,
        progress_pct=round(row.progress_pct, 1),
        error=public_text(row.error, row),
        result=_public_result(row),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def public_text(text: str | None, row: AnalysisJobRow) -> str | None:
    """``text`` with this job's server paths replaced by the uploaded file's name.

    Messages and reports never show where the server keeps files.
    """
    if not text or not row.input_path:
        return text
    stored = Path(row.input_path)
    replacements = (
        (str(stored), row.filename), (str(stored.parent), ""), (f"'{stored.name}'", f"'{row.filename}'")
    )
    for path, shown in replacements:
        text = text.replace(path, shown)
    return text


def _public_result(row: AnalysisJobRow) -> dict[str, Any] | None:
    result = row.result
    if isinstance(result, dict) and isinstance(result.get("source"), str):
        result = {**result, "source": row.filename}
    return result


def public_report(store: Store, user: User, job_id: int, path: Path) -> str:
    """The HTML report with the server path of the upload replaced by its file name."""
    import html

    with store.transaction() as s:
        row = _readable_row(s, store, user, job_id)
        text = path.read_text(encoding="utf-8")
        stored = Path(row.input_path)
        for raw in (str(stored), str(stored.parent)):
            shown = row.filename if raw == str(stored) else ""
            text = text.replace(html.escape(raw), html.escape(shown)).replace(raw, html.escape(shown))
        return text


_now = now_seconds

TOP_FAULTS = 3  # the page shows this many faults first; the rest go under a details element


def _name(code: str) -> str:
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def _rank(severity: object) -> int:
    try:
        return Severity(str(severity)).rank
    except ValueError:
        return 0


def _reps_text(reps: list[int], n: int) -> str:
    if n <= 1:
        return "on the rep" if reps else ""
    if len(reps) == n:
        return f"all {n} reps"
    return f"rep{'s' if len(reps) > 1 else ''} {', '.join(str(i) for i in reps)} of {n}"


def coaching_view(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the analysis page shows of a result: verdict label, summary, the priority cue, what
    went well, the top three faults (the rest under details), the faults not checked with their
    reasons, per rep the faults not checked in that rep; for ``not_judged`` the filming advice.

    Results stored before schema 1.1 have no ``priority``/``summary``: the faults are ranked
    here the same way (severity, then reps affected, then first seen)."""
    if not isinstance(result, dict):
        return None
    verdict = Verdict.parse(result.get("verdict"))
    reps = [r for r in result.get("reps") or [] if isinstance(r, dict)]
    n = len(reps)
    found: dict[str, dict[str, Any]] = {}
    for rep in reps:
        for f in rep.get("faults") or []:
            code = str(f.get("code", ""))
            row = found.setdefault(code, {"code": code, "name": _name(code), "severity": f.get("severity"),
                                          "cue": f.get("cue", ""), "reps": [], "order": len(found)})
            if _rank(f.get("severity")) > _rank(row["severity"]):
                row["severity"] = f.get("severity")
            if rep.get("index") not in row["reps"]:
                row["reps"].append(rep.get("index"))
    ranked = sorted(found.values(), key=lambda r: (-_rank(r["severity"]), -len(r["reps"]), r["order"]))
    for r in ranked:
        r["reps_text"] = _reps_text(r["reps"], n)
    prio = result.get("priority")
    if isinstance(prio, dict) and prio.get("code"):
        reps_of = [i for i in prio.get("reps") or [] if isinstance(i, int)]
        prio = {**prio, "name": _name(prio["code"]), "reps_text": _reps_text(reps_of, n)}
    elif ranked and verdict is not Verdict.NOT_JUDGED:
        prio = {**ranked[0], "why": "", "drill": ""}
    else:
        prio = None
    not_checked = [{**x, "name": _name(x.get("code", ""))} for x in result.get("not_checked") or []
                   if isinstance(x, dict)]
    rep_not_checked = {
        rep.get("index"): [{**x, "name": _name(x.get("code", ""))} for x in rep.get("not_checked") or []]
        for rep in reps if rep.get("not_checked")
    }
    summary, well = str(result.get("summary") or ""), str(result.get("went_well") or "")
    return {
        "verdict": None if verdict is None else verdict.value,
        "verdict_label": "Unknown verdict" if verdict is None else verdict.label,
        "not_judged": verdict is Verdict.NOT_JUDGED,
        "summary": summary,
        "priority": prio,
        "went_well": "" if well and well in summary else well,  # the summary may already say it
        "top_faults": ranked[:TOP_FAULTS],
        "more_faults": ranked[TOP_FAULTS:],
        "not_checked": not_checked,
        "rep_not_checked": rep_not_checked,
        "filming_advice": FILMING_ADVICE if verdict is Verdict.NOT_JUDGED else (),
    }


def job_dir(data_dir: Path, job_id: int) -> Path:
    """Folder of one analysis job's files."""
    return Path(data_dir) / "analyses" / str(job_id)


def pose_cache_dir(data_dir: Path, job_id: int | None = None) -> Path | None:
    """Where the pose estimates of one analysis are cached (liftsafe.pose.cache): inside that
    analysis's own folder, so they belong to one account and are deleted with it. Without a
    job id: None, no cache (the 33 landmarks per frame of a web upload are not kept apart
    from its analysis; a re-analysis for the workplace geometry writes the job's own cache)."""
    if job_id is None:
        return None
    return job_dir(data_dir, job_id) / "pose-cache"


MAX_FILENAME_CHARS = 255


def safe_filename(filename: str) -> str:
    """The upload's base name, at most 255 characters, keeping its extension when shortened."""
    name = Path(filename.replace("\\", "/") or "upload").name or "upload"
    name = "".join(ch for ch in name if ch.isprintable()) or "upload"
    if len(name) <= MAX_FILENAME_CHARS:
        return name
    suffix = Path(name).suffix
    if len(suffix) > 16:  # not a real extension
        suffix = ""
    return name[: MAX_FILENAME_CHARS - len(suffix)] + suffix


def input_path(store: Store, user: User, job_id: int) -> tuple[Job, Path]:
    """A finished analysis of the user's own and its uploaded file."""
    with store.transaction() as s:
        row = s.get(AnalysisJobRow, job_id)
        if row is None or row.user_id != user.id:
            raise NotFoundError(f"analysis {job_id} not found.")
        job, path = _job(row), Path(row.input_path)
    if job.status != "done" or not path.is_file():
        raise InputError(f"analysis {job_id} is {job.status}; pick a finished analysis.")
    return job, path


def parse_exercise_field(value: str) -> Exercise:
    """The exercise of an upload form, or an InputError listing the choices."""
    try:
        return Exercise(value.strip().lower().replace("_", "-"))
    except ValueError:
        raise InputError(
            f"exercise must be one of {', '.join(e.value for e in Exercise)}; got '{value}'."
        ) from None


def _looks_like(path: Path, suffix: str) -> bool:
    """Sniff the first bytes: ISO-BMFF (mp4/mov: 'ftyp' at byte 4), Matroska/WebM (EBML),
    AVI (RIFF....AVI ), JSON (starts with '{'), CSV (UTF-8 text with a comma in line 1)."""
    with path.open("rb") as f:
        head = f.read(4096)
    if suffix in (".mp4", ".mov", ".m4v"):
        return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")
    if suffix in (".webm", ".mkv"):
        return head[:4] == b"\x1a\x45\xdf\xa3"
    if suffix == ".avi":
        return head[:4] == b"RIFF" and head[8:12] == b"AVI "
    if suffix == ".json":
        return head.lstrip()[:1] == b"{"
    if suffix == ".csv":
        try:
            first = head.decode("utf-8").splitlines()[0] if head else ""
        except UnicodeDecodeError:
            return False
        return "," in first
    return False


def _receive(stream: BinaryIO, folder: Path, *, max_bytes: int, filename: str) -> Path:
    private_dir(folder)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=folder)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLargeError(
                        f"'{filename}' is larger than the {max_bytes // (1024 * 1024)} MB limit; trim the "
                        f"clip to the lift "
                        "or raise LIFTSAFE_MAX_UPLOAD_MB."
                    )
                out.write(chunk)
        if size == 0:
            raise InputError(f"'{filename}' is empty; choose the video file again.")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


# heuristic: a set or two waiting per person; one account cannot fill the shared queue
DEFAULT_MAX_PENDING = 3


def check_pending(store: Store, user: User, max_pending: int) -> None:
    """Refuse a new upload while the person already has ``max_pending`` analyses queued or running."""
    from sqlalchemy import func

    with store.transaction() as s:
        pending = s.scalar(select(func.count()).select_from(AnalysisJobRow).where(
            AnalysisJobRow.user_id == user.id, AnalysisJobRow.status.in_(("queued", "running"))))
    if pending >= max_pending:
        raise TooManyAttemptsError(
            f"you have {pending} analyses waiting or running (limit {max_pending}, LIFTSAFE_MAX_PENDING); "
            "upload again when one has finished."
        )


def create_job(store: Store, user: User, *, stream: BinaryIO, filename: str, exercise: str, data_dir: Path,
               max_bytes: int, max_pending: int = DEFAULT_MAX_PENDING) -> Job:
    """Store the upload and queue an analysis job (the caller hands the id to the worker)."""
    ex = parse_exercise_field(exercise)
    check_pending(store, user, max_pending)
    name = safe_filename(filename or "upload")
    suffix = Path(name).suffix.lower()
    if suffix not in VIDEO_SUFFIXES + KEYPOINT_SUFFIXES:
        raise UnsupportedMediaError(
            f"'{name}' is not a video; upload {', '.join(VIDEO_SUFFIXES)} (or a keypoint file "
            f"{', '.join(KEYPOINT_SUFFIXES)})."
        )
    tmp = _receive(stream, Path(data_dir) / "analyses", max_bytes=max_bytes, filename=name)
    try:
        if not _looks_like(tmp, suffix):
            raise UnsupportedMediaError(
                f"'{name}' does not contain {suffix[1:].upper()} data; upload the video file itself."
            )
        if suffix in KEYPOINT_SUFFIXES:
            check_keypoint_file(tmp, name)  # parsing takes ~10x the file size in memory
        now = _now()
        folder = None
        try:
            with store.transaction() as s:
                row = AnalysisJobRow(
                    user_id=user.id,
                    exercise=ex.value,
                    filename=name,
                    input_path="",
                    status="queued",
                    progress_pct=0.0,
                    cancel_requested=False,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                folder = job_dir(data_dir, row.id)
                shutil.rmtree(folder, ignore_errors=True)  # leftovers of an id whose insert was rolled back
                folder.mkdir(parents=True, mode=0o700)
                target = folder / f"input{suffix}"
                os.replace(tmp, target)
                private_file(target)
                row.input_path = str(target)
                return _job(row)
        except BaseException:
            if folder is not None:  # the row was not stored: neither is its file
                shutil.rmtree(folder, ignore_errors=True)
            raise
    finally:
        tmp.unlink(missing_ok=True)


def _readable_row(s, store: Store, user: User, job_id: int) -> AnalysisJobRow:
    row = s.get(AnalysisJobRow, job_id)
    if row is None or row.user_id not in readable_user_ids(store, user):
        raise NotFoundError(f"analysis {job_id} not found.")
    return row


def get_job(store: Store, user: User, job_id: int) -> Job:
    """One analysis job the user may read (404 otherwise)."""
    with store.transaction() as s:
        return _job(_readable_row(s, store, user, job_id))


def list_jobs(store: Store, user: User, *, owner_id: int | None = None) -> list[Job]:
    """The user's analyses newest first (a coach may pass a coached lifter's ``owner_id``)."""
    owner = user.id if owner_id is None else owner_id
    if owner not in readable_user_ids(store, user):
        raise NotFoundError("no such lifter among the people who invited you.")
    with store.transaction() as s:
        rows = s.scalars(
            select(AnalysisJobRow).where(AnalysisJobRow.user_id == owner).order_by(AnalysisJobRow.id.desc())
        )
        return [_job(r) for r in rows]


def cancel_job(store: Store, user: User, job_id: int) -> Job:
    """Cancel one of the user's queued or running jobs."""
    with store.transaction() as s:
        row = s.get(AnalysisJobRow, job_id)
        if row is None or row.user_id != user.id:
            raise NotFoundError(f"analysis {job_id} not found.")
        if row.status in ("done", "failed", "cancelled"):
            raise InputError(f"analysis {job_id} has already finished ({row.status}); nothing to cancel.")
        if row.status == "queued":
            row.status = "cancelled"
        row.cancel_requested = True
        row.updated_at = _now()
        return _job(row)


def job_file(store: Store, user: User, job_id: int, *, data_dir: Path, name: str) -> Path:
    """Path of a result file (``report.html`` / ``annotated.mp4``) the user may read."""
    job = get_job(store, user, job_id)
    path = job_dir(data_dir, job.id) / name
    if job.status != "done" or not path.is_file():
        raise NotFoundError(f"analysis {job_id} has no {name} (status {job.status}).")
    return path


def delete_job(store: Store, user: User, job_id: int, *, data_dir: Path) -> None:
    """Delete one of the user's jobs and its files."""
    with store.transaction() as s:
        row = s.get(AnalysisJobRow, job_id)
        if row is None or row.user_id != user.id:
            raise NotFoundError(f"analysis {job_id} not found.")
        if row.status == "running":
            raise InputError(f"analysis {job_id} is running; cancel it first.")
        s.delete(row)
    shutil.rmtree(job_dir(data_dir, job_id), ignore_errors=True)


def trend(jobs: list[Job]) -> list[dict[str, Any]]:
    """Per finished analysis, oldest first: date, exercise, reps and the share of reps with a
    major or unsafe fault (the history page's trend)."""
    points = []
    for job in sorted(jobs, key=lambda j: j.id):
        if job.status != "done" or not job.result:
            continue
        reps = job.result.get("reps", [])
        bad = sum(
            1 for r in reps if any(f.get("severity") in ("major", "unsafe") for f in r.get("faults", []))
        )
        points.append({"id": job.id, "date": job.created_at.date().isoformat(), "exercise": job.exercise,
                       "reps": len(reps), "faulty_pct": round(100.0 * bad / len(reps)) if reps else None,
                       "verdict": job.verdict, "verdict_label": job.verdict_label})
    return points
