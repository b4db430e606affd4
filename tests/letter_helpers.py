"""The one person of the golden letters, shared by the letter and the letter-template tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kansen_cli import letters as core
from kansen_cli.settings import Settings

GOLDEN = Path(__file__).parent / "golden" / "letters"
SENT_ON = dt.date(2026, 10, 26)


def golden_fields(variant: str) -> dict[str, str | None]:
    """The letter fields of the person in tests/golden/letters/, with the default settings."""
    row = {
        "batch_id": "selwerd-1",
        "variant": variant,
        "client_id": "0012345",
        "initials": "J.A.",
        "prefix": "van der",
        "surname": "Veen",
        "street": "Eikenlaan",
        "house_number": 12,
        "house_number_addition": "A",
        "postcode": "9741AB",
        "city": "Groningen",
        "phone": "06-12345678",
        "email": None,
        "appointment_date": "2026-11-03",
        "appointment_start": "10:30",
        "appointment_end": "11:30",
        "consultant": "Anouk Dijkstra",
    }
    return core.letter_fields(pd.DataFrame([row]), Settings(), SENT_ON)[0]
