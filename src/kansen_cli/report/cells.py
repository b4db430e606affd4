"""What every report section builds with: cells, tables, the key/equation builder, and the
references its JSON is written in.

Every count has a key, and the same figure in two tables (the number approached in the reach
table, the variant table and the funnel) has the same key. Registering a key twice with two
different values, or an `Equation` (a total and its parts) that does not add up, raises
`ReportInconsistent`: Groningen's interim evaluation printed 350 referrals in one table and 344
in another, and a council letter must not. The same equations drive `--publish` suppression.

A section writes its part of the JSON with references instead of numbers (`Count`, `Rate`,
`Guarded`): what is shown depends on the suppression, which runs after all sections have
registered their counts; `resolve` fills them in then.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kansen_cli.errors import ReportInconsistent
from kansen_cli.i18n import _
from kansen_cli.suppression import Equation

Key = Hashable
Kind = Literal["label", "count", "pct", "stat", "blank"]


@dataclass
class Cell:
    """One cell: a label, a count (with its key), a percentage or statistic (with its inputs)."""

    kind: Kind
    value: Any = None
    key: Key | None = None
    inputs: tuple[Key, ...] = ()
    base: int | None = None  # denominator of a percentage (publish rule)
    hidden: bool = False
    digits: int = 1  # decimals when rendered
    exact: float | None = None  # a rate as an unrounded fraction, for JSON
    bold: bool = False
    unknown: bool = False  # a rate of people none of whom has a result yet: not a 0 %

    @property
    def shown(self) -> Any:
        """The value as published: None when hidden."""
        return None if self.hidden else self.value


@dataclass
class Table:
    """A table with a machine name (sheet, JSON), a Dutch title, Dutch column headers and rows."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    tables: list[Table]
    data: dict[str, Any]
    title: str
    subtitle: str
    published: bool
    empty: bool  # nobody approached in the period: the tables are all zeros
    counts: dict[Key, int] = field(default_factory=dict)  # every count by key, before suppression
    equations: list[Equation] = field(default_factory=list)  # the sums the checks and --publish use
    hidden: set[Key] = field(default_factory=set)  # keys suppressed by --publish

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def label(text: str, bold: bool = False) -> Cell:
    return Cell("label", text, bold=bold)


def blank() -> Cell:
    return Cell("blank")


class Builder:
    """Collects counts by key (checking that repeated figures agree) and the equations."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.where: dict[Key, str] = {}
        self.equations: list[Equation] = []
        self.labels: dict[Key, str] = {}

    def count(self, key: Key, value: int, table: str, label: str) -> Cell:
        value = int(value)
        if key in self.values and self.values[key] != value:
            raise ReportInconsistent(
                _(
                    "'{label}' is {value} in table '{table}' but {values} as '{labels}' in table '{where}'"
                ).format(
                    label=label,
                    value=value,
                    table=table,
                    values=self.values[key],
                    labels=self.labels[key],
                    where=self.where[key],
                )
            )
        self.values.setdefault(key, value)
        self.where.setdefault(key, table)
        self.labels.setdefault(key, label)
        return Cell("count", value, key=key)

    def equation(self, total: Key, parts: Sequence[Key]) -> None:
        self.equations.append(Equation(total, tuple(parts)))

    def check(self) -> None:
        for eq in self.equations:
            parts = sum(self.values[p] for p in eq.parts)
            if parts != self.values[eq.total]:
                raise ReportInconsistent(
                    _("'{labels}' in table '{where}' is {values}, but its parts add up to {parts}").format(
                        labels=self.labels[eq.total],
                        where=self.where[eq.total],
                        values=self.values[eq.total],
                        parts=parts,
                    )
                )


def code_counts(
    b: Builder,
    table: Table,
    values: Any,
    codes: Sequence[str],
    scope: tuple[Any, ...],
    around: tuple[str, str] = ("", ""),
) -> list[Cell]:
    """One count cell per code: how often `values` (a column) holds it, keyed `(*scope, code)`
    and described (in a consistency error) as the code between the two texts of `around`."""
    before, after = around
    return [
        b.count((*scope, code), int((values == code).sum()), table.name, f"{before}{code}{after}")
        for code in codes
    ]


def percent_half_up(count: int, base: int) -> float:
    """100 · count / base to one decimal, a half rounded up as a council reader does it: 357 of
    560 is 63,75 % exactly, shown 63,8 (round() on the float 63.74999… gave 63,7)."""
    tenths = (2000 * count + base) // (2 * base)  # floor(1000 · count / base + 1/2), in integers
    return tenths / 10


def pct(count: int, base: int, inputs: Sequence[Key]) -> Cell:
    """A percentage (None without base), remembering what it is made of."""
    exact = count / base if base > 0 else None
    value = None if exact is None else percent_half_up(count, base)
    return Cell("pct", value, inputs=tuple(inputs), base=base, exact=exact)


def rate_cells(prop: Any, inputs: Sequence[Key]) -> list[Cell]:
    """A proportion (`stats.Proportion`) as three percentage cells: rate, interval low and high."""
    base = prop.nobs
    values = [prop.rate, prop.ci_low, prop.ci_high]
    shown = [None if v is None else round(100 * v, 1) for v in values]
    if prop.rate is not None and base > 0:
        shown[0] = percent_half_up(prop.count, base)  # the rate is a fraction of counts: exact
    return [
        Cell("pct", value, inputs=tuple(inputs), base=base, exact=v)
        for value, v in zip(shown, values, strict=True)
    ]


def stat(value: float | None, inputs: Sequence[Key], base: int, scale: float = 1, digits: int = 1) -> Cell:
    """A statistic computed from counts: hidden under --publish with any of its inputs."""
    shown = None if value is None else round(value * scale, digits)
    return Cell("stat", shown, inputs=tuple(inputs), base=base, digits=digits)


# ---- references in a section's JSON, resolved after suppression ----------------------------------


@dataclass(eq=False, frozen=True)
class Count:
    """The count with this key: None when --publish hides it."""

    key: Key


@dataclass(eq=False, frozen=True)
class Rate:
    """A percentage cell's unrounded rate to 4 decimals: None when hidden or without a base."""

    cell: Cell


@dataclass(eq=False, frozen=True)
class Guarded:
    """A statistic as computed: None when any of the cells that show it is hidden."""

    value: Any
    cells: tuple[Cell, ...]


def resolve(tree: Any, values: dict[Key, int], hidden: set[Key]) -> Any:
    """The JSON with every reference replaced by what may be published."""
    if isinstance(tree, Count):
        return None if tree.key in hidden else values[tree.key]
    if isinstance(tree, Rate):
        cell = tree.cell
        return None if cell.hidden or cell.exact is None else round(cell.exact, 4)
    if isinstance(tree, Guarded):
        return None if any(cell.hidden for cell in tree.cells) else tree.value
    if isinstance(tree, dict):
        return {key: resolve(value, values, hidden) for key, value in tree.items()}
    if isinstance(tree, list):
        return [resolve(value, values, hidden) for value in tree]
    return tree
