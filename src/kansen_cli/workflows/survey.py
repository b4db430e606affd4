"""`kansen survey`: draw a random sample of participants and non-participants, and its workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _

if TYPE_CHECKING:
    from kansen_cli.settings import Settings

SURVEYS_DIR = "enquetes"


def survey_path(campaign: Path, survey_id: int) -> Path:
    """Default file of a survey's workbook: named by the survey's number, never by a person."""
    return Path(campaign) / SURVEYS_DIR / f"enquete-{survey_id}.xlsx"


@dataclass
class SurveyResult:
    """The sample drawn (people per group, out of how many) and the workbook written."""

    survey_id: int
    seed: int
    size: int
    by: str | None
    sampled: dict[str, int]
    population: dict[str, int]
    file: Path

    def as_json(self) -> dict[str, Any]:
        return {
            "survey_id": self.survey_id,
            "seed": self.seed,
            "size": self.size,
            "by": self.by,
            "sampled": self.sampled,
            "population": self.population,
            "file": str(self.file),
        }


def run(
    campaign: Path,
    settings: Settings,
    today: dt.date,
    size: int | None = None,
    by: str | None = None,
    seed: int | None = None,
    out: Path | None = None,
    force: bool = False,
) -> SurveyResult:
    """Draw the sample, record it and write its workbook, all or nothing."""
    from kansen_cli.errors import KansenError, NotFoundError
    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.core import now
    from kansen_cli.ledger.surveys import record_sample, sample_people, survey_population
    from kansen_cli.survey import STRATA, draw_sample, group_of, group_sizes
    from kansen_cli.workbooks import survey as workbook

    if by is not None and by not in STRATA:
        raise KansenError(
            _("--by {by!r} is not known; choose one of: {STRATA}").format(by=by, STRATA=", ".join(STRATA))
        )
    size = settings.survey.size if size is None else size
    if size < 1:
        raise KansenError(_("--size must be at least 1"))
    seed = settings.survey.seed if seed is None else seed
    questions = dict(settings.survey.questions)
    if out is not None:
        check_writable(out, force)
    roles = settings.codebook.roles
    written: Path | None = None
    try:
        with open_ledger(campaign, create=False) as ledger, ledger.transaction() as db:
            # Read inside the transaction: two surveys at once never sample the same people.
            population = survey_population(ledger)
            members = draw_sample(population, roles, size, seed, by)
            if not members:
                raise NotFoundError(
                    _("nobody to survey: no contact results are recorded yet, or everyone was sampled before")
                )
            survey_id = record_sample(db, now(), today.isoformat(), seed, size, by or "", questions, members)
            target = out or survey_path(campaign, survey_id)
            check_writable(target, force)
            book = workbook.build(sample_people(ledger, survey_id), settings, survey_id, questions)
            # The workbook is small: written before the commit and taken away if the commit
            # fails, so there is never a sample without its workbook nor a workbook without it.
            written = save_workbook(target, book, force)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    counted = [group_of(value, roles) for value in population["contact_result"]]
    return SurveyResult(
        survey_id=survey_id,
        seed=seed,
        size=size,
        by=by,
        sampled=group_sizes(members),
        population={group: counted.count(group) for group in group_sizes(members)},
        file=target,
    )
