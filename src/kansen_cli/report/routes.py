"""The routes of issue 12: reach per channel, response per round (Groningen's Selwerd table) and
the phone contact rate.

People, never attempts: a person approached by letter and by phone is one person in each of
those two rows and once in the total. A table whose data is absent (only letters, one round, no
phone calls) is left out, so a campaign that only writes letters gets the report it had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Cell, Count, Rate, Table, blank, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, codes

if TYPE_CHECKING:
    import pandas as pd

CHANNEL_LABEL = {
    "letter": "Brief",
    "phone": "Telefoon",
    "doorstep": "Aan de deur",
    "reinvitation": "Herinvitatie",
}
# The sheet's contact result is stored on these attempts (the COMMON contract); a phone attempt
# holds a phone outcome instead.
SHEET_CHANNELS = ("letter", "reinvitation", "doorstep")


def section(ctx: Context, b: Builder) -> Part:
    part = Part()
    for build in (_channels, _rounds, _phone):
        built = build(ctx, b)
        if built is not None:
            table, summary = built
            part.tables.append(table)
            part.summary.update(summary)
    return part


def _people(frame: pd.DataFrame, approached: set[Any]) -> set[Any]:
    return set(frame["client_id"]) & approached


def _channels(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any]] | None:
    """People approached per channel and reached among them; only with a channel besides letters."""
    approached = set(ctx.letters["client_id"])
    attempts = ctx.attempts
    found = codes(CHANNEL_LABEL, attempts["channel"])
    by_channel = {ch: _people(attempts[attempts["channel"] == ch], approached) for ch in found}
    shown = [ch for ch in found if by_channel[ch]]
    if set(shown) <= {"letter"}:
        return None
    reached = ctx.reached_ids
    by_itself = reached_by_channel(ctx)
    table = Table(
        "bereik_kanaal",
        _("Reach per channel"),
        [_("Channel"), _("Approached"), _("Reached"), _("Reached (%)")],
    )
    entries: dict[str, Any] = {}
    for ch in shown:
        people = by_channel[ch]
        name = CHANNEL_LABEL.get(ch, ch)
        keys = (("route", "channel", ch, "approached"), ("route", "channel", ch, "reached"))
        row = _reach_row(b, table, name, keys, len(people), len(people & by_itself.get(ch, set())))
        table.rows.append(row)
        entries[ch] = {"approached": Count(keys[0]), "reached": Count(keys[1]), "reach_rate": Rate(row[-1])}
    total_keys: tuple[Any, Any] = (("reach", "all", "_approached"), ("route", "reached"))
    total = _reach_row(b, table, "Totaal (personen)", total_keys, len(approached), len(reached), bold=True)
    table.rows.append(total)
    reached_words = ", ".join(ctx.cb.phone_outcome.get(c, c).lower() for c in ctx.roles.phone_reached)
    table.notes.append(
        "Personen, geen pogingen: wie via meer kanalen benaderd is, staat in elk van die rijen en "
        "één keer in het totaal. Bereikt telt per kanaal wat dat kanaal zelf opleverde: bij de "
        f"telefoon een gesprek aan de telefoon ({reached_words}; zoals in 'Telefonisch contact'), bij "
        "een brief, herinvitatie of huisbezoek het gesprek dat op het registratieformulier van die "
        "poging staat. Het totaal telt iedereen die op een van die manieren bereikt is; percentage "
        "van de benaderden in dezelfde rij."
    )
    summary = {
        "reached": Count(total_keys[1]),
        "reach_rate": Rate(total[-1]),
        "by_channel": entries,
    }
    return table, summary


def reached_by_channel(ctx: Context) -> dict[str, set[Any]]:
    """Per channel, the approached people that channel itself reached (finding: a row must not
    count reach another channel produced, or the phone row contradicts 'Telefonisch contact'):
    phone = a call with an outcome in `roles.phone_reached`; a letter, re-invitation or doorstep
    visit = the conversation its registration sheet recorded (the attempt's outcome is
    `roles.spoken`). Someone spoken to whose attempts carry no result (letters backfilled before
    issue 12) counts for the channel of their last letter, re-invitation or visit."""
    approached = set(ctx.letters["client_id"])
    spoken_code, phone_reached = ctx.roles.spoken, set(ctx.roles.phone_reached)
    reached: dict[str, set[Any]] = {}
    with_result: set[Any] = set()
    last_sheet: dict[Any, str] = {}
    attempts = ctx.attempts
    for cid, channel, outcome in zip(
        attempts["client_id"], attempts["channel"], attempts["outcome"], strict=True
    ):
        if cid not in approached:
            continue
        if channel == "phone":
            if outcome in phone_reached:
                reached.setdefault(channel, set()).add(cid)
        elif channel in SHEET_CHANNELS:
            last_sheet[cid] = channel  # date order: the last one stays
            if outcome == spoken_code:
                reached.setdefault(channel, set()).add(cid)
                with_result.add(cid)
    for cid, result in zip(ctx.letters["client_id"], ctx.letters["contact_result"], strict=True):
        if result == spoken_code and cid not in with_result and cid in last_sheet:
            reached.setdefault(last_sheet[cid], set()).add(cid)
    return reached


def _reach_row(
    b: Builder,
    table: Table,
    name: str,
    keys: tuple[Any, Any],
    approached: int,
    reached: int,
    bold: bool = False,
) -> list[Cell]:
    return [
        label(name, bold=bold),
        b.count(keys[0], approached, table.name, f"Benaderd: {name}"),
        b.count(keys[1], reached, table.name, f"Bereikt: {name}"),
        pct(reached, approached, keys),
    ]


def round_results(ctx: Context) -> dict[Any, dict[int, str]]:
    """Each approached person's contact result per round: the last result on that round's letter,
    re-invitation or doorstep attempts; for the person's last round without one, the latest result
    of `outcomes` (letters backfilled before issue 12 carry none)."""
    approached = set(ctx.letters["client_id"])
    attempts = ctx.attempts
    results: dict[Any, dict[int, str]] = {}
    last_round: dict[Any, int] = {}
    for cid, rnd, channel, outcome in zip(
        attempts["client_id"], attempts["round"], attempts["channel"], attempts["outcome"], strict=True
    ):
        if cid not in approached:
            continue
        rnd = int(rnd)
        last_round[cid] = max(rnd, last_round.get(cid, rnd))
        if channel in SHEET_CHANNELS and isinstance(outcome, str) and outcome:
            results.setdefault(cid, {})[rnd] = outcome  # date order: the last one stays
    for cid, result in zip(ctx.letters["client_id"], ctx.letters["contact_result"], strict=True):
        last = last_round.get(cid, 1)
        if result != NONE and last not in results.get(cid, {}):
            results.setdefault(cid, {})[last] = result
    return results


def _rounds(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any]] | None:
    """Response after each round, cumulative: spoken by the end of the round over the approached
    minus those no longer applicable by then. Only when there is a later round."""
    attempts = ctx.attempts
    approached = set(ctx.letters["client_id"])
    in_scope = attempts[attempts["client_id"].isin(approached)]
    rounds = sorted({int(r) for r in in_scope["round"]})
    if len(rounds) < 2:
        return None
    first_round = in_scope.groupby("client_id")["round"].min().astype(int).to_dict()
    by_round = {r: set(in_scope.loc[in_scope["round"] == r, "client_id"]) for r in rounds}
    results = round_results(ctx)
    spoken, na_codes = ctx.roles.spoken, set(ctx.na_codes)
    table = Table(
        "bereik_ronde",
        "Respons na elke ronde (cumulatief)",
        [
            "Ronde",
            "In deze ronde benaderd",
            _("Approached"),
            "Niet meer van toepassing",
            "Gesproken",
            "Respons (%)",
        ],
    )
    entries = []
    for r in rounds:
        so_far = {cid for cid, first in first_round.items() if first <= r}
        upto = {cid: [res for rr, res in results.get(cid, {}).items() if rr <= r] for cid in so_far}
        spoken_ids = {cid for cid, res in upto.items() if spoken in res}
        na_ids = {cid for cid, res in upto.items() if cid not in spoken_ids and na_codes & set(res)}
        keys = [("round", r, part) for part in ("in_round", "approached", "na", "spoken")]
        name = f"Na ronde {r}"
        row = [
            label(name),
            b.count(keys[0], len(by_round[r]), table.name, f"In ronde {r} benaderd"),
            b.count(keys[1], len(so_far), table.name, f"{name}: benaderd"),
            b.count(keys[2], len(na_ids), table.name, f"{name}: niet meer van toepassing"),
            b.count(keys[3], len(spoken_ids), table.name, f"{name}: gesproken"),
            pct(len(spoken_ids), len(so_far) - len(na_ids), keys[1:]),
        ]
        table.rows.append(row)
        entries.append(
            {
                "round": r,
                "approached_in_round": Count(keys[0]),
                "approached": Count(keys[1]),
                "not_applicable": Count(keys[2]),
                "spoken": Count(keys[3]),
                "response_rate": Rate(row[-1]),
            }
        )
    table.notes.append(
        "Cumulatief: gesproken tot en met die ronde / (benaderd − niet meer van toepassing tot en met "
        "die ronde). Een latere ronde nodigt opnieuw uit wie de codes voor 'opnieuw uitnodigen' "
        "kreeg; het resultaat van elke ronde komt van haar eigen registratieformulier."
    )
    return table, {"by_round": entries}


def _phone(ctx: Context, b: Builder) -> tuple[Table, dict[str, Any]] | None:
    """Reached on the phone / called, and the called people by the outcome of their last call."""
    approached = set(ctx.letters["client_id"])
    phone = ctx.attempts[(ctx.attempts["channel"] == "phone") & ctx.attempts["client_id"].isin(approached)]
    if phone.empty:
        return None
    cb, roles = ctx.cb, ctx.roles
    last = phone.groupby("client_id", sort=True).tail(1)  # date order: the last call
    last_outcome = last["outcome"].where(last["outcome"].notna() & (last["outcome"] != ""), NONE)
    found = codes(cb.phone_outcome, last_outcome)
    outcome_codes = [c for c in found if c != NONE] + ([NONE] if (last_outcome == NONE).any() else [])
    called = len(last)
    reached = phone.loc[phone["outcome"].isin(roles.phone_reached), "client_id"].nunique()
    table = Table("telefonisch_contact", _("Contact by phone"), [_("Outcome"), _("People"), _("% of called")])
    called_key = ("phone", "called")
    outcome_labels = {**cb.phone_outcome, NONE: "Nog geen uitkomst"}
    by_outcome: dict[str, Any] = {}
    shares: dict[str, Any] = {}
    for code in outcome_codes:
        name = f"Laatste uitkomst: {outcome_labels.get(code, code).lower()}"
        key = ("phone", "last", code)
        count = int((last_outcome == code).sum())
        share = pct(count, called, (key, called_key))
        table.rows.append([label(name), b.count(key, count, table.name, name), share])
        by_outcome["geen_uitkomst" if code == NONE else code] = Count(key)
        shares["geen_uitkomst" if code == NONE else code] = Rate(share)
    b.equation(called_key, [("phone", "last", c) for c in outcome_codes])
    table.rows.append(
        [label("Gebeld (basis)", bold=True), b.count(called_key, called, table.name, "Gebeld"), blank()]
    )
    reached_key = ("phone", "reached")
    rate = pct(reached, called, (reached_key, called_key))
    table.rows.append(
        [
            label("Telefonisch bereikt", bold=True),
            b.count(reached_key, reached, table.name, "Telefonisch bereikt"),
            rate,
        ]
    )
    reached_words = ", ".join(cb.phone_outcome.get(c, c).lower() for c in roles.phone_reached)
    table.notes.append(
        f"Contactpercentage = personen die aan de telefoon gesproken zijn (een belpoging met uitkomst "
        f"{reached_words}) / personen die ten minste één keer gebeld zijn. Personen, geen belpogingen; "
        "de verdeling gaat naar de uitkomst van de laatste belpoging."
    )
    summary = {
        "phone": {
            "called": Count(called_key),
            "reached": Count(reached_key),
            "contact_rate": Rate(rate),
            "last_outcome": by_outcome,
            "last_outcome_share": shares,
        }
    }
    return table, summary
