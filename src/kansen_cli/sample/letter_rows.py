"""Sample people as the rows the letters are made from, without a campaign."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kansen_cli.settings import ColumnMap, PlanningSettings

# What a letter is addressed with: the ledger's person columns without the client id (set
# apart below), the BSN and birth date (never on a letter), the neighbourhood and the language.
_NOT_ON_THE_LETTER = ("client_id", "bsn", "neighbourhood", "birth_date", "language")


def letter_people(
    register: pd.DataFrame, start: date, planning: PlanningSettings, batch_id: str = "sample-1"
) -> pd.DataFrame:
    """Generated people shaped like the ledger's letter rows (`ledger.letters.letter_people`),
    variants A and B alternating, each with an appointment planned from `start`: letters can
    be tried and benchmarked without a campaign."""
    from kansen_cli.ledger.runs import PERSON_COLUMNS
    from kansen_cli.planning import plan

    headers = ColumnMap()
    fields = [name for name in PERSON_COLUMNS if name not in _NOT_ON_THE_LETTER]
    frame = pd.DataFrame(
        {
            "batch_id": batch_id,
            "variant": [("A", "B")[i % 2] for i in range(len(register))],
            "client_id": register[headers.client_id].astype(str).to_numpy(),
            **{name: register[getattr(headers, name)].to_numpy() for name in fields},
        }
    )
    appointments = plan(frame["client_id"].tolist(), start, planning)
    frame["appointment_date"] = [d.isoformat() for d in appointments["date"]]
    frame["appointment_start"] = [t.strftime("%H:%M") for t in appointments["start"]]
    frame["appointment_end"] = [t.strftime("%H:%M") for t in appointments["end"]]
    frame["consultant"] = appointments["consultant"].to_numpy()
    return frame
