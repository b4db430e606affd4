"""Letters a municipality sends as they are (issue 16, deliver 2): PostNL address rules, the
salutation, the house style, privacy, and the language of the letter, checked on the PDF text."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from kansen_cli import letter_render as render
from kansen_cli import letter_templates as templates
from kansen_cli import letters as core
from kansen_cli.errors import KansenError
from kansen_cli.letter_format import address_line, format_postcode, house_number, postcode_city, salutation
from kansen_cli.settings import Settings, SettingsError, parse_settings
from letter_helpers import SENT_ON, golden_fields

# --- PostNL address rules, by hand --------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "addition", "style", "expected"),
    [
        (1, "2", "dash", "1-2"),
        (1, "2", "space", "1 2"),
        (1, "2", "auto", "1-2"),  # a floor: with a dash
        (12, "A", "auto", "12 A"),  # a letter: with a space
        (12, "a", "space", "12 A"),  # one letter in capitals
        (12, "A", "dash", "12-A"),
        (12, "bis", "auto", "12 bis"),
        (12, "-2", "auto", "12-2"),  # the register's own dash is not doubled
        (12.0, None, "auto", "12"),
        (12, " ", "dash", "12"),
    ],
)
def test_house_number_and_addition(number, addition, style, expected) -> None:
    assert house_number(number, addition, style) == expected


def test_address_line_and_postcode_city() -> None:
    assert address_line("Berkenlaan", 1, "2") == "Berkenlaan 1-2"
    assert address_line("Berkenlaan", 1, "2", "space") == "Berkenlaan 1 2"
    assert format_postcode("9741ab") == "9741 AB"
    assert format_postcode("9741 ab") == "9741 AB"
    assert format_postcode("onbekend") == "onbekend"
    assert postcode_city("9741ab", "Groningen") == "9741 AB  GRONINGEN"
    assert postcode_city("9741ab", None) is None


# --- salutation ---------------------------------------------------------------------------------

NAMES = {"initials": "J.A.", "prefix": "van der", "surname": "Veen"}


@pytest.mark.parametrize(
    ("gender", "pattern", "expected"),
    [
        ("V", "Beste {title} {surname}", "Beste mevrouw Van der Veen"),
        ("man", "Beste {title} {surname}", "Beste heer Van der Veen"),
        (None, "Beste {title} {surname}", "Beste heer/mevrouw Van der Veen"),  # the fallback
        ("X", "Geachte {title} {surname}", "Beste heer/mevrouw Van der Veen"),
        (None, "Beste {initials} {surname}", "Beste J.A. van der Veen"),  # prefix lower after initials
        (None, "Beste {name}", "Beste J.A. van der Veen"),
    ],
)
def test_salutation(gender, pattern, expected) -> None:
    got = salutation(pattern, "Beste heer/mevrouw {surname}", gender=gender, **NAMES)
    assert got == expected


def test_salutation_without_surname_or_initials() -> None:
    none = {"initials": None, "prefix": None, "surname": None}
    assert (
        salutation("Beste {title} {surname}", "Beste heer/mevrouw {surname}", **none)
        == "Geachte heer/mevrouw"
    )
    no_initials = {"initials": None, "prefix": None, "surname": "Huisman"}
    assert salutation("Beste {name}", "Geachte heer/mevrouw {surname}", **no_initials) == (
        "Geachte heer/mevrouw Huisman"
    )


def test_salutation_setting_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"letters.salutation.*\{voornaam\}"):
        parse_settings({"letters": {"salutation": "Beste {voornaam}"}})


# --- house style settings -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 10.5])
def test_body_size_below_11_points_is_refused(size) -> None:
    with pytest.raises(SettingsError, match="body_size"):
        parse_settings({"letters": {"house_style": {"body_size": size}}})


def test_colour_and_font_are_checked() -> None:
    with pytest.raises(SettingsError, match="colour"):
        parse_settings({"letters": {"house_style": {"colour": "red; background: url(x)"}}})
    with pytest.raises(SettingsError, match="font_family"):
        parse_settings({"letters": {"house_style": {"font_family": 'Arial"; }'}}})


def test_house_style_settings_reach_the_css(tmp_path) -> None:
    settings = parse_settings(
        {"letters": {"house_style": {"body_size": 12, "colour": "#c8102e", "font_family": "DejaVu Serif"}}}
    )
    html = render.render_letter(templates.environment(tmp_path, settings), golden_fields("A"))
    assert "font-size: 12.0pt;" in html
    assert "font-family: DejaVu Serif, sans-serif;" in html
    assert "color: #c8102e;" in html


def test_a_missing_logo_file_is_a_clear_error(tmp_path) -> None:
    settings = parse_settings({"letters": {"house_style": {"logo": "huisstijl/logo.svg"}}})
    with pytest.raises(KansenError, match=r"logo = 'huisstijl/logo.svg'.*no such file"):
        templates.environment(tmp_path, settings)


def test_the_logo_of_the_settings_shows_in_letter_and_pdf(tmp_path) -> None:
    (tmp_path / "huisstijl").mkdir()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="120" height="40"/></svg>'
    )
    (tmp_path / "huisstijl" / "logo.svg").write_text(svg, encoding="utf-8")
    settings = parse_settings({"letters": {"house_style": {"logo": "huisstijl/logo.svg"}}})
    env = templates.environment(tmp_path, settings)
    assert 'src="data:image/svg+xml;base64,' in render.render_letter(env, golden_fields("A"))
    # The combined document loads the file itself, which the URL fence lets through.
    assert (tmp_path / "huisstijl" / "logo.svg").as_uri() in render.render_document(env, [golden_fields("A")])
    assert len(PdfReader(io.BytesIO(render.render_pdf(env, [golden_fields("A")], workers=1))).pages) == 1


# --- the PDF read back --------------------------------------------------------------------------


def _fields(variant: str = "A", **changes: str | None) -> dict[str, str | None]:
    return golden_fields(variant) | changes


def _pdf_pages(fields_list, settings: Settings | None = None) -> list[str]:
    env = templates.environment(None, settings)
    reader = PdfReader(io.BytesIO(render.render_pdf(env, fields_list, workers=1)))
    return [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_text_of_a_dutch_letter() -> None:
    (page,) = _pdf_pages([_fields("B")])
    lines = page.splitlines()
    # PostNL: two spaces between postcode and city, the city in capitals; survived the HTML.
    assert "9741 AB  GRONINGEN" in lines
    assert "Eikenlaan 12 A" in lines
    flat = _flat(page)
    assert "Beste heer/mevrouw Van der Veen," in flat
    assert "Uw privacy" in flat
    assert "Meer over uw privacy leest u op https://gemeente.example.nl/privacy." in flat
    assert "laat u altijd een pas van de gemeente zien, met naam en foto" in flat
    assert "U mag iemand meenemen naar het gesprek" in flat
    # Not English: the help lines in other languages instead of a translation.
    assert "Do you need help with this letter? Please call us: 050 123 45 67." in flat
    assert "Potrzebują Państwo pomocy" in flat
    assert "Achter deze brief vindt u dezelfde brief" not in flat


def test_pdf_addition_with_a_dash_per_setting() -> None:
    settings = parse_settings({"letters": {"addition_style": "dash"}})

    row = {k: v for k, v in golden_row().items()} | {"house_number_addition": "2", "language": None}

    fields = core.letter_fields(pd.DataFrame([row]), settings, SENT_ON)
    (page,) = _pdf_pages(fields, settings)
    assert "Eikenlaan 12-2" in page.splitlines()


def golden_row() -> dict[str, object]:
    """The person of the golden letters, as a ledger row (letter_helpers.golden_fields)."""
    return {
        "batch_id": "selwerd-1",
        "variant": "A",
        "client_id": "0012345",
        "initials": "J.A.",
        "prefix": "van der",
        "surname": "Veen",
        "street": "Eikenlaan",
        "house_number": 12,
        "house_number_addition": "A",
        "postcode": "9741ab",
        "city": "Groningen",
        "phone": "06-12345678",
        "email": None,
        "language": "Engels",
        "appointment_date": "2026-11-03",
        "appointment_start": "10:30",
        "appointment_end": "11:30",
        "consultant": "Anouk Dijkstra",
    }


def test_body_text_is_at_least_11_points_in_the_pdf() -> None:
    env = templates.environment(None)
    reader = PdfReader(io.BytesIO(render.render_pdf(env, [_fields("A")], workers=1)))
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font, size) -> None:  # type: ignore[no-untyped-def]
        if text.strip():
            sizes[text.strip()[:20]] = size * abs(tm[3]) * abs(cm[3])

    reader.pages[0].extract_text(visitor_text=visit)
    body = [
        size for text, size in sizes.items() if text.startswith(("Beste heer", "We praten", "Wij schrijven"))
    ]
    assert len(body) == 3
    assert min(round(size, 2) for size in body) >= 11  # WeasyPrint writes 11 pt as 10.9995


def test_an_english_reader_gets_the_dutch_letter_and_the_english_one_behind_it() -> None:

    (fields,) = core.letter_fields(pd.DataFrame([golden_row()]), Settings(), SENT_ON)
    assert fields["language_code"] == "en"
    dutch, english = _pdf_pages([fields, _fields("B")])[:2]
    dutch, english = _flat(dutch), _flat(english)
    assert "Beste heer/mevrouw Van der Veen," in dutch
    assert "Achter deze brief vindt u dezelfde brief in uw eigen taal." in dutch
    assert "Do you need help with this letter?" not in dutch  # a translation instead
    assert "This is a translation of the Dutch letter" in english
    assert "Dear J.A. van der Veen," in english
    assert "When: Tuesday, 3 November 2026 at 10:30" in english
    assert "municipal ID card" in english
    assert "https://gemeente.example.nl/privacy" in english
