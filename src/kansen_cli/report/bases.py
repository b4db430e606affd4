"""The base the council's percentages are of: the advised, the people approached minus those no
longer applicable (moved, benefit ended). Nijmegen's evaluation printed its shares as percentages
of "560 geadviseerd" without a table that says how 560 came about; this one does, and the
referral table prints its shares of it."""

from __future__ import annotations

from kansen_cli.report.cells import Builder, Count, Key, Table, label
from kansen_cli.report.context import Context, Part

ADVISED: Key = ("base", "advised")


def advised(ctx: Context) -> int:
    """Approached minus no longer applicable, in the period."""
    counts = ctx.reach_counts(ctx.letters)
    return len(ctx.letters) - sum(counts[c] for c in ctx.na_codes)


def section(ctx: Context, b: Builder) -> Part:
    table = Table("basis", "Basis voor de percentages", ["Groep", "Personen"])
    approached_key = ("reach", "all", "_approached")
    counts = ctx.reach_counts(ctx.letters)
    table.rows.append([label("Benaderd"), b.count(approached_key, len(ctx.letters), table.name, "Benaderd")])
    for code in ctx.na_codes:
        name = f"Niet meer van toepassing: {ctx.contact_label[code].lower()}"
        table.rows.append([label(name), b.count(("reach", "all", code), counts[code], table.name, name)])
    name = "Geadviseerd (basis)"
    table.rows.append([label(name, bold=True), b.count(ADVISED, advised(ctx), table.name, name)])
    b.equation(approached_key, [ADVISED, *(("reach", "all", c) for c in ctx.na_codes)])
    table.notes.append(
        "Geadviseerd = benaderd − niet meer van toepassing: de basis van de percentages van de "
        "verwijzingen en van de respons."
    )
    return Part(
        tables=[table],
        summary={
            "advised": Count(ADVISED),
            "not_applicable": {code: Count(("reach", "all", code)) for code in ctx.na_codes},
        },
    )
