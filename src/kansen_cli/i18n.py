"""One language per user: Dutch by default, English with `--lang en` or `KANSEN_LANG=en`.

Messages are written in English in the source, wrapped in `_()` where they are shown, and
translated through the gettext catalogue in `kansen_cli/locale/` (built from the `.po` files
there by `make translations`; `kansen_cli.i18n_catalog` extracts and compiles them with
babel). English needs no catalogue: a message without a translation is shown as written, and a
test fails when a message has no Dutch translation.

Numbers and dates a person reads go through `number`, `percent` and `day`, so that Dutch output
says `27,6` and `12-10-2026` and English output `27.6` and `12 Oct 2026`.

This module imports nothing heavy (`kansen --help` stays fast): babel is imported only by
the formatting functions, when they are first called.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LANG_ENV = "KANSEN_LANG"
DOMAIN = "kansen"
LOCALE_DIR = Path(__file__).parent / "locale"

# None until set by `--lang`: then the environment decides, then the default.
_chosen: dict[str, str | None] = {"lang": None}


class UnknownLanguage(ValueError):
    """A language kansen has no catalogue for."""


def normalise(code: str) -> str:
    """`NL`, `nl_NL.UTF-8` and `nl-NL` all mean `nl`; an unknown language is refused."""
    short = code.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    if short not in LANGUAGES:
        raise UnknownLanguage(code)
    return short


def language() -> str:
    """The language human output is in now."""
    chosen = _chosen["lang"]
    if chosen is not None:
        return chosen
    from_env = os.environ.get(LANG_ENV, "").strip()
    if from_env:
        with contextlib.suppress(UnknownLanguage):
            return normalise(from_env)
    return DEFAULT_LANGUAGE


def set_language(code: str | None) -> str:
    """Choose the language (None: back to the environment or the default); returns it."""
    _chosen["lang"] = None if code is None else normalise(code)
    return language()


@contextlib.contextmanager
def using(code: str) -> Iterator[None]:
    """The block's output in `code`; the previous choice afterwards (for tests and workers)."""
    previous = _chosen["lang"]
    set_language(code)
    try:
        yield
    finally:
        _chosen["lang"] = previous


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the current language."""
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, as the current language counts `n`."""
    return _translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_()` translates it where shown."""
    return message


def _locale() -> str:
    return {"nl": "nl_NL", "en": "en_GB"}[language()]


def number(value: float, digits: int = 0) -> str:
    """`value` with `digits` decimals and the language's separators: 1.234,5 or 1,234.5."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    # Half up, as people round by hand (and as the report's percentages are rounded), where
    # babel alone would round half to even.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(rounded, format=pattern, locale=_locale())


def percent(value: float | None, digits: int = 1) -> str:
    """A percentage (`value` already times 100) as people read it: 27,6 %; nothing known yet
    (None) says so in words rather than as 0 %."""
    if value is None:
        return _("no result yet")
    return f"{number(value, digits)}\u00a0%"


def day(value: dt.date) -> str:
    """A date as people write it: 12-10-2026 in Dutch, 12 Oct 2026 in English."""
    if language() == "nl":
        return f"{value:%d-%m-%Y}"
    from babel.dates import format_date

    return format_date(value, "medium", locale=_locale())
