"""Who is due a follow-up call (pure: frames in, frames out).

Two lists, as Groningen kept them:

- people who said they would become active on their own (role `potential_self`), once the
  conversation is at least `followup.months` months before the due date. Each call round
  ends with a result; `followup_no_contact` keeps the person on the list for the next round
  until `followup.rounds` rounds are used; any other result is final.
- referrals without an answer from the partner (no result, or a result listed in role
  `referral_pending`, such as "in behandeling").

Every line ends (issue 15: lists that grew each month):

- a call result other than `followup_no_contact` is final; `followup_closed` ("Niet meer
  bellen") also takes the person's referrals off the list (the sheet gives their phone);
- after `followup.rounds` rounds without contact the person is off the list;
- a referral whose partner answers with any result outside `referral_pending` (among them
  `referral_closed`, "Geen resultaat van partner") is off the list;
- a referral is off the list once `followup.referral_rounds` follow-up workbooks were loaded
  since it was recorded or last answered, without its answer (column `lists`). Counting the
  workbooks *loaded* rather than written needs no record of every list written: a list that
  was never returned was never worked, and a pending answer ("in behandeling") starts the
  count again. A list written before the referral but loaded after it counts too: rare, and it
  only shortens the count by one;
- people referred to a partner are followed through the referral, not called as well,
  unless `followup.call_referred`.

One list holds everyone due on its date: those due earlier and not yet called are still due,
so a list every month covers the whole programme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
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
    if not settings.followup.call_referred and "referrals" in chosen:
        chosen = chosen[chosen["referrals"].fillna("").astype(str) == ""]
    rounds = [next_round(calls.get(cid, {}), settings) for cid in chosen["client_id"]]
    out = chosen.assign(round=rounds)
    out = out[out["round"].notna()].copy()
    out["round"] = out["round"].astype(int)
    return out.reset_index(drop=True)


def closed_people(calls: dict[str, dict[int, dict[str, Any]]], settings: Settings) -> set[str]:
    """People with a call result `followup_closed` ("Niet meer bellen") in any round."""
    closed = settings.codebook.roles.followup_closed
    return {cid for cid, rounds in calls.items() if any(c["result"] == closed for c in rounds.values())}


def due_referrals(
    referrals: pd.DataFrame, settings: Settings, due: dt.date, closed: Collection[str] = ()
) -> pd.DataFrame:
    """Referrals made on or before `due` still waiting for the partner's answer.

    Not the referrals of people in `closed`, nor those already on `followup.referral_rounds`
    loaded lists (the frame's `lists` column, when present).
    """
    pending = set(settings.codebook.roles.referral_pending)
    open_ = referrals["result"].isna() | referrals["result"].isin(pending)
    made = referrals["referred_on"].isna() | (referrals["referred_on"].astype(str) <= due.isoformat())
    keep = open_ & made & ~referrals["client_id"].isin(set(closed))
    if "lists" in referrals:
        keep &= referrals["lists"].fillna(0).astype(int) < settings.followup.referral_rounds
    return referrals[keep].reset_index(drop=True)


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
