"""Refusing a register whose client-id column holds BSNs.

Letter files are named by the client id and exports print it, whatever `store_bsn` says, so a
BSN must never be the client id. The settings refuse a `client_id` that names the BSN column
(`ColumnMap`); this catches the same mistake by the values, e.g. a "Klantnummer" column that
was filled with BSNs.

A random 8- or 9-digit number passes the elfproef about one time in eleven, so client numbers
of that length pass now and then; a column is taken for BSNs only when at least nine in ten of
at least `MIN_IDS` filled cells pass. For random client numbers the chance of that is below
one in a hundred million (binomial, p = 1/11). A municipality whose client numbers are made
with the same check digit as a BSN is refused too: its numbers cannot be told from BSNs, by
kansen or by anyone reading a file name. Registers of fewer than `MIN_IDS` people rely on the
settings check alone.
"""

from __future__ import annotations

from kansen_cli.errors import PersonalDataError
from kansen_cli.i18n import _
from kansen_cli.register.cells import clean
from kansen_cli.register.table import RawTable

MIN_IDS = 10
BSN_SHARE = 0.9


def refuse_bsns_as_client_ids(raw: RawTable, mapped: dict[str, int]) -> None:
    """Raise when (nearly) every client id passes the BSN elfproef."""
    from kansen_cli import parsing

    ids = clean(raw.columns[mapped["client_id"]])
    filled = len(ids) - ids.null_count
    if filled < MIN_IDS:
        return
    passing = int(parsing.bsn_valid(ids).sum())
    if passing >= BSN_SHARE * filled:
        header = raw.headers[mapped["client_id"]]
        raise PersonalDataError(
            _(
                "{file}: the client id column {header!r} holds BSNs ({passing} of "
                "{filled} values pass the elfproef): letter files are named by the "
                "client id and exports print it, so a BSN must never be used for that; "
                "map another column, such as the client number, as client_id under "
                "[register.columns] in kansen.toml"
            ).format(file=raw.source.file, header=header, passing=passing, filled=filled)
        )
