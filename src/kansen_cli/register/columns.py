"""Mapping the municipality's headers to the canonical fields (`[register.columns]`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kansen_cli.errors import MissingColumnsError
from kansen_cli.i18n import _
from kansen_cli.settings import ColumnMap

# Three digits in a row: a BSN, client number, postcode, phone number or date, never a header.
_DATA_LIKE = re.compile(r"\d{3}")


def normalise_header(text: object) -> str:
    """Headers match case- and space-insensitively: `Datum  laatste Gesprek ` is one header."""
    return " ".join(str(text).split()).casefold()


def looks_like_data(headers: Sequence[str]) -> bool:
    """Whether a supposed header row is a row of values (so it must not be shown)."""
    return any(_DATA_LIKE.search(h) for h in headers)


def map_columns(
    headers: Sequence[str], columns: ColumnMap, required: Sequence[str], file: str
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index; raises when a required field has no column."""
    positions: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        positions.setdefault(normalise_header(header), []).append(index)
    mapped: dict[str, int] = {}
    for name, header in columns.model_dump().items():
        if not header:
            continue
        found = positions.get(normalise_header(header), [])
        if len(found) > 1:
            raise MissingColumnsError(
                _(
                    "{file}: column {header!r} appears {found} times (columns {names}); keep "
                    "one or rename the others"
                ).format(
                    file=file, header=header, found=len(found), names=", ".join(str(i + 1) for i in found)
                )
            )
        if found:
            mapped[name] = found[0]
    missing = [name for name in required if name not in mapped]
    if missing:
        raise _missing_columns(headers, columns, missing, file)
    used = set(mapped.values())
    unused = [h for i, h in enumerate(headers) if i not in used and h.strip()]
    return mapped, unused


def _missing_columns(
    headers: Sequence[str], columns: ColumnMap, missing: Sequence[str], file: str
) -> MissingColumnsError:
    wanted = ", ".join(f"{getattr(columns, n)!r} ({n})" for n in missing)
    if looks_like_data(headers):
        # The row taken as header holds dates, postcodes or numbers: it is a person's row in
        # an export without header, and echoing it would show their BSN and name.
        return MissingColumnsError(
            _(
                "{file}: required column(s) not found: {wanted}; the first row holds "
                "values (numbers, dates), not column names: the export seems to have no "
                "header row. Export it with column names, or map them in kansen.toml "
                "under [register.columns]"
            ).format(file=file, wanted=wanted)
        )
    seen = ", ".join(repr(h) for h in headers if h.strip()) or "none"
    return MissingColumnsError(
        _(
            "{file}: required column(s) not found: {wanted}; columns seen: {seen}; "
            "map them in kansen.toml under [register.columns]"
        ).format(file=file, wanted=wanted, seen=seen)
    )
