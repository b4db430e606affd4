"""The consultants' workbooks: the registration sheet per batch and the follow-up sheet.

Design, so that a consultant can fill a workbook with the mouse alone and `ingest` always
knows what it reads:

- one data sheet, header in row 1, one row per person (or per referral);
- every coded answer is a dropdown (Excel data validation) listing the Dutch labels from the
  codebook; the lists live on a hidden sheet, because labels may contain commas;
- several-valued answers (activity types, referrals) get one column per option with a
  Ja/Nee dropdown, so no typing of lists;
- the pre-filled columns are locked (sheet protection without password, against accidents);
  only the answer cells are open;
- a hidden sheet `_kansen` holds the marker: sheet kind, format version, campaign, batch and the
  column layout. It holds no personal data.

Building returns an openpyxl workbook; the caller saves it through `files.save_workbook`.
`read_filled` is the counterpart that `ingest` uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import InputFileError
from kansen_cli.ledger.core import now
from kansen_cli.letters import address_line

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from kansen_cli.settings import Settings

FORMAT_VERSION = 1
MARKER_SHEET = "_kansen"
LISTS_SHEET = "_lijsten"
REGISTRATION = "registration"
FOLLOWUP = "followup"
REGISTRATION_SHEET = "Registratie"
CALLS_SHEET = "Nabellen"
REFERRALS_SHEET = "Verwijzingen"
# The two answers of an option column (activity type, referral). Not codebook values: a
# tick box in the only form a dropdown offers.
MARK_YES = "Ja"
MARK_NO = "Nee"
DATE_FORMAT = "DD-MM-YYYY"


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: its key for `ingest`, its Dutch header, and how it is filled."""

    key: str
    header: str
    width: int = 14
    answer: bool = False
    choices: tuple[str, ...] = ()
    date: bool = False


def registration_columns(settings: Settings) -> list[Column]:
    cb = settings.codebook
    columns = [
        Column("client_id", "Klantnummer", 12),
        Column("name", "Naam", 24),
        Column("address", "Adres", 34),
        Column("appointment_date", "Afspraak", 12, date=True),
        Column("appointment_start", "Tijd", 7),
        Column("consultant", "Consulent", 18),
        Column("conversation_date", "Datum gesprek", 13, answer=True, date=True),
        Column("contact_result", "Contactresultaat", 26, True, tuple(cb.contact_result.values())),
        Column("location", "Locatie", 10, True, tuple(cb.location.values())),
        Column("classification", "Indeling", 26, True, tuple(cb.classification.values())),
    ]
    columns += [
        Column(f"activity:{code}", f"Activiteit: {label}", 14, True, (MARK_YES, MARK_NO))
        for code, label in cb.activity_types.items()
    ]
    columns += [
        Column(
            "participation_potential",
            "Participatiepotentieel",
            26,
            True,
            tuple(cb.participation_potential.values()),
        ),
        Column("consent", "Toestemming delen", 12, True, tuple(cb.consent.values())),
    ]
    columns += [
        Column(f"referral:{code}", f"Verwijzing: {label}", 14, True, (MARK_YES, MARK_NO))
        for code, label in cb.referrals.items()
    ]
    return columns


def calls_columns(settings: Settings) -> list[Column]:
    return [
        Column("client_id", "Klantnummer", 12),
        Column("name", "Naam", 24),
        Column("phone", "Telefoon", 14),
        Column("address", "Adres", 34),
        Column("conversation_date", "Datum gesprek", 13, date=True),
        Column("round", "Ronde", 7),
        Column("call_date", "Datum gebeld", 13, answer=True, date=True),
        Column("followup_result", "Resultaat", 30, True, tuple(settings.codebook.followup_result.values())),
    ]


def referral_columns(settings: Settings) -> list[Column]:
    return [
        Column("client_id", "Klantnummer", 12),
        Column("name", "Naam", 24),
        Column("phone", "Telefoon", 14),
        Column("destination", "Verwezen naar", 24),
        Column("referred_on", "Verwezen op", 12, date=True),
        Column("result_date", "Datum antwoord", 14, answer=True, date=True),
        Column("referral_result", "Resultaat", 24, True, tuple(settings.codebook.referral_result.values())),
    ]


# ---- building ----------------------------------------------------------------------------------


def person_name(row: Any) -> str:
    parts = [row.get("initials"), row.get("prefix"), row.get("surname")]
    return " ".join(str(p) for p in parts if _present(p))


def person_address(row: Any) -> str:
    # The street line exactly as the letter prints it, so sheet and letter name the same address.
    street = address_line(row.get("street"), row.get("house_number"), row.get("house_number_addition"))
    town = " ".join(str(p) for p in (row.get("postcode"), row.get("city")) if _present(p))
    return ", ".join(p for p in (street, town) if p)


def _present(value: Any) -> bool:
    return value is not None and value == value and str(value) != ""


def build_registration(
    people: pd.DataFrame, settings: Settings, batch_id: str, created_at: str | None = None
) -> Workbook:
    """The registration workbook of one batch; `people` as `ledger.outcomes.sheet_people` returns."""
    from openpyxl import Workbook

    columns = registration_columns(settings)
    rows = []
    for person in people.to_dict("records"):
        date = person.get("appointment_date")
        rows.append(
            {
                "client_id": str(person["client_id"]),
                "name": person_name(person),
                "address": person_address(person),
                "appointment_date": dt.date.fromisoformat(date[:10]) if _present(date) else None,
                "appointment_start": person.get("appointment_start") or None,
                "consultant": person.get("consultant") or None,
            }
        )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = REGISTRATION_SHEET
    lists = _lists_sheet(workbook, columns)
    _fill_data_sheet(sheet, columns, rows, lists)
    _explain(
        workbook,
        [
            f"Registratie {settings.campaign.name}, batch {batch_id}.",
            "Vul per persoon de gekleurde kolommen in; kies uit de lijstjes.",
            "Datum gesprek: de dag van het gesprek (of van de laatste poging), als dd-mm-jjjj.",
            "Indeling, activiteiten, participatiepotentieel, toestemming en verwijzingen alleen"
            " invullen als er een gesprek is geweest.",
            "Verwijzen naar een partner kan alleen met toestemming om gegevens te delen.",
            "Activiteiten: alleen voor wie maatschappelijk actief is; kies Ja bij elke activiteit.",
            "Een lege rij betekent: nog niet geregistreerd.",
            "Lever het bestand in bij de coördinator; die leest het in met `kansen ingest`.",
        ],
    )
    _marker(
        workbook,
        {
            "kind": REGISTRATION,
            "format": FORMAT_VERSION,
            "campaign": settings.campaign.name,
            "batch_id": batch_id,
            "created_at": created_at or now(),
            "sheets": {REGISTRATION_SHEET: [[c.key, c.header] for c in columns]},
        },
    )
    return workbook


def build_followup(
    calls: pd.DataFrame,
    referrals: pd.DataFrame,
    settings: Settings,
    due: dt.date,
    created_at: str | None = None,
) -> Workbook:
    """The follow-up workbook: one sheet of calls (with round), one of open referrals."""
    from openpyxl import Workbook

    call_cols = calls_columns(settings)
    ref_cols = referral_columns(settings)
    destinations = settings.codebook.referrals
    call_rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "address": person_address(p),
            "conversation_date": _as_date(p.get("conversation_date")),
            "round": int(p["round"]),
        }
        for p in calls.to_dict("records")
    ]
    ref_rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "destination": destinations.get(p["destination"], p["destination"]),
            "referred_on": _as_date(p.get("referred_on")),
        }
        for p in referrals.to_dict("records")
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = CALLS_SHEET
    lists = _lists_sheet(workbook, call_cols + ref_cols)
    _fill_data_sheet(sheet, call_cols, call_rows, lists)
    _fill_data_sheet(workbook.create_sheet(REFERRALS_SHEET, 1), ref_cols, ref_rows, lists)
    _explain(
        workbook,
        [
            f"Nabellen {settings.campaign.name}, lijst van {due:%d-%m-%Y}.",
            f"Blad {CALLS_SHEET}: mensen die het zelf zouden doen, {settings.followup.months} maanden na"
            " het gesprek. Vul de datum van het telefoontje en het resultaat in.",
            "Geen contact in deze ronde? Kies 'Geen contact'; de persoon komt op de lijst voor de"
            f" volgende ronde (tot {settings.followup.rounds} rondes).",
            f"Blad {REFERRALS_SHEET}: verwijzingen zonder antwoord; vul het antwoord van de partner in.",
            "Een lege rij betekent: nog niet gebeld.",
        ],
    )
    _marker(
        workbook,
        {
            "kind": FOLLOWUP,
            "format": FORMAT_VERSION,
            "campaign": settings.campaign.name,
            "batch_id": "",
            "due": due.isoformat(),
            "created_at": created_at or now(),
            "sheets": {
                CALLS_SHEET: [[c.key, c.header] for c in call_cols],
                REFERRALS_SHEET: [[c.key, c.header] for c in ref_cols],
            },
        },
    )
    return workbook


def _as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if _present(value) else None


def _lists_sheet(workbook: Workbook, columns: list[Column]) -> dict[tuple[str, ...], str]:
    """A hidden sheet with one column per distinct choice list; returns list -> range formula."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    for column in columns:
        if not column.choices or column.choices in ranges:
            continue
        index = len(ranges) + 1
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column.header.split(":")[0])
        for offset, label in enumerate(column.choices, start=2):
            sheet.cell(row=offset, column=index, value=label).data_type = "s"
        last = len(column.choices) + 1
        ranges[column.choices] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _fill_data_sheet(
    sheet: Worksheet, columns: list[Column], rows: list[dict[str, Any]], lists: dict[tuple[str, ...], str]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    answer_fill = PatternFill("solid", fgColor="FFF4CC")
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    open_cell = Protection(locked=False)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = answer_fill if column.answer else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(
                row=number, column=index, value=None if column.answer else values.get(column.key)
            )
            if isinstance(cell.value, str):
                cell.data_type = "s"  # client ids keep their leading zeros; nothing becomes a formula
            if column.date:
                cell.number_format = DATE_FORMAT
            if column.answer:
                cell.protection = open_cell
                cell.fill = answer_fill
    last_row = max(len(rows) + 1, 2)
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=lists[column.choices],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Kies uit de lijst",
            error="Kies een waarde uit de lijst.",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 45
    # Protect against accidental edits of the pre-filled cells; resizing columns stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _explain(workbook: Workbook, lines: list[str]) -> None:
    sheet = workbook.create_sheet("Uitleg", 1)
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=line).data_type = "s"
    sheet.column_dimensions["A"].width = 110


def _marker(workbook: Workbook, meta: dict[str, Any]) -> None:
    sheet = workbook.create_sheet(MARKER_SHEET)
    sheet.sheet_state = "hidden"
    for number, (key, value) in enumerate(meta.items(), start=1):
        sheet.cell(row=number, column=1, value=key).data_type = "s"
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        sheet.cell(row=number, column=2, value=text).data_type = "s"
    sheet.protection.sheet = True


# ---- reading back ------------------------------------------------------------------------------


@dataclass
class FilledRow:
    """One data row as read: Excel row number and raw cell values by column key."""

    sheet: str
    row: int
    cells: dict[str, Any]


@dataclass
class FilledWorkbook:
    """What `ingest` needs from a returned workbook; `problems` are file-level (missing columns)."""

    path: Path
    name: str
    sha256: str
    meta: dict[str, Any]
    headers: dict[str, dict[str, str]]  # sheet -> key -> header
    rows: list[FilledRow] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def batch_id(self) -> str | None:
        return str(self.meta.get("batch_id") or "") or None


# Per sheet kind: its data sheets and the columns `ingest` cannot do without.
SHEET_KEYS: dict[str, dict[str, set[str]]] = {
    REGISTRATION: {REGISTRATION_SHEET: {"client_id", "contact_result", "conversation_date"}},
    FOLLOWUP: {
        CALLS_SHEET: {"client_id", "round", "call_date", "followup_result"},
        REFERRALS_SHEET: {"client_id", "destination", "result_date", "referral_result"},
    },
}


def read_marker(workbook: Any, path: Path) -> dict[str, Any]:
    """The hidden marker, checked: kind, format and the column layout of each data sheet."""
    if MARKER_SHEET not in workbook.sheetnames:
        raise InputFileError(
            f"{path.name}: not a kansen workbook (no '{MARKER_SHEET}' sheet); only sheets written by "
            "`kansen sheet` or `kansen followup` can be ingested"
        )
    meta: dict[str, Any] = {}
    for values in workbook[MARKER_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
        key, value = (*values, None, None)[:2]
        if key is not None:
            meta[str(key)] = value
    damaged = InputFileError(f"{path.name}: the '{MARKER_SHEET}' sheet is damaged; write the workbook again")
    try:
        meta["sheets"] = json.loads(str(meta.get("sheets", "")))
        meta["format"] = int(str(meta.get("format")))
    except (ValueError, TypeError, RecursionError):
        raise damaged from None
    if meta["format"] > FORMAT_VERSION:
        raise InputFileError(f"{path.name}: written by a newer kansen_cli (format {meta['format']}); upgrade")
    kind = meta.get("kind")
    if kind not in SHEET_KEYS:
        raise InputFileError(f"{path.name}: unknown sheet kind {kind!r}")
    layouts = meta["sheets"]
    if not isinstance(layouts, dict) or set(layouts) != set(SHEET_KEYS[kind]):
        raise damaged
    for sheet_name, layout in layouts.items():
        if not isinstance(layout, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            for pair in layout
        ):
            raise damaged
        if not SHEET_KEYS[kind][sheet_name] <= {pair[0] for pair in layout}:
            raise damaged
    return meta


def norm(text: Any) -> str:
    """A header or label compared without regard to case or spacing."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


def read_filled(path: Path) -> FilledWorkbook:
    """Read a returned workbook: the marker, the header positions and every non-empty data row."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        import io

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InputFileError(f"{path.name}: not an Excel workbook (.xlsx) that can be opened") from None
    try:
        meta = read_marker(workbook, path)
        filled = FilledWorkbook(
            path=path, name=path.name, sha256=hashlib.sha256(data).hexdigest(), meta=meta, headers={}
        )
        for sheet_name, layout in meta["sheets"].items():
            headers = {str(key): str(header) for key, header in layout}
            filled.headers[sheet_name] = headers
            if sheet_name not in workbook.sheetnames:
                filled.problems.append(("", f"sheet '{sheet_name}' is missing"))
                continue
            _read_sheet(workbook[sheet_name], sheet_name, headers, filled)
    finally:
        workbook.close()
    return filled


def _read_sheet(sheet: Any, sheet_name: str, headers: dict[str, str], filled: FilledWorkbook) -> None:
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, ())
    found = {norm(h): i for i, h in enumerate(header_row) if h is not None}
    positions: dict[str, int] = {}
    for key, header in headers.items():
        if norm(header) in found:
            positions[key] = found[norm(header)]
        else:
            filled.problems.append((header, f"column '{header}' is missing from sheet '{sheet_name}'"))
    for number, values in enumerate(rows, start=2):
        cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue  # trailing or removed rows
        filled.rows.append(FilledRow(sheet_name, number, cells))
