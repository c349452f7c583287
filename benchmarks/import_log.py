"""Time and memory of importing large Strong / Hevy exports and of a JSON backup and restore
(run on demand; figures in docs/benchmarks.md).

    python benchmarks/import_log.py [--rows 10000,50000]

For each size it writes, in a temporary folder, a synthetic training history of that many set
rows (sessions of 15 sets: five exercises x three sets, with warm-up and drop sets, a superset,
and two exercises that are not in liftsafe's library, so custom exercises are created) in the
Strong and in the Hevy layout (written by liftsafe's own exporters). Each measurement runs in a
fresh child process on a fresh SQLite database (so the peak RSS is that step's own):

* ``strong`` / ``hevy``: ``import_text`` of the CSV (the use-case behind ``liftsafe import``);
* ``backup``: import the Strong file, then ``export_text(..., "json")`` (the full backup), timed;
* ``restore``: ``import_text`` of that backup into an empty database.

The table gives the wall time of the step and the child's peak RSS (the interpreter and the
imported libraries included: about 60 MB for 1,500 rows).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

EXERCISES = (
    ("barbell-romanian-deadlift", 60.0),
    ("glute-bridge", 40.0),
    ("custom:leg-press-machine", 120.0),
    ("farmer-carry", 24.0),
    ("custom:lat-pulldown-cable", 45.0),
)
NAMES = {
    "custom:leg-press-machine": "Leg Press (Machine)",
    "custom:lat-pulldown-cable": "Lat Pulldown (Cable)",
}


def _history(rows: int):
    from liftsafe.training.log import SessionRecord, SetRecord, SetType

    sessions = []
    n_sessions = max(1, rows // 15)
    start = datetime(2026, 1, 5, 18, 0) - timedelta(days=2 * n_sessions)  # every session in the past
    for i in range(n_sessions):
        sets = []
        for j, (ex, load) in enumerate(EXERCISES):
            for k in range(3):
                kind = (
                    SetType.WARMUP
                    if k == 0 and j == 0
                    else SetType.DROP
                    if k == 2 and j == 2
                    else SetType.NORMAL
                )
                sets.append(
                    SetRecord(
                        exercise_id=ex,
                        reps=8 + (i + k) % 3,
                        load_kg=round(load + (i % 12) * 2.5, 1),
                        set_type=kind,
                        superset=1 if j in (3, 4) else None,
                    )
                )
        sessions.append(
            SessionRecord(
                performed_at=start + timedelta(days=2 * i), sets=tuple(sets), title=f"Day {i % 3 + 1}"
            )
        )
    return sessions


def _child(kind: str, src: Path, db: Path, out: Path | None) -> dict:
    from liftsafe.app.logbook import export_text, import_text
    from liftsafe.store.db import Store

    with Store(f"sqlite:///{db}") as store:
        if kind == "backup":
            import_text(store, src.read_text(), source=src.name)
            start = time.perf_counter()
            text, n = export_text(store, "json")
            elapsed = time.perf_counter() - start
            assert out is not None
            out.write_text(text)
            detail = f"{n} sessions, {len(text) / 1e6:.1f} MB JSON"
        else:
            text = src.read_text()
            start = time.perf_counter()
            summary = import_text(store, text, source=src.name)
            elapsed = time.perf_counter() - start
            detail = f"{summary.imported_sets} sets kept of {summary.set_rows} ({summary.kept_share:.0%})"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(elapsed, 2), "peak_mb": round(peak_mb), "detail": detail}


def _run(kind: str, src: Path, db: Path, out: Path | None = None) -> dict:
    args = [sys.executable, __file__, "--child", kind, str(src), str(db), str(out or "")]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{kind} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    """Write the synthetic exports, run each step in a child process, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,50000", help="Comma list of set-row counts.")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, db, out = args.child
        print(json.dumps(_child(kind, Path(src), Path(db), Path(out) if out else None)))
        return
    from liftsafe.training.interchange import write_log

    print("| set rows | step | wall time | peak RSS of the child | result |")
    print("|---|---|---|---|---|")
    for rows in (int(r) for r in args.rows.split(",")):
        with tempfile.TemporaryDirectory(prefix="liftsafe-bench-") as tmp:
            d = Path(tmp)
            history = _history(rows)
            n = sum(len(s.sets) for s in history)
            for fmt in ("strong", "hevy"):
                (d / f"{fmt}.csv").write_text(write_log(history, fmt, names=NAMES))
            steps = [
                ("Strong CSV import", "strong", d / "strong.csv", d / "a.db", None),
                ("Hevy CSV import", "hevy", d / "hevy.csv", d / "b.db", None),
                ("JSON backup export", "backup", d / "strong.csv", d / "c.db", d / "backup.json"),
                ("JSON restore into an empty DB", "restore", d / "backup.json", d / "d.db", None),
            ]
            for label, kind, src, db, out in steps:
                r = _run(kind, src, db, out)
                print(
                    f"| {n:,} | {label} | {r['seconds']:.2f} s | {r['peak_mb']} MB | {r['detail']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
