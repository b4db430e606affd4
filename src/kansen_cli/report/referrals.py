"""Referrals from the conversations in the period, per destination, and their results; with the
referrals without a conversation (`roles.referral_without_conversation`) of the people approached
in the period and not spoken to."""

from __future__ import annotations

from typing import Any

from kansen_cli.errors import ReportInconsistent
from kansen_cli.i18n import _
from kansen_cli.report.bases import ADVISED, advised
from kansen_cli.report.cells import Builder, Cell, Count, Rate, Table, blank, code_counts, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, codes, split


def section(ctx: Context, b: Builder) -> Part:
    cb, refs = ctx.cb, ctx.referrals
    found = codes(cb.referral_result, refs["result"])
    result_codes = [c for c in found if c != NONE] + [NONE]
    # What the outcomes recorded (outcomes.referrals: of the conversations, and of the people not
    # spoken to, to a destination allowed without a conversation) against the referral records.
    outcomes, taken_over = ctx.conversations, ctx.taken_over
    recorded = [
        (cid, code)
        for cid, listed in zip(outcomes["client_id"], outcomes["referrals"], strict=True)
        for code in split(listed)
    ] + list(zip(taken_over["client_id"], taken_over["destination"], strict=True))
    dest_codes = codes(cb.referrals, list(refs["destination"]) + [c for _, c in recorded])
    table = _table(ctx, b, result_codes, dest_codes, [c for _, c in recorded])
    shares = [row[2] for row in table.rows]  # each row's share of the advised
    return Part(
        tables=[table],
        summary={
            "referrals": {code: Count(("ref", code, "n")) for code in dest_codes},
            "referral_shares": {code: Rate(shares[i]) for i, code in enumerate(dest_codes)},
            "referrals_total_share": Rate(shares[-2]),
            "referred_people_share": Rate(shares[-1]),
            "referrals_total": Count(("ref", "all", "n")),
            "referred_people": Count(("funnel", "referred")),
            "referral_results": {
                code: {("geen_resultaat" if r == NONE else r): Count(("ref", code, r)) for r in result_codes}
                for code in dest_codes
            },
        },
    )


def _table(
    ctx: Context, b: Builder, result_codes: list[str], dest_codes: list[str], recorded: list[str]
) -> Table:
    cb, refs = ctx.cb, ctx.referrals
    result_label: dict[str, Any] = {**cb.referral_result, NONE: "Nog geen resultaat"}
    base = advised(ctx)
    table = Table(
        "verwijzingen",
        _("Referrals per destination and their result"),
        [
            _("Destination"),
            _("Referrals"),
            _("% of advised"),
            *(result_label.get(c, c) for c in result_codes),
        ],
    )

    def share(key: tuple[str, ...], count: int) -> Cell:
        return pct(count, base, (key, ADVISED))

    for code in dest_codes:
        frame = refs[refs["destination"] == code]
        in_outcomes = sum(1 for c in recorded if c == code)
        if in_outcomes != len(frame):
            raise ReportInconsistent(
                _(
                    "referrals to '{code}': {in_outcomes} recorded with the conversations "
                    "but {frame} referral records; re-ingest the sheets so both agree"
                ).format(code=code, in_outcomes=in_outcomes, frame=len(frame))
            )
        name = cb.referrals.get(code, code)
        row = [label(name), b.count(("ref", code, "n"), len(frame), table.name, name)]
        row.append(share(("ref", code, "n"), len(frame)))
        row += code_counts(b, table, frame["result"], result_codes, ("ref", code), (f"{name}: ", ""))
        b.equation(("ref", code, "n"), [("ref", code, r) for r in result_codes])
        table.rows.append(row)
    row = [
        label(_("Total"), bold=True),
        b.count(("ref", "all", "n"), len(refs), table.name, "Totaal verwijzingen"),
        share(("ref", "all", "n"), len(refs)),
    ]
    for res in result_codes:
        row.append(b.count(("ref", "all", res), int((refs["result"] == res).sum()), table.name, res))
        b.equation(("ref", "all", res), [("ref", c, res) for c in dest_codes])
    table.rows.append(row)
    b.equation(("ref", "all", "n"), [("ref", c, "n") for c in dest_codes])
    b.equation(("ref", "all", "n"), [("ref", "all", r) for r in result_codes])
    table.rows.append(
        [
            label(_("Referred people")),
            b.count(("funnel", "referred"), refs["client_id"].nunique(), table.name, _("Referred people")),
            share(("funnel", "referred"), refs["client_id"].nunique()),
            *(blank() for _ in result_codes),
        ]
    )
    table.notes.append(
        "Eén persoon kan naar meer dan één bestemming verwezen zijn. Percentages van de geadviseerden "
        "(benaderd − niet meer van toepassing; de tabel 'Basis voor de percentages' geeft het aantal)."
    )
    without = [cb.referrals.get(c, c) for c in ctx.roles.referral_without_conversation]
    if without:
        table.notes.append(
            f"Ook zonder gesprek verwezen: naar {', '.join(without)} (neemt over wie niet gesproken "
            "is); die verwijzingen tellen mee voor wie in de periode benaderd is."
        )
    return table
