"""Follow-up calls to the people spoken to in the period: each person's latest round."""

from __future__ import annotations

from typing import Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Table, label
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import codes


def section(ctx: Context, b: Builder) -> Part:
    cb, roles, calls, latest = ctx.cb, ctx.roles, ctx.calls, ctx.latest_calls
    fu_codes = codes(cb.followup_result, latest["result"])
    table = Table("nabellen", _("Follow-up calls (latest round per person)"), [_("Result"), _("People")])
    results: dict[str, Any] = {}
    for code in fu_codes:
        name = cb.followup_result.get(code, code)
        value = int((latest["result"] == code).sum())
        table.rows.append([label(name), b.count(("fu", code), value, table.name, name)])
        results[code] = Count(("fu", code))
    no_contact = int((latest["result"] == roles.followup_no_contact).sum())
    table.rows.append(
        [
            label(_("Called"), bold=True),
            b.count(("fu", "_called"), calls["client_id"].nunique(), table.name, _("Called")),
        ]
    )
    table.rows.append(
        [
            label(_("Reached"), bold=True),
            b.count(("fu", "_reached"), len(latest) - no_contact, table.name, _("Reached")),
        ]
    )
    b.equation(("fu", "_called"), [("fu", c) for c in fu_codes])
    b.equation(("fu", "_called"), [("fu", "_reached"), ("fu", roles.followup_no_contact)])
    return Part(
        tables=[table],
        summary={
            "followup": {
                "called": Count(("fu", "_called")),
                "reached": Count(("fu", "_reached")),
                "results": results,
            }
        },
    )
