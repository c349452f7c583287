"""``run_batch``: plan (hash, skip what is done), run on an engine, write each result as it
arrives, keep the ledger, write ``summary.csv``.

The driver alone writes files: ``OUT/<rel>.json`` atomically (temporary file + rename), then
the ledger line. An unwritable or full OUT stops the batch cleanly (the engine is shut down,
every result already written stays, the summary is written when it still can be) and raises
:class:`~liftsafe.errors.OutputError` (exit 4).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from liftsafe.batch.manifest import Clip
from liftsafe.batch.state import ClipRecord, Ledger, analysis_key, result_path, write_summary
from liftsafe.batch.work import ClipOutcome, ClipTask
from liftsafe.errors import OutputError


@dataclass
class BatchReport:
    records: list[ClipRecord] = field(default_factory=list)
    analysed: int = 0
    skipped: int = 0
    failed: int = 0  # clips of the batch without a result (this run's and kept deterministic errors)
    new_failed: int = 0  # of the clips analysed in this run
    seconds: float = 0.0
    summary_path: Path | None = None

    @property
    def exit_code(self) -> int:
        """3 when a clip has no result, else 0."""
        return 3 if any(not r.ok for r in self.records) else 0


#: progress(event, done, total, record): event is "planned" (total known), "done" or "skipped"
Progress = Callable[[str, int, int, ClipRecord | None], None]


def result_text(result: dict) -> str:
    """The JSON text ``liftsafe analyze`` writes (liftsafe.report.jsonout.result_json)."""
    return json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def prepare_out(out: Path) -> Path:
    """Create ``out`` and check it can be written (else an OutputError naming --out)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".liftsafe-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"--out {out}: cannot write there ({exc.strerror or exc}); choose another folder."
        ) from None
    return out


def run_batch(
    clips: list[Clip],
    *,
    out: Path,
    engine,
    reports: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    on_record: Callable[[Clip, ClipRecord, dict | None], None] | None = None,
) -> BatchReport:
    """Analyse ``clips`` on ``engine`` into ``out``; see the module docstring."""
    t0 = time.perf_counter()
    prepare_out(out)
    _remove_orphans(out)
    ledger = Ledger(out)
    report = BatchReport()
    by_rel: dict[str, Clip] = {c.rel: c for c in clips}
    keys: dict[str, tuple[str, str]] = {}
    stats: dict[str, tuple[int, int]] = {}
    todo: list[ClipTask] = []
    records: dict[str, ClipRecord] = {}
    for clip in clips:
        try:
            sha = ledger.sha256(clip.rel, clip.path)
            st = clip.path.stat()
            stats[clip.rel] = (st.st_size, st.st_mtime_ns)
        except OSError as exc:
            records[clip.rel] = ClipRecord(
                clip.rel, clip.exercise, error=f"cannot read {clip.path} ({exc.strerror})", error_kind="input"
            )
            continue
        key = analysis_key(exercise=clip.exercise, height_m=clip.height_m)
        keys[clip.rel] = (sha, key)
        previous = None if force else ledger.done(clip.rel, sha, key, out)
        if (
            previous is not None
            and reports
            and previous.ok
            and not result_path(out, clip.rel, ".html").is_file()
        ):
            previous = None  # done before without its report: analyse again to write it
        if previous is not None:
            records[clip.rel] = previous
            report.skipped += 1
            if (
                on_record is not None
            ):  # e.g. a first --db run after a run without it: the database gets every clip
                on_record(clip, previous, _stored_result(out, clip.rel) if previous.ok else None)
            continue
        todo.append(
            ClipTask(
                str(clip.path),
                clip.rel,
                clip.exercise,
                clip.height_m,
                str(result_path(out, clip.rel, ".html")) if reports else None,
            )
        )
    total = len(clips)
    done = total - len(todo)
    if progress:
        progress("planned", done, total, None)
    try:
        for outcome in engine.run(todo):
            clip = by_rel[outcome.rel]
            sha, key = keys[outcome.rel]
            rec = _record(clip, outcome, sha, key)
            rec.size, rec.mtime_ns = stats[outcome.rel]
            if outcome.result is not None:
                from liftsafe.atomic import write_text_atomic

                write_text_atomic(result_text(outcome.result), result_path(out, clip.rel))
            if (
                outcome.error_kind == "output"
            ):  # the worker could not write the report: same as the driver failing
                raise OutputError(outcome.error)
            ledger.append(rec)
            records[clip.rel] = rec
            if on_record is not None:
                on_record(clip, rec, outcome.result)
            report.analysed += 1
            report.new_failed += 0 if rec.ok else 1
            done += 1
            if progress:
                progress("done", done, total, rec)
    except BaseException:
        _finish(report, records, clips, out, ledger, t0, quiet=True)
        raise
    _finish(report, records, clips, out, ledger, t0, quiet=False)
    return report


def _stored_result(out: Path, rel: str) -> dict | None:
    try:
        return json.loads(result_path(out, rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _remove_orphans(out: Path) -> None:
    """Temporary files of a batch that was killed while writing (liftsafe.atomic names them
    ``.<name>.partial-<random><suffix>``): never results, removed before a new run."""
    for tmp in out.rglob(".*.partial-*"):
        try:
            tmp.unlink()
        except OSError:
            pass


def _record(clip: Clip, outcome: ClipOutcome, sha: str, key: str) -> ClipRecord:
    common = dict(sha256=sha, config=key, seconds=round(outcome.seconds, 3), worker=outcome.worker)
    if outcome.result is not None:
        return ClipRecord.from_result(clip.rel, clip.exercise, outcome.result, **common)
    return ClipRecord(
        clip.rel,
        clip.exercise,
        error=outcome.error or "unknown error",
        error_kind=outcome.error_kind,
        **common,
    )


def _finish(
    report: BatchReport,
    records: dict[str, ClipRecord],
    clips: list[Clip],
    out: Path,
    ledger: Ledger,
    t0: float,
    *,
    quiet: bool,
) -> None:
    ledger.close()
    report.records = [records[c.rel] for c in clips if c.rel in records]
    report.failed = sum(1 for r in report.records if not r.ok)
    report.seconds = time.perf_counter() - t0
    try:
        report.summary_path = write_summary(out, report.records)
    except OutputError:
        if not quiet:
            raise
