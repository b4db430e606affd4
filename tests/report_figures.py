"""What every table of the report must show, worked out from the report's JSON alone.

A second, plain reading of the figures: for each table, its rows as the JSON gives them (counts,
rates as fractions, statistics), so that a document (Word, PDF) can be read back and compared
figure by figure with the JSON of the same report. The few figures the JSON does not hold are
computed here from the ones it does (a row or column total, the Wilson interval of the variants'
total row) and marked `derived`; the one it has nothing to compute from (the people with a goal
in any life domain) is only checked to be a figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

HIDDEN, MISSING = "x", "–"
# A figure as the documents write it: 1.234, 59,1, -4,2, x (hidden) or – (not computable).
FIGURE = re.compile(r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?|x|–")


@dataclass(frozen=True)
class Fig:
    """A figure: its value in the JSON (None when null), decimals shown, and the scale from the
    JSON's value to the shown one (100 for a rate shown as a percentage)."""

    value: float | None
    digits: int = 0
    scale: float = 1
    derived: bool = False  # not in the JSON: computed from figures that are
    checked: bool = True  # False: the JSON has nothing to compute it from (a number is all we check)


# A cell's expectation: a Fig, a label the JSON gives (str; "" for an empty cell), or None for a
# label the JSON does not hold (a Dutch name from the codebook).
Spec = Fig | str | None


def count(value: Any) -> Fig:
    return Fig(value)


def pct(value: Any) -> Fig:
    return Fig(value, 1, 100)


def stat(value: Any, digits: int = 1, scale: float = 1) -> Fig:
    return Fig(value, digits, scale)


def total(*parts: Any) -> Fig:
    return Fig(None if any(p is None for p in parts) else sum(parts), derived=True)


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def expected_tables(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    """Per table name, its rows as the JSON says they must read."""
    tables = {
        **_reach(data),
        **_variants(data),
        **_routes(data),
        "basis": [
            [None, count(data["approached"])],
            *([None, count(v)] for v in data["not_applicable"].values()),
            [None, count(data["advised"])],
        ],
        # Each contact result of the advised with its share; the base row is 100 % of itself.
        "contactresultaten": [
            *(
                [None, count(data["contact_results"][c]), pct(r)]
                for c, r in data["contact_result_shares"].items()
            ),
            [None, count(data["advised"]), pct(1 if data["advised"] else None)],
        ],
        **_approaches(data),
        **_outcomes(data),
        **_referrals(data),
        "nabellen": [[None, count(v)] for v in data["followup"]["results"].values()]
        + [[None, count(data["followup"]["called"])], [None, count(data["followup"]["reached"])]],
        "actief_geworden": [[None, count(v)] for v in data["became_active"].values()],
        "trechter": [[None, count(step["count"])] for step in data["funnel"]],
    }
    if "satisfaction" in data:
        tables.update(_survey(data["satisfaction"]))
    if "trajectories" in data:
        tables.update(_trajectories(data["trajectories"]))
    return tables


def _reach(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    def figures(entry: dict[str, Any], rate: Any) -> list[Spec]:
        return [count(entry["approached"]), *map(count, entry["contact_results"].values()), pct(rate)]

    everyone = figures(data, data["response_rate"])
    return {
        "bereik_wijk": [
            [n["neighbourhood"], *figures(n, n["response_rate"])] for n in data["by_neighbourhood"]
        ]
        + [["Totaal", *everyone]],
        "bereik_batch": [
            [b["batch"], b["neighbourhood"], *figures(b, b["response_rate"])] for b in data["by_batch"]
        ]
        + [["Totaal", "", *everyone]],
    }


def _variants(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    return _compared(
        data, "varianten", data["by_variant"], data["variant_comparison"], data["variant_stratified"]
    )


def _approaches(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    """Approaches compared (issue 12): the variants' tables by approach, when both were used."""
    if "by_approach" not in data:
        return {}
    return _compared(
        data, "benaderingen", data["by_approach"], data["approach_comparison"], data["approach_stratified"]
    )


def _compared(
    data: dict[str, Any], name: str, groups: list[Any], comparison: list[Any], stratified: list[Any]
) -> dict[str, list[list[Spec]]]:
    # Group labels: the JSON holds a variant's code as shown; an approach is shown by its Dutch name.
    shown_code = name == "varianten"
    rows: list[list[Spec]] = [
        [
            v["variant"] if shown_code else None,
            count(v["approached"]),
            count(v["not_applicable"]),
            count(v["spoken"]),
            pct(v["response_rate"]),
            pct(v["ci_low"]),
            pct(v["ci_high"]),
        ]
        for v in groups
    ]
    spoken, approached, gone = data["spoken"], data["approached"], data["contact_results"]["vervallen"]
    interval: list[Spec] = [Fig(None, 1, 100, derived=True)] * 2
    if data["response_rate"] is not None and None not in (spoken, approached, gone):
        interval = [Fig(v, 1, 100, derived=True) for v in wilson(spoken, approached - gone)]
    rows.append(
        ["Totaal", count(approached), count(gone), count(spoken), pct(data["response_rate"]), *interval]
    )
    tables: dict[str, list[list[Spec]]] = {
        name: rows,
        f"{name}_verschil": [
            [
                f"{c['first']} − {c['second']}" if shown_code else None,
                *(stat(c[k], 1, 100) for k in ("difference", "ci_low", "ci_high")),
                stat(c["p_value"], 3),
            ]
            for c in comparison
        ],
        f"{name}_per_batch": [
            [
                f"{s['first']} / {s['second']}" if shown_code else None,
                str(s["strata"]),
                *(stat(s[k], 2) for k in ("odds_ratio", "ci_low", "ci_high")),
                stat(s["p_value"], 3),
            ]
            for s in stratified
        ],
    }
    if not stratified:  # one batch (or one variant): the report leaves the table out
        del tables[f"{name}_per_batch"]
    return tables


def _routes(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    """Reach per channel and per round, the phone contact rate and the conversations per location
    (issue 12); each only when the report has it."""
    tables: dict[str, list[list[Spec]]] = {}
    if "by_channel" in data:
        tables["bereik_kanaal"] = [
            [None, count(c["approached"]), count(c["reached"]), pct(c["reach_rate"])]
            for c in data["by_channel"].values()
        ] + [
            ["Totaal (personen)", count(data["approached"]), count(data["reached"]), pct(data["reach_rate"])]
        ]
    if "by_round" in data:
        tables["bereik_ronde"] = [
            [
                f"Na ronde {r['round']}",
                *map(count, (r["approached_in_round"], r["approached"], r["not_applicable"], r["spoken"])),
                pct(r["response_rate"]),
            ]
            for r in data["by_round"]
        ]
    if "phone" in data:
        phone = data["phone"]
        tables["telefonisch_contact"] = [
            [None, count(v), pct(phone["last_outcome_share"][code])]
            for code, v in phone["last_outcome"].items()
        ] + [
            ["Gebeld (basis)", count(phone["called"]), ""],
            ["Telefonisch bereikt", count(phone["reached"]), pct(phone["contact_rate"])],
        ]
    if "by_location" in data:
        tables["gesprekken_locatie"] = [
            [e["name"], count(e["conversations"]), pct(e["share"])] for e in data["by_location"]
        ] + [["Totaal gesproken", count(data["spoken_in_period"]), ""]]
    return tables


def _outcomes(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    potential = data["participation_potential"]
    groups = {"maatschappelijk_actief": potential["active"], "niet_actief": potential["not_active"]}
    shares = data["outcome_shares"]
    outcomes: list[list[Spec]] = []
    for code, value in data["outcomes"].items():
        group = groups.get(code)
        if group is None:
            outcomes.append([None, count(value), pct(shares[code]), "", "", ""])
        else:
            wants = [group["zelf"], group["met_ondersteuning"]]
            outcomes.append([None, count(value), pct(shares[code]), *map(count, wants), total(*wants)])
    both = groups.values()
    # The total row is the base of the percentages: its own share is left empty.
    outcomes.append(
        [None, count(data["spoken_in_period"]), ""]
        + [total(*(g[k] for g in both)) for k in ("zelf", "met_ondersteuning")]
        + [count(potential["total"])]
    )
    codes = list(data["outcomes"])
    activity_shares, location_shares = data["activity_type_shares"], data["location_shares"]
    return {
        "uitkomsten": outcomes,
        "uitkomsten_wijk": [
            [n["neighbourhood"], count(n["spoken_in_period"]), *(count(n[c]) for c in codes)]
            for n in data["by_neighbourhood"]
        ]
        + [["Totaal", count(data["spoken_in_period"]), *map(count, data["outcomes"].values())]],
        "activiteiten": [[None, count(v), pct(activity_shares[c])] for c, v in data["activity_types"].items()]
        + [[None, count(data["outcomes"]["maatschappelijk_actief"]), ""]],
        "locatie": [[None, count(v), pct(location_shares[c])] for c, v in data["location"].items()]
        + [[None, count(data["spoken_in_period"]), ""]],
    }


def _referrals(data: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    results = data["referral_results"]
    shares = data["referral_shares"]
    rows: list[list[Spec]] = [
        [None, count(n), pct(shares[d]), *map(count, results[d].values())]
        for d, n in data["referrals"].items()
    ]
    codes = list(next(iter(results.values()))) if results else []
    rows.append(
        [
            None,
            count(data["referrals_total"]),
            pct(data["referrals_total_share"]),
            *(total(*(r[c] for r in results.values())) for c in codes),
        ]
    )
    rows.append(
        [None, count(data["referred_people"]), pct(data["referred_people_share"]), *[""] * len(codes)]
    )
    return {"verwijzingen": rows}


def _survey(survey: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    tables: dict[str, list[list[Spec]]] = {}
    marks = survey["followup_marks"]
    if marks:  # the CI is not in the JSON: only that it is a figure
        tables["cijfer_nabellen"] = [
            [str(m["round"]), count(m["marks"]), stat(m["mean"])]
            + [Fig(None, 1, checked=False)] * 2
            + [stat(m["median"])]
            for m in marks
        ]
    if "groups" not in survey:
        return tables
    groups = list(survey["groups"].values())
    tables["enquete"] = [
        [None, count(g["sampled"]), *map(count, g["results"].values()), count(g["not_called"])]
        for g in groups
    ]
    keys = ("mean", "mean_ci_low", "mean_ci_high", "median")
    tables["tevredenheid"] = [
        [None, count(g["marks"]), *(stat(g[k]) for k in keys)]
        + [pct(g[k]) for k in ("share_7_or_more", "share_ci_low", "share_ci_high")]
        for g in groups
    ]
    d = survey["difference"]
    tables["tevredenheid_verschil"] = [
        [None, *(stat(d[k]) for k in ("difference", "ci_low", "ci_high", "df")), stat(d["p_value"], 3)]
    ]
    tables["cijfers_verdeling"] = (
        [[str(m), *(count(g["distribution"][str(m)]) for g in groups)] for m in range(1, 11)]
        + [[None, *(count(g["marks"]) for g in groups)]]
        + [[None, *(total(*(g["distribution"][str(m)] for m in range(7, 11))) for g in groups)]]
    )
    questions: list[list[Spec]] = []
    for question in groups[0]["questions"]:
        for i, g in enumerate(groups):
            q = g["questions"][question]
            questions.append(
                [None if i == 0 else "", None, count(q["yes"]), count(q["answered"]), pct(q["share_yes"])]
            )
    tables["enquete_vragen"] = questions
    non_participant = survey["groups"]["non_participant"]
    tables["enquete_redenen"] = [
        [None, count(r["count"]), pct(r["share"])] for r in survey["reasons"].values()
    ] + [[None, count(non_participant["results"]["afgenomen"]), ""]]
    return tables


def _trajectories(tr: dict[str, Any]) -> dict[str, list[list[Spec]]]:
    """The trajectory sections: rows per coach kind (the JSON's `by_kind`, in its order) and a
    total row with the top-level figures; a label the JSON does not hold (a kind's Dutch name,
    a codebook label) is None."""
    kinds = list(tr["by_kind"])
    groups = [*tr["by_kind"].values(), tr]  # the kinds' rows, then the total row

    def rates(g: dict[str, Any], prefix: str) -> list[Spec]:
        return [pct(g[f"{prefix}_share"]), pct(g[f"{prefix}_ci_low"]), pct(g[f"{prefix}_ci_high"])]

    def reached(g: dict[str, Any]) -> list[Spec]:
        figures = [count(g["goal_scored"]), count(g["goal_reached"]), *rates(g, "goal_reached")]
        return [None, *figures, stat(g["gas_t_mean"])]

    overview = ("started", "open", "ended", "changed_coach")
    domains = list(tr["goals_by_domain"].values())
    ladder = [[row[str(r)] for r in range(1, 7)] for row in tr["ladder_transitions"].values()]
    moves = ("two_rungs", "up", "same", "down")
    return {
        "trajecten": [
            [None, *(count(g[f]) for f in overview), stat(g["weeks_median"]), stat(g["weeks_mean"])]
            for g in groups
        ],
        "caseload": [
            [c["coach"], None, count(c["open"]), stat(c["cap"], 0), pct(c["share_of_cap"])]
            for c in tr["caseload"]
        ]
        + [["Totaal", "", count(tr["open"]), "", ""]],
        # The people of the total row: someone with goals in two domains counts once; the JSON
        # does not say how many people that makes (only that it is a figure).
        "doelen_domein": [
            [None, count(d["goals"]), count(d["people"]), *(count(d["goals_by_kind"][k]) for k in kinds)]
            for d in domains
        ]
        + [
            [None, total(*(d["goals"] for d in domains)), Fig(None, checked=False)]
            + [total(*(d["goals_by_kind"][k] for d in domains)) for k in kinds]
        ],
        "doel_bereikt": [reached(g) for g in groups],
        "participatieladder": [[None, *map(count, row), total(*row)] for row in ladder]
        + [[None, *(total(*column) for column in zip(*ladder, strict=True)), count(tr["ladder_two_rungs"])]],
        "participatieladder_omhoog": [
            [None, *(count(g[f"ladder_{m}"]) for m in moves), *rates(g, "ladder_up")] for g in groups
        ],
        "traject_einde": [
            [None, count(e["ended"]), pct(e["share"])]
            + [count(tr["by_kind"][k]["ends"][reason]) for k in kinds]
            for reason, e in tr["ends"].items()
        ]
        + [[None, count(tr["ended"]), "", *(count(tr["by_kind"][k]["ended"]) for k in kinds)]],
    }


# ---- comparing what a document shows ---------------------------------------------------------------


def number(text: str, digits: int) -> float:
    """A figure written the Dutch way, with exactly `digits` decimals."""
    assert re.fullmatch(r"-?\d{1,3}(?:\.\d{3})*" + (rf",\d{{{digits}}}" if digits else ""), text), (
        f"{text!r} is not a figure with {digits} decimals written the Dutch way"
    )
    return float(text.replace(".", "").replace(",", "."))


def check_figure(text: str, full: Fig, shown: Fig, where: str, published: bool = False) -> None:
    """`text` (from the document) against the figure in the full report's JSON and in the JSON of
    the report as made (the same unless --publish): hidden is x, not computable is –. Published,
    a figure that cannot be computed may be hidden as well (a percentage of nothing has a base
    below the minimum)."""
    if not shown.checked:
        if text not in (HIDDEN, MISSING):
            number(text, shown.digits)
        return
    if shown.value is None:
        if full.value is None:
            assert text == MISSING or (published and text == HIDDEN), (
                f"{where}: {text!r}, but the JSON has no value at all (–)"
            )
        elif shown.derived:
            # A total the JSON does not hold, of parts it hides: hidden, or the full report's value.
            assert text == HIDDEN or _close(text, full), f"{where}: {text!r}, expected x or {full.value}"
        else:
            assert text == HIDDEN, f"{where}: {text!r}, but the JSON hides it (null): expected x"
        return
    assert _close(text, shown), f"{where}: {text!r}, but the JSON says {shown.value} (× {shown.scale})"


def _close(text: str, figure: Fig) -> bool:
    if text in (HIDDEN, MISSING):
        return False
    assert figure.value is not None
    value = number(text, figure.digits)
    if figure.digits == 0 and figure.scale == 1:
        return value == figure.value
    # Shown rounded to `digits`; the JSON holds rates to 4 decimals, so allow both roundings.
    slack = 0.5 * 10**-figure.digits + 0.5e-4 * figure.scale + 1e-9
    return abs(value - figure.value * figure.scale) <= slack


def check_rows(
    name: str,
    rows: list[list[str]],
    full: list[list[Spec]],
    shown: list[list[Spec]],
    labels: list[list[str]],
    published: bool = False,
) -> int:
    """Every cell of a table read back from a document; `labels` are the report's own texts for the
    labels the JSON does not hold. Returns how many figures were compared."""
    assert len(rows) == len(full), f"{name}: {len(rows)} rows, the JSON gives {len(full)}"
    compared = 0
    for r, (texts, expect, seen, own) in enumerate(zip(rows, full, shown, labels, strict=True)):
        assert len(texts) == len(expect), f"{name} row {r}: {texts} against {expect}"
        for c, (text, want, got, label) in enumerate(zip(texts, expect, seen, own, strict=True)):
            where = f"{name} row {r + 1} column {c + 1}"
            if isinstance(want, Fig):
                assert isinstance(got, Fig)
                check_figure(text, want, got, where, published)
                compared += 1
            else:
                assert text == (label if want is None else want), f"{where}: {text!r}"
    return compared


def figure_tokens(texts: list[str]) -> list[str]:
    """The words of `texts` that are figures, in order (what a PDF's text shows of a table)."""
    return [word for text in texts for word in text.split() if FIGURE.fullmatch(word)]
