"""liftsafe.report: output writers for an :class:`~liftsafe.analysis.Analysis`.

Every writer takes the data first and the target path second, writes atomically (a hidden
temporary file in the target folder, renamed on success) and raises
:class:`~liftsafe.errors.OutputError` when the target cannot be written.
"""

from liftsafe.atomic import atomic_path
from liftsafe.report.csvout import write_signals_csv
from liftsafe.report.html import render_html_report, write_html_report
from liftsafe.report.jsonout import result_json, write_json
from liftsafe.report.video import write_annotated_video, write_reports

__all__ = [
    "atomic_path",
    "render_html_report",
    "result_json",
    "write_annotated_video",
    "write_html_report",
    "write_json",
    "write_reports",
    "write_signals_csv",
]
