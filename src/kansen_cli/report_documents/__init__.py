"""The report as a document for the council letter's annex: Word (`word`) and PDF (`pdf`).

Both show what the `Report` holds, in its order: title and subtitle (municipality, period and,
with --publish, the publication note), every table with its notes, the charts next to the table
they belong to, and the legend. Cells are written as the Markdown renderer writes them
(`report_render.format_cell`: 1.234 and 59,1, x for hidden, – for not computable), so the
documents, the Markdown and the terminal agree to the character. What is shared lives here:
which charts go where, and which columns are numeric.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import N_

if TYPE_CHECKING:
    from kansen_cli.report import Report, Table


@dataclass(frozen=True)
class Chart:
    """A chart rendered in memory, the caption under it and the table it follows."""

    after: str  # the table's name; a chart whose table is absent goes to the end
    caption: str
    png: bytes


# (table it follows, caption, the charts function's name); in report order.
CHART_PLACES = (
    (
        "bereik_wijk",
        N_("Response per neighbourhood, with the response of all neighbourhoods together"),
        "response_per_neighbourhood",
    ),
    ("varianten", N_("Response per letter variant, with 95% confidence interval"), "variants"),
    ("uitkomsten_wijk", N_("Spoken and socially active per neighbourhood"), "active_per_neighbourhood"),
    ("cijfers_verdeling", N_("Mark for the municipality per group (survey)"), "marks"),
    ("trechter", N_("From register to active"), "funnel"),
)


def charts(report: Report) -> list[Chart]:
    """The report's charts as PNG bytes (from its JSON, so --publish applies); the survey's only
    when the report has a survey."""
    import json

    from kansen_cli.i18n import language

    return list(_drawn(json.dumps(report.data), language()))


@functools.lru_cache(maxsize=2)
def _drawn(data_json: str, lang: str) -> tuple[Chart, ...]:
    """Drawing takes most of a document's time (matplotlib): the demo writes the Word document and
    the PDF of the same report one after the other, so the same figures are drawn once (per
    language: the charts' words and decimals follow it)."""
    import json

    from kansen_cli import charts as drawing
    from kansen_cli.i18n import _

    data = json.loads(data_json)
    out = []
    for after, caption, name in CHART_PLACES:
        if name == "marks" and "groups" not in data.get("satisfaction", {}):
            continue
        make: Callable[[dict[str, Any]], bytes] = getattr(drawing, name)
        out.append(Chart(after, _(caption), make(data)))
    return tuple(out)


def numeric_columns(table: Table) -> list[bool]:
    """Per column: does it hold figures (right-aligned), as in the Markdown renderer."""
    return [
        any(row[i].kind in ("count", "pct", "stat") for row in table.rows) for i in range(len(table.columns))
    ]


def placed(report: Report, made: list[Chart]) -> tuple[dict[str, list[Chart]], list[Chart]]:
    """The charts by the table they follow, and those whose table the report lacks (for the end)."""
    names = {table.name for table in report.tables}
    by_table: dict[str, list[Chart]] = {}
    rest = []
    for chart in made:
        if chart.after in names:
            by_table.setdefault(chart.after, []).append(chart)
        else:
            rest.append(chart)
    return by_table, rest
