"""What the socially active people do (several activity types each) and where the conversations
took place."""

from __future__ import annotations

from typing import Any

from kansen_cli.report.cells import Builder, Count, Table, label
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, codes, split


def section(ctx: Context, b: Builder) -> Part:
    activity, activity_json = _activities(ctx, b)
    location, location_json = _location(ctx, b)
    return Part(
        tables=[activity, location], summary={"activity_types": activity_json, "location": location_json}
    )


def _activities(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any]]:
    cb, roles, outcomes = ctx.cb, ctx.roles, ctx.conversations
    active = outcomes[outcomes["classification"] == roles.active]
    activity_lists = active["activity_types"].map(split)
    seen_types = [t for found in activity_lists for t in found]
    table = Table(
        "activiteiten",
        "Soort activiteiten van de maatschappelijk actieven (meer dan één mogelijk)",
        ["Activiteit", "Aantal"],
    )
    json: dict[str, Any] = {}
    for code in codes(cb.activity_types, seen_types):
        value = sum(1 for found in activity_lists if code in found)
        table.rows.append(
            [label(cb.activity_types.get(code, code)), b.count(("act", code), value, table.name, code)]
        )
        json[code] = Count(("act", code))
    table.rows.append(
        [
            label("Maatschappelijk actieven", bold=True),
            b.count(("out", roles.active, "n"), len(active), table.name, ctx.class_label[roles.active]),
        ]
    )
    return table, json


def _location(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any]]:
    cb, outcomes = ctx.cb, ctx.conversations
    table = Table("locatie", "Plaats van de gesprekken", ["Plaats", "Aantal"])
    found = codes(cb.location, outcomes["location"])
    loc_codes = [c for c in found if c != NONE] + ([NONE] if (outcomes["location"] == NONE).any() else [])
    json: dict[str, Any] = {}
    for code in loc_codes:
        value = int((outcomes["location"] == code).sum())
        key = ("loc", code)
        cell = b.count(key, value, table.name, code)
        table.rows.append([label(cb.location.get(code, "Onbekend" if code == NONE else code)), cell])
        json["onbekend" if code == NONE else code] = Count(key)
    table.rows.append(
        [
            label("Totaal gesproken", bold=True),
            b.count(("out", "all", "n"), len(outcomes), table.name, "Totaal"),
        ]
    )
    b.equation(("out", "all", "n"), [("loc", c) for c in loc_codes])
    return table, json
