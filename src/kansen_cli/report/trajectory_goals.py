"""The personal plan in the report (part of `report.trajectories`): goals per life domain, the
share of people who reached their individual goal, the mean GAS T-score, and the
Participatieladder from intake to the latest rung.

Goal Attainment Scaling: a goal is reached when its latest score is 0 (as expected) or better;
a person reached their individual goal when any (or, with `goal_reached = "all"`, every) one of
their scored goals is reached. Tilburg's 40 % is this share; its base is the people with at
least one scored goal. The T-score (Kiresuk & Sherman, ρ = 0.3) combines a person's latest goal
scores with the goals' weights (`kansen_cli.trajectory.gas_t_score`). The ladder counts people
with a trajectory of at least two rungs: its first (the intake) and its latest, of the person's
latest such trajectory (`trajectory_cohort`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kansen_cli.report.cells import Builder, Count, Guarded, Rate, Table, label, rate_cells, stat
from kansen_cli.report.context import Context
from kansen_cli.report.frames import clean, codes
from kansen_cli.report.trajectory_cohort import ALL, Cohort, kind_label
from kansen_cli.trajectory import LADDER_LABELS, LADDER_RUNGS, gas_t_score

if TYPE_CHECKING:
    import pandas as pd

MOVES = ("up", "same", "down")
SHARE = ("BI laag (%)", "BI hoog (%)")
REACHED_COLUMNS = (
    *("Soort coach", "Met een beoordeeld doel", "Doel bereikt", "Bereikt (%)", *SHARE),
    "GAS T-score (gemiddeld)",
)
MOVED_COLUMNS = ("Soort coach", "Met twee treden", "Omhoog", "Gelijk", "Omlaag", "Omhoog (%)", *SHARE)


def domains_table(ctx: Context, c: Cohort, b: Builder) -> tuple[Table, dict[str, Any]]:
    goals = c.goals.copy()
    goals["domain"] = clean(goals["domain"])
    domains = codes(ctx.cb.life_domain, goals["domain"])
    labels = {**ctx.cb.life_domain, "_none": "Geen domein"}
    table = Table(
        "doelen_domein",
        "Persoonlijke doelen per levensdomein",
        ["Levensdomein", "Doelen", "Mensen met een doel", *(f"Doelen: {kind_label(k)}" for k in c.kinds)],
    )
    out: dict[str, Any] = {}
    for domain in [*domains, ALL]:
        rows = goals if domain == ALL else goals[goals["domain"] == domain]
        name = "Totaal" if domain == ALL else labels.get(domain, domain)
        total = b.count(("tr", "goals", domain, ALL), len(rows), table.name, f"Doelen {name}")
        people = b.count(
            ("tr", "goal_people", domain), rows["client_id"].nunique(), table.name, f"Mensen, {name}"
        )
        per_kind = [
            b.count(("tr", "goals", domain, k), int((rows["kind"] == k).sum()), table.name, f"{name}: {k}")
            for k in c.kinds
        ]
        b.equation(("tr", "goals", domain, ALL), [("tr", "goals", domain, k) for k in c.kinds])
        table.rows.append([label(name, bold=domain == ALL), total, people, *per_kind])
        if domain != ALL:
            out[domain] = {
                "goals": Count(("tr", "goals", domain, ALL)),
                "people": Count(("tr", "goal_people", domain)),
                "goals_by_kind": {k: Count(("tr", "goals", domain, k)) for k in c.kinds},
            }
    for kind in (ALL, *c.kinds):
        b.equation(("tr", "goals", ALL, kind), [("tr", "goals", d, kind) for d in domains])
    table.notes.append(
        "Doelen uit de persoonlijke plannen; wie doelen in meer domeinen heeft, telt in elk domein mee"
        " (de mensen tellen daarom niet op tot het totaal)."
    )
    return table, out


def _people_scores(c: Cohort, rule: str) -> pd.DataFrame:
    """Per person with a scored goal: kind, reached (0/1), T-score."""
    import pandas as pd

    scored = c.goals[c.goals["score"].notna()]
    rows = []
    for client_id, goals in scored.groupby("client_id", sort=True):
        reached = [int(s) >= 0 for s in goals["score"]]
        rows.append(
            {
                "client_id": client_id,
                "kind": goals["kind"].iloc[0],
                "reached": int(all(reached) if rule == "all" else any(reached)),
                "t": gas_t_score([int(s) for s in goals["score"]], [int(w) for w in goals["weight"]]),
            }
        )
    return pd.DataFrame(rows, columns=["client_id", "kind", "reached", "t"])


def reached_table(c: Cohort, b: Builder, figures: dict[str, dict[str, Any]]) -> Table:
    from kansen_cli import stats

    rule = c.rule
    people = _people_scores(c, rule)
    table = Table(
        "doel_bereikt",
        "Individueel doel bereikt en GAS T-score, per soort coach",
        list(REACHED_COLUMNS),
    )
    for kind in (*c.kinds, ALL):
        rows = c.of_kind(people, kind)
        n, k = len(rows), int(rows["reached"].sum())
        name = kind_label(kind)
        scored = b.count(("tr", "scored", kind), n, table.name, f"{name}: met een beoordeeld doel")
        reached = b.count(("tr", "reached", kind), k, table.name, f"{name}: doel bereikt")
        inputs = [("tr", "scored", kind), ("tr", "reached", kind)]
        share = rate_cells(stats.wilson(k, n), inputs)
        mean = float(rows["t"].mean()) if n else None
        t_cell = stat(mean, [("tr", "scored", kind)], n)
        table.rows.append([label(name, bold=kind == ALL), scored, reached, *share, t_cell])
        figures[kind].update(
            {
                "goal_scored": Count(("tr", "scored", kind)),
                "goal_reached": Count(("tr", "reached", kind)),
                "goal_reached_share": Rate(share[0]),
                "goal_reached_ci_low": Rate(share[1]),
                "goal_reached_ci_high": Rate(share[2]),
                "gas_t_mean": Guarded(None if mean is None else round(mean, 4), (t_cell,)),
                "gas_t_n": Count(("tr", "scored", kind)),
            }
        )
    for part in ("scored", "reached"):
        b.equation(("tr", part, ALL), [("tr", part, k) for k in c.kinds])
    every = "al hun beoordeelde doelen" if rule == "all" else "ten minste één beoordeeld doel"
    table.notes += [
        f"Doel bereikt: bij de laatste beoordeling scoorde {every} 0 (zoals verwacht) of hoger op de"
        " doelrealisatieschaal (Goal Attainment Scaling, −2 tot +2). Basis: wie ten minste één"
        " beoordeeld doel heeft; aandeel met het 95%-interval van Wilson.",
        "GAS T-score (Kiresuk en Sherman, ρ = 0,3): 50 als elk doel precies zoals verwacht uitkomt,"
        " hoger is beter; het gemiddelde over dezelfde mensen, met het gewicht van elk doel.",
    ]
    return table


def ladder_tables(c: Cohort, b: Builder, figures: dict[str, dict[str, Any]]) -> tuple[Table, Table, Any]:
    """The intake × latest rung table and the share who moved up, per coach kind."""
    two = c.ladder[c.ladder["rungs"] >= 2]
    table = Table(
        "participatieladder",
        "Participatieladder: trede bij de intake (rijen) en laatste trede (kolommen)",
        ["Trede bij intake", *(str(r) for r in LADDER_RUNGS), "Totaal"],
    )
    transitions: dict[str, dict[str, Any]] = {}
    for intake in (*LADDER_RUNGS, ALL):
        rows = two if intake == ALL else two[two["intake"] == intake]
        cells = [
            b.count(
                ("tr", "ladder", intake, r),
                int((rows["latest"] == r).sum()),
                table.name,
                f"Trede {intake}>{r}",
            )
            for r in LADDER_RUNGS
        ]
        total_key = ("tr", "ladder", intake, ALL) if intake != ALL else ("tr", "two_rungs", ALL)
        total = b.count(total_key, len(rows), table.name, f"Intake trede {intake}")
        b.equation(total_key, [("tr", "ladder", intake, r) for r in LADDER_RUNGS])
        name = f"{intake} {LADDER_LABELS[intake]}" if isinstance(intake, int) else "Totaal"
        table.rows.append([label(name, bold=intake == ALL), *cells, total])
        if intake != ALL:
            transitions[str(intake)] = {str(r): Count(("tr", "ladder", intake, r)) for r in LADDER_RUNGS}
    for r in LADDER_RUNGS:
        b.equation(("tr", "ladder", ALL, r), [("tr", "ladder", i, r) for i in LADDER_RUNGS])
    b.equation(("tr", "two_rungs", ALL), [("tr", "ladder", i, ALL) for i in LADDER_RUNGS])
    table.notes.append(
        "Mensen met ten minste twee treden in één traject: de eerste (bij de intake) en de laatste van"
        " dat traject; wie meer trajecten had, telt één keer, met het laatste traject met twee treden"
        " (en de soort coach van dat traject). Boven de diagonaal"
        " staat wie hoger eindigde dan bij de intake. Treden: 1 geïsoleerd, 2 sociale contacten buitenshuis,"
        " 3 deelname aan georganiseerde activiteiten, 4 onbetaald werk, 5 betaald werk met"
        " ondersteuning, 6 betaald werk."
    )
    return table, _moved(c, b, two, figures), transitions


def _moved(c: Cohort, b: Builder, two: pd.DataFrame, figures: dict[str, dict[str, Any]]) -> Table:
    from kansen_cli import stats

    table = Table(
        "participatieladder_omhoog",
        "Participatieladder: omhoog, gelijk of omlaag, per soort coach",
        list(MOVED_COLUMNS),
    )
    for kind in (*c.kinds, ALL):
        rows = c.of_kind(two, kind)
        diff = rows["latest"] - rows["intake"]
        values = {"up": int((diff > 0).sum()), "same": int((diff == 0).sum()), "down": int((diff < 0).sum())}
        name = kind_label(kind)
        base = b.count(("tr", "two_rungs", kind), len(rows), table.name, f"{name}: met twee treden")
        cells = [b.count(("tr", m, kind), values[m], table.name, f"{name}: {m}") for m in MOVES]
        b.equation(("tr", "two_rungs", kind), [("tr", m, kind) for m in MOVES])
        share = rate_cells(
            stats.wilson(values["up"], len(rows)), [("tr", "two_rungs", kind), ("tr", "up", kind)]
        )
        table.rows.append([label(name, bold=kind == ALL), base, *cells, *share])
        figures[kind].update(
            {
                "ladder_two_rungs": Count(("tr", "two_rungs", kind)),
                **{f"ladder_{m}": Count(("tr", m, kind)) for m in MOVES},
                "ladder_up_share": Rate(share[0]),
                "ladder_up_ci_low": Rate(share[1]),
                "ladder_up_ci_high": Rate(share[2]),
            }
        )
    for m in ("two_rungs", *MOVES):
        b.equation(("tr", m, ALL), [("tr", m, k) for k in c.kinds])
    for m, above in (("up", True), ("down", False)):
        pairs = [(i, r) for i in LADDER_RUNGS for r in LADDER_RUNGS if (r > i if above else r < i)]
        b.equation(("tr", m, ALL), [("tr", "ladder", i, r) for i, r in pairs])
    b.equation(("tr", "same", ALL), [("tr", "ladder", i, i) for i in LADDER_RUNGS])
    table.notes.append(
        "Omhoog: de laatste trede is hoger dan die bij de intake; aandeel met het 95%-interval van Wilson."
    )
    return table
