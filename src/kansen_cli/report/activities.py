"""What the socially active people do (several activity types each) and where the conversations
took place."""

from __future__ import annotations

from typing import Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Rate, Table, blank, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, codes, split


def section(ctx: Context, b: Builder) -> Part:
    activity, activity_json, activity_shares = _activities(ctx, b)
    location, location_json, location_shares = _location(ctx, b)
    return Part(
        tables=[activity, location],
        summary={
            "activity_types": activity_json,
            "activity_type_shares": activity_shares,
            "location": location_json,
            "location_shares": location_shares,
        },
    )


def _activities(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any], dict[str, Any]]:
    cb, roles, outcomes = ctx.cb, ctx.roles, ctx.conversations
    active = outcomes[outcomes["classification"] == roles.active]
    activity_lists = active["activity_types"].map(split)
    seen_types = [t for found in activity_lists for t in found]
    table = Table(
        "activiteiten",
        _("Kind of activities of the socially active (more than one possible)"),
        [_("Activity"), _("Number"), _("% of the socially active")],
    )
    base_key = ("out", roles.active, "n")
    json: dict[str, Any] = {}
    shares: dict[str, Any] = {}
    for code in codes(cb.activity_types, seen_types):
        value = sum(1 for found in activity_lists if code in found)
        row = [
            label(cb.activity_types.get(code, code)),
            b.count(("act", code), value, table.name, code),
            pct(value, len(active), (("act", code), base_key)),
        ]
        table.rows.append(row)
        json[code] = Count(("act", code))
        shares[code] = Rate(row[-1])
    table.rows.append(
        [
            label("Maatschappelijk actieven", bold=True),
            b.count(base_key, len(active), table.name, ctx.class_label[roles.active]),
            blank(),  # the base of the percentages
        ]
    )
    # No equation: someone doing voluntary work and caring for a neighbour counts in both rows.
    table.notes.append(
        "Percentages van de maatschappelijk actieven (de basis, in de onderste rij). Eén persoon kan "
        "meer dan één soort activiteit hebben: de percentages tellen daarom niet op tot 100."
    )
    return table, json, shares


def _location(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any], dict[str, Any]]:
    cb, outcomes = ctx.cb, ctx.conversations
    table = Table("locatie", _("Place of the conversations"), [_("Place"), _("Number"), _("% of spoken")])
    total_key = ("out", "all", "n")
    found = codes(cb.location, outcomes["location"])
    loc_codes = [c for c in found if c != NONE] + ([NONE] if (outcomes["location"] == NONE).any() else [])
    json: dict[str, Any] = {}
    shares: dict[str, Any] = {}
    for code in loc_codes:
        value = int((outcomes["location"] == code).sum())
        key = ("loc", code)
        cell = b.count(key, value, table.name, code)
        share = pct(value, len(outcomes), (key, total_key))
        table.rows.append([label(cb.location.get(code, "Onbekend" if code == NONE else code)), cell, share])
        json["onbekend" if code == NONE else code] = Count(key)
        shares["onbekend" if code == NONE else code] = Rate(share)
    table.rows.append(
        [
            label("Totaal gesproken", bold=True),
            b.count(total_key, len(outcomes), table.name, "Totaal"),
            blank(),  # the base of the percentages
        ]
    )
    b.equation(total_key, [("loc", c) for c in loc_codes])
    table.notes.append("Percentages van het totaal gesproken (de basis, in de onderste rij).")
    return table, json, shares
