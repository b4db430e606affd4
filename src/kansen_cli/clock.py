"""The one place the command line reads the calendar.

Workflows and the core take "today" as a parameter; only the command line asks this module.
`KANSEN_TODAY` (yyyy-mm-dd) fixes the date, so that a run can be reproduced as it was on
another day and so that tests never depend on the real date.
"""

from __future__ import annotations

import datetime as dt
import os

from kansen_cli.errors import SettingsError
from kansen_cli.i18n import _

TODAY_ENV = "KANSEN_TODAY"


def today() -> dt.date:
    """Today's date, or the date in KANSEN_TODAY when it is set."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise SettingsError(
            _("{TODAY_ENV}={fixed!r} is no date; use yyyy-mm-dd").format(TODAY_ENV=TODAY_ENV, fixed=fixed)
        ) from None
