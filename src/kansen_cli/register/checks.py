"""Checking and parsing the cells of a register, field by field, collecting every problem.

Each step in `ROW_STEPS` looks at one field (or a few that belong together) of every row at
once, as Arrow arrays (kansen_cli.parsing: RE2 and NumPy, no Python loop per row), records a
problem for each row that fails, and leaves its parsed columns in `RowChecks.values`. Python
only touches the rows that have a problem. A new check is a new step in the list; the steps
run in the order of the list, which is the order of the problems in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kansen_cli import parsing
from kansen_cli.i18n import N_, _
from kansen_cli.problems import ProblemReport
from kansen_cli.register.cells import clean, duplicated, flags_to_pandas, to_text
from kansen_cli.register.fields import (
    BOOL_FIELDS,
    CLIENT_ID_PATTERN,
    DATE_FIELDS,
    FIELDS,
    PRIVATE_FIELDS,
    WINDOWS_RESERVED,
    mask_bsn,
)
from kansen_cli.register.table import RawTable
from kansen_cli.register.wijken import wijk_lookup

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


class RowChecks:
    """The trimmed cells of one register (empty -> null; fields without a column all null),
    the problems found so far, which rows are invalid, and the parsed columns."""

    def __init__(
        self, raw: RawTable, mapped: dict[str, int], report: ProblemReport, wijken: dict[str, str] | None
    ) -> None:
        import numpy as np
        import pyarrow as pa

        n = len(raw.rows)
        nulls = pa.nulls(n, pa.string())
        self.raw = raw
        self.mapped = mapped
        self.report = report
        self.wijken = wijken  # postcode -> wijk, when the neighbourhood comes from a table
        self.invalid = np.zeros(n, dtype=bool)
        self.cells = {name: clean(raw.columns[mapped[name]]) if name in mapped else nulls for name in FIELDS}
        self.values: dict[str, Any] = {}  # field -> parsed column, where it is more than text

    def missing(self, name: str) -> np.ndarray:
        return self.cells[name].is_null().to_numpy(zero_copy_only=False)

    def problem(self, mask: np.ndarray, name: str, show: bool, kind: str, message: str) -> None:
        """One problem per row in `mask`, which marks it invalid. The value is shown only
        when `show` and it does not identify a person (a BSN shows masked)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.invalid |= mask
        header = self.raw.headers[self.mapped[name]] if name in self.mapped else name
        shown: list[Any] = [None] * len(idx)
        if show and name not in PRIVATE_FIELDS - {"bsn"}:
            shown = pc.take(self.cells[name], pa.array(idx)).to_pylist()
            if name == "bsn":
                shown = [None if v is None else mask_bsn(v) for v in shown]
        file = self.raw.source.file
        for i, value in zip(idx, shown, strict=True):
            self.report.add(file, int(self.raw.rows[i]), header, value, kind, message)

    def frame(self) -> pd.DataFrame:
        """One column per field, in field order: parsed where a step parsed it, else text."""
        import pandas as pd

        return pd.DataFrame(
            {name: self.values[name] if name in self.values else to_text(self.cells[name]) for name in FIELDS}
        )


def client_ids(checks: RowChecks) -> None:
    """Text, never empty, unique, and safe as a file name (letters are filed per person)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cid = checks.cells["client_id"]
    empty = checks.missing("client_id")
    checks.problem(empty, "client_id", False, "missing_client_id", _("client id is empty"))
    checks.problem(
        duplicated(cid) & ~empty,
        "client_id",
        True,
        "duplicate_client_id",
        _("client id occurs on more than one row; each person must appear once"),
    )
    safe = pc.match_substring_regex(cid, f"^{CLIENT_ID_PATTERN}$")
    reserved = pc.is_in(
        pc.utf8_upper(pc.replace_substring_regex(cid, r"\..*$", "")),
        value_set=pa.array(sorted(WINDOWS_RESERVED)),
    )
    unsafe = pc.or_(pc.invert(safe), reserved).fill_null(False).to_numpy(zero_copy_only=False)
    checks.problem(
        unsafe,
        "client_id",
        True,
        "invalid_client_id",
        _("client id may hold letters, digits, '-', '_' and '.' only, starting with a letter or digit"),
    )


def bsns(checks: RowChecks) -> None:
    """Optional; when present it must pass the elfproef and be unique."""
    if "bsn" not in checks.mapped:
        return
    has = ~checks.missing("bsn")
    valid = parsing.bsn_valid(checks.cells["bsn"])
    checks.problem(has & ~valid, "bsn", True, "invalid_bsn", _("BSN fails the elfproef (11-check)"))
    dup_bsn = duplicated(checks.cells["bsn"]) & has
    checks.problem(dup_bsn, "bsn", True, "duplicate_bsn", _("BSN occurs on more than one row"))


_EMPTY_ON_LETTER = {
    "street": N_("street is empty; needed for the letter"),
    "city": N_("city is empty; needed for the letter"),
    "surname": N_("surname is empty; needed for the letter"),
}


def names_on_the_letter(checks: RowChecks) -> None:
    """Street, city and surname: the letter cannot go out without them."""
    for name in ("street", "city", "surname"):
        if name in checks.mapped:
            checks.problem(
                checks.missing(name),
                name,
                False,
                "missing_" + name,
                _(_EMPTY_ON_LETTER[name]),
            )


def house_numbers(checks: RowChecks) -> None:
    """`12A`, `12-1`, `12 bis` or a number and an addition column: number and addition apart."""
    import numpy as np
    import pandas as pd

    house, addition, bad_house = parsing.split_house_numbers(
        checks.cells["house_number"], checks.cells["house_number_addition"]
    )
    checks.problem(
        checks.missing("house_number"),
        "house_number",
        False,
        "missing_house_number",
        _("house number is empty; needed for the letter"),
    )
    checks.problem(
        bad_house,
        "house_number",
        True,
        "invalid_house_number",
        _("house number must start with digits, e.g. 12 or 12A"),
    )
    numbers = pd.array(np.where(house >= 0, house, 0), dtype="Int64")
    numbers[house < 0] = pd.NA
    checks.values["house_number"] = numbers
    checks.values["house_number_addition"] = to_text(addition)


def postcodes(checks: RowChecks) -> None:
    """Normalised to `1234 AB`."""
    postcode, bad_pc = parsing.normalise_postcodes(checks.cells["postcode"])
    checks.problem(
        checks.missing("postcode"),
        "postcode",
        False,
        "missing_postcode",
        _("postcode is empty; needed for the letter"),
    )
    checks.problem(
        bad_pc,
        "postcode",
        True,
        "invalid_postcode",
        _("postcode must be four digits and two letters, e.g. 9741 AB"),
    )
    checks.values["postcode"] = to_text(postcode)


def neighbourhoods(checks: RowChecks) -> None:
    """From the column, or from the wijken table by postcode (after `postcodes`). A row whose
    postcode is missing or wrong has that problem already, not this one too."""
    if checks.wijken is not None:
        neighbourhood = wijk_lookup(checks.values["postcode"], checks.wijken)
    else:
        neighbourhood = to_text(checks.cells["neighbourhood"])
    checks.problem(
        # A missing or unreadable postcode has its own problem already.
        neighbourhood.isna().to_numpy() & checks.values["postcode"].notna().to_numpy(),
        "neighbourhood",
        False,
        "missing_neighbourhood",
        _("no neighbourhood: the column is empty and the postcode is not in the wijken table")
        if checks.wijken is not None
        else _("no neighbourhood: the column is empty"),
    )
    checks.values["neighbourhood"] = neighbourhood


def dates(checks: RowChecks) -> None:
    for name in DATE_FIELDS:
        values, unparsed = parsing.parse_dates(checks.cells[name])
        checks.values[name] = values
        checks.problem(
            unparsed,
            name,
            True,
            "invalid_date",
            _("not a date; use dd-mm-yyyy, yyyy-mm-dd, dd/mm/yyyy or an Excel date"),
        )


def flags(checks: RowChecks) -> None:
    for name in BOOL_FIELDS:
        values, unparsed = parsing.parse_booleans(checks.cells[name])
        checks.values[name] = flags_to_pandas(values)
        checks.problem(
            unparsed,
            name,
            True,
            "invalid_boolean",
            _("not a yes/no value; use Ja/Nee, J/N, Yes/No, 1/0 or True/False"),
        )


ROW_STEPS: tuple[Callable[[RowChecks], None], ...] = (
    client_ids,
    bsns,
    names_on_the_letter,
    house_numbers,
    postcodes,
    neighbourhoods,
    dates,
    flags,
)
