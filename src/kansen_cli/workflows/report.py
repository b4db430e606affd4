"""`kansen report`: read the ledger, build the report, write the files asked for.

Formats: `table` (the command line renders the report on the terminal), `md` and `json` (text,
written to `out` or returned for the terminal), `xlsx` (a workbook), `docx` (a Word document for
the council letter's annex) and `pdf` (the same as a fixed annex), which need `out`; `charts`
writes the PNG charts into a folder as well. Files go through `kansen_cli.files` and are
refused before any work when they exist without `force`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    from kansen_cli.progress import OnProgress
    from kansen_cli.report import Report
    from kansen_cli.settings import Settings

FORMATS = ("table", "md", "xlsx", "json", "docx", "pdf")
# Formats that are files only: they need --out.
FILE_FORMATS = ("xlsx", "docx", "pdf")


@dataclass
class ReportResult:
    """The report and what was made of it."""

    report: Report
    fmt: str
    text: str | None = None  # md or json text (also when it went to `out`)
    out: Path | None = None  # the file written, if any (as given)
    charts_folder: Path | None = None  # where the charts went, if asked (as given)
    charts: list[Path] = field(default_factory=list)  # the chart files written

    @property
    def empty(self) -> bool:
        """Nobody approached in the period: every figure is zero."""
        return self.report.empty

    def as_json(self) -> dict[str, Any]:
        return self.report.data


def _check_options(fmt: str, out: Path | None) -> None:
    """Refuse format and file combinations that cannot work (the format must be one of FORMATS)."""
    if fmt in FILE_FORMATS and out is None:
        raise KansenError(_("--format {fmt} needs --out FILE.{fmt}").format(fmt=fmt))
    if fmt == "table" and out is not None:
        raise KansenError(_("--out works with --format md, xlsx, json, docx or pdf"))


def _check_outputs(out: Path | None, charts: Path | None, force: bool) -> None:
    """Refuse, before any work, to replace existing files without `force`."""
    from kansen_cli.files import check_writable

    if out is not None:
        check_writable(out, force)
    if charts is not None:
        from kansen_cli.charts import CHART_FILES, SURVEY_CHART

        for name in (*CHART_FILES, SURVEY_CHART):
            check_writable(charts / name, force)


def run(
    campaign: Path,
    settings: Settings,
    start: dt.date | None = None,
    end: dt.date | None = None,
    batch: str | None = None,
    fmt: str = "table",
    out: Path | None = None,
    charts: Path | None = None,
    publish: bool = False,
    force: bool = False,
    today: dt.date | None = None,
    on_progress: OnProgress | None = None,
) -> ReportResult:
    """The report for the period (and batch), written as asked. `today` is the day the report
    is made: open trajectories are counted up to it (without it, up to the ledger's latest
    trajectory date). `on_progress` is told (steps done, steps) after reading the ledger,
    building (and with `publish`, shielding) the tables, writing the file and the charts."""
    from kansen_cli import report_render as render
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.reporting import read_report_data
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.progress import report as step
    from kansen_cli.report import build_report

    _check_options(fmt, out)
    _check_outputs(out, charts, force)
    total = 2 + (out is not None) + (charts is not None)
    step(on_progress, 0, total)
    with open_ledger(campaign, create=False) as ledger:
        if batch is not None:
            batch = require_batch(ledger, batch)
        data = read_report_data(ledger, start, end, batch, today)
    step(on_progress, 1, total)
    result = ReportResult(build_report(data, settings, start, end, batch, publish=publish), fmt)
    step(on_progress, 2, total)
    if fmt in ("json", "md"):
        result.text = render.to_json(result.report) if fmt == "json" else render.to_markdown(result.report)
        if out is not None:
            from kansen_cli.files import write_text

            write_text(out, result.text, force)
            result.out = out
    elif fmt in FILE_FORMATS:
        assert out is not None
        _write_file(result.report, fmt, out, force)
        result.out = out
    if out is not None:
        step(on_progress, 3, total)
    if charts is not None:
        from kansen_cli.charts import write_charts

        result.charts = write_charts(result.report, charts, force)
        result.charts_folder = charts
        step(on_progress, total, total)
    return result


def _write_file(report: Report, fmt: str, out: Path, force: bool) -> None:
    """The report as a workbook, a Word document or a PDF."""
    if fmt == "xlsx":
        from kansen_cli.report_render import write_xlsx

        write_xlsx(report, out, force)
    elif fmt == "docx":
        from kansen_cli.report_documents.word import write_docx

        write_docx(report, out, force)
    else:
        from kansen_cli.report_documents.pdf import write_pdf

        write_pdf(report, out, force)
