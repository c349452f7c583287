"""A SQLite database locked by another program: a clear one-line error, exit 4, nothing lost."""

import sqlite3
import subprocess
import sys


def run_cli(*args, env_db):
    return subprocess.run(
        [sys.executable, "-m", "liftsafe", *args, "--db", env_db], capture_output=True, text=True, timeout=120
    )


def test_locked_database_is_a_clear_error_and_loses_nothing(tmp_path):
    db = tmp_path / "log.db"
    url = f"sqlite:///{db}"
    first = run_cli(
        "log",
        "add",
        "--date",
        "2026-01-05",
        "--set",
        "romanian-deadlift,reps=8,load_kg=40,rir=2,form=flawless",
        env_db=url,
    )
    assert first.returncode == 0, first.stderr
    holder = sqlite3.connect(db, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        second = run_cli(
            "log",
            "add",
            "--date",
            "2026-01-07",
            "--set",
            "romanian-deadlift,reps=8,load_kg=42.5,rir=2,form=flawless",
            env_db=url,
        )
    finally:
        holder.rollback()
        holder.close()
    assert second.returncode == 4, second.stderr
    assert "Traceback" not in second.stderr
    assert "locked" in second.stderr
    listing = run_cli("log", "list", "--json", env_db=url)
    assert listing.returncode == 0, listing.stderr
    assert "2026-01-05" in listing.stdout and "2026-01-07" not in listing.stdout
