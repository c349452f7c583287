"""Write the labels file for ``liftsafe evaluate`` on the shared deadlift clips.

Joins the shared ``labels.csv`` (file, good/bad) with this project's by-eye facts about the
same clips (rep count, source group, camera view, fault: ``tests/data/deadlift-clips-counts.csv``).

    python scripts/shared_clip_labels.py [CLIPS_DIR] [OUT]   # defaults: ../shared/data/deadlift-clips
    /tmp/labels_full.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tests" / "data" / "deadlift-clips-counts.csv"
COLUMNS = ("file", "label", "rep_count", "fault", "group", "view")


def write_labels(clips_dir: Path, out: Path) -> Path:
    with open(clips_dir / "labels.csv", newline="") as fh:
        labels = {r["file"]: r["label"] for r in csv.DictReader(fh)}
    with open(FACTS, newline="") as fh:
        facts = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    with open(out, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for r in facts:
            writer.writerow([r["file"], labels[r["file"]], r["rep_count"], r["fault"], r["group"], r["view"]])
    return out


if __name__ == "__main__":
    clips = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "deadlift-clips"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/labels_full.csv")
    print(write_labels(clips, target))
