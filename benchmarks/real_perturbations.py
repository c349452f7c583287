"""Do verdicts survive a mirrored clip, a tilted phone and a smaller frame? (run on demand)

    python benchmarks/real_perturbations.py CLIPS_DIR --labels LABELS.csv [--work DIR] [-j 2]
        [--only mirror,roll+6,roll-6,480p] [--json]

Real clips, filmed by other people, re-encoded with one change at a time, then analysed by the
product's own path (``liftsafe.evaluation.run.run_clips``: pose, verdict, false-alarm budget)
exactly like the originals:

* ``mirror``: flipped left-right. The lifter faces the other way; nothing about the lift
  changes, so nothing in the verdict should.
* ``roll+6`` / ``roll-6``: the frame rotated 6 deg about its centre (inside the issue's ±8 deg
  roll for a hand-held or propped phone), scaled up just enough that no black corner shows.
* ``480p``: scaled down to 480 pixels high (a low-quality upload).

For each change it prints, against the originals: clips whose verdict (good / needs work / not
judged), rep count or set of reported fault codes changed, and the evaluation figures (balanced
accuracy, rep counts exact, distinct faults per sound lift). The perturbed copies are written
under ``--work`` (a temporary folder by default) and never into the repository; the clips'
licences allow analysis, not redistribution. Figures: docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np

ROLL_DEG = 6.0
SMALL_HEIGHT = 480


def _rotate(deg: float) -> Callable[[np.ndarray], np.ndarray]:
    import cv2

    def f(img: np.ndarray) -> np.ndarray:
        h, w = img.shape[:2]
        t = np.radians(abs(deg))
        # the smallest zoom that keeps the rotated frame covering the whole output frame
        zoom = max((w * np.cos(t) + h * np.sin(t)) / w, (w * np.sin(t) + h * np.cos(t)) / h)
        m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, zoom)
        return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

    return f


def _mirror(img: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(img[:, ::-1])


def _small(img: np.ndarray) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    if h <= SMALL_HEIGHT:
        return img
    nw = int(round(w * SMALL_HEIGHT / h / 2)) * 2
    return cv2.resize(img, (nw, SMALL_HEIGHT), interpolation=cv2.INTER_AREA)


PERTURBATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "mirror": _mirror,
    "roll+6": _rotate(ROLL_DEG),
    "roll-6": _rotate(-ROLL_DEG),
    "480p": _small,
}


def perturb(src: Path, dst: Path, change: Callable[[np.ndarray], np.ndarray]) -> None:
    """Re-encode ``src`` to ``dst`` (H.264, the source's frame rate and timing), every frame
    passed through ``change``; the rotation tag of a phone clip is applied first."""
    import av

    from liftsafe.pose.video import probe_video

    turns = probe_video(src).rotation_deg // 90  # counter-clockwise quarter turns
    dst.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        vin = inp.streams.video[0]
        rate = vin.average_rate or Fraction(30, 1)
        vout = None
        for frame in inp.decode(vin):
            img = change(np.rot90(frame.to_ndarray(format="rgb24"), turns))
            if vout is None:
                vout = out.add_stream("libx264", rate=rate)
                vout.height, vout.width = img.shape[0] // 2 * 2, img.shape[1] // 2 * 2
                vout.pix_fmt = "yuv420p"
                vout.options = {"crf": "18", "preset": "veryfast"}
            img = img[: vout.height, : vout.width]
            for packet in vout.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")):
                out.mux(packet)
        if vout is not None:
            for packet in vout.encode():
                out.mux(packet)


def _summary(outcomes) -> dict:
    """The product's own figures (the shipped config and false-alarm budget; a budget re-derived
    from perturbed clips would be a different product)."""
    from liftsafe.evaluation.metrics import score
    from liftsafe.evaluation.noise import figures, product_judgements

    s = score(outcomes)
    product = figures(outcomes, product_judgements(outcomes))
    return {
        "judged": s.judged,
        "balanced_accuracy": s.balanced_accuracy,
        "confusion": [s.tp, s.fn, s.fp, s.tn],
        "rep_count_exact": s.rep_count_exact,
        "faults_per_sound_lift": product["mean_distinct_faults_per_sound_lift"],
        "sound_lifts_with_major": product["sound_lifts_with_major"],
        "named_faults_found": [product["named_faults_found"], product["named_faults_labelled"]],
    }


def _line(s: dict) -> str:
    ba = "n/a" if s["balanced_accuracy"] is None else f"{s['balanced_accuracy']:.3f}"
    found, labelled = s["named_faults_found"]
    return (f"BA {ba} {s['confusion']}, reps exact {s['rep_count_exact']:.2f}, "
            f"faults/sound lift {s['faults_per_sound_lift']:.2f}, named faults {found}/{labelled}")


def _clip(o) -> dict:
    faults = sorted(o.found_faults(("minor", "major", "unsafe"))) if o.result else []
    return {
        "verdict": o.predicted or ("error" if o.error else "not judged"),
        "reps": None if o.result is None else o.result["rep_count"],
        "faults": faults,
        "view": None if o.result is None else o.result.get("view"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", type=Path)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=None, help="where the perturbed copies go")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--only", default=",".join(PERTURBATIONS))
    parser.add_argument("--cache", type=Path, default=None, help="pose cache (per perturbation sub-folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from liftsafe.evaluation.labels import read_labels
    from liftsafe.evaluation.run import run_clips

    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in PERTURBATIONS]
    if unknown:
        parser.error(f"unknown perturbation(s) {unknown}; choose from {list(PERTURBATIONS)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="liftsafe-perturb-"))
    rows = read_labels(args.labels, args.clips)

    def cache(name: str) -> Path | None:
        return None if args.cache is None else args.cache / name

    def evaluate(folder: Path, name: str):
        return run_clips(folder, rows, cache_dir=cache(name), jobs=args.jobs)

    base = evaluate(args.clips, "original")
    report: dict = {"original": {"summary": _summary(base)}, "changes": {}}
    before = {o.file: _clip(o) for o in base}
    for name in names:
        folder = work / name
        for row in rows:
            dst = folder / row.file
            if not dst.exists():
                perturb(args.clips / row.file, dst, PERTURBATIONS[name])
        outcomes = evaluate(folder, name)
        after = {o.file: _clip(o) for o in outcomes}
        changed = {
            f: {"before": before[f], "after": after[f]}
            for f in before
            if (before[f]["verdict"], before[f]["reps"], before[f]["faults"])
            != (after[f]["verdict"], after[f]["reps"], after[f]["faults"])
        }
        report["changes"][name] = {"summary": _summary(outcomes), "changed_clips": changed}
        print(f"{name}: {len(changed)} of {len(rows)} clips changed", file=sys.stderr, flush=True)

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"original: {_line(report['original']['summary'])}")
    for name, entry in report["changes"].items():
        changed = entry["changed_clips"]
        print(f"\n{name}: {_line(entry['summary'])}, {len(changed)} of {len(rows)} clips changed")
        for f, d in changed.items():
            b, a = d["before"], d["after"]
            print(f"  {f}: {b['verdict']}/{b['reps']} reps/{','.join(b['faults']) or '-'} -> "
                  f"{a['verdict']}/{a['reps']} reps/{','.join(a['faults']) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
