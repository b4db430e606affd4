"""What a report section gets (`Context`: the frames, settings, period, and the populations more
than one section counts) and what it gives back (`Part`).

Populations and periods:
- reach, variants and the routes: people approached (at least one contact attempt, issue 12)
  with an attempt in the period; response rate = spoken / (approached − not applicable);
- outcomes, activity types, location: people spoken to with the conversation date in the
  period; referrals, follow-up and became-active belong to those same conversations;
- the funnel's first steps (register rows and people selected of the latest selection run, and
  people selected by any run when that differs) do not depend on the period; from "approached" on
  it follows one cohort, the people approached in the period, whenever they were later spoken to,
  referred or became active.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kansen_cli.report.cells import Builder, Key, Table
from kansen_cli.report.frames import NONE, clean, codes, groups, isin, latest_calls, split

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.reporting import ReportData
    from kansen_cli.settings import Codebook, CodebookRoles, Settings


@dataclass
class Part:
    """A section's tables and its part of the JSON, with `cells.Count`/`Rate`/`Guarded` leaves.

    `summary` keys go to the top level of the JSON in section order, `lists` (breakdowns such as
    `by_neighbourhood`) after all summaries. `extend` adds fields to another section's breakdown
    entries: `{"by_neighbourhood": fields_for(entry)}`. `same_people` are pairs of count keys that,
    without a period, count the same people in two tables: a reader can equate them, so
    suppression is told (after all sections, in section order).
    """

    tables: list[Table] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extend: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    same_people: list[tuple[Key, Key]] = field(default_factory=list)


@dataclass
class Context:
    """The report's inputs, and the populations more than one section counts (computed once)."""

    data: ReportData
    settings: Settings
    start: dt.date | None = None
    end: dt.date | None = None
    batch: str | None = None

    @property
    def cb(self) -> Codebook:
        return self.settings.codebook

    @property
    def roles(self) -> CodebookRoles:
        return self.settings.codebook.roles

    # ---- the letter cohort: reach, variants, funnel ----------------------------------------------

    @cached_property
    def letters(self) -> pd.DataFrame:
        """The people approached in the period (a contact attempt), one row each, with the
        contact result cleaned and their approach (`letter` / `phone_first`) from the variant."""
        letters = self.data.letters.copy()
        letters["contact_result"] = clean(letters["contact_result"])
        approach = {v: self.settings.approach_of(v) for v in set(letters["variant"].dropna())}
        letters["approach"] = letters["variant"].map(approach)
        return letters

    # ---- the routes (issue 12): attempts per channel and round --------------------------------------

    @cached_property
    def attempts(self) -> pd.DataFrame:
        """Contact attempts in the period, in date order per person (empty without any)."""
        import pandas as pd

        columns = ["client_id", "batch_id", "round", "channel", "on_date", "part_of_day", "outcome"]
        if self.data.attempts is None:
            return pd.DataFrame({c: [] for c in [*columns, "home_batch", "variant"]})
        return self.data.attempts

    @cached_property
    def reached_ids(self) -> set[Any]:
        """Reached (the COMMON contract): the conversation took place, or a phone attempt's
        outcome is one the codebook counts as reached."""
        spoken = set(self.letters.loc[self.letters["contact_result"] == self.roles.spoken, "client_id"])
        phone = self.attempts[self.attempts["channel"] == "phone"]
        on_phone = set(phone.loc[phone["outcome"].isin(self.roles.phone_reached), "client_id"])
        return spoken | (on_phone & set(self.letters["client_id"]))

    @cached_property
    def contact_codes(self) -> list[str]:
        found = codes(self.cb.contact_result, self.letters["contact_result"])
        return [c for c in found if c != NONE] + [NONE]

    @cached_property
    def contact_label(self) -> dict[str, str]:
        # Column headers use the label without its explanation in brackets: "Vervallen (verhuisd …)".
        labels = {code: label.split(" (")[0] for code, label in self.cb.contact_result.items()}
        labels[NONE] = "Nog geen resultaat"
        return labels

    @cached_property
    def na_codes(self) -> list[str]:
        """Contact results that leave the response denominator."""
        return [c for c in self.roles.not_applicable if c in self.contact_codes]

    def reach_counts(self, frame: pd.DataFrame) -> dict[str, int]:
        """Letters per contact result."""
        if len(frame) < 10_000:
            # A batch: counting a few hundred values in Python beats value_counts' fixed cost,
            # which adds up to seconds over thousands of batches.
            tally = Counter(frame["contact_result"].tolist())
            return {code: int(tally.get(code, 0)) for code in self.contact_codes}
        counts = frame["contact_result"].value_counts()
        return {code: int(counts.get(code, 0)) for code in self.contact_codes}

    @cached_property
    def neighbourhoods(self) -> list[str]:
        return sorted(self.letters["neighbourhood"].dropna().unique())

    @cached_property
    def letters_by_batch(self) -> dict[Any, pd.DataFrame]:
        return groups(self.letters, "batch_id")

    @cached_property
    def batch_ids(self) -> list[str]:
        """Batches with letters, in the ledger's order."""
        with_letters = set(self.letters["batch_id"])  # once: in the comprehension it is rebuilt per batch
        ids = [x for x in self.data.batches["batch_id"] if x in with_letters]
        return ids + sorted(with_letters - set(ids))

    @cached_property
    def batch_nbh(self) -> dict[str, str]:
        return {x: str(self.letters_by_batch[x]["neighbourhood"].iloc[0]) for x in self.batch_ids}

    # ---- the conversations in the period: outcomes and what came of them ------------------------

    @cached_property
    def conversations(self) -> pd.DataFrame:
        """Outcomes of the conversations in the period, with their codes cleaned."""
        outcomes = self.data.outcomes.copy()
        outcomes = outcomes[outcomes["contact_result"] == self.roles.spoken].copy()
        outcomes["classification"] = clean(outcomes["classification"])
        outcomes["participation_potential"] = clean(outcomes["participation_potential"])
        outcomes["location"] = clean(outcomes["location"])
        return outcomes

    @cached_property
    def spoken_ids(self) -> set[Any]:
        return set(self.conversations["client_id"])

    @cached_property
    def class_label(self) -> dict[str, str]:
        return {**self.cb.classification, NONE: "Geen classificatie"}

    @cached_property
    def taken_over(self) -> pd.DataFrame:
        """The approached in the period not spoken to (latest result), with the referrals their
        outcome records to a destination allowed without a conversation
        (`roles.referral_without_conversation`: Nijmegen's klantmanager takes over those not
        reached), one row per person and destination: client_id, destination."""
        import pandas as pd

        without = set(self.roles.referral_without_conversation)
        letters = self.letters[self.letters["contact_result"] != self.roles.spoken]
        rows = [
            (cid, code)
            for cid, listed in zip(letters["client_id"], letters["referrals"], strict=True)
            for code in split(listed)
            if code in without
        ]
        return pd.DataFrame(rows, columns=["client_id", "destination"])

    @cached_property
    def referrals(self) -> pd.DataFrame:
        """Referrals from the conversations in the period, and to the destinations allowed without
        a conversation of the people approached in the period and not spoken to (without these,
        the klantmanager's share would miss exactly the people the klantmanager took over); with
        the result cleaned."""
        refs = self.data.referrals
        without = set(self.roles.referral_without_conversation)
        not_spoken = set(self.letters["client_id"]) - set(
            self.letters.loc[self.letters["contact_result"] == self.roles.spoken, "client_id"]
        )
        wanted = isin(refs["client_id"], self.spoken_ids) | (
            isin(refs["client_id"], not_spoken) & refs["destination"].isin(without).to_numpy()
        )
        refs = refs[wanted].copy()
        refs["result"] = clean(refs["result"])
        return refs

    def counts_as_active(self, destination: str, result: str) -> bool:
        """Whether this referral result means the person became active: per destination from
        `roles.became_active` (a klantmanager arranging care is not someone becoming active), a
        destination not named there by `roles.referral_started` only."""
        wanted = self.roles.became_active.get(destination, [self.roles.referral_started])
        return result in wanted

    @cached_property
    def active_via_referral(self) -> set[Any]:
        """People spoken to in the period with a referral whose result counts as becoming active."""
        refs = self.referrals
        return {
            cid
            for cid, dest, result in zip(refs["client_id"], refs["destination"], refs["result"], strict=True)
            if self.counts_as_active(dest, result)
        }

    @cached_property
    def calls(self) -> pd.DataFrame:
        """Follow-up calls to the people spoken to in the period."""
        return self.data.followups[isin(self.data.followups["client_id"], self.spoken_ids)]

    @cached_property
    def latest_calls(self) -> pd.DataFrame:
        return latest_calls(self.calls)


Section = Callable[[Context, Builder], Part]
