"""Time and memory of `liftsafe niosh` on large job files (run on demand; figures in docs/ergonomics.md).

    python benchmarks/jobfiles.py

Writes, in a temporary folder, a job at the task limit (200 tasks, every one with LI > 1 so the
what-if advice runs for each), a job one task over it, and a 55 MB file with 382,691 tasks (the
size that once took 2.6 GB and 49 s). Each is run as a child process, `liftsafe niosh FILE
--json`; the table gives the exit code, wall time and the child's peak RSS.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASK = {
    "load": 12,
    "origin": {"h": 40, "v": 20, "a": 30},
    "destination": {"h": 35, "v": 110},
    "frequency": 2,
    "coupling": "fair",
}


def _write_job(path: Path, n: int) -> None:
    """Stream the job to disk task by task (the benchmark process itself stays small)."""
    with path.open("w") as fh:
        fh.write('{"units": "metric", "duration": "long", "tasks": [')
        for i in range(n):
            fh.write(("," if i else "") + json.dumps({**TASK, "name": f"t{i}", "load": 5 + i % 20}))
        fh.write("]}")


def _run(path: Path) -> tuple[int, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from liftsafe.cli import main; main()", "niosh", str(path), "--json"],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return proc.returncode, elapsed, peak_mb


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "382,691 tasks (55 MB)": (Path(tmp) / "huge.json", 382_691),
            "201 tasks": (Path(tmp) / "over.json", 201),
            "200 tasks (the limit), advice for all": (Path(tmp) / "limit.json", 200),
        }
        print("| job file | size | exit | wall time | peak RSS of the child (max so far) |")
        print("|---|---|---|---|---|")
        for label, (path, n) in files.items():
            _write_job(path, n)
            code, elapsed, peak = _run(path)
            print(
                f"| {label} | {path.stat().st_size / 1e6:.2f} MB | {code} | {elapsed:.1f} s | {peak:.0f} MB |"
            )


if __name__ == "__main__":
    main()
