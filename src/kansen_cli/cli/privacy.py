"""Retention: `kansen purge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, date_option, print_json


@command()
def purge(
    older_than: Annotated[
        int, typer.Option("--older-than", min=1, help="Months since a person's last event.")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Count months back from this date; default today.")
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
    import datetime as dt

    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.purge import purge as purge_ledger
    from kansen_cli.privacy import load_key, months_before, pseudonym
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    key = load_key(settings.privacy, campaign)
    cutoff = months_before(date_option(as_of, "--as-of") or dt.date.today(), older_than)
    with open_ledger(campaign, create=False) as ledger:
        result = purge_ledger(ledger, cutoff, lambda cid: pseudonym(cid, key), dry_run=dry_run)
    if as_json:
        print_json(result.as_json() | {"dry_run": dry_run})
        return
    verb = "would be" if dry_run else "were"
    console().print(
        f"Last event before {cutoff:%d-%m-%Y}: {result.people_purged} people's personal data "
        f"{verb} erased; {result.ids_pseudonymised} client ids {verb} replaced by pseudonyms."
    )
