"""The report as a Word document (python-docx), for the coordinator to use as the annex of the
council letter as it is, or to edit.

Every table is a Word table (not a picture, not tab-separated text): the header row bold and
repeated on each page, figures right-aligned, total rows bold, the notes under it; the charts
are inline pictures with a numbered caption. python-docx is imported inside the functions.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.report_documents import Chart, charts, numeric_columns, placed

if TYPE_CHECKING:
    from kansen_cli.report import Report, Table

FONT = "Calibri"
TABLE_POINTS = 9
CHART_WIDTH_CM = 15.0


def to_docx(report: Report) -> bytes:
    """The Word document as bytes."""
    from docx import Document

    document = Document()
    _page_and_styles(document, report)
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(report.subtitle, style="Subtitle")
    by_table, rest = placed(report, charts(report))
    figure = 0
    for table in report.tables:
        _add_table(document, table)
        for chart in by_table.get(table.name, []):
            figure += 1
            _add_chart(document, chart, figure)
    for chart in rest:
        figure += 1
        _add_chart(document, chart, figure)
    from kansen_cli.report_render import legend

    document.add_paragraph(legend(report), style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(report: Report, path: Path, force: bool = False) -> Path:
    from kansen_cli.files import write_bytes

    return write_bytes(path, to_docx(report), force)


def _page_and_styles(document: Any, report: Report) -> None:
    """A4 with 2 cm margins, one font; the document's properties name the report, not a person."""
    from docx.shared import Cm, Pt

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    properties = document.core_properties
    properties.title = report.title
    properties.subject = report.subtitle
    properties.author = "kansen"
    properties.last_modified_by = "kansen"
    properties.comments = ""


def _add_table(document: Any, table: Table) -> None:
    """Heading, the Word table and the notes under it."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    from kansen_cli.report_render import format_cell

    document.add_heading(table.title, level=2)
    numeric = numeric_columns(table)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _header_row(grid.rows[0], table.columns, numeric)
    for row, cells in zip(grid.rows[1:], table.rows, strict=True):
        _keep_together(row)
        bold_row = cells[0].bold
        for column, (target, cell) in enumerate(zip(row.cells, cells, strict=True)):
            _write(target, format_cell(cell), bold=bold_row or cell.bold, right=numeric[column])
    for note in table.notes:
        paragraph = document.add_paragraph(note)
        paragraph.paragraph_format.space_before = Pt(4)
        for run in paragraph.runs:
            run.font.size = Pt(TABLE_POINTS)
            run.italic = True


def _header_row(row: Any, columns: list[str], numeric: list[bool]) -> None:
    """Bold, and repeated at the top of every page the table runs onto (w:tblHeader)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    _keep_together(row)
    for target, name, right in zip(row.cells, columns, numeric, strict=True):
        _write(target, name, bold=True, right=right)


def _keep_together(row: Any) -> None:
    """A row is never split over two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _write(target: Any, text: str, bold: bool, right: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = target.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_POINTS)


def _add_chart(document: Any, chart: Chart, number: int) -> None:
    """The chart as an inline picture, the caption under it."""
    from docx.shared import Cm

    document.add_picture(io.BytesIO(chart.png), width=Cm(CHART_WIDTH_CM))
    from kansen_cli.i18n import _

    caption = _("Figure {number}. {caption}").format(number=number, caption=chart.caption)
    document.add_paragraph(caption, style="Caption")
