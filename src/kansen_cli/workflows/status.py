"""`kansen status`: where the campaign stands, per batch, and what to do next. Reads only.

"Sheet written" is read from the campaign folder, not recorded: the batch's registration
workbook under its default name (`sheets/<batch>-registratie.xlsx`) is there, or a
registration workbook of the batch was ingested (the ledger's `loaded_files`). A workbook
written elsewhere with `kansen sheet --out` counts once it is ingested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.status import BatchState, RunState, Step, SurveyState
from kansen_cli.workflows.sheet import SHEETS_DIR, registration_path

if TYPE_CHECKING:
    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


@dataclass
class TrajectoryState:
    """People kept in view: open trajectories, who is out of view, coaches at or over their cap."""

    open: int
    no_contact: int
    reviews_overdue: int
    full: list[str]  # coach codes whose caseload has reached the cap

    def as_json(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "no_contact": self.no_contact,
            "reviews_overdue": self.reviews_overdue,
            "coaches_full": self.full,
        }


@dataclass
class StatusResult:
    """The campaign on `today`: its latest selection, every batch, every survey, the next steps."""

    today: dt.date
    run: RunState | None
    batches: list[BatchState]
    surveys: list[SurveyState]
    steps: list[Step]
    trajectories: TrajectoryState | None = None  # None: nobody was ever in a trajectory

    def as_json(self) -> dict[str, Any]:
        run = self.run
        return {
            "today": self.today.isoformat(),
            "selection": None
            if run is None
            else {
                "run_id": run.run_id,
                "created_at": run.created_at,
                "as_of": run.as_of.isoformat(),
                "rows": run.rows,
                "selected": run.selected,
                "unbatched": run.unbatched,
            },
            "batches": [_batch_json(b) for b in self.batches],
            "followup_due": {
                "calls": sum(b.calls_due for b in self.batches),
                "referrals": sum(b.referrals_due for b in self.batches),
            },
            "surveys": [
                {
                    "survey_id": s.survey_id,
                    "drawn_on": s.drawn_on.isoformat(),
                    "sampled": s.sampled,
                    "answered": s.answered,
                }
                for s in self.surveys
            ],
            "trajectories": None if self.trajectories is None else self.trajectories.as_json(),
            "next": [s.as_json() for s in self.steps],
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _batch_json(b: BatchState) -> dict[str, Any]:
    return {
        "batch_id": b.batch_id,
        "wijk": b.neighbourhood,
        "size": b.size,
        "planned": b.planned,
        "first_appointment": _iso(b.first_appointment),
        "last_appointment": _iso(b.last_appointment),
        "letters_sent_on": _iso(b.letters_sent_on),
        "approached": b.approached,
        "sheet_written": b.sheet_written,
        "sheet_loaded_on": _iso(b.sheet_loaded_on),
        "outcomes": b.outcomes,
        "outcomes_pct": b.outcomes_pct,
        "calls_due": b.calls_due,
        "referrals_due": b.referrals_due,
        "survey_sampled": b.survey_sampled,
        "survey_answered": b.survey_answered,
        "round": b.round,
        "invite_again": b.invite_again,
    }


def run(campaign: Path, settings: Settings, today: dt.date) -> StatusResult:
    """Read the ledger and the campaign's sheets folder; write nothing."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger import status as queries
    from kansen_cli.status import next_steps

    written = _sheets_present(campaign)
    with open_ledger(campaign, create=False) as ledger:
        found = queries.latest_run(ledger)
        states = _batch_states(ledger, settings, today, written)
        surveys = [
            SurveyState(
                int(s["survey_id"]), dt.date.fromisoformat(s["drawn_on"]), s["sampled"], s["answered"]
            )
            for s in queries.surveys(ledger)
        ]
        run_ = None
        if found is not None:
            latest = int(found["run_id"])
            # Round 1 only: a later round's people are in their round-1 batch already.
            batched = sum(s.size for s, r in states if r == latest and s.round == 1)
            run_ = RunState(
                run_id=latest,
                created_at=str(found["created_at"]),
                as_of=dt.date.fromisoformat(found["as_of"]),
                rows=int(found["rows"]),
                selected=int(found["selected"]),
                # The people of a run's batches were selected by that run (`kansen batch` takes the
                # latest run's unbatched people), so the rest of its selection waits for a batch.
                unbatched=max(0, int(found["selected"]) - batched),
            )
        kept = _trajectories(ledger, settings, today)
    batches = [s for s, _ in states]
    steps = next_steps(run_, batches, surveys, today)
    if kept is not None and (kept.no_contact or kept.reviews_overdue):
        # Campaign-wide, so after the other campaign-wide steps and before those per batch.
        at = sum(1 for s in steps if s.batch is None)
        steps.insert(at, _inview_step(kept, settings))
    return StatusResult(today, run_, batches, surveys, steps, kept)


def _trajectories(ledger: Ledger, settings: Settings, today: dt.date) -> TrajectoryState | None:
    from collections import Counter

    from kansen_cli.ledger.trajectories import started_any
    from kansen_cli.workflows.inview import kept_in_view

    if not started_any(ledger):
        return None
    kept, found = kept_in_view(ledger, settings, today)
    loads = Counter(k.coach for k in kept)  # every open trajectory, with its current coach
    return TrajectoryState(
        open=len(kept),
        no_contact=sum(1 for p in found if p.no_contact),
        reviews_overdue=sum(1 for p in found if p.review_overdue),
        full=[c.code for c in settings.trajectories.coaches if loads[c.code] >= c.cap],
    )


def _inview_step(kept: TrajectoryState, settings: Settings) -> Step:
    weeks = settings.trajectories.contact_weeks
    return Step(
        None,
        "inview",
        _(
            "people in a trajectory out of view: {no_contact} without contact for more than {weeks}"
            " weeks, {overdue} with a review overdue — `kansen inview` lists them per coach"
        ).format(no_contact=kept.no_contact, weeks=weeks, overdue=kept.reviews_overdue),
    )


def _sheets_present(campaign: Path) -> set[str]:
    """File names in the campaign's sheets folder (one listing, not a look-up per batch)."""
    folder = Path(campaign) / SHEETS_DIR
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _batch_states(
    ledger: Ledger, settings: Settings, today: dt.date, sheets: set[str]
) -> list[tuple[BatchState, int]]:
    """Every batch's state with the run it was made from."""
    from kansen_cli.ledger import status as queries
    from kansen_cli.status import call_cutoff, due_per_batch

    roles = settings.codebook.roles
    self_starter = (roles.spoken, roles.potential_self, roles.followup_no_contact)
    until = call_cutoff(settings, today).isoformat()
    calls, referrals = due_per_batch(
        queries.self_starters(ledger, self_starter, until),
        queries.self_starters_calls(ledger, self_starter, until),
        queries.waiting_referrals(ledger, list(roles.referral_pending)),
        settings,
        today,
        queries.closed_people(ledger, roles.followup_closed),
    )
    sizes, planned, sent = queries.sizes(ledger), queries.appointments(ledger), queries.letters(ledger)
    outcomes, loaded = queries.outcomes(ledger), queries.registrations_loaded(ledger)
    surveyed = queries.survey_members(ledger)
    again: dict[str, int] = {}
    if settings.rounds.max_round >= 2:
        from kansen_cli.ledger.rounds import still_to_invite_again

        again = still_to_invite_again(ledger, roles.invite_again, settings.rounds.max_round)
    out = []
    for b in queries.batches(ledger):
        batch_id = b["batch_id"]
        n_planned, first, last = planned.get(batch_id, (0, None, None))
        n_letters, last_letter = sent.get(batch_id, (0, None))
        sampled, answered = surveyed.get(batch_id, (0, 0))
        state = BatchState(
            batch_id=batch_id,
            neighbourhood=b["neighbourhood"],
            size=int(sizes.get(batch_id, (0,))[0]),
            planned=int(n_planned),
            first_appointment=_date(first),
            last_appointment=_date(last),
            letters_sent_on=_date(b["invited_on"] or last_letter),
            approached=int(n_letters),
            sheet_written=registration_path(Path("."), batch_id).name in sheets,
            sheet_loaded_on=_date(loaded.get(batch_id, (None,))[0]),
            outcomes=int(outcomes.get(batch_id, (0,))[0]),
            calls_due=calls.get(batch_id, 0),
            referrals_due=referrals.get(batch_id, 0),
            survey_sampled=int(sampled),
            survey_answered=int(answered),
            round=int(b["round"] or 1),
            invite_again=again.get(batch_id, 0),
        )
        out.append((state, int(b["run_id"])))
    return out
