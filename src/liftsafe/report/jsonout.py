"""JSON result writer: ``AnalysisResult.to_dict()`` with indent 2 (the JSON contract)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from liftsafe.analysis import Analysis
from liftsafe.atomic import write_text_atomic
from liftsafe.result import AnalysisResult


def result_json(result_or_analysis: AnalysisResult | Analysis) -> str:
    """The JSON text of a result (or of an analysis' result), indent 2, ending in a newline."""
    result = result_or_analysis.result if isinstance(result_or_analysis, Analysis) else result_or_analysis
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(
    result_or_analysis: AnalysisResult | Analysis,
    path: str | os.PathLike[str],
    *,
    stdout: TextIO | None = None,
) -> Path | None:
    """Write the JSON result to ``path`` atomically, or to standard output when ``path`` is ``"-"``.

    Returns the written path, or ``None`` for standard output. ``stdout`` overrides the stream
    used for ``"-"`` (default :data:`sys.stdout`).
    """
    text = result_json(result_or_analysis)
    if str(path) == "-":
        stream = stdout if stdout is not None else sys.stdout
        stream.write(text)
        stream.flush()
        return None
    return write_text_atomic(text, path)
