"""`generate_register`: the sample register, column group by column group, in a fixed order
of draws from one seeded generator (so the same arguments always give the same frame)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kansen_cli.sample.addresses import draw_addresses
from kansen_cli.sample.bsns import assign_bsns
from kansen_cli.sample.contact import draw_contact_details
from kansen_cli.sample.defects import break_rows
from kansen_cli.sample.funnel import draw_status
from kansen_cli.sample.people import MAX_ROWS, draw_people
from kansen_cli.sample.tables import NEIGHBOURHOODS
from kansen_cli.sample_files import DATE_COLUMNS
from kansen_cli.settings import ColumnMap

SAMPLE_AS_OF: date = date(2026, 10, 1)
"""Reference date (peildatum) the committed sample register is made for."""

# The default headers of [register.columns], in their order: the sample reads with zero configuration.
_HEADERS = ColumnMap()
REGISTER_HEADERS: tuple[str, ...] = tuple(_HEADERS.model_dump().values())
# Every column but the house number and the dates holds text.
_NOT_TEXT = (_HEADERS.house_number, *DATE_COLUMNS)
_TEXT_COLUMNS = tuple(c for c in REGISTER_HEADERS if c not in _NOT_TEXT)


def generate_register(
    rows: int,
    seed: int = 2015,
    as_of: date = SAMPLE_AS_OF,
    invalid_rows: int | None = None,
) -> pd.DataFrame:
    """A synthetic benefit register of ``rows`` people, reproducible from ``seed``.

    Dates are relative to ``as_of``; ``invalid_rows`` (default ``rows // 2000``)
    rows carry one deliberate defect each. See the `kansen_cli.sample` docstring for
    the distributions, the BSN rule and the kinds of defect.
    """
    invalid_rows = _checked_sizes(rows, invalid_rows)
    rng = np.random.default_rng(seed)
    # The order of these draws is the sample data: changing it changes every register.
    people = draw_people(rng, rows, as_of)
    status = draw_status(rng, people, as_of)
    addresses = draw_addresses(rng, rows)
    contact = draw_contact_details(rng, people)
    columns = {**people.columns, **status, **addresses, **contact, "BSN": assign_bsns(rng, rows)}
    frame = pd.DataFrame({header: columns[header] for header in REGISTER_HEADERS})
    break_rows(rng, frame, invalid_rows)
    return _finish(frame)


def _checked_sizes(rows: int, invalid_rows: int | None) -> int:
    """The number of invalid rows (default ``rows // 2000``); ValueError for impossible sizes."""
    if rows < 0:
        raise ValueError(f"rows must be 0 or more, got {rows}")
    if rows > MAX_ROWS:
        raise ValueError(f"rows must be at most {MAX_ROWS} (7-digit client numbers)")
    if invalid_rows is None:
        invalid_rows = max(0, rows // 2000)
    if not 0 <= invalid_rows <= rows:
        raise ValueError(f"invalid_rows must be between 0 and rows ({rows}), got {invalid_rows}")
    return invalid_rows


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix the column dtypes: str for text, int64 for Huisnummer, object for dates."""
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype("str")
    frame["Huisnummer"] = frame["Huisnummer"].astype(np.int64)
    return frame


def generate_wijken(seed: int = 2015) -> pd.DataFrame:
    """Postcode-to-wijk table: one row per 4-digit postcode in NEIGHBOURHOODS.

    The table is fixed geography, sorted by postcode; ``seed`` is accepted for
    symmetry with :func:`generate_register` and does not change the result.
    """
    del seed  # the geography does not depend on the seed
    pairs = sorted((pc, wijk) for wijk, pcs in NEIGHBOURHOODS.items() for pc in pcs)
    return pd.DataFrame(
        {
            "Postcode": pd.Series([pc for pc, _ in pairs], dtype="str"),
            "Wijk": pd.Series([wijk for _, wijk in pairs], dtype="str"),
        }
    )
