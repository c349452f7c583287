"""The clips of a batch: a folder searched recursively, or a CSV manifest ``file,exercise[,height]``.

Everything here is checked before any clip is analysed: a missing or empty folder, a manifest
row that names no file, an unknown exercise or an unreadable height are one-line
:class:`~liftsafe.errors.InputError` messages naming the row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from liftsafe.errors import InputError
from liftsafe.pose.formats import KEYPOINT_SUFFIXES

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Clip:
    """One clip to analyse. ``rel`` is its path relative to the input (POSIX separators); the
    result goes to ``OUT/<rel>.json``."""

    path: Path
    rel: str
    exercise: str
    height_m: float | None = None

    @property
    def is_keypoints(self) -> bool:
        """A keypoint file (analysed without BlazePose)."""
        return self.path.suffix.lower() in KEYPOINT_SUFFIXES


@dataclass(frozen=True)
class ClipList:
    clips: list[Clip]
    skipped: list[str]  # files of the folder that are neither videos nor keypoint files


def looks_like_keypoints(path: Path) -> bool:
    """A .json with a ``frames`` list or a .csv with ``<point>_x`` columns (docs/keypoint-files.md)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    if path.suffix.lower() == ".json":
        return '"frames"' in head
    for line in head.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        columns = [c.strip().lower() for c in line.split(",")]
        return any(c.endswith("_x") for c in columns) and any(c.endswith("_y") for c in columns)
    return False


def is_manifest(path: Path) -> bool:
    """A CSV whose header has ``file`` and ``exercise`` columns."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError):
        return False
    names = {h.strip().lower() for h in header}
    return {"file", "exercise"} <= names


def collect(
    input_path: Path, *, exercise: str, height_m: float | None = None, exclude: Path | None = None
) -> ClipList:
    """The clips of ``input_path`` (a folder, a manifest, or a single video/keypoint file)."""
    from liftsafe.pipeline import parse_exercise

    ex = parse_exercise(exercise).value
    if not input_path.exists():
        raise InputError(
            f"INPUT {input_path} does not exist; give a folder of clips or a CSV manifest "
            "(file,exercise[,height])."
        )
    if input_path.is_dir():
        return _from_folder(input_path, exercise=ex, height_m=height_m, exclude=exclude)
    if is_manifest(input_path):
        return ClipList(_from_manifest(input_path, default_exercise=ex, default_height_m=height_m), [])
    suffix = input_path.suffix.lower()
    if suffix in VIDEO_SUFFIXES or suffix in KEYPOINT_SUFFIXES:
        if suffix == ".csv" and not looks_like_keypoints(input_path):
            raise InputError(
                f"INPUT {input_path} is a CSV that is neither a manifest (header file,exercise[,height]) "
                "nor a keypoint file."
            )
        return ClipList([Clip(input_path, input_path.name, ex, height_m)], [])
    raise InputError(f"INPUT {input_path} is not a folder, a CSV manifest, a video or a keypoint file.")


def _from_folder(folder: Path, *, exercise: str, height_m: float | None, exclude: Path | None) -> ClipList:
    excluded = exclude.resolve() if exclude is not None else None
    clips: list[Clip] = []
    skipped: list[str] = []
    for path in sorted(folder.rglob("*")):
        rel_parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in rel_parts) or not path.is_file():
            continue
        if excluded is not None and (path.resolve() == excluded or excluded in path.resolve().parents):
            continue  # the output folder inside the input folder
        rel = PurePosixPath(*rel_parts).as_posix()
        suffix = path.suffix.lower()
        if suffix in VIDEO_SUFFIXES or (suffix in KEYPOINT_SUFFIXES and looks_like_keypoints(path)):
            clips.append(Clip(path, rel, exercise, height_m))
        else:
            skipped.append(rel)
    if not clips:
        what = f" ({len(skipped)} other file(s), e.g. {skipped[0]})" if skipped else ""
        raise InputError(
            f"INPUT folder {folder} holds no video ({', '.join(VIDEO_SUFFIXES)}) "
            f"or keypoint file (.csv/.json){what}."
        )
    return ClipList(clips, skipped)


def _from_manifest(manifest: Path, *, default_exercise: str, default_height_m: float | None) -> list[Clip]:
    from liftsafe.pipeline import parse_exercise
    from liftsafe.units import parse_length_m

    base = manifest.parent
    clips: list[Clip] = []
    seen: dict[str, int] = {}
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
            for row_no, raw in enumerate(reader, start=2):
                row = {k: (raw.get(v) or "").strip() for k, v in fields.items()}
                if not any(row.values()):
                    continue
                where = f"{manifest.name} row {row_no}"
                name = row.get("file", "")
                if not name:
                    raise InputError(f"{where}: the 'file' cell is empty.")
                rel_path = PurePosixPath(name.replace("\\", "/"))
                if rel_path.is_absolute() or ".." in rel_path.parts:
                    raise InputError(
                        f"{where}: file '{name}' must be a path inside the manifest's folder {base}."
                    )
                path = base / rel_path
                if not path.is_file():
                    raise InputError(f"{where}: file '{name}' not found (looked for {path}).")
                suffix = path.suffix.lower()
                if suffix not in VIDEO_SUFFIXES + KEYPOINT_SUFFIXES:
                    raise InputError(
                        f"{where}: file '{name}' is not a video ({', '.join(VIDEO_SUFFIXES)}) "
                        "or keypoint file."
                    )
                try:
                    ex = parse_exercise(row.get("exercise") or default_exercise).value
                except InputError as exc:
                    raise InputError(f"{where}: {str(exc).replace('--exercise', 'exercise')}") from None
                height_text = row.get("height", "")
                try:
                    height = parse_length_m(height_text, what="height") if height_text else default_height_m
                except InputError as exc:
                    raise InputError(f"{where}: {exc}") from None
                if height is not None and not (0.9 <= height <= 2.5):
                    raise InputError(
                        f"{where}: height must be a person's height between 90 and 250 cm; got {height_text}."
                    )
                key = rel_path.as_posix()
                if key in seen:
                    raise InputError(
                        f"{where}: file '{name}' is listed again (first on row {seen[key]}); "
                        "list each clip once."
                    )
                seen[key] = row_no
                clips.append(Clip(path, key, ex, height))
    except UnicodeDecodeError:
        raise InputError(f"manifest {manifest} is not UTF-8 text.") from None
    except csv.Error as exc:
        raise InputError(f"manifest {manifest} is not a valid CSV ({exc}).") from None
    if not clips:
        raise InputError(f"manifest {manifest} lists no clips; add rows 'file,exercise[,height]'.")
    return clips
