"""The researcher's command: `kansen survey`. Option parsing and rendering; the work is in
`workflows.survey`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, print_json
from kansen_cli.i18n import _, number

if TYPE_CHECKING:
    from kansen_cli.workflows.survey import SurveyResult


@command(rich_help_panel="Coordinator")
def survey(
    size: Annotated[
        int | None, typer.Option("--size", min=1, help="People per group; default survey.size.")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Stratify each group by 'wijk' or 'variant' (proportionally)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the draw; default survey.seed in kansen.toml.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Workbook to write; default <campaign>/enquetes/enquete-<number>.xlsx."),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Draw a random sample of participants and non-participants and write the survey workbook.

    Participants had the conversation; non-participants declined, were not at home or were
    not reached (people who moved or whose benefit ended are left out). Nobody is sampled
    twice. The callers fill in the mark (1-10), the yes/no questions from kansen.toml and,
    for non-participants, the main reason; load the workbook with `kansen ingest`.

    Example: kansen survey --size 25 --by wijk
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import survey as workflow

    settings = load_settings(campaign)
    result = workflow.run(campaign, settings, today(), size=size, by=by, seed=seed, out=out, force=force)
    if as_json:
        print_json(result.as_json())
        return
    show_survey(result)


def show_survey(result: SurveyResult) -> None:
    from kansen_cli.survey import NON_PARTICIPANT, PARTICIPANT

    names = {PARTICIPANT: _("participants"), NON_PARTICIPANT: _("non-participants")}
    groups = "; ".join(
        _("{group}: {sampled} of {population}").format(
            group=names.get(group, group),
            sampled=number(result.sampled[group]),
            population=number(result.population[group]),
        )
        for group in result.sampled
    )
    console().print(
        _("Survey {survey}: {groups} (seed {seed}).").format(
            survey=result.survey_id, groups=groups, seed=result.seed
        )
    )
    console(stderr=True).print(
        _("Wrote {file}. Next: call them, fill it in, then `kansen ingest {file}`").format(file=result.file)
    )
