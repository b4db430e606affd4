"""Retention: the secret-keyed pseudonyms that replace client ids when personal data is purged.

The key lives outside the campaign folder (an environment variable or a file elsewhere), so
the ledger alone cannot be turned back into client ids, while the same person always gets the
same pseudonym: past reports, which count by neighbourhood, batch and outcome, reproduce.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from pathlib import Path

from kansen_cli.errors import SettingsError
from kansen_cli.i18n import _
from kansen_cli.settings import PrivacySettings
from kansen_cli.settings_file import read_small_text

PSEUDONYM_PREFIX = "ps-"
MIN_KEY_LENGTH = 16
# A key is one line of text; anything much larger is the wrong file.
MAX_KEY_BYTES = 64 * 1024


def pseudonym(client_id: str, key: bytes) -> str:
    """`ps-` and the first 24 hex digits of HMAC-SHA256(key, client id as UTF-8); stable for
    one key, unlinkable without it."""
    digest = hmac.new(key, client_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:24]


def load_key(settings: PrivacySettings, campaign: Path) -> bytes:
    """The purge secret from the environment or a key file outside the campaign folder."""
    value = os.environ.get(settings.pseudonym_key_env, "")
    source = _("environment variable {name}").format(name=settings.pseudonym_key_env)
    if not value and settings.pseudonym_key_file:
        try:
            path = Path(settings.pseudonym_key_file).expanduser()
            inside = path.resolve().is_relative_to(Path(campaign).resolve())
        except (RuntimeError, OSError) as exc:  # an unknown ~user, a symbolic link loop
            raise SettingsError(
                _("privacy.pseudonym_key_file: cannot find it ({exc})").format(exc=exc)
            ) from None
        if inside:
            raise SettingsError(
                _(
                    "privacy.pseudonym_key_file lies inside the campaign folder; keep the "
                    "secret elsewhere, or the ledger and its key travel together"
                )
            )
        value = read_small_text(path, "privacy.pseudonym_key_file", MAX_KEY_BYTES).strip()
        source = "privacy.pseudonym_key_file"
    if not value:
        raise SettingsError(
            _(
                "no pseudonym secret: set the environment variable {pseudonym_key_env} "
                "(or privacy.pseudonym_key_file) to a long random text, and keep it: the "
                "same secret must be used for every purge of this campaign"
            ).format(pseudonym_key_env=settings.pseudonym_key_env)
        )
    if len(value) < MIN_KEY_LENGTH:
        raise SettingsError(
            _("the pseudonym secret from {source} is shorter than {MIN_KEY_LENGTH} characters").format(
                source=source, MIN_KEY_LENGTH=MIN_KEY_LENGTH
            )
        )
    return value.encode("utf-8")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clipped to the month's end."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
