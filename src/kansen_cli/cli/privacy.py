"""Retention: `kansen purge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, date_option, print_json, wait_notice
from kansen_cli.i18n import _, day, number


@command(rich_help_panel="Coordinator")
def purge(
    older_than: Annotated[
        int, typer.Option("--older-than", min=1, help="Months since a person's last event.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Count months back from this date; default today."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count who would be purged; change nothing.")
    ] = False,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Remove the personal data of people whose last event is older than N months.

    Names, addresses, phone numbers, e-mail and dates of birth are erased; the client id is
    replaced everywhere by an HMAC-SHA256 pseudonym keyed with a secret kept outside the
    campaign folder (environment variable KANSEN_PSEUDONYM_KEY, or privacy.pseudonym_key_file),
    so outcomes stay countable and past reports reproduce exactly.

    Example: KANSEN_PSEUDONYM_KEY=... kansen purge --older-than 24
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import purge as workflow

    reference = date_option(as_of, "--as-of")
    settings = load_settings(campaign)
    result = workflow.run(
        campaign, settings, older_than, today=today(), as_of=reference, dry_run=dry_run, on_wait=wait_notice
    )
    if as_json:
        print_json(result.as_json())
        return
    said = (
        _(
            "Last event before {day}: {people} people's personal data would be erased; "
            "{ids} client ids would be replaced by pseudonyms."
        )
        if dry_run
        else _(
            "Last event before {day}: {people} people's personal data were erased; "
            "{ids} client ids were replaced by pseudonyms."
        )
    )
    console().print(
        said.format(
            day=day(result.cutoff), people=number(result.people_purged), ids=number(result.ids_pseudonymised)
        )
    )
