"""Per-fault false alarms on sound clips and detections on labelled clips (run on demand).

    python benchmarks/clip_fault_rates.py CLIPS_DIR --labels LABELS.csv --cache POSE_CACHE [--json]

Runs the product's own path (``liftsafe.pipeline.analyze_video``; pose estimates from the
cache when present) on every labelled clip and prints, per fault code:

* ``good any`` / ``good major``: sound clips (label ``good``) on which the fault fired at any
  severity / at major or unsafe, out of the sound clips with at least one rep;
* ``found``: clips labelled with that fault on which it fired at any severity / major+;
* ``not checked``: clips on which an occlusion or camera gate made the fault unavailable
  (``Analysis.unavailable_faults``).

Also the mean number of distinct fault codes per sound clip. Figures: docs/kinematics.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", type=Path)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from liftsafe.evaluation.labels import read_labels
    from liftsafe.pipeline import analyze_video

    rows = read_labels(args.labels, args.clips)
    per_clip = []
    for row in rows:
        try:
            analysis = analyze_video(args.clips / row.file, cache_dir=args.cache)
        except Exception as exc:  # noqa: BLE001 -- a clip that cannot be analysed is a row, not a crash
            per_clip.append({"file": row.file, "label": row.label, "fault": row.fault, "error": str(exc)})
            continue
        res = analysis.result
        faults = {}
        for rep in res.reps:
            for f in rep.faults:
                sev = f.severity.value
                best = faults.get(f.code.value)
                rank = ("minor", "major", "unsafe").index(sev)
                if best is None or rank > ("minor", "major", "unsafe").index(best):
                    faults[f.code.value] = sev
        unavailable = dict(analysis.unavailable_faults or {})
        per_clip.append(
            {
                "file": row.file,
                "label": row.label,
                "fault": row.fault,
                "view": res.view.value,
                "reps": res.rep_count,
                "faults": faults,
                "unavailable": unavailable,
                "lean_back": [
                    round(r.metrics.get("lockout_lean_back_deg", float("nan")), 1) for r in res.reps
                ],
            }
        )
    good = [c for c in per_clip if c["label"] == "good" and c.get("reps")]
    table: dict[str, Counter] = defaultdict(Counter)
    for c in per_clip:
        if "faults" not in c:
            continue
        for code, sev in c["faults"].items():
            if c["label"] == "good" and c.get("reps"):
                table[code]["good_any"] += 1
                table[code]["good_major"] += sev != "minor"
            if c["fault"] == code:
                table[code]["found_any"] += 1
                table[code]["found_major"] += sev != "minor"
        for code in c.get("unavailable", {}):
            table[code]["not_checked"] += 1
    labelled = Counter(c["fault"] for c in per_clip if c["fault"])
    mean_codes = sum(len(c["faults"]) for c in good) / max(1, len(good))
    mean_major = sum(any(s != "minor" for s in c["faults"].values()) for c in good) / max(1, len(good))
    summary = {
        "sound_clips_with_reps": len(good),
        "mean_fault_codes_per_sound_clip": round(mean_codes, 2),
        "share_sound_clips_with_major": round(mean_major, 3),
        "faults": {
            code: {**dict(table[code]), "labelled": labelled.get(code, 0)}
            for code in sorted(set(table) | set(labelled))
        },
    }
    if args.json:
        json.dump({"summary": summary, "clips": per_clip}, sys.stdout, indent=1)
        print()
        return 0
    print(
        f"sound clips with reps: {len(good)}; mean distinct fault codes per sound clip {mean_codes:.2f}; "
        f"share with a major fault {mean_major:.2f}"
    )
    print(
        f"{'fault':24s} {'good any':>9s} {'good maj':>9s} {'found any':>10s} {'found maj':>10s} "
        f"{'not chk':>8s}"
    )
    for code, s in summary["faults"].items():
        lab = s["labelled"]
        print(
            f"{code:24s} {s.get('good_any', 0):>4d}/{len(good):<4d} "
            f"{s.get('good_major', 0):>4d}/{len(good):<4d} "
            f"{s.get('found_any', 0):>5d}/{lab:<4d} {s.get('found_major', 0):>5d}/{lab:<4d} "
            f"{s.get('not_checked', 0):>8d}"
        )
    for c in per_clip:
        print(
            f"  {c['file']:22s} {c.get('view', '-'):8s} reps={c.get('reps', '-')} lean={c.get('lean_back')} "
            f"{c.get('faults', c.get('error'))} "
            f"{('NC ' + str(c['unavailable'])) if c.get('unavailable') else ''}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
