"""How a letter writes a person's address and greets them: PostNL's address rules and the salutation.

Pure functions of text (no settings object, no I/O), so the letter, the mail merge and the
registration sheet write an address the same way.

PostNL: the house number and its addition belong together ("12-2", "12 A"), the postcode is
four digits, a space and two capitals, and two spaces separate it from the city in capitals
("9741 AB  GRONINGEN").
"""

from __future__ import annotations

import string
from typing import Any

# The salutation when not even a surname is known.
ANONYMOUS_SALUTATION = "Geachte heer/mevrouw"
# Register values of the gender, case ignored, and the title they give.
_TITLES = {
    "m": "heer",
    "man": "heer",
    "mannelijk": "heer",
    "male": "heer",
    "v": "mevrouw",
    "vrouw": "mevrouw",
    "vrouwelijk": "mevrouw",
    "f": "mevrouw",
    "female": "mevrouw",
}


def text(value: Any) -> str | None:
    """A ledger value as trimmed text; None, NaN and blanks become None; 17.0 becomes 17."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            value = int(value)
    out = str(value).strip()
    return out or None


def house_number(number: Any, addition: Any, style: str = "auto") -> str:
    """`12-2` or `12 A`: the house number with its addition, as `style` says.

    dash: 12-2, 12-A; space: 12 2, 12 A; auto: a number addition (a floor) with a dash, any
    other with a space. A single-letter addition is a capital; a separator the register already
    put in front of the addition ("-2", " A") is not doubled.
    """
    num, extra = text(number), text(addition)
    if extra:
        extra = extra.lstrip("-/ ").strip() or None
    if not num:
        return extra or ""
    if not extra:
        return num
    if len(extra) == 1 and extra.isalpha():
        extra = extra.upper()
    dash = style == "dash" or (style == "auto" and extra[0].isdigit())
    return f"{num}-{extra}" if dash else f"{num} {extra}"


def address_line(street: Any, number: Any, addition: Any, style: str = "auto") -> str:
    """`Amkemaheerd 1-2`: the street and the house number with its addition; gaps left out."""
    parts = (text(street), house_number(number, addition, style))
    return " ".join(p for p in parts if p)


def format_postcode(value: str | None) -> str | None:
    """`9716hd` -> `9716 HD`, as PostNL wants it; anything else as it was."""
    if value is None:
        return None
    compact = value.replace(" ", "").upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha():
        return f"{compact[:4]} {compact[4:]}"
    return value


def postcode_city(postcode: str | None, city: str | None) -> str | None:
    """`9741 AB  GRONINGEN`: postcode, two spaces, the city in capitals (None when one is missing)."""
    code, town = format_postcode(text(postcode)), text(city)
    if not code or not town:
        return None
    return f"{code}  {town.upper()}"


def title_of(gender: Any) -> str | None:
    """heer or mevrouw from the register's gender (M/V, man/vrouw, ...), else None."""
    value = text(gender)
    return _TITLES.get(value.casefold()) if value else None


def salutation(
    pattern: str,
    fallback: str,
    *,
    initials: str | None,
    prefix: str | None,
    surname: str | None,
    gender: Any = None,
) -> str:
    """The salutation of one person, without the comma.

    `pattern` is used when every field it names is known, else `fallback`, else "Geachte
    heer/mevrouw". {surname} is the surname with its prefix, the prefix capitalised as it is when
    no initials come before it (Van der Veen); {name} is initials, prefix and surname (J.A. van
    der Veen); "{initials} {surname}" in a pattern is read as {name}.
    """
    full = " ".join(p for p in (prefix, surname) if p) if surname else None
    values = {
        "title": title_of(gender),
        "initials": initials,
        "surname": (full[0].upper() + full[1:]) if full else None,
        "name": " ".join(p for p in (initials, prefix, surname) if p) if surname and initials else None,
    }
    for candidate in (pattern, fallback):
        candidate = candidate.replace("{initials} {surname}", "{name}")
        names = [f for _, f, _, _ in string.Formatter().parse(candidate) if f is not None]
        if all(values.get(n) for n in names):
            return " ".join(candidate.format(**values).split())
    return ANONYMOUS_SALUTATION
