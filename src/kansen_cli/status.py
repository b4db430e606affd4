"""Where the campaign stands and what to do next (pure: counts in, sentences out).

`workflows.status` gathers one `BatchState` per batch from the ledger (counts per batch, in
SQL) and from the campaign folder (is the registration workbook there); the rules here turn
them into the next steps a coordinator reads, most urgent first: answers to bring in before
workbooks to write, letters to send before batches to plan. Campaign-wide steps (a selection
not yet batched, follow-up calls due, a survey not yet called) come before the batches'.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from kansen_cli.settings import Settings


@dataclass(frozen=True)
class RunState:
    """The latest selection run, and how many it selected are in no batch yet."""

    run_id: int
    created_at: str
    as_of: dt.date
    rows: int
    selected: int
    unbatched: int


@dataclass(frozen=True)
class BatchState:
    """One batch as the ledger and the campaign folder have it today."""

    batch_id: str
    neighbourhood: str
    size: int
    planned: int = 0  # members with an appointment
    first_appointment: dt.date | None = None
    last_appointment: dt.date | None = None
    letters_sent_on: dt.date | None = None
    approached: int = 0  # members with a letter recorded
    sheet_written: bool = False  # the registration workbook is in the campaign's sheets folder
    sheet_loaded_on: dt.date | None = None  # the last registration workbook of the batch ingested
    outcomes: int = 0
    calls_due: int = 0
    referrals_due: int = 0
    survey_sampled: int = 0
    survey_answered: int = 0
    round: int = 1  # 2 and up: a follow-on batch (selwerd-1-r2)
    # People whose result in this batch's round says invite again and who are in no batch of the
    # next round yet (counted only below [rounds] max_round).
    invite_again: int = 0

    @property
    def outcomes_pct(self) -> float | None:
        """Outcomes in as a percentage of the people approached (None: nobody approached yet)."""
        return round(100 * self.outcomes / self.approached, 1) if self.approached else None


@dataclass(frozen=True)
class SurveyState:
    survey_id: int
    drawn_on: dt.date
    sampled: int
    answered: int


@dataclass(frozen=True)
class Step:
    """One thing to do: `batch` None for the campaign as a whole; `action` a short key."""

    batch: str | None
    action: str
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.batch, "action": self.action, "text": self.text}


# Most urgent first: answers waiting to come in, then workbooks to write, then letters, then plans.
BATCH_ACTIONS = ("ingest", "complete", "sheet", "replan", "letters", "plan", "round")


def _day(value: dt.date) -> str:
    return i18n.day(value)


def _people(n: int) -> str:
    return ngettext("{count} person", "{count} people", n).format(count=i18n.number(n))


def _sent(sent_on: dt.date, today: dt.date) -> str:
    days = (today - sent_on).days
    if days < 0:
        return _("letters to go out on {day}").format(day=_day(sent_on))
    if days == 0:
        return _("letters sent today")
    return ngettext("letters sent {count} day ago", "letters sent {count} days ago", days).format(count=days)


def batch_step(batch: BatchState, today: dt.date) -> Step | None:
    """The next thing to do for one batch, or None when its registration is complete."""
    b = batch.batch_id
    if batch.letters_sent_on is None:
        if not batch.planned:
            return Step(
                b,
                "plan",
                _("{batch}: not planned yet — run `kansen plan {batch} --start DATE`").format(batch=b),
            )
        assert batch.first_appointment is not None
        if batch.first_appointment <= today:
            return Step(
                b,
                "replan",
                _(
                    "{batch}: the plan starts on {day} and no letters were sent "
                    "— plan it again: `kansen plan {batch} --start DATE`"
                ).format(batch=b, day=_day(batch.first_appointment)),
            )
        return Step(
            b,
            "letters",
            _("{batch}: planned from {day}, no letters yet — run `kansen letters {batch}`").format(
                batch=b, day=_day(batch.first_appointment)
            ),
        )
    sent = _sent(batch.letters_sent_on, today)
    later = batch.last_appointment is not None and batch.last_appointment >= today
    if batch.outcomes == 0:
        if not batch.sheet_written and batch.sheet_loaded_on is None:
            return Step(
                b,
                "sheet",
                _("{batch}: {sent}, no registration sheet yet — run `kansen sheet {batch}`").format(
                    batch=b, sent=sent
                ),
            )
        if later:
            assert batch.last_appointment is not None
            return Step(
                b,
                "ingest",
                _(
                    "{batch}: {sent}, appointments until {day} "
                    "— ingest the filled-in registration sheet after them"
                ).format(batch=b, sent=sent, day=_day(batch.last_appointment)),
            )
        return Step(
            b,
            "ingest",
            _("{batch}: {sent}, no outcomes yet — ingest the registration sheet").format(batch=b, sent=sent),
        )
    missing = batch.approached - batch.outcomes
    if missing <= 0:
        if batch.invite_again:
            return Step(
                b,
                "round",
                _("{batch}: {people} to invite again — run `kansen batch --round {round} {batch}`").format(
                    batch=b, people=_people(batch.invite_again), round=batch.round + 1
                ),
            )
        return None
    return _complete_step(batch, missing, later)


def _complete_step(batch: BatchState, missing: int, later: bool) -> Step:
    """Outcomes are in for some of the people approached: the sheet is to be completed."""
    b = batch.batch_id
    until = (
        _("; appointments until {day}").format(day=_day(batch.last_appointment))
        if later and batch.last_appointment
        else ""
    )
    return Step(
        b,
        "complete",
        _(
            "{batch}: outcomes in for {outcomes} of {approached} approached{until} "
            "— {people} without an answer: complete the registration sheet and ingest it again"
        ).format(
            batch=b,
            outcomes=i18n.number(batch.outcomes),
            approached=i18n.number(batch.approached),
            until=until,
            people=_people(missing),
        ),
    )


def campaign_steps(run: RunState | None, batches: list[BatchState], surveys: list[SurveyState]) -> list[Step]:
    """What the campaign as a whole waits for: a selection, batches, follow-up calls, survey calls."""
    if run is None:
        return [Step(None, "select", _("no selection yet — run `kansen select REGISTER`"))]
    steps = []
    if run.unbatched > 0:
        steps.append(
            Step(
                None,
                "batch",
                _("{people} selected on {day} in no batch yet — run `kansen batch`").format(
                    people=_people(run.unbatched), day=_day(run.as_of)
                ),
            )
        )
    calls = sum(b.calls_due for b in batches)
    referrals = sum(b.referrals_due for b in batches)
    if calls or referrals:
        due = (
            [ngettext("{count} call due", "{count} calls due", calls).format(count=i18n.number(calls))]
            if calls
            else []
        )
        if referrals:
            due.append(
                ngettext(
                    "{count} referral waiting for the partner's answer",
                    "{count} referrals waiting for the partner's answer",
                    referrals,
                ).format(count=i18n.number(referrals))
            )
        said = _("follow-up: {due} — run `kansen followup`").format(due=_(" and ").join(due))
        steps.append(Step(None, "followup", said))
    for s in surveys:
        if s.answered < s.sampled:
            steps.append(
                Step(
                    None,
                    "survey",
                    _(
                        "survey {survey}: {waiting} of {sampled} sampled not called yet "
                        "— call them and ingest the survey workbook"
                    ).format(
                        survey=s.survey_id,
                        waiting=i18n.number(s.sampled - s.answered),
                        sampled=i18n.number(s.sampled),
                    ),
                )
            )
    return steps


def next_steps(
    run: RunState | None, batches: list[BatchState], surveys: list[SurveyState], today: dt.date
) -> list[Step]:
    """Every step, campaign-wide first, then per batch in the order of `BATCH_ACTIONS`."""
    per_batch = [s for s in (batch_step(b, today) for b in batches) if s is not None]
    per_batch.sort(key=lambda s: BATCH_ACTIONS.index(s.action))  # stable: batch order kept within
    return campaign_steps(run, batches, surveys) + per_batch


def call_cutoff(settings: Settings, today: dt.date) -> dt.date:
    """The latest conversation date whose follow-up call can be due today (`followup.due_calls`'
    own cutoff): the ledger reads no one spoken to later."""
    from kansen_cli.privacy import months_before

    return months_before(today, settings.followup.months)


def due_per_batch(
    people: Iterable[Mapping[str, Any]],
    calls: dict[str, dict[int, dict[str, Any]]],
    referrals: Iterable[Mapping[str, Any]],
    settings: Settings,
    today: dt.date,
    closed: Collection[str] = (),
) -> tuple[dict[str, int], dict[str, int]]:
    """Follow-up calls and referrals due today per batch, by `kansen followup`'s own rules.

    `people` and `referrals` are rows with the columns `followup.due_calls` and `due_referrals`
    read, plus `batch_id`; rows that cannot be due may be left out beforehand (the ledger does so).
    `closed`: the people whose calls were closed, whose referrals are not listed either.
    The rules are those of `followup.due_calls` and `due_referrals`, row by row, so that status
    needs no pandas (tests/test_status_due.py holds the two side by side on many inputs).
    """
    from kansen_cli.followup import next_round
    from kansen_cli.privacy import months_before

    roles = settings.codebook.roles
    cutoff = months_before(today, settings.followup.months).isoformat()

    def call_due(person: Mapping[str, Any]) -> bool:
        """`followup.due_calls` for one row: spoken, acting on their own, long enough ago, a round left."""
        day, referred = person["conversation_date"], person.get("referrals")
        if (
            person["contact_result"] != roles.spoken
            or person["participation_potential"] != roles.potential_self
        ):
            return False
        if _missing(day) or str(day) > cutoff:
            return False
        # Referred people are followed through the referral, unless `followup.call_referred`.
        referred_only = not settings.followup.call_referred and "referrals" in person
        if referred_only and not _missing(referred) and str(referred) != "":
            return False
        return next_round(calls.get(person["client_id"], {}), settings) is not None

    due = Counter(str(p["batch_id"]) for p in people if p["batch_id"] is not None and call_due(p))
    pending = set(settings.codebook.roles.referral_pending)
    closed_ = set(closed)
    waiting = Counter(
        str(r["batch_id"])
        for r in referrals
        if r["batch_id"] is not None and _referral_due(r, pending, closed_, settings, today)
    )
    return dict(due), dict(waiting)


def _referral_due(
    referral: Mapping[str, Any], pending: set[str], closed: set[str], settings: Settings, today: dt.date
) -> bool:
    """`followup.due_referrals` for one row: no final answer, made by today, its line not ended."""
    result, made = referral["result"], referral["referred_on"]
    if not (_missing(result) or result in pending):
        return False
    if not (_missing(made) or str(made) <= today.isoformat()):
        return False
    if referral["client_id"] in closed:
        return False
    if "lists" not in referral:
        return True
    lists: Any = referral["lists"]
    return (0 if _missing(lists) else int(lists)) < settings.followup.referral_rounds


def _missing(value: Any) -> bool:
    """None or a float NaN: what pandas' isna sees in a column read from SQLite."""
    return value is None or (isinstance(value, float) and value != value)
