"""Who became active after a conversation in the period: via a referral or on their own."""

from __future__ import annotations

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Table, label
from kansen_cli.report.context import Context, Part


def section(ctx: Context, b: Builder) -> Part:
    cb, roles, latest = ctx.cb, ctx.roles, ctx.latest_calls
    via = ctx.active_via_referral
    own_all = set(latest.loc[latest["result"] == roles.followup_became_active, "client_id"])
    own = own_all - via  # someone who started via a referral counts there, once
    table = Table("actief_geworden", _("Became active"), [_("Route"), _("People")])
    table.rows += [
        [
            label(_("Through a referral")),
            b.count(("active", "via"), len(via), table.name, _("Through a referral")),
        ],
        [
            label("Op eigen kracht (nabellen)"),
            b.count(("active", "own"), len(own), table.name, "Op eigen kracht"),
        ],
        [
            label("Totaal", bold=True),
            b.count(("funnel", "active"), len(via | own_all), table.name, "Totaal actief geworden"),
        ],
    ]
    b.equation(("funnel", "active"), [("active", "via"), ("active", "own")])
    per_destination = [
        f"{cb.referrals.get(dest, dest)}: "
        + (" of ".join(f"'{cb.referral_result.get(c, c)}'" for c in codes) if codes else "telt niet mee")
        for dest, codes in roles.became_active.items()
    ]
    exceptions = f" ({'; '.join(per_destination)})" if per_destination else ""
    table.notes.append(
        f"Via een verwijzing: resultaat '{cb.referral_result[roles.referral_started]}'{exceptions}; "
        "op eigen kracht: "
        f"nabelresultaat '{cb.followup_result[roles.followup_became_active]}'. "
        "Wie beide heeft, telt één keer."
    )
    return Part(
        tables=[table],
        summary={
            "became_active": {
                "via_referral": Count(("active", "via")),
                "on_own": Count(("active", "own")),
                "total": Count(("funnel", "active")),
            }
        },
    )
