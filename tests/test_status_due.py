"""`kansen status` counts follow-up calls and referrals due row by row, without pandas; `kansen
followup` decides with pandas frames (`followup.due_calls`, `due_referrals`). The two must agree:
here on many generated campaigns, with followup's functions as the reference."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kansen_cli.followup import due_calls, due_referrals
from kansen_cli.settings import Settings
from kansen_cli.status import due_per_batch

TODAY = dt.date(2026, 11, 20)
DATES = st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2027, 2, 1)).map(dt.date.isoformat))
CLIENTS = st.sampled_from([f"c{i}" for i in range(12)])
BATCHES = st.sampled_from(["b-1", "b-2", "b-3"])
CALL_RESULTS = st.sampled_from(["geen_contact", "niet_actief", "niet_meer_bellen", "actief"])

people_rows = st.lists(
    st.fixed_dictionaries(
        {
            "client_id": CLIENTS,
            "batch_id": BATCHES,
            "contact_result": st.sampled_from(["gesproken", "niet_thuis", None]),
            "conversation_date": DATES,
            "participation_potential": st.sampled_from(["zelf", "met_ondersteuning", None]),
            "referrals": st.sampled_from([None, "", "wij_team", "coach_meedoen;wij_team"]),
        }
    ),
    max_size=25,
)
referral_rows = st.lists(
    st.fixed_dictionaries(
        {
            "client_id": CLIENTS,
            "destination": st.sampled_from(["wij_team", "coach_meedoen"]),
            "referred_on": DATES,
            "result": st.sampled_from([None, "in_behandeling", "gestart", "geen_resultaat_partner"]),
            "batch_id": BATCHES,
            "lists": st.sampled_from([None, 0, 1, 2, 3, 5]),
        }
    ),
    max_size=25,
)
call_maps = st.dictionaries(
    CLIENTS,
    st.lists(CALL_RESULTS, min_size=1, max_size=3).map(
        lambda results: {i + 1: {"round": i + 1, "result": r} for i, r in enumerate(results)}
    ),
    max_size=8,
)
options = st.fixed_dictionaries(
    {
        "months": st.integers(min_value=0, max_value=8),
        "rounds": st.integers(min_value=1, max_value=3),
        "referral_rounds": st.integers(min_value=1, max_value=4),
        "call_referred": st.booleans(),
    }
)

COLUMNS = [
    "client_id",
    "batch_id",
    "contact_result",
    "conversation_date",
    "participation_potential",
    "referrals",
]
REFERRAL_COLUMNS = ["client_id", "destination", "referred_on", "result", "batch_id", "lists"]


def per_batch(frame: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame["batch_id"].value_counts().items()}


@settings(max_examples=300, deadline=None)
@given(people_rows, referral_rows, call_maps, options, st.sets(CLIENTS, max_size=4))
def test_status_counts_what_followup_lists(people, referrals, calls, followup, closed) -> None:
    config = Settings.model_validate({"followup": followup})
    people_frame = pd.DataFrame(people, columns=COLUMNS)
    referral_frame = pd.DataFrame(referrals, columns=REFERRAL_COLUMNS)
    expected = (
        per_batch(due_calls(people_frame, calls, config, TODAY)),
        per_batch(due_referrals(referral_frame, config, TODAY, closed)),
    )
    assert due_per_batch(people, calls, referrals, config, TODAY, closed) == expected


def test_status_does_not_import_pandas(tmp_path) -> None:
    """`kansen status` on a campaign with people due: no pandas (its import cost more than the
    whole command)."""
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from kansen_cli.status import due_per_batch\n"
        "from kansen_cli.settings import Settings\n"
        "rows = [dict(client_id='a', batch_id='b-1', contact_result='gesproken',"
        " conversation_date='2026-01-01', participation_potential='zelf', referrals=None)]\n"
        "refs = [dict(client_id='a', destination='wij_team', referred_on='2026-01-01', result=None,"
        " batch_id='b-1', lists=0)]\n"
        "print(due_per_batch(rows, {}, refs, Settings(), dt.date(2026, 11, 20)))\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["({'b-1': 1}, {'b-1': 1})", "False"]
