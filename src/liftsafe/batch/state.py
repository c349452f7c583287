"""What makes a batch resumable and idempotent.

* the **content hash** of each clip (SHA-256 of the file's bytes) and the **analysis
  fingerprint** (liftsafe version, JSON schema version, a hash of the analysis code and its
  data files, and the clip's exercise and height): a clip is redone only when one of them
  changes, or with ``--force``;
* the **ledger** ``OUT/.liftsafe-batch/ledger.jsonl``: one line per finished clip, appended
  and flushed to disk *after* the clip's result file was renamed into place. Killing the batch
  therefore loses at most the clips in flight; a torn last line is ignored on the next run;
* ``OUT/summary.csv``: one row per clip of the batch, rewritten atomically at the end (and when
  the batch stops early).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from liftsafe.errors import OutputError

LEDGER_DIR = ".liftsafe-batch"
LEDGER_NAME = "ledger.jsonl"
SUMMARY_NAME = "summary.csv"
SUMMARY_COLUMNS = ("file", "exercise", "verdict", "rep_count", "priority_fault", "fault_codes", "error")
#: Parts of the package whose code or data decide an analysis result (the fingerprint hashes them).
ANALYSIS_PARTS = ("pipeline.py", "analysis.py", "result.py", "pose", "kinematics", "reps", "technique")
#: error kinds that the same input and code give again: a re-run keeps them (``--force`` retries)
DETERMINISTIC_ERRORS = ("input", "analysis")


def file_sha256(path: Path, *, chunk: int = 1 << 20) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the analysis code and data files (thresholds, cues) of the installed package."""
    import liftsafe

    root = Path(liftsafe.__file__).parent
    digest = hashlib.sha256()
    for part in ANALYSIS_PARTS:
        base = root / part
        files = (
            [base]
            if base.is_file()
            else sorted(p for p in base.rglob("*") if p.suffix in (".py", ".toml", ".json"))
        )
        for p in files:
            digest.update(p.relative_to(root).as_posix().encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def analysis_key(*, exercise: str, height_m: float | None, fps: float | None = None) -> str:
    """The analysis configuration of one clip as a short hash (with the code fingerprint)."""
    from liftsafe import __version__
    from liftsafe.result import SCHEMA_VERSION

    doc = {
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "code": code_fingerprint(),
        "exercise": exercise,
        "height_m": height_m,
        "fps": fps,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class ClipRecord:
    """One clip's outcome as the ledger and the summary keep it."""

    file: str
    exercise: str
    sha256: str = ""
    config: str = ""
    verdict: str = ""
    rep_count: int | None = None
    priority_fault: str = ""
    fault_codes: list[str] = field(default_factory=list)
    error: str = ""
    error_kind: str = ""  # input | analysis | crash | memory | killed | timeout
    seconds: float = 0.0
    worker: str = ""
    size: int = -1  # the file's size and modification time when hashed: an unchanged file is not read again
    mtime_ns: int = -1

    @property
    def ok(self) -> bool:
        """True when the clip has a result."""
        return not self.error

    @classmethod
    def from_result(cls, file: str, exercise: str, result: dict[str, Any], **kw) -> ClipRecord:
        """The record of a clip with a JSON result."""
        codes = sorted({f["code"] for r in result.get("reps", []) for f in r.get("faults", [])})
        return cls(
            file=file,
            exercise=exercise,
            verdict=str(result.get("verdict", "")),
            rep_count=result.get("rep_count"),
            priority_fault=priority_fault(result),
            fault_codes=codes,
            **kw,
        )

    def summary_row(self) -> dict[str, Any]:
        """The clip's row of summary.csv."""
        return {
            "file": self.file,
            "exercise": self.exercise,
            "verdict": self.verdict,
            "rep_count": "" if self.rep_count is None else self.rep_count,
            "priority_fault": self.priority_fault,
            "fault_codes": ";".join(self.fault_codes),
            "error": self.error,
        }


def priority_fault(result: dict[str, Any]) -> str:
    """The result's priority fault code when it states one (newer results carry ``priority``)."""
    value = result.get("priority")
    if isinstance(value, dict):
        value = value.get("code") or value.get("fault")
    return str(value) if value else ""


def result_path(out: Path, rel: str, suffix: str = ".json") -> Path:
    """Where a clip's result (or report, by suffix) goes: ``OUT/<rel><suffix>``."""
    return out / (rel + suffix)


class Ledger:
    """Append-only record of finished clips in ``OUT/.liftsafe-batch/ledger.jsonl``."""

    def __init__(self, out: Path) -> None:
        self.path = out / LEDGER_DIR / LEDGER_NAME
        self.records: dict[str, ClipRecord] = {}
        if self.path.is_file():
            with self.path.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    try:
                        doc = json.loads(line)
                        rec = ClipRecord(**doc)
                    except (ValueError, TypeError):
                        continue  # a torn last line (killed mid-append) or a foreign line
                    self.records[rec.file] = rec
        self._fh = None

    def sha256(self, rel: str, path: Path) -> str:
        """The file's content hash; the ledger's when size and modification time are unchanged."""
        st = path.stat()
        rec = self.records.get(rel)
        if rec is not None and rec.sha256 and rec.size == st.st_size and rec.mtime_ns == st.st_mtime_ns:
            return rec.sha256
        return file_sha256(path)

    def done(self, rel: str, sha256: str, config: str, out: Path) -> ClipRecord | None:
        """The record that makes a clip skippable, or None: same content and configuration, and
        its result file still present (a deterministic error needs no file)."""
        rec = self.records.get(rel)
        if rec is None or rec.sha256 != sha256 or rec.config != config:
            return None
        if rec.ok:
            return rec if result_path(out, rel).is_file() else None
        return rec if rec.error_kind in DETERMINISTIC_ERRORS else None

    def append(self, rec: ClipRecord) -> None:
        """Append ``rec`` and flush it to disk (an OutputError when the disk refuses)."""
        try:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("a", encoding="utf-8")
            self._fh.write(json.dumps(asdict(rec), ensure_ascii=False) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:
            raise OutputError(
                f"cannot write the batch ledger {self.path} ({exc.strerror or exc}); "
                "check free disk space and permissions. Results already written are kept."
            ) from None
        self.records[rec.file] = rec

    def close(self) -> None:
        """Close the ledger file."""
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None


def summary_csv_text(records: list[ClipRecord]) -> str:
    """The text of summary.csv, one row per clip sorted by file."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for rec in sorted(records, key=lambda r: r.file):
        writer.writerow(rec.summary_row())
    return buf.getvalue()


def write_summary(out: Path, records: list[ClipRecord]) -> Path:
    """Write ``OUT/summary.csv`` atomically; return its path."""
    from liftsafe.atomic import write_text_atomic

    return write_text_atomic(summary_csv_text(records), out / SUMMARY_NAME)
