"""Settings of how a letter looks and speaks (issue 16): house style, address rules, salutation,
privacy link, and the languages a letter comes in or offers help in.

Its own module so that `settings.py` stays small. The letter text itself is Dutch and lives in
the templates (`templates/letters/`); what differs between municipalities is set here.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# How a house number and its addition are written: "dash" 12-2 and 12-A, "space" 12 2 and 12 A,
# "auto" a number addition with a dash (12-2, the floor) and a letter addition with a space (12 A).
AdditionStyle = Literal["auto", "dash", "space"]
MIN_BODY_SIZE = 11.0
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Font names only (letters, digits, spaces, hyphens), comma separated: they go into the CSS.
_FONTS = re.compile(r"[A-Za-z0-9 \-]+(?:, *[A-Za-z0-9 \-]+)*")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class HouseStyle(_Model):
    """The house style of the letters: logo, colours, font and size."""

    logo: str = Field(
        "",
        description="Logo image (SVG, PNG or JPEG) in the sender block, relative to the campaign"
        " folder, e.g. 'huisstijl/logo.svg'. Empty: templates/letters/logo.svg (or .png, .jpg)"
        " when the campaign has one, else no logo.",
    )
    colour: str = Field("#00529b", description="Colour of the municipality's name, headings and lines.")
    text_colour: str = Field("#000000", description="Colour of the text.")
    font_family: str = Field(
        "DejaVu Sans, Liberation Sans, Arial",
        description="Fonts of the letter, the first one installed is used (names only, comma separated).",
    )
    body_size: float = Field(
        11.0, description="Font size of the letter text in points; at least 11 (readability)."
    )

    @field_validator("colour", "text_colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _COLOUR.fullmatch(value):
            raise ValueError(f"{value!r} is no colour; write it as #rrggbb, e.g. #00529b")
        return value

    @field_validator("font_family")
    @classmethod
    def _fonts(cls, value: str) -> str:
        if not _FONTS.fullmatch(value.strip()):
            raise ValueError(
                f"{value!r}: give font names only (letters, digits, spaces), separated by commas"
            )
        return value.strip()

    @field_validator("body_size")
    @classmethod
    def _size(cls, value: float) -> float:
        if value < MIN_BODY_SIZE:
            raise ValueError(f"body_size {value} is too small to read; use 11 points or more")
        if value > 16:
            raise ValueError(f"body_size {value} does not fit a letter on one page; use 11 to 16")
        return value


def default_languages() -> dict[str, str]:
    return {"Engels": "en", "English": "en"}


def default_help_lines() -> dict[str, str]:
    # No Tigrinya by default: its Ethiopic script needs a font (e.g. Noto Sans Ethiopic) that
    # a plain installation lacks; add `ti = "..."` once such a font is installed.
    return {
        "en": "Do you need help with this letter? Please call us: {phone}.",
        "tr": "Bu mektupla ilgili yardıma mı ihtiyacınız var? Lütfen bizi arayın: {phone}.",
        "pl": "Potrzebują Państwo pomocy w sprawie tego listu? Prosimy zadzwonić: {phone}.",
        "ar": "هل تحتاج إلى مساعدة بخصوص هذه الرسالة؟ اتصل بنا على الرقم: {phone}.",
    }


class LetterLanguages(_Model):
    """Languages: a translation next to the Dutch letter, or a line offering help."""

    codes: dict[str, str] = Field(
        default_factory=default_languages,
        description="Register language (column Taal) -> language code. A person whose language has"
        " a template <variant>.<code>.html.j2 gets the Dutch letter and the translation behind it.",
    )
    help_lines: dict[str, str] = Field(
        default_factory=default_help_lines,
        description="Language code -> one line offering help with the letter, printed on every"
        " letter without a translation; {phone} is help_phone. Only scripts your fonts cover.",
    )
    help_phone: str = Field("", description="Phone number in the help lines; empty: letters.phone.")

    @field_validator("codes")
    @classmethod
    def _codes(cls, value: dict[str, str]) -> dict[str, str]:
        for name, code in value.items():
            if not code.isascii() or not code.replace("_", "").isalnum():
                raise ValueError(f"language code {code!r} of {name!r} may hold letters, digits and _ only")
        return value

    def code_of(self, language: str | None) -> str | None:
        """The language code of a register language (case and spaces ignored), or None."""
        if not language:
            return None
        wanted = language.strip().casefold()
        return next((c for name, c in self.codes.items() if name.strip().casefold() == wanted), None)


SALUTATION_FIELDS = ("title", "initials", "surname", "name")


def check_salutation(value: str) -> str:
    """A salutation pattern whose fields are only {title}, {initials}, {surname} and {name}."""
    import string

    try:
        names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as exc:
        raise ValueError(f"salutation {value!r}: {exc}") from None
    unknown = [n for n in names if n not in SALUTATION_FIELDS]
    if unknown:
        known = ", ".join("{" + n + "}" for n in SALUTATION_FIELDS)
        raise ValueError(f"salutation {value!r} uses {{{unknown[0]}}}; it may use {known}")
    return value
