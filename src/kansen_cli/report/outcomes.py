"""Outcomes of the conversations in the period: classification and participation potential,
in total and per neighbourhood."""

from __future__ import annotations

from typing import Any

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Key, Rate, Table, blank, code_counts, label, pct
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, codes, groups


def section(ctx: Context, b: Builder) -> Part:
    roles = ctx.roles
    class_codes = _class_codes(ctx)
    neighbourhoods = sorted(ctx.conversations["neighbourhood"].dropna().unique())
    outcome_table = _outcomes(ctx, b, class_codes)
    tables = [outcome_table, _per_neighbourhood(ctx, b, class_codes, neighbourhoods)]
    # Each classification's share of the conversations: the _("% of spoken") cell of its row.
    share = {code: Rate(row[2]) for code, row in zip(class_codes, outcome_table.rows, strict=False)}

    def per_neighbourhood(entry: dict[str, Any]) -> dict[str, Any]:
        nbh = entry["neighbourhood"]
        if nbh not in neighbourhoods:
            return {
                "spoken_in_period": 0,
                "maatschappelijk_actief": 0,
                "arbeidspotentieel": 0,
                "niet_actief": 0,
            }
        return {
            "spoken_in_period": Count(("outw", nbh, "n")),
            "maatschappelijk_actief": Count(("outw", nbh, roles.active)),
            "arbeidspotentieel": Count(("outw", nbh, roles.work_potential)),
            "niet_actief": Count(("outw", nbh, roles.not_active)),
        }

    # Without a period the letter cohort's 'spoken' and the conversations are the same people,
    # so a reader can equate the two tables.
    same: list[tuple[Key, Key]] = [(("reach", "all", roles.spoken), ("out", "all", "n"))]
    same += [(("reach", ("wijk", n), roles.spoken), ("outw", n, "n")) for n in neighbourhoods]
    return Part(
        tables=tables,
        summary={
            "outcomes": {
                "maatschappelijk_actief": Count(("out", roles.active, "n")),
                "arbeidspotentieel": Count(("out", roles.work_potential, "n")),
                "niet_actief": Count(("out", roles.not_active, "n")),
            },
            "outcome_shares": {
                "maatschappelijk_actief": share[roles.active],
                "arbeidspotentieel": share[roles.work_potential],
                "niet_actief": share[roles.not_active],
            },
            "spoken_in_period": Count(("out", "all", "n")),
            "participation_potential": {
                "active": {
                    "zelf": Count(("out", roles.active, "zelf")),
                    "met_ondersteuning": Count(("out", roles.active, "steun")),
                },
                "not_active": {
                    "zelf": Count(("out", roles.not_active, "zelf")),
                    "met_ondersteuning": Count(("out", roles.not_active, "steun")),
                },
                "total": Count(("out", "all", "pot")),
            },
        },
        extend={"by_neighbourhood": per_neighbourhood},
        same_people=same,
    )


def _class_codes(ctx: Context) -> list[str]:
    """The three fixed classifications first, then the codebook's others and any in the data."""
    roles, outcomes = ctx.roles, ctx.conversations
    fixed = [roles.active, roles.work_potential, roles.not_active]
    found = codes(fixed + [c for c in ctx.cb.classification if c not in fixed], outcomes["classification"])
    return [c for c in found if c != NONE] + ([NONE] if (outcomes["classification"] == NONE).any() else [])


def _outcomes(ctx: Context, b: Builder, class_codes: list[str]) -> Table:
    cb, roles, outcomes, class_label = ctx.cb, ctx.roles, ctx.conversations, ctx.class_label
    with_potential = (roles.active, roles.not_active)
    pot_parts = (("zelf", roles.potential_self), ("steun", roles.potential_support))
    table = Table(
        "uitkomsten",
        _("Outcomes of the conversations (conversations in the period)"),
        [
            _("Outcome"),
            _("Number"),
            _("% of spoken"),
            cb.participation_potential[roles.potential_self],
            cb.participation_potential[roles.potential_support],
            _("Participation potential"),
        ],
    )
    spoken = len(outcomes)
    for code in class_codes:
        frame = outcomes[outcomes["classification"] == code]
        row = [
            label(class_label.get(code, code)),
            b.count(("out", code, "n"), len(frame), table.name, class_label.get(code, code)),
            pct(len(frame), spoken, (("out", code, "n"), ("out", "all", "n"))),
        ]
        if code in with_potential:
            for part, pcode in pot_parts:
                row.append(
                    b.count(
                        ("out", code, part),
                        int((frame["participation_potential"] == pcode).sum()),
                        table.name,
                        f"{class_label[code]}: {cb.participation_potential[pcode]}",
                    )
                )
            potential = int(frame["participation_potential"].isin([p for _, p in pot_parts]).sum())
            row.append(
                b.count(("out", code, "pot"), potential, table.name, f"{class_label[code]}: potentieel")
            )
            b.equation(("out", code, "pot"), [("out", code, "zelf"), ("out", code, "steun")])
        else:
            row += [blank(), blank(), blank()]
        table.rows.append(row)
    total_row = [
        label("Totaal gesproken", bold=True),
        b.count(("out", "all", "n"), spoken, table.name, "Totaal gesproken"),
        blank(),  # the base of the percentages
    ]
    total_parts: list[tuple[str, str | None]] = [*pot_parts, ("pot", None)]
    for part, total_code in total_parts:
        wanted: list[str] = [p for _, p in pot_parts] if total_code is None else [total_code]
        value = int(
            (
                outcomes["classification"].isin(with_potential)
                & outcomes["participation_potential"].isin(wanted)
            ).sum()
        )
        total_row.append(b.count(("out", "all", part), value, table.name, f"Totaal {part}"))
        b.equation(("out", "all", part), [("out", c, part) for c in with_potential])
    table.rows.append(total_row)
    b.equation(("out", "all", "n"), [("out", c, "n") for c in class_codes])
    b.equation(("out", "all", "pot"), [("out", "all", "zelf"), ("out", "all", "steun")])
    table.notes.append("Percentages van het totaal gesproken (de basis, in de onderste rij).")
    table.notes.append(
        "Participatiepotentieel: maatschappelijk actieven die meer willen doen en niet-actieven die "
        "actief willen worden, zelf of met ondersteuning."
    )
    return table


def _per_neighbourhood(ctx: Context, b: Builder, class_codes: list[str], neighbourhoods: list[str]) -> Table:
    outcomes, class_label = ctx.conversations, ctx.class_label
    table = Table(
        "uitkomsten_wijk",
        _("Outcomes per neighbourhood (conversations in the period)"),
        [_("Neighbourhood"), _("Spoken in the period"), *(class_label.get(c, c) for c in class_codes)],
    )
    table.notes.append(
        "Gesproken in de periode: gesprekken met een gespreksdatum in de periode. De bereiktabellen "
        "tellen bij 'gesproken' wie in de periode benaderd is, ook als het gesprek later was."
    )
    outcomes_by_nbh = groups(outcomes, "neighbourhood")
    for nbh in neighbourhoods:
        frame = outcomes_by_nbh[nbh]
        row = [label(nbh), b.count(("outw", nbh, "n"), len(frame), table.name, f"Gesproken {nbh}")]
        row += code_counts(b, table, frame["classification"], class_codes, ("outw", nbh), ("", f" {nbh}"))
        b.equation(("outw", nbh, "n"), [("outw", nbh, c) for c in class_codes])
        table.rows.append(row)
    row = [
        label(_("Total"), bold=True),
        b.count(("out", "all", "n"), len(outcomes), table.name, "Totaal gesproken"),
    ]
    for code in class_codes:
        value = int((outcomes["classification"] == code).sum())
        row.append(b.count(("out", code, "n"), value, table.name, class_label.get(code, code)))
        b.equation(("out", code, "n"), [("outw", n, code) for n in neighbourhoods])
    b.equation(("out", "all", "n"), [("outw", n, "n") for n in neighbourhoods])
    table.rows.append(row)
    return table
