"""What people think (the survey): who was surveyed, their marks per group, and the difference.

Groningen's research office phoned 25 participants and 25 non-participants: participants gave
the municipality a 7.8 on average (21 marks), non-participants a 6.3 (9 marks). Per group this
section shows the sample and the result of the calls, then the marks: n, the mean with its t
interval, the median and the share of 7 or more (Wilson), and the difference between the groups
with Welch's interval. The groups chose themselves, so that difference describes them; it is
no effect of the conversation, and the notes say so.

Population: every member of every survey, with a period only the calls dated in it. The marks
people gave in follow-up calls (optional there) follow satisfaction over time, per round. The
section is left out entirely when there is no survey and no such mark. Under `--publish`, counts
are suppressed like every count, and a mean, median or share is shown only from
`report.min_denominator` marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli.report.cells import Builder, Cell, Count, Guarded, Rate, Table, label, rate_cells, stat
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import NONE, clean, codes
from kansen_cli.report.survey_answers import followup_marks, questions_table, reasons_table
from kansen_cli.survey import GROUP_LABELS, GROUPS

if TYPE_CHECKING:
    import pandas as pd

MARKS = tuple(range(1, 11))
SHARE_HEADERS = ("7 of hoger (%)", "BI laag (%)", "BI hoog (%)")
GOOD_MARK = 7  # "7 or more": a satisfactory mark in Dutch schools and surveys
SELF_SELECTED = (
    "Deelnemers en niet-deelnemers hebben zelf gekozen of ze meededen: een verschil tussen de groepen"
    " beschrijft hen en is geen effect van het gesprek."
)


@dataclass
class Marks:
    """One group's marks and the keys their statistics are made from."""

    group: str
    values: list[int]
    key: Any  # the count of marks
    good: Any  # the count of marks of 7 or more


def section(ctx: Context, b: Builder) -> Part:
    followup, followup_json = followup_marks(ctx, b)
    frame = _surveyed(ctx)
    if frame is None:
        if not followup.rows:
            return Part()
        return Part(tables=[followup], summary={"satisfaction": {"followup_marks": followup_json}})
    response, response_json = _response(ctx, b, frame)
    marks = [_marks(frame, group) for group in GROUPS]
    distribution = _distribution(b, marks)
    summary, summary_json = _summary(b, marks)
    difference, difference_json = _difference(marks)
    questions, questions_json = questions_table(ctx, b, frame)
    reasons, reasons_json = reasons_table(ctx, b, frame)
    groups = {
        group: {
            **response_json[group],
            **summary_json[group],
            "distribution": {str(m): Count(("sv", group, "mark", m)) for m in MARKS},
            "questions": questions_json[group],
        }
        for group in GROUPS
    }
    tables = [response, summary, difference, distribution, questions, reasons, followup]
    return Part(
        tables=[t for t in tables if t.rows],
        summary={
            "satisfaction": {
                "groups": groups,
                "difference": difference_json,
                "reasons": reasons_json,
                "followup_marks": followup_json,
            }
        },
    )


def _surveyed(ctx: Context) -> pd.DataFrame | None:
    """Survey members (with a period: the calls dated in it), codes cleaned; None: no survey."""
    frame = ctx.data.survey
    if frame is None or not len(frame):
        return None
    frame = frame.copy()
    dates = frame["call_date"].astype(str).str[:10]
    if ctx.start is not None:
        frame = frame[frame["call_date"].notna() & (dates >= ctx.start.isoformat())]
    if ctx.end is not None:
        frame = frame[frame["call_date"].notna() & (dates <= ctx.end.isoformat())]
    frame["result"] = clean(frame["result"])
    frame["reason"] = clean(frame["reason"])
    return frame


def _response(ctx: Context, b: Builder, frame: pd.DataFrame) -> tuple[Table, dict[str, dict[str, Any]]]:
    cb = ctx.cb
    result_codes = [c for c in codes(cb.survey_result, frame["result"]) if c != NONE]
    table = Table(
        "enquete",
        "Enquête: steekproef en resultaat van het telefoontje",
        ["Groep", "Steekproef", *(cb.survey_result.get(c, c) for c in result_codes), "Nog niet gebeld"],
    )
    out: dict[str, dict[str, Any]] = {}
    for group in GROUPS:
        rows = frame[frame["grp"] == group]
        name = GROUP_LABELS[group]
        sampled = b.count(("sv", group, "sampled"), len(rows), table.name, f"Steekproef {name}")
        cells = [
            b.count(("sv", group, c), int((rows["result"] == c).sum()), table.name, f"{name}: {c}")
            for c in result_codes
        ]
        open_ = b.count(("sv", group, NONE), int((rows["result"] == NONE).sum()), table.name, f"{name}: open")
        b.equation(("sv", group, "sampled"), [*(("sv", group, c) for c in result_codes), ("sv", group, NONE)])
        table.rows.append([label(name), sampled, *cells, open_])
        out[group] = {
            "sampled": Count(("sv", group, "sampled")),
            "results": {c: Count(("sv", group, c)) for c in result_codes},
            "not_called": Count(("sv", group, NONE)),
        }
    table.notes.append(
        "Deelnemers hadden het gesprek; niet-deelnemers zeiden af, waren niet thuis of niet bereikt."
        " Wie verhuisde of geen uitkering meer heeft, is niet gevraagd."
    )
    return table, out


def _marks(frame: pd.DataFrame, group: str) -> Marks:
    rows = frame[(frame["grp"] == group) & frame["mark"].notna()]
    return Marks(group, [int(m) for m in rows["mark"]], ("sv", group, "marks"), ("sv", group, "good"))


def _distribution(b: Builder, marks: list[Marks]) -> Table:
    """Marks 1..10 per group, with 7 or more: the counts every statistic is made from."""
    table = Table(
        "cijfers_verdeling",
        "Enquête: verdeling van de cijfers",
        ["Cijfer", *(GROUP_LABELS[m.group] for m in marks)],
    )
    for value in MARKS:
        row = [label(str(value))]
        for m in marks:
            name = f"{GROUP_LABELS[m.group]}: cijfer {value}"
            row.append(b.count(("sv", m.group, "mark", value), m.values.count(value), table.name, name))
        table.rows.append(row)
    totals: list[Cell] = [label("Cijfers", bold=True)]
    good: list[Cell] = [label(f"{GOOD_MARK} of hoger")]
    for m in marks:
        name = GROUP_LABELS[m.group]
        totals.append(b.count(m.key, len(m.values), table.name, f"Cijfers {name}"))
        good.append(b.count(m.good, sum(v >= GOOD_MARK for v in m.values), table.name, f"{name}: 7 of hoger"))
        b.equation(m.key, [("sv", m.group, "mark", v) for v in MARKS])
        b.equation(m.good, [("sv", m.group, "mark", v) for v in MARKS if v >= GOOD_MARK])
    table.rows += [totals, good]
    return table


def _summary(b: Builder, marks: list[Marks]) -> tuple[Table, dict[str, dict[str, Any]]]:
    from kansen_cli import stats

    table = Table(
        "tevredenheid",
        "Enquête: het cijfer voor de gemeente per groep",
        ["Groep", "Cijfers", "Gemiddeld", "BI laag", "BI hoog", "Mediaan", *SHARE_HEADERS],
    )
    out: dict[str, dict[str, Any]] = {}
    for m in marks:
        mean = stats.mean_t(m.values)
        n = len(m.values)
        inputs = [m.key]
        cells = [stat(v, inputs, n) for v in (mean.mean, mean.ci_low, mean.ci_high, mean.median)]
        share = rate_cells(stats.wilson(sum(v >= GOOD_MARK for v in m.values), n), [m.key, m.good])
        count = b.count(m.key, n, table.name, f"Cijfers {GROUP_LABELS[m.group]}")
        table.rows.append([label(GROUP_LABELS[m.group]), count, *cells, *share])
        out[m.group] = {
            "marks": Count(m.key),
            "mean": Guarded(_round(mean.mean), (cells[0],)),
            "mean_ci_low": Guarded(_round(mean.ci_low), (cells[1],)),
            "mean_ci_high": Guarded(_round(mean.ci_high), (cells[2],)),
            "median": Guarded(mean.median, (cells[3],)),
            "share_7_or_more": Rate(share[0]),
            "share_ci_low": Rate(share[1]),
            "share_ci_high": Rate(share[2]),
        }
    table.notes += [
        "Cijfer voor de dienstverlening van de gemeente, 1 tot en met 10. Gemiddelde met 95%-"
        "betrouwbaarheidsinterval (t-verdeling); aandeel 7 of hoger met het interval van Wilson.",
        SELF_SELECTED,
    ]
    return table, out


def _difference(marks: list[Marks]) -> tuple[Table, dict[str, Any]]:
    from kansen_cli import stats

    first, second = marks
    diff = stats.welch(first.values, second.values)
    table = Table(
        "tevredenheid_verschil",
        "Enquête: verschil in gemiddeld cijfer, deelnemers min niet-deelnemers (Welch)",
        ["Vergelijking", "Verschil", "BI laag", "BI hoog", "Vrijheidsgraden", "p-waarde"],
    )
    inputs = [first.key, second.key]
    base = min(len(first.values), len(second.values))
    cells = [
        stat(diff.difference, inputs, base),
        stat(diff.ci_low, inputs, base),
        stat(diff.ci_high, inputs, base),
        stat(diff.df, inputs, base),
        stat(diff.p_value, inputs, base, digits=3),
    ]
    names = f"{GROUP_LABELS[first.group]} − {GROUP_LABELS[second.group]}"
    table.rows.append([label(names), *cells])
    table.notes += ["95%-betrouwbaarheidsinterval volgens Welch (ongelijke varianties).", SELF_SELECTED]
    values = (diff.difference, diff.ci_low, diff.ci_high, diff.df, diff.p_value)
    keys = ("difference", "ci_low", "ci_high", "df", "p_value")
    return table, {
        key: Guarded(_round(value, 4), (cell,)) for key, value, cell in zip(keys, values, cells, strict=True)
    }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
