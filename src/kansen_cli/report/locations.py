"""Conversations per location (issue 12): where the conversations in the period took place,
from the appointment of each person spoken to; home visits are one row, "Thuis". Left out when
no appointment is at a location, so a campaign of home visits only gets the report it had."""

from __future__ import annotations

from typing import Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Rate, Table, blank, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.routes import SHEET_CHANNELS

HOME = "_thuis"
NO_APPOINTMENT = "_geen_afspraak"


def conversation_places(ctx: Context) -> dict[Any, str]:
    """Per person spoken to in the period: the location code of the appointment of the batch whose
    letter, re-invitation or visit carries the conversation (a round-2 conversation is held where
    round 2 planned it; `outcomes` files every result under the round-1 batch), else of their
    latest appointment; HOME, or NO_APPOINTMENT."""
    appointments = ctx.data.appointments
    if appointments is None or not appointments["location"].notna().any():
        # Home visits only (the table is left out): no pass over a million appointments.
        return {}
    by_person: dict[Any, dict[Any, Any]] = {}
    # In the ledger's order (by date): the last one a person has is their latest appointment.
    for cid, batch_id, location in zip(
        appointments["client_id"], appointments["batch_id"], appointments["location"], strict=True
    ):
        by_person.setdefault(cid, {})[batch_id] = location
    spoken_in = _batch_of_conversation(ctx)
    places = {}
    for cid in ctx.conversations["client_id"]:
        held = by_person.get(cid)
        if not held:
            places[cid] = NO_APPOINTMENT
            continue
        batch_id = spoken_in.get(cid)
        location = held[batch_id] if batch_id in held else list(held.values())[-1]
        places[cid] = location if isinstance(location, str) and location else HOME
    return places


def _batch_of_conversation(ctx: Context) -> dict[Any, Any]:
    """Per person, the batch of the last letter, re-invitation or visit whose registration sheet
    recorded the conversation (the attempt's outcome is `roles.spoken`)."""
    attempts, spoken = ctx.attempts, ctx.roles.spoken
    found: dict[Any, Any] = {}
    for cid, batch_id, channel, outcome in zip(
        attempts["client_id"], attempts["batch_id"], attempts["channel"], attempts["outcome"], strict=True
    ):
        if channel in SHEET_CHANNELS and outcome == spoken:
            found[cid] = batch_id  # date order: the last one stays
    return found


def section(ctx: Context, b: Builder) -> Part:
    places = conversation_places(ctx)
    if not any(p not in (HOME, NO_APPOINTMENT) for p in places.values()):
        return Part()
    planning = ctx.settings.planning
    known = [loc.code for loc in planning.locations]
    found = known + sorted({p for p in places.values() if p not in known and p not in (HOME, NO_APPOINTMENT)})
    order = [p for p in found if p in places.values()] + [
        p for p in (HOME, NO_APPOINTMENT) if p in places.values()
    ]
    table = Table(
        "gesprekken_locatie",
        _("Conversations per location"),
        [_("Location"), _("Conversations"), _("% of the conversations")],
    )
    total_key = ("out", "all", "n")  # the outcome table's total: the same conversations
    total = len(ctx.conversations)
    entries = []
    for place in order:
        location = planning.location(place) if place not in (HOME, NO_APPOINTMENT) else None
        name = {HOME: "Thuis", NO_APPOINTMENT: "Zonder afspraak"}.get(place) or (
            location.name if location is not None else place
        )
        key = ("loc", place)
        count = sum(1 for p in places.values() if p == place)
        row = [
            label(name),
            b.count(key, count, table.name, f"Gesprekken: {name}"),
            pct(count, total, (key, total_key)),
        ]
        table.rows.append(row)
        entries.append(
            {
                "location": {HOME: "home", NO_APPOINTMENT: "no_appointment"}.get(place, place),
                "name": name,
                "conversations": Count(key),
                "share": Rate(row[-1]),
            }
        )
    table.rows.append(
        [
            label("Totaal gesproken", bold=True),
            b.count(total_key, total, table.name, "Totaal gesproken"),
            blank(),
        ]
    )
    b.equation(total_key, [("loc", p) for p in order])
    table.notes.append(
        "Gesprekken in de periode, naar de plek van de afspraak; 'Thuis' zijn de huisbezoeken."
    )
    return Part(tables=[table], lists={"by_location": entries})
