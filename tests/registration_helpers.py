"""Building a realistic ledger for the registration tests, and filling workbooks by hand.

The plan and letters commands are not used on purpose: appointments and letters are written
with SQL, so these tests depend only on select, batch and the registration commands.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from attempt_helpers import insert_letter_attempts
from campaign_helpers import make_campaign
from dates import TODAY

AS_OF = "2026-10-01"
# Every verdict that depends on the date (a date in the future, who is due) takes the tests'
# fixed today: workflows get it as `today=`, commands through KANSEN_TODAY (conftest.py).
SENT_ON = TODAY - dt.timedelta(days=40)


def ingest(campaign: Path, *files: Path, skip_invalid: bool = False) -> dict:
    """The ingest workflow on TODAY, as the JSON `kansen ingest --json` prints."""
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import ingest as ingest_workflow

    result = ingest_workflow.run(campaign, load_settings(campaign), files, TODAY, skip_invalid=skip_invalid)
    return result.as_json()


def build_campaign(invoke: Any, campaign: Path, register: Path, preset: str | None = None) -> str:
    """select + batch on the small register; returns the first batch id."""
    if preset:
        result = invoke("init", campaign, "--preset", preset, "--force")
        assert result.exit_code == 0, result.stderr
        register = with_campaign_headers(register, campaign)
    else:
        make_campaign(campaign)
    result = invoke("select", register, "--as-of", AS_OF, "-c", campaign)
    assert result.exit_code == 0, result.stderr
    result = invoke("batch", "--size", "50", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        return db.execute("SELECT batch_id FROM batches ORDER BY neighbourhood, seq LIMIT 1").fetchone()[0]


def with_campaign_headers(register: Path, campaign: Path) -> Path:
    """A copy of a sample register whose headers are the campaign's (a preset may name the
    care-team column its own way, as its municipality's export does)."""
    from kansen_cli.sample_files import campaign_headers
    from kansen_cli.settings import load_settings

    renamed = campaign_headers(load_settings(campaign).register_.columns)
    header, rest = register.read_text(encoding="utf-8").split("\n", 1)
    header = ";".join(renamed.get(name, name) for name in header.split(";"))
    copy = campaign.parent / f"{campaign.name}-register.csv"
    copy.write_text(header + "\n" + rest, encoding="utf-8")
    return copy


def spoken_acting_on_own(spoke: dt.date) -> dict[str, str]:
    """A registration row: spoken on `spoke`, not active, wants to do more on their own, consents."""
    return {
        "contact_result": "Gesproken",
        "conversation_date": spoke.strftime("%d-%m-%Y"),
        "classification": "Niet maatschappelijk actief",
        "participation_potential": "Wil (meer) doen, zelf",
        "consent": "Ja",
    }


def blank_registration(invoke: Any, register: Path, folder: Path) -> tuple[Path, Any, Any, dict[str, int]]:
    """A Groningen campaign with letters sent and its first batch's blank registration sheet, open
    for typing: (campaign, workbook, the sheet, column number per header)."""
    campaign = folder / "campaign"
    batch = build_campaign(invoke, campaign, register, preset="groningen")
    send_letters(campaign, batch)
    blank = folder / "blank.xlsx"
    assert invoke("sheet", batch, "--out", blank, "-c", campaign).exit_code == 0
    workbook = load_workbook(blank)
    sheet = workbook["Registratie"]
    return campaign, workbook, sheet, {c.value: c.column for c in sheet[1]}


def members(campaign: Path, batch_id: str) -> list[str]:
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        rows = db.execute(
            "SELECT client_id FROM batch_members WHERE batch_id = ? ORDER BY position", (batch_id,)
        ).fetchall()
    return [r[0] for r in rows]


def send_letters(campaign: Path, batch_id: str, sent_on: dt.date = SENT_ON, plan_every: int = 2) -> None:
    """Letters for the whole batch; an appointment for every `plan_every`-th person."""
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        rows = db.execute(
            "SELECT client_id, variant FROM batch_members WHERE batch_id = ? ORDER BY position", (batch_id,)
        ).fetchall()
        db.executemany(
            "INSERT INTO letters (client_id, batch_id, variant, sent_on, recorded_at) VALUES (?,?,?,?,?)",
            [(cid, batch_id, variant, sent_on.isoformat(), "test") for cid, variant in rows],
        )
        insert_letter_attempts(db, [(cid, batch_id, sent_on.isoformat(), "test") for cid, _ in rows])
        planned = [
            (
                cid,
                batch_id,
                (sent_on + dt.timedelta(days=10 + i // 6)).isoformat(),
                "09:00",
                "10:00",
                "Anouk",
                "t",
            )
            for i, (cid, _) in enumerate(rows)
            if i % plan_every == 0
        ]
        db.executemany(
            "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at)"
            " VALUES (?,?,?,?,?,?,?)",
            planned,
        )


def layout(workbook: Any) -> dict[str, dict[str, str]]:
    """sheet -> key -> header, from the hidden marker."""
    marker = {r[0]: r[1] for r in workbook["_kansen"].iter_rows(values_only=True)}
    return {sheet: dict(cols) for sheet, cols in json.loads(marker["sheets"]).items()}


def fill(
    path: Path, out: Path, answers: dict[str, dict[str, Any]], sheet: str | None = None
) -> dict[str, int]:
    """Type answers as a consultant would: by client id, column key -> cell value.

    A key may carry a row suffix `client_id|destination` for the referral sheet. Returns the
    Excel row number of each filled client id.
    """
    workbook = load_workbook(path)
    headers = layout(workbook)
    name = sheet or next(iter(headers))
    ws = workbook[name]
    col = {}
    header_cells = {c.value: c.column for c in ws[1]}
    for key, header in headers[name].items():
        col[key] = header_cells[header]
    rows: dict[str, int] = {}
    for row in range(2, ws.max_row + 1):
        cid = ws.cell(row=row, column=col["client_id"]).value
        key = cid
        if "destination" in col:
            key = f"{cid}|{ws.cell(row=row, column=col['destination']).value}"
        if key in answers:
            rows[key] = row
            for field, value in answers[key].items():
                ws.cell(row=row, column=col[field], value=value)
    assert set(rows) == set(answers), f"not found in the workbook: {set(answers) - set(rows)}"
    workbook.save(out)
    return rows


def ledger_rows(campaign: Path, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(sql, params).fetchall()]


def set_setting(campaign: Path, section: str, key: str, value: Any) -> None:
    """Set one setting in the campaign's kansen.toml, keeping whatever else it holds."""
    import tomlkit

    path = campaign / "kansen.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    if section not in doc:
        doc[section] = tomlkit.table()
    doc[section][key] = value  # type: ignore[index]
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
