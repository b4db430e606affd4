"""The report as a fixed PDF annex: a small HTML rendering with a print stylesheet, laid out by
WeasyPrint.

The charts go into the HTML as data: URLs, and WeasyPrint is given a URL fetcher that refuses
everything else, so rendering never reads a file or the network. WeasyPrint is imported inside
the functions.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _
from kansen_cli.report_documents import Chart, charts, numeric_columns, placed

if TYPE_CHECKING:
    from kansen_cli.report import Report, Table

WIDE_COLUMNS = 8  # tables this wide get a smaller font to stay within the page

# Tables keep their header on every page (WeasyPrint repeats <thead>), rows are not split,
# figures are right-aligned with digits of one width so columns line up.
STYLESHEET = """
@page { size: A4; margin: 2cm 2cm 2.2cm 2cm;
  @bottom-left { content: string(title); font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; }
  @bottom-right { content: "{page} " counter(page) " {of} " counter(pages);
    font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; string-set: title content(); }
p.subtitle { font-size: 11pt; color: #333; margin: 0 0 14pt 0; }
h2 { font-size: 11.5pt; margin: 16pt 0 5pt 0; break-after: avoid; }
table { border-collapse: collapse; margin: 0 0 4pt 0; max-width: 100%; font-size: 8.5pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; vertical-align: top; }
th { vertical-align: bottom; }
th { background: #e8eef4; font-weight: bold; text-align: left; }
tr { break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.total td { font-weight: bold; }
p.note { font-size: 8.5pt; font-style: italic; margin: 2pt 0; }
table.wide { font-size: 7.5pt; }
figure { margin: 10pt 0; break-inside: avoid; }
figure img { width: 13cm; }
figcaption { font-size: 8.5pt; color: #333; }
p.legend { font-size: 8.5pt; margin-top: 14pt; }
"""


def to_html(report: Report, made: list[Chart]) -> str:
    """The report as one HTML page with the charts inline."""
    from kansen_cli.report_render import legend

    by_table, rest = placed(report, made)
    parts = [
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="subtitle">{escape(report.subtitle)}</p>',
    ]
    figure = 0
    for table in report.tables:
        parts.append(_table_html(table))
        for chart in by_table.get(table.name, []):
            figure += 1
            parts.append(_figure_html(chart, figure))
    for chart in rest:
        figure += 1
        parts.append(_figure_html(chart, figure))
    parts.append(f'<p class="legend">{escape(legend(report))}</p>')
    body = "\n".join(parts)
    from kansen_cli.i18n import _, language

    # The footer's words in the reader's language ("pagina 2 van 5"); the rest of the CSS as is.
    page, of = _("page"), _("of")
    style = STYLESHEET.replace('"{page} "', f'"{page} "').replace('" {of} "', f'" {of} "')
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8"><title>'
        f"{escape(report.title)}</title><style>{style}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _table_html(table: Table) -> str:
    from kansen_cli.report_render import format_cell

    numeric = numeric_columns(table)
    head = "".join(
        f'<th class="num">{escape(name)}</th>' if right else f"<th>{escape(name)}</th>"
        for name, right in zip(table.columns, numeric, strict=True)
    )
    rows = []
    for cells in table.rows:
        tds = "".join(
            f"<td{' class=num' if right else ''}>{_bold(escape(format_cell(cell)), cell.bold)}</td>"
            for cell, right in zip(cells, numeric, strict=True)
        )
        rows.append(f"<tr{' class=total' if cells[0].bold else ''}>{tds}</tr>")
    wide = " class=wide" if len(table.columns) >= WIDE_COLUMNS else ""
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in table.notes)
    return (
        f"<section><h2>{escape(table.title)}</h2><table{wide}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{notes}</section>"
    )


def _bold(text: str, bold: bool) -> str:
    return f"<strong>{text}</strong>" if bold and text else text


def _figure_html(chart: Chart, number: int) -> str:
    source = "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
    from kansen_cli.i18n import _

    caption = escape(_("Figure {number}. {caption}").format(number=number, caption=chart.caption))
    image = f'<img src="{source}" alt="{escape(chart.caption)}">'
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _fetcher() -> Any:
    """A URL fetcher for the data: URLs of the charts only; any other URL stops the rendering."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 67: a fetcher is a function
        from weasyprint import default_url_fetcher

        def only_data(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise KansenError(
                    _("the report's PDF refers to {url!r}; only embedded images are allowed").format(url=url)
                )
            return default_url_fetcher(url, *args, **kwargs)

        return only_data
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def to_pdf(report: Report) -> bytes:
    """The PDF as bytes."""
    from weasyprint import HTML

    html = to_html(report, charts(report))
    document = HTML(string=html, url_fetcher=_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def write_pdf(report: Report, path: Path, force: bool = False) -> Path:
    from kansen_cli.files import write_bytes

    return write_bytes(path, to_pdf(report), force)
