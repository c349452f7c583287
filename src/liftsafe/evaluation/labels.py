"""Labels files for ``liftsafe evaluate``.

Format (CSV, a header row is optional): ``file,label[,rep_count][,fault][,group]``

* ``file``  -- path of the clip relative to the evaluated folder;
* ``label`` -- ``good`` or ``bad``;
* ``rep_count`` -- optional whole number of complete reps (counted by eye);
* ``fault`` -- optional fault code the clip shows (one of liftsafe's fault codes);
* ``group`` -- optional name of the source video / lifter; cross-validation keeps a group
  together so no lifter is in both the training and the test folds;
* ``view`` -- optional camera view seen by eye (side, oblique, front, back), for coverage of
  side and oblique clips.

Extra columns are ignored when the file has a header. Lines starting with ``#`` are comments.
Every problem (missing clip, unknown label, duplicate row, bad count or fault) is collected
and reported together, naming the rows, before anything runs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from liftsafe.errors import InputError
from liftsafe.result import FaultCode

LABELS = ("good", "bad")
COLUMNS = ("file", "label", "rep_count", "fault", "group", "view")
VIEWS = ("side", "oblique", "front", "back")


@dataclass(frozen=True)
class LabelRow:
    line: int
    file: str
    label: str
    rep_count: int | None = None
    fault: str | None = None
    group: str | None = None
    view: str | None = None

    @property
    def is_bad(self) -> bool:
        """True for a clip labelled bad."""
        return self.label == "bad"


def _csv_rows(path: Path, folder: Path) -> list[tuple[int, list[str]]]:
    """The labels file's non-comment CSV rows with their line numbers (both paths checked first)."""
    if not path.is_file():
        raise InputError(f"labels file {path} not found.")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of clips.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read labels file {path}: {exc}.") from None
    raw = [
        (i, row)
        for i, row in enumerate(csv.reader(text.splitlines()), start=1)
        if row and not row[0].lstrip().startswith("#")
    ]
    if not raw:
        raise InputError(f"labels file {path} has no rows; expected lines like 'good/clip1.mp4,good'.")
    return raw


def read_labels(labels_path: str | Path, clips_dir: str | Path) -> list[LabelRow]:
    """Parse and validate a labels file against the clips folder (InputError lists all problems)."""
    path = Path(labels_path)
    folder = Path(clips_dir)
    raw = _csv_rows(path, folder)
    columns = list(COLUMNS)
    first_line, first = raw[0]
    if [c.strip().lower() for c in first[:2]] == ["file", "label"]:
        columns = [c.strip().lower() for c in first]
        raw = raw[1:]
    problems: list[str] = []
    rows: list[LabelRow] = []
    seen: dict[str, int] = {}
    for line, cells in raw:
        record = dict(zip(columns, (c.strip() for c in cells)))
        file = record.get("file", "")
        label = record.get("label", "").lower()
        where = f"row {line}"
        if not file:
            problems.append(f"{where}: no file name")
            continue
        if file in seen:
            problems.append(f"{where}: '{file}' is listed again (first on row {seen[file]})")
            continue
        seen[file] = line
        if label not in LABELS:
            problems.append(f"{where}: label '{record.get('label', '')}' for '{file}' must be good or bad")
        if not (folder / file).is_file():
            problems.append(f"{where}: clip '{file}' not found in {folder}")
        count: int | None = None
        if record.get("rep_count"):
            try:
                count = int(record["rep_count"])
                if count < 0:
                    raise ValueError
            except ValueError:
                problems.append(f"{where}: rep_count '{record['rep_count']}' must be a whole number >= 0")
        fault = record.get("fault") or None
        if fault is not None and fault not in {c.value for c in FaultCode}:
            problems.append(f"{where}: fault '{fault}' is not a liftsafe fault code")
        view = (record.get("view") or "").lower() or None
        if view is not None and view not in VIEWS:
            problems.append(f"{where}: view '{record['view']}' must be one of {', '.join(VIEWS)}")
        rows.append(
            LabelRow(
                line=line,
                file=file,
                label=label,
                rep_count=count,
                fault=fault,
                group=record.get("group") or None,
                view=view,
            )
        )
    if problems:
        shown = "; ".join(problems[:12]) + (f"; and {len(problems) - 12} more" if len(problems) > 12 else "")
        raise InputError(f"labels file {path} has {len(problems)} problem(s), nothing was run: {shown}.")
    return rows
