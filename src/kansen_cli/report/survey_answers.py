"""The survey's yes/no questions and the reasons for not taking part, as counts with the
percentage of their base, and the marks given in follow-up calls (parts of the satisfaction
section, `report.satisfaction`).

A question's base is the people of the group who answered it (Ja or Nee); someone who gave no
answer is counted apart. The reasons' base is the non-participants with whom the survey was
completed; one reason per person, "no reason given" included, so the rows add up to it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kansen_cli.report.cells import Builder, Count, Guarded, Rate, Table, label, pct, stat
from kansen_cli.report.context import Context
from kansen_cli.report.frames import NONE, codes
from kansen_cli.survey import GROUP_LABELS, GROUPS, NON_PARTICIPANT

if TYPE_CHECKING:
    import pandas as pd


def _answers(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [json.loads(text) if isinstance(text, str) else {} for text in frame["answers_json"]]


def questions_table(ctx: Context, b: Builder, frame: pd.DataFrame) -> tuple[Table, dict[str, dict[str, Any]]]:
    done = ctx.roles.survey_done
    texts = ctx.settings.survey.questions
    surveyed = {group: frame[(frame["grp"] == group) & (frame["result"] == done)] for group in GROUPS}
    answers = {group: _answers(rows) for group, rows in surveyed.items()}
    keys = codes(texts, [key for given in answers.values() for answer in given for key in answer])
    table = Table(
        "enquete_vragen",
        "Enquête: de vragen, per groep",
        ["Vraag", "Groep", "Ja", "Beantwoord", "Ja (%)"],
    )
    out: dict[str, dict[str, Any]] = {group: {} for group in GROUPS}
    for key in keys:
        for group in GROUPS:
            given = [answer.get(key) for answer in answers[group]]
            scope = ("sv", group, "q", key)
            name = f"{GROUP_LABELS[group]}: {key}"
            yes = b.count((*scope, "yes"), given.count(True), table.name, f"{name} ja")
            b.count((*scope, "no"), given.count(False), table.name, f"{name} nee")
            b.count((*scope, "none"), given.count(None), table.name, f"{name} geen antwoord")
            answered = b.count((*scope, "answered"), len(given) - given.count(None), table.name, name)
            b.equation((*scope, "answered"), [(*scope, "yes"), (*scope, "no")])
            b.equation(("sv", group, done), [(*scope, "answered"), (*scope, "none")])
            share = pct(int(yes.value), int(answered.value), [(*scope, "yes"), (*scope, "answered")])
            question = label(texts.get(key, key) if group == GROUPS[0] else "")
            table.rows.append([question, label(GROUP_LABELS[group]), yes, answered, share])
            out[group][key] = {
                "yes": Count((*scope, "yes")),
                "answered": Count((*scope, "answered")),
                "share_yes": Rate(share),
            }
    table.notes.append(
        "Ja (%) is het deel van wie de vraag beantwoordde; wie geen antwoord gaf telt niet mee."
    )
    return table, out


def reasons_table(ctx: Context, b: Builder, frame: pd.DataFrame) -> tuple[Table, dict[str, dict[str, Any]]]:
    cb, done = ctx.cb, ctx.roles.survey_done
    rows = frame[(frame["grp"] == NON_PARTICIPANT) & (frame["result"] == done)]
    found = codes(cb.survey_reason, rows["reason"])
    reason_codes = [c for c in found if c != NONE] + [NONE]
    labels = {**cb.survey_reason, NONE: "Geen reden genoemd"}
    table = Table(
        "enquete_redenen",
        "Enquête: waarom niet-deelnemers niet meededen",
        ["Reden", "Niet-deelnemers", "Aandeel (%)"],
    )
    base_key = ("sv", NON_PARTICIPANT, done)
    base = len(rows)
    out: dict[str, dict[str, Any]] = {}
    for code in reason_codes:
        key = ("sv", "reason", code)
        count = b.count(key, int((rows["reason"] == code).sum()), table.name, labels.get(code, code))
        share = pct(int(count.value), base, [key, base_key])
        table.rows.append([label(labels.get(code, code)), count, share])
        out["geen_reden" if code == NONE else code] = {"count": Count(key), "share": Rate(share)}
    b.equation(base_key, [("sv", "reason", c) for c in reason_codes])
    table.rows.append(
        [label("Enquête afgenomen", bold=True), b.count(base_key, base, table.name, "Afgenomen"), label("")]
    )
    table.notes.append(
        "De belangrijkste reden per persoon; aandeel van de niet-deelnemers met een afgenomen enquête."
    )
    return table, out


def followup_marks(ctx: Context, b: Builder) -> tuple[Table, list[dict[str, Any]]]:
    """The marks given in the follow-up calls to the people spoken to in the period, per round."""
    from kansen_cli import stats

    calls = ctx.calls
    given = calls[calls["mark"].notna()] if "mark" in calls else calls.iloc[0:0]
    table = Table(
        "cijfer_nabellen",
        "Cijfer voor de gemeente bij het nabellen, per ronde",
        ["Ronde", "Cijfers", "Gemiddeld", "BI laag", "BI hoog", "Mediaan"],
    )
    out: list[dict[str, Any]] = []
    for round_no in sorted({int(r) for r in given["round"]}):
        values = [int(m) for m in given[given["round"] == round_no]["mark"]]
        key = ("svf", round_no, "marks")
        count = b.count(key, len(values), table.name, f"Cijfers ronde {round_no}")
        mean = stats.mean_t(values)
        cells = [stat(v, [key], len(values)) for v in (mean.mean, mean.ci_low, mean.ci_high, mean.median)]
        table.rows.append([label(str(round_no)), count, *cells])
        out.append(
            {
                "round": round_no,
                "marks": Count(key),
                "mean": Guarded(None if mean.mean is None else round(mean.mean, 4), (cells[0],)),
                "median": Guarded(mean.median, (cells[3],)),
            }
        )
    if table.rows:
        table.notes.append(
            "Wie bij het nabellen een cijfer gaf (niet verplicht); gemiddelde met 95%-interval (t-verdeling)."
        )
    return table, out
