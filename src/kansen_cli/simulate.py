"""Simulated consultants for the demo: fill registration and follow-up workbooks plausibly.

Proportions follow Groningen's published figures (Kansen in Kaart, 2016): about 61 % of the
approached spoken to; of those 43 % socially active, 8 % work potential, the rest not
active; participation potential as published per group; referrals by the published shares
of destinations; 90 % of conversations at home. Follow-up calls: 70 of 129 not reached after
two rounds; of those reached 17 became active, 7 reported to the care team, 11 taking steps,
24 not active. Referral results: of 220 referred to the coaches, 85 started, 10 not
interested, 5 unreachable, 3 to care, the rest still in progress.

The simulator writes exactly what a consultant picking from the dropdowns would: the Dutch
labels, Ja/Nee in option columns, and dates — some as real dates, some typed as text.
Codes are taken from the settings' codebook and roles, so every preset works; the weights
for codes Groningen does not have fall back to an even share.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from kansen_cli.settings import Settings
from kansen_cli.workbooks.followup import CALLS_SHEET, REFERRALS_SHEET
from kansen_cli.workbooks.layout import MARK_NO, MARK_YES
from kansen_cli.workbooks.reading import read_marker

SPOKEN_SHARE = 0.61
HOME_SHARE = 0.90
CONSENT_SHARE = 0.85
TEXT_DATE_SHARE = 0.3
# Published shares of referral destinations (Groningen, 350 referrals).
REFERRAL_WEIGHTS = {
    "coach_meedoen": 168,
    "wijkwerkmakelaar": 52,
    "centrum_naar_werk": 43,
    "wij_team": 39,
    "ontheffing": 48,
}
REFERRAL_RESULT_WEIGHTS = {
    "gestart": 85,
    "in_behandeling": 117,
    "geen_interesse": 10,
    "niet_bereikbaar": 5,
    "hulpverlening": 3,
}
# Of the 59 reached by a follow-up call, by result (the no-contact share is per round).
FOLLOWUP_WEIGHTS = {"gemeld_wij_team": 7, "gemeld_wijkteam": 7, "stappen_gezet": 11, "niet_actief": 24}
# Some of those reached give the municipality a mark (1..10), mostly 7 or 8.
FOLLOWUP_MARK_SHARE = 0.4
MARK_WEIGHTS = (0, 0, 0, 1, 2, 4, 8, 9, 4, 2)
NO_CONTACT_PER_ROUND = 0.74  # 0.74 ** 2 ≈ 70 / 129 not reached after two rounds


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def _weights(codes: list[str], known: dict[str, int], default: float | None = None) -> dict[str, float]:
    fallback = default if default is not None else (sum(known.values()) / len(known))
    return {code: float(known.get(code, fallback)) for code in codes}


def _date_cell(rng: random.Random, day: dt.date) -> Any:
    """A real date most of the time; sometimes typed as text, as consultants do."""
    if rng.random() < TEXT_DATE_SHARE:
        return day.strftime("%d-%m-%Y") if rng.random() < 0.7 else f"{day.day}-{day.month}-{day.year}"
    return day


def _columns(sheet: Any, layout: list[list[str]]) -> dict[str, int]:
    headers = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    return {key: headers[header] for key, header in layout if header in headers}


def registration_answers(
    rng: random.Random, settings: Settings, sent_on: dt.date, appointment: dt.date | None, today: dt.date
) -> dict[str, Any]:
    """One simulated person's answers, as codes and dates (the caller writes labels)."""
    cb = settings.codebook
    roles = cb.roles
    if rng.random() >= SPOKEN_SHARE:
        others = [c for c in cb.contact_result if c != roles.spoken]
        weights = {c: (1.0 if c in roles.not_applicable else 4.0) for c in others}
        day = min(appointment or sent_on + dt.timedelta(days=rng.randint(7, 28)), today)
        answer: dict[str, Any] = {"contact_result": _pick(rng, weights)}
        if rng.random() < 0.5:
            answer["conversation_date"] = max(day, sent_on)
        return answer
    day = appointment or sent_on + dt.timedelta(days=rng.randint(7, 28))
    day = max(min(day, today), sent_on)
    classification = _pick(rng, {roles.active: 43, roles.work_potential: 8, roles.not_active: 49})
    # Published participation potential per group (active: 48 self / 77 support of 375;
    # not active: 137 / 100 of 433; work potential: 26 on their own, 37 with support of 69).
    table = {
        roles.active: {roles.potential_self: 48, roles.potential_support: 77, roles.potential_none: 250},
        roles.not_active: {
            roles.potential_self: 137,
            roles.potential_support: 100,
            roles.potential_none: 196,
        },
        roles.work_potential: {
            roles.potential_self: 26,
            roles.potential_support: 37,
            roles.potential_none: 6,
        },
    }
    potential = _pick(rng, table[classification])
    location_codes = list(cb.location)
    location = (
        location_codes[0]
        if rng.random() < HOME_SHARE or len(location_codes) == 1
        else rng.choice(location_codes[1:])
    )
    consent_codes = list(cb.consent)
    consent = (
        roles.consent_yes
        if rng.random() < CONSENT_SHARE
        else rng.choice([c for c in consent_codes if c != roles.consent_yes] or consent_codes)
    )
    activities: list[str] = []
    if classification == roles.active:
        codes = list(cb.activity_types)
        activities = rng.sample(codes, k=min(len(codes), rng.choice([1, 1, 2, 2, 3])))
    referrals: list[str] = []
    if consent == roles.consent_yes:
        chance = {roles.potential_support: 0.95, roles.potential_self: 0.3, roles.potential_none: 0.25}[
            potential
        ]
        if classification == roles.work_potential:
            chance = max(chance, 0.6)
        if rng.random() < chance:
            weights = _weights(list(cb.referrals), REFERRAL_WEIGHTS)
            referrals.append(_pick(rng, weights))
            if rng.random() < 0.1 and len(weights) > 1:
                del weights[referrals[0]]
                referrals.append(_pick(rng, weights))
    return {
        "contact_result": roles.spoken,
        "conversation_date": day,
        "location": location,
        "classification": classification,
        "participation_potential": potential,
        "consent": consent,
        "activities": activities,
        "referrals": referrals,
    }


def fill_registration(
    path_in: Path,
    path_out: Path,
    seed: int,
    settings: Settings,
    sent_on: dt.date,
    today: dt.date,
    blank_share: float = 0.0,
    force: bool = False,
    skip: Collection[str] = (),
) -> dict[str, int]:
    """Fill a registration workbook as the consultants would; returns counts per contact result.
    The rows of `skip` (client ids: people who said no on the phone, sent no letter) stay empty."""
    from openpyxl import load_workbook

    from kansen_cli.files import save_workbook

    rng = random.Random(seed)
    workbook = load_workbook(path_in)
    meta = read_marker(workbook, Path(path_in))
    (sheet_name, layout), *_ = meta["sheets"].items()
    sheet = workbook[sheet_name]
    col = _columns(sheet, layout)
    cb = settings.codebook
    counts: dict[str, int] = {}
    for row in range(2, sheet.max_row + 1):
        client_id = sheet.cell(row=row, column=col["client_id"]).value
        if client_id is None or str(client_id) in skip:
            continue
        if rng.random() < blank_share:
            counts["blank"] = counts.get("blank", 0) + 1
            continue
        planned = sheet.cell(row=row, column=col["appointment_date"]).value
        appointment = planned.date() if isinstance(planned, dt.datetime) else planned
        answer = registration_answers(rng, settings, sent_on, appointment, today)
        counts[answer["contact_result"]] = counts.get(answer["contact_result"], 0) + 1
        labels = {
            "contact_result": cb.contact_result,
            "location": cb.location,
            "classification": cb.classification,
            "participation_potential": cb.participation_potential,
            "consent": cb.consent,
        }
        for key, choices in labels.items():
            if answer.get(key) is not None:
                sheet.cell(row=row, column=col[key], value=choices[answer[key]])
        if answer.get("conversation_date") is not None:
            sheet.cell(
                row=row, column=col["conversation_date"], value=_date_cell(rng, answer["conversation_date"])
            )
        if answer["contact_result"] == cb.roles.spoken:
            for code in cb.activity_types:
                mark = MARK_YES if code in answer["activities"] else (MARK_NO if rng.random() < 0.5 else None)
                sheet.cell(row=row, column=col[f"activity:{code}"], value=mark)
            for code in cb.referrals:
                mark = MARK_YES if code in answer["referrals"] else None
                sheet.cell(row=row, column=col[f"referral:{code}"], value=mark)
    save_workbook(Path(path_out), workbook, force)
    return counts


def fill_followup(
    path_in: Path,
    path_out: Path,
    seed: int,
    settings: Settings,
    called_on: dt.date,
    force: bool = False,
) -> dict[str, int]:
    """Fill a follow-up workbook: call results per round, partners' referral results."""
    from openpyxl import load_workbook

    from kansen_cli.files import save_workbook

    rng = random.Random(seed)
    marks = random.Random(seed + 1)  # its own stream: the calls' results stay as they were
    workbook = load_workbook(path_in)
    meta = read_marker(workbook, Path(path_in))
    cb = settings.codebook
    roles = cb.roles
    counts: dict[str, int] = {}
    calls_sheet = workbook[CALLS_SHEET]
    col = _columns(calls_sheet, meta["sheets"][CALLS_SHEET])
    reached = _weights(
        [c for c in cb.followup_result if c not in (roles.followup_no_contact, roles.followup_closed)],
        {roles.followup_became_active: 17, **FOLLOWUP_WEIGHTS},
        default=10,
    )
    for row in range(2, calls_sheet.max_row + 1):
        if calls_sheet.cell(row=row, column=col["client_id"]).value is None:
            continue
        code = roles.followup_no_contact if rng.random() < NO_CONTACT_PER_ROUND else _pick(rng, reached)
        counts[code] = counts.get(code, 0) + 1
        calls_sheet.cell(row=row, column=col["call_date"], value=_date_cell(rng, called_on))
        calls_sheet.cell(row=row, column=col["followup_result"], value=cb.followup_result[code])
        if "mark" in col and code != roles.followup_no_contact and marks.random() < FOLLOWUP_MARK_SHARE:
            calls_sheet.cell(row=row, column=col["mark"], value=marks.choices(range(1, 11), MARK_WEIGHTS)[0])
    ref_sheet = workbook[REFERRALS_SHEET]
    col = _columns(ref_sheet, meta["sheets"][REFERRALS_SHEET])
    # The closing answer is the coordinator's, not a partner's: the demo's partners always answer.
    results = _weights(
        [c for c in cb.referral_result if c != roles.referral_closed], REFERRAL_RESULT_WEIGHTS, default=5
    )
    for row in range(2, ref_sheet.max_row + 1):
        if ref_sheet.cell(row=row, column=col["client_id"]).value is None:
            continue
        code = _pick(rng, results)
        counts[f"referral:{code}"] = counts.get(f"referral:{code}", 0) + 1
        referred = ref_sheet.cell(row=row, column=col["referred_on"]).value
        referred_day = referred.date() if isinstance(referred, dt.datetime) else referred
        day = max(called_on, referred_day) if isinstance(referred_day, dt.date) else called_on
        ref_sheet.cell(row=row, column=col["result_date"], value=_date_cell(rng, day))
        ref_sheet.cell(row=row, column=col["referral_result"], value=cb.referral_result[code])
    save_workbook(Path(path_out), workbook, force)
    return counts
