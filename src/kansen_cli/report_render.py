"""Rendering a `Report`: rich tables for the terminal, Markdown for the council letter, XLSX with
one sheet per table, JSON.

Numbers are written the Dutch way (1.234 and 59,1) in the terminal and Markdown; the workbook
holds real numbers so the figures can be reused. A hidden (suppressed) value is 'x', a value
that cannot be computed (a percentage of nothing) is '–'.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.report import Cell, Report, Table

if TYPE_CHECKING:
    import pandas as pd

HIDDEN = "x"
MISSING = "–"


def format_cell(cell: Cell) -> str:
    """A cell as text, Dutch number style."""
    if cell.kind == "blank":
        return ""
    if cell.kind == "label":
        return str(cell.value)
    if cell.hidden:
        return HIDDEN
    if cell.value is None:
        return MISSING
    if cell.kind == "count":
        return f"{int(cell.value):,}".replace(",", ".")
    text = f"{float(cell.value):,.{cell.digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _numeric(cell: Cell) -> bool:
    return cell.kind in ("count", "pct", "stat")


def legend(report: Report) -> str:
    lines = [f"{MISSING} = niet te berekenen (geen basis)."]
    if report.published:
        lines.insert(0, f"{HIDDEN} = niet gepubliceerd, om kleine aantallen te beschermen.")
    return " ".join(lines)


def to_markdown(report: Report) -> str:
    """Markdown with Dutch labels, ready to paste into a council letter."""
    out = [f"# {report.title}", "", report.subtitle, ""]
    for table in report.tables:
        out += [f"## {table.title}", ""]
        out.append("| " + " | ".join(table.columns) + " |")
        aligns = []
        for i in range(len(table.columns)):
            numeric = any(_numeric(row[i]) for row in table.rows)
            aligns.append("---:" if numeric else ":---")
        out.append("| " + " | ".join(aligns) + " |")
        for row in table.rows:
            texts = []
            for cell in row:
                text = format_cell(cell).replace("|", "\\|")
                texts.append(f"**{text}**" if cell.bold and text else text)
            out.append("| " + " | ".join(texts) + " |")
        out.append("")
        for note in table.notes:
            out += [note, ""]
    out += [legend(report), ""]
    return "\n".join(out)


def to_rich(report: Report) -> list[Any]:
    """Rich renderables: a heading and one table per report table."""
    from rich.table import Table as RichTable
    from rich.text import Text

    items: list[Any] = [Text(report.title, style="bold"), Text(report.subtitle)]
    for table in report.tables:
        rich = RichTable(title=table.title, title_justify="left", caption=" ".join(table.notes) or None)
        for i, name in enumerate(table.columns):
            numeric = any(_numeric(row[i]) for row in table.rows)
            rich.add_column(name, justify="right" if numeric else "left", overflow="fold")
        for row in table.rows:
            if row[0].bold:
                rich.add_section()
            rich.add_row(*(format_cell(cell) for cell in row), style="bold" if row[0].bold else None)
        items.append(rich)
    items.append(Text(legend(report)))
    return items


def _sheet_value(cell: Cell) -> Any:
    if cell.kind == "blank":
        return None
    if cell.kind == "label":
        return str(cell.value)
    if cell.hidden:
        return HIDDEN
    return cell.value


def table_frame(table: Table) -> pd.DataFrame:
    import pandas as pd

    rows = [[_sheet_value(cell) for cell in row] for row in table.rows]
    return pd.DataFrame(rows, columns=table.columns, dtype=object)


def to_sheets(report: Report) -> dict[str, pd.DataFrame]:
    """One sheet per table, plus 'toelichting' with the title, period and the notes."""
    import pandas as pd

    notes = [report.title, report.subtitle, legend(report)]
    for table in report.tables:
        notes += [f"{table.name}: {table.title}", *(f"  {n}" for n in table.notes)]
    sheets = {"toelichting": pd.DataFrame({"Toelichting": notes})}
    for table in report.tables:
        sheets[table.name] = table_frame(table)
    return sheets


def write_xlsx(report: Report, path: Path, force: bool = False) -> Path:
    from kansen_cli.files import write_xlsx as write

    return write(path, to_sheets(report), force)


def to_json(report: Report) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"
