"""Who is due a follow-up call (pure: frames in, frames out).

Two lists, as Groningen kept them:

- people who said they would become active on their own (role `potential_self`), once the
  conversation is at least `followup.months` months before the due date. Each call round
  ends with a result; `followup_no_contact` keeps the person on the list for the next round
  until `followup.rounds` rounds are used; any other result is final.
- referrals without an answer from the partner (no result, or a result listed in role
  `referral_pending`, such as "in behandeling").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kansen_cli.privacy import months_before

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.settings import Settings


def next_round(calls: dict[int, dict[str, Any]], settings: Settings) -> int | None:
    """The round to call next, or None when the person has a final result."""
    no_contact = settings.codebook.roles.followup_no_contact
    done = sorted(calls)
    if any(calls[r]["result"] != no_contact for r in done):
        return None
    number = len(done) + 1
    return number if number <= settings.followup.rounds else None


def due_calls(
    people: pd.DataFrame, calls: dict[str, dict[int, dict[str, Any]]], settings: Settings, due: dt.date
) -> pd.DataFrame:
    """People acting on their own whose follow-up call is due on `due`, with the round number."""
    roles = settings.codebook.roles
    cutoff = months_before(due, settings.followup.months).isoformat()
    chosen = people[
        (people["contact_result"] == roles.spoken)
        & (people["participation_potential"] == roles.potential_self)
        & people["conversation_date"].notna()
    ]
    chosen = chosen[chosen["conversation_date"].astype(str) <= cutoff]
    rounds = [next_round(calls.get(cid, {}), settings) for cid in chosen["client_id"]]
    out = chosen.assign(round=rounds)
    out = out[out["round"].notna()].copy()
    out["round"] = out["round"].astype(int)
    return out.reset_index(drop=True)


def due_referrals(referrals: pd.DataFrame, settings: Settings, due: dt.date) -> pd.DataFrame:
    """Referrals made on or before `due` still waiting for the partner's answer."""
    pending = set(settings.codebook.roles.referral_pending)
    open_ = referrals["result"].isna() | referrals["result"].isin(pending)
    made = referrals["referred_on"].isna() | (referrals["referred_on"].astype(str) <= due.isoformat())
    return referrals[open_ & made].reset_index(drop=True)


def summary(calls: pd.DataFrame, referrals: pd.DataFrame, due: dt.date) -> dict[str, Any]:
    """The numbers `kansen followup --json` prints."""
    by_round = (
        {str(k): int(v) for k, v in calls["round"].value_counts().sort_index().items()} if len(calls) else {}
    )
    return {
        "due": due.isoformat(),
        "calls": len(calls),
        "calls_by_round": by_round,
        "referrals": len(referrals),
    }
