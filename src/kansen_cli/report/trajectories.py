"""Keeping people in view (issue 13): trajectories with one fixed coach, by coach kind.

Persoonlijke begeleiding (Tilburg) gives every person one professional coach with a caseload of
about 50; Meedoen Werkt! (Purmerend) lets ambassadors coach buddies. This section counts the
trajectories started in the period (with `--batch`: those of the batch's members), how many are
open and how many ended, the caseload of each coach against their cap, the time in trajectory,
and why trajectories ended; `report.trajectory_goals` adds the personal goals (the share who
reached their individual goal, Tilburg's 40 %; the GAS T-score) and the Participatieladder.
Every figure is also given per coach kind: professionals, ambassadors, ervaringsdeskundigen.

The section is left out entirely when the ledger holds no trajectory. Under `--publish`,
counts are suppressed like every count and a percentage or statistic is shown only from
`report.min_denominator` people.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from kansen_cli.report.cells import Builder, Cell, Count, Guarded, Rate, Table, label, pct, stat
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, clean, codes
from kansen_cli.report.trajectory_cohort import ALL, Cohort, cohort, kind_label
from kansen_cli.report.trajectory_goals import domains_table, ladder_tables, reached_table

if TYPE_CHECKING:
    import pandas as pd

OVERVIEW_COLUMNS = (
    "Soort coach",
    "Gestart",
    "Lopend",
    "Beëindigd",
    "Van coach gewisseld",
    "Weken (mediaan)",
    "Weken (gemiddeld)",
)
Figures = dict[str, dict[str, Any]]  # coach kind (or ALL) -> its JSON figures


def section(ctx: Context, b: Builder) -> Part:
    data = ctx.data.trajectories
    if data is None:
        return Part()
    c = cohort(ctx, data)
    figures: Figures = {kind: {} for kind in (ALL, *c.kinds)}
    overview = _overview(c, b, figures)
    caseload, caseload_json = _caseload(ctx, c, b)
    domains, domains_json = domains_table(ctx, c, b)
    reached = reached_table(c, b, figures)
    ladder, moved, transitions = ladder_tables(c, b, figures)
    ends, ends_json = _ends(ctx, c, b, figures)
    totals = figures.pop(ALL)
    summary = {
        "counted_until": None if c.as_of is None else c.as_of.isoformat(),
        **totals,
        "by_kind": figures,
        "caseload": caseload_json,
        "goals_by_domain": domains_json,
        "ladder_transitions": transitions,
        "ends": ends_json,
    }
    tables = [overview, caseload, domains, reached, ladder, moved, ends]
    return Part(tables=tables, summary={"trajectories": summary})


def _overview(c: Cohort, b: Builder, figures: Figures) -> Table:
    table = Table(
        "trajecten",
        "Trajecten: gestart, lopend en beëindigd, per soort coach",
        list(OVERVIEW_COLUMNS),
    )
    fields = ("started", "open", "ended", "changed_coach")
    for kind in (*c.kinds, ALL):
        rows = c.of_kind(c.trajectories, kind)
        ended = rows["ended_on"].notna()
        values = (len(rows), int((~ended).sum()), int(ended.sum()), int((rows["coaches"] > 1).sum()))
        name = kind_label(kind)
        cells = [
            b.count(("tr", f, kind), v, table.name, f"{name}: {f}")
            for f, v in zip(fields, values, strict=True)
        ]
        b.equation(("tr", "started", kind), [("tr", "open", kind), ("tr", "ended", kind)])
        weeks = [w for w in rows["weeks"] if w is not None]
        median = statistics.median(weeks) if weeks else None
        mean = statistics.fmean(weeks) if weeks else None
        inputs = [("tr", "started", kind)]
        stats_ = [stat(median, inputs, len(weeks)), stat(mean, inputs, len(weeks))]
        table.rows.append([label(name, bold=kind == ALL), *cells, *stats_])
        figures[kind].update({f: Count(("tr", f, kind)) for f in fields})
        figures[kind]["weeks_median"] = Guarded(_round(median), (stats_[0],))
        figures[kind]["weeks_mean"] = Guarded(_round(mean), (stats_[1],))
    for f in fields:
        b.equation(("tr", f, ALL), [("tr", f, k) for k in c.kinds])
    until = "" if c.as_of is None else f" tot en met {c.as_of:%d-%m-%Y}"
    table.notes += [
        "Trajecten die in de periode begonnen; lopend: nog niet beëindigd. Soort coach: die van de"
        " huidige coach, bij een beëindigd traject die van de coach aan het eind.",
        f"Weken in traject: van de start tot het eind, bij een lopend traject{until}."
        " Van coach gewisseld: trajecten met meer dan één coach.",
    ]
    return table


def _caseload(ctx: Context, c: Cohort, b: Builder) -> tuple[Table, list[dict[str, Any]]]:
    # No coach's name: an ambassador coach is a client on benefit too (`kansen inview` shows codes).
    table = Table(
        "caseload",
        "Trajecten: caseload per coach",
        ["Coach", "Soort coach", "Lopende trajecten", "Maximum", "Bezetting (%)"],
    )
    open_ = c.trajectories[c.trajectories["ended_on"].isna()]
    load = clean(open_["coach"]).value_counts()
    configured = ctx.settings.trajectories.coaches
    stored_kind = _stored_kinds(open_)
    extra = sorted(str(code) for code in load.index if ctx.settings.trajectories.coach(str(code)) is None)
    out: list[dict[str, Any]] = []
    for code in [coach.code for coach in configured] + extra:
        coach = ctx.settings.trajectories.coach(code)
        kind = stored_kind.get(code) or (coach.kind if coach is not None else NONE)
        key = ("tr", "caseload", code)
        count = b.count(key, int(load.get(code, 0)), table.name, f"Caseload {code}")
        cap = None if coach is None else coach.cap
        share = pct(int(count.value), cap or 0, [key])
        cap_cell = Cell("stat", cap, digits=0)
        table.rows.append([label(code), label(kind_label(kind)), count, cap_cell, share])
        out.append({"coach": code, "kind": kind, "open": Count(key), "cap": cap, "share_of_cap": Rate(share)})
    b.equation(
        ("tr", "open", ALL), [("tr", "caseload", code) for code in [*(x.code for x in configured), *extra]]
    )
    total = b.count(("tr", "open", ALL), len(open_), table.name, "Lopend")
    table.rows.append([label("Totaal", bold=True), label(""), total, label(""), label("")])
    table.notes.append(
        "Lopende trajecten per huidige coach (met een periode: van de trajecten die daarin begonnen),"
        " tegen het maximum van die coach in kansen.toml; bezetting = lopende trajecten / maximum."
        " Soort coach: zoals vastgelegd bij de toewijzing (de laatste, als die verschillen); bij een"
        " coach zonder lopende trajecten die in kansen.toml."
    )
    return table, out


def _stored_kinds(open_: pd.DataFrame) -> dict[str, str]:
    """Per coach, the kind stored with their current assignments (`coach_assignments.coach_kind`,
    as the other tables count it): that of the latest one, should kansen.toml have changed."""
    latest = open_.sort_values(["coach_from", "trajectory_id"]).groupby("coach").tail(1)
    return {str(code): str(kind) for code, kind in zip(latest["coach"], latest["kind"], strict=True)}


def _ends(ctx: Context, c: Cohort, b: Builder, figures: Figures) -> tuple[Table, dict[str, Any]]:
    ended = c.trajectories[c.trajectories["ended_on"].notna()].copy()
    ended["end_reason"] = clean(ended["end_reason"])
    reasons = codes(ctx.cb.trajectory_end, ended["end_reason"])
    labels = {**ctx.cb.trajectory_end, NONE: "Geen reden"}
    table = Table(
        "traject_einde",
        "Trajecten: hoe ze eindigden, per soort coach",
        ["Reden", "Beëindigd", "Aandeel (%)", *(kind_label(k) for k in c.kinds)],
    )
    base = len(ended)
    out: dict[str, Any] = {}
    for reason in reasons:
        row = ended[ended["end_reason"] == reason]
        name = labels.get(reason, reason)
        per_kind = [
            b.count(("tr", "end", reason, k), int((row["kind"] == k).sum()), table.name, f"{name}: {k}")
            for k in c.kinds
        ]
        total = b.count(("tr", "end", reason, ALL), len(row), table.name, name)
        b.equation(("tr", "end", reason, ALL), [("tr", "end", reason, k) for k in c.kinds])
        share = pct(len(row), base, [("tr", "end", reason, ALL), ("tr", "ended", ALL)])
        table.rows.append([label(name), total, share, *per_kind])
        out[reason] = {"ended": Count(("tr", "end", reason, ALL)), "share": Rate(share)}
        for k in c.kinds:
            figures[k].setdefault("ends", {})[reason] = Count(("tr", "end", reason, k))
    for kind in (ALL, *c.kinds):
        b.equation(("tr", "ended", kind), [("tr", "end", r, kind) for r in reasons])
    totals = [
        b.count(("tr", "ended", k), int((ended["kind"] == k).sum()), table.name, "Beëindigd") for k in c.kinds
    ]
    whole = b.count(("tr", "ended", ALL), base, table.name, "Beëindigd")
    table.rows.append([label("Beëindigd", bold=True), whole, label(""), *totals])
    table.notes.append(
        "Reden van beëindiging (codeboek); aandeel van de beëindigde trajecten die in de periode begonnen."
    )
    return table, out


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
