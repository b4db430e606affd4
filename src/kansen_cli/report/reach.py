"""Reach: letters sent in the period and their contact results, per neighbourhood and per batch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Cell, Count, Key, Rate, Table, blank, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, groups

if TYPE_CHECKING:
    import pandas as pd


def section(ctx: Context, b: Builder) -> Part:
    by_nbh = _by_neighbourhood(ctx, b)
    by_batch = _by_batch(ctx, b)
    reach_all = by_nbh.rows[-1]
    return Part(
        tables=[by_nbh, by_batch],
        summary={
            "approached": Count(("reach", "all", "_approached")),
            "spoken": Count(("reach", "all", ctx.roles.spoken)),
            "response_rate": Rate(reach_all[-1]),
            "contact_results": _contact_results(ctx, "all"),
        },
        lists={
            "by_neighbourhood": [
                _entry(ctx, "neighbourhood", n, ("wijk", n), by_nbh.rows[i])
                for i, n in enumerate(ctx.neighbourhoods)
            ],
            "by_batch": [
                {**_entry(ctx, "batch", x, ("batch", x), by_batch.rows[i]), "neighbourhood": ctx.batch_nbh[x]}
                for i, x in enumerate(ctx.batch_ids)
            ],
        },
    )


def _columns(ctx: Context) -> list[str]:
    return [_("Approached"), *(ctx.contact_label.get(c, c) for c in ctx.contact_codes), _("Response (%)")]


def _row(
    ctx: Context, b: Builder, scope: Key, labels: list[Cell], frame: pd.DataFrame, table: str, bold: bool
) -> list[Cell]:
    """Approached, one count per contact result, and the response rate."""
    counts = ctx.reach_counts(frame)
    approached_key = ("reach", scope, "_approached")
    cells = [b.count(approached_key, len(frame), table, _("Approached"))]
    for code in ctx.contact_codes:
        cells.append(b.count(("reach", scope, code), counts[code], table, ctx.contact_label.get(code, code)))
    b.equation(approached_key, [("reach", scope, c) for c in ctx.contact_codes])
    spoken = ctx.roles.spoken
    base = len(frame) - sum(counts[c] for c in ctx.na_codes)
    rate = pct(
        counts.get(spoken, 0),
        base,
        [approached_key, ("reach", scope, spoken), *(("reach", scope, c) for c in ctx.na_codes)],
    )
    # Letters sent, but nobody has a result yet: 0 % would read as a result.
    rate.unknown = len(frame) > 0 and counts.get(NONE, 0) == len(frame)
    cells.append(rate)
    for cell in labels:
        cell.bold = bold
    return labels + cells


def _by_neighbourhood(ctx: Context, b: Builder) -> Table:
    table = Table(
        "bereik_wijk",
        _("Reach per neighbourhood (approached in the period)"),
        [_("Neighbourhood"), *_columns(ctx)],
    )
    letters_by_nbh = groups(ctx.letters, "neighbourhood")
    for nbh in ctx.neighbourhoods:
        table.rows.append(_row(ctx, b, ("wijk", nbh), [label(nbh)], letters_by_nbh[nbh], table.name, False))
    table.rows.append(_row(ctx, b, "all", [label(_("Total"))], ctx.letters, table.name, True))
    for column in ["_approached", *ctx.contact_codes]:
        b.equation(("reach", "all", column), [("reach", ("wijk", n), column) for n in ctx.neighbourhoods])
    na_codes = ctx.na_codes
    leaving = " − ".join(ctx.contact_label[c].lower() for c in na_codes)
    table.notes.append(
        _("Response = spoken / (approached − {leaving}).").format(leaving=leaving)
        if na_codes
        else _("Response = spoken / approached.")
    )
    table.notes.append(
        _(
            "Every column is about the people approached in the period, with their result so far "
            "(a conversation after the period too)."
        )
    )
    return table


def _by_batch(ctx: Context, b: Builder) -> Table:
    table = Table("bereik_batch", _("Reach per batch"), [_("Batch"), _("Neighbourhood"), *_columns(ctx)])
    batch_ids, batch_nbh = ctx.batch_ids, ctx.batch_nbh
    for batch_id in batch_ids:
        labels = [label(batch_id), label(batch_nbh[batch_id])]
        frame = ctx.letters_by_batch[batch_id]
        table.rows.append(_row(ctx, b, ("batch", batch_id), labels, frame, table.name, False))
    table.rows.append(_row(ctx, b, "all", [label(_("Total")), blank()], ctx.letters, table.name, True))
    for column in ["_approached", *ctx.contact_codes]:
        b.equation(("reach", "all", column), [("reach", ("batch", x), column) for x in batch_ids])
        for nbh in ctx.neighbourhoods:
            members = [x for x in batch_ids if batch_nbh[x] == nbh]
            b.equation(("reach", ("wijk", nbh), column), [("reach", ("batch", x), column) for x in members])
    return table


def _contact_results(ctx: Context, scope: Key) -> dict[str, Count]:
    return {("geen_resultaat" if c == NONE else c): Count(("reach", scope, c)) for c in ctx.contact_codes}


def _entry(ctx: Context, name: str, value: str, scope: Key, row: list[Cell]) -> dict[str, Any]:
    return {
        name: value,
        "approached": Count(("reach", scope, "_approached")),
        "spoken": Count(("reach", scope, ctx.roles.spoken)),
        "response_rate": Rate(row[-1]),
        "contact_results": _contact_results(ctx, scope),
    }
