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

from kansen_cli.i18n import _, percent
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
    if cell.unknown:
        return percent(None)
    if cell.value is None:
        return MISSING
    if cell.kind == "count":
        return f"{int(cell.value):,}".replace(",", ".")
    text = f"{float(cell.value):,.{cell.digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _numeric(cell: Cell) -> bool:
    return cell.kind in ("count", "pct", "stat")


def legend(report: Report) -> str:
    lines = [_("{missing} = cannot be computed (no base).").format(missing=MISSING)]
    if report.published:
        lines.insert(0, _("{hidden} = not published, to protect small numbers.").format(hidden=HIDDEN))
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


def _word_width(text: str) -> int:
    """The longest word: a column narrower than this would break a word ("Benade|rd")."""
    return max((len(word) for word in text.split()), default=0)


def _widths(table: Table) -> list[int]:
    """Per column the narrowest width that breaks no word of its header or its cells."""
    return [
        max([_word_width(name), *(_word_width(format_cell(row[i])) for row in table.rows)])
        for i, name in enumerate(table.columns)
    ]


def column_groups(table: Table, width: int) -> list[list[int]]:
    """The table's columns in groups that each fit `width` without breaking a word: the leading
    label columns (wijk, batch) in every group, the figures spread over as few groups as needed."""
    widths = _widths(table)
    labels = 0
    while labels < len(table.columns) - 1 and not any(_numeric(row[labels]) for row in table.rows):
        labels += 1
    # A column costs its width, a space either side and a divider.
    used = sum(widths[:labels]) + 3 * labels
    groups: list[list[int]] = [[]]
    total = used
    for i in range(labels, len(table.columns)):
        cost = widths[i] + 3
        if groups[-1] and total + cost > width:
            groups.append([])
            total = used
        groups[-1].append(i)
        total += cost
    return [list(range(labels)) + group for group in groups]


def fitted(full: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within `room`: each as wide as its content, the widest narrowed first, one
    character at a time, but none below `least` (its longest word)."""
    widths = list(full)
    while sum(widths) > room:
        narrowable = [i for i, w in enumerate(widths) if w > least[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _rich_table(table: Table, columns: list[int], width: int, title: str | None) -> Any:
    from rich import box
    from rich.table import Table as RichTable

    least = _widths(table)
    full = [
        max([len(name), *(len(format_cell(row[i])) for row in table.rows)])
        for i, name in enumerate(table.columns)
    ]
    chosen = fitted([full[i] for i in columns], [least[i] for i in columns], width - 3 * len(columns))
    rich = RichTable(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for i, column_width in zip(columns, chosen, strict=True):
        numeric = any(_numeric(row[i]) for row in table.rows)
        rich.add_column(table.columns[i], justify="right" if numeric else "left", width=column_width)
    for row in table.rows:
        if row[0].bold:
            rich.add_section()
        rich.add_row(*(format_cell(row[i]) for i in columns), style="bold" if row[0].bold else None)
    return rich


def to_rich(report: Report, width: int = 80) -> list[Any]:
    """Rich renderables: a heading and one table per report table, each at most `width` wide
    (the terminal's): a table too wide is shown in parts, and no header breaks inside a word."""
    from rich.text import Text

    items: list[Any] = [Text(report.title, style="bold"), Text(report.subtitle), Text("")]
    for table in report.tables:
        groups = column_groups(table, width)
        for number, columns in enumerate(groups, start=1):
            title = table.title if len(groups) == 1 else f"{table.title} ({number}/{len(groups)})"
            items.append(_rich_table(table, columns, width, title))
        if table.notes:
            items.append(Text(" ".join(table.notes), style="dim"))
        items.append(Text(""))
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
    sheets = {"toelichting": pd.DataFrame({_("Notes"): notes})}
    for table in report.tables:
        sheets[table.name] = table_frame(table)
    return sheets


def write_xlsx(report: Report, path: Path, force: bool = False) -> Path:
    from kansen_cli.files import write_xlsx as write

    return write(path, to_sheets(report), force)


def to_json(report: Report) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"
