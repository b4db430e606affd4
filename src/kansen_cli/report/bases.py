"""The base the council's percentages are of: the advised, the people approached minus those no
longer applicable (moved, benefit ended). Nijmegen's evaluation printed its shares as percentages
of "560 geadviseerd" without a table that says how 560 came about; this one does, a second table
gives each contact result its share of it (Nijmegen's 13 % twice no-show, 16 % no appointment), and
the referral table prints its shares of it."""

from __future__ import annotations

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Key, Rate, Table, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE

ADVISED: Key = ("base", "advised")


def advised(ctx: Context) -> int:
    """Approached minus no longer applicable, in the period."""
    counts = ctx.reach_counts(ctx.letters)
    return len(ctx.letters) - sum(counts[c] for c in ctx.na_codes)


def section(ctx: Context, b: Builder) -> Part:
    table = Table("basis", _("Basis of the percentages"), [_("Group"), _("People")])
    approached_key = ("reach", "all", "_approached")
    counts = ctx.reach_counts(ctx.letters)
    table.rows.append(
        [label(_("Approached")), b.count(approached_key, len(ctx.letters), table.name, _("Approached"))]
    )
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
    results = _results(ctx, b)
    shares = {code: Rate(results.rows[i][2]) for i, code in enumerate(_advised_codes(ctx))}
    return Part(
        tables=[table, results],
        summary={
            "advised": Count(ADVISED),
            "not_applicable": {code: Count(("reach", "all", code)) for code in ctx.na_codes},
            "contact_result_shares": {("geen_resultaat" if c == NONE else c): r for c, r in shares.items()},
        },
    )


def _advised_codes(ctx: Context) -> list[str]:
    """The contact results the advised are split into: all but the no longer applicable."""
    return [c for c in ctx.contact_codes if c not in ctx.na_codes]


def _results(ctx: Context, b: Builder) -> Table:
    """Each contact result of the advised with its percentage of them: the reach tables count the
    same people per wijk and batch, this one gives the shares a council compares with another
    city's (of the advised, not of all approached, as Nijmegen published them)."""
    table = Table(
        "contactresultaten",
        _("Result of the approach (% of advised)"),
        [_("Result"), _("People"), _("% of advised")],
    )
    counts = ctx.reach_counts(ctx.letters)
    base = advised(ctx)
    codes = _advised_codes(ctx)
    for code in codes:
        name = ctx.contact_label.get(code, code)
        key = ("reach", "all", code)
        table.rows.append(
            [
                label(name),
                b.count(key, counts[code], table.name, name),
                pct(counts[code], base, (key, ADVISED)),
            ]
        )
    name = "Geadviseerd (basis)"
    table.rows.append(
        [label(name, bold=True), b.count(ADVISED, base, table.name, name), pct(base, base, (ADVISED,))]
    )
    b.equation(ADVISED, [("reach", "all", c) for c in codes])
    table.notes.append(
        "Percentages van de geadviseerden (benaderd − niet meer van toepassing); per persoon het "
        "laatste resultaat, ook van een latere ronde."
    )
    return table
