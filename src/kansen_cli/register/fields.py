"""The canonical fields of a register, which of them the tool cannot do without, and which
identify a person (so their values are never shown)."""

from __future__ import annotations

from kansen_cli.settings import ColumnMap

FIELDS: tuple[str, ...] = tuple(ColumnMap.model_fields)
DATE_FIELDS = ("birth_date", "benefit_start", "last_contact", "last_guidance")
BOOL_FIELDS = ("active_guidance", "care_team")
# The funnel and the letters cannot do without these.
REQUIRED_FIELDS = (
    "client_id",
    "surname",
    "street",
    "house_number",
    "postcode",
    "city",
    "neighbourhood",
    "last_contact",
    "last_guidance",
    "active_guidance",
    "care_team",
)
# Values of these columns are never shown in problems: they identify a person.
PRIVATE_FIELDS = frozenset({"bsn", "initials", "prefix", "surname", "street", "phone", "email", "birth_date"})
# Client ids become file names: no path separators, no leading dot, no Windows device names.
CLIENT_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def mask_bsn(value: str) -> str:
    """Show a BSN only as `*****1234`."""
    digits = value.strip()
    return "*****" + digits[-4:] if len(digits) > 4 else "*****"
