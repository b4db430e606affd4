"""Letter templates: where the packaged ones are, the blocks a campaign overrides, copying them."""

from __future__ import annotations

import base64
import io
import re
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from kansen_cli import letter_render as render
from kansen_cli import letter_templates as templates
from kansen_cli import letters as core
from kansen_cli.errors import KansenError, OutputExistsError, TemplateFieldError
from kansen_cli.settings import Settings
from letter_helpers import GOLDEN, SENT_ON, golden_fields

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

REPO = Path(__file__).resolve().parents[1]
# The packaged templates, listed by hand: the variants of the default settings, the shared
# letter and document, and the parts a campaign overrides on their own.
PACKAGED = {
    "A.html.j2",
    "B.html.j2",
    "bevestiging.html.j2",
    "herinvitatie.html.j2",
    "base.html.j2",
    "document.html.j2",
    "letter.css",
    "huisstijl.css",
    "afzender.html.j2",
    "waar.html.j2",
    "ondertekening.html.j2",
    "hulp.html.j2",
    "base.en.html.j2",
    "A.en.html.j2",
    "B.en.html.j2",
}
# The paragraphs of the golden letter that the override tests replace, as printed there.
WHERE = (
    "      <p><strong>Waar:</strong> bij u thuis. Wilt u liever ergens anders praten? Dat kan.\n"
    "      Laat het ons weten.</p>\n"
)
HOUSE_STYLE = (
    "html {\n"
    "  font-family: DejaVu Sans, Liberation Sans, Arial, sans-serif;\n"
    "  font-size: 11.0pt;\n"
    "  line-height: 1.25;\n"
    "  color: #000000;\n"
    "}\n"
    "h2, .sender .municipality { color: #00529b; }\n"
    ".letter .appointment, .letter .help { border-color: #00529b; }\n"
)


def golden(variant: str) -> str:
    return (GOLDEN / f"{variant}.html").read_text(encoding="utf-8")


def own_templates(campaign: Path, **files: str) -> Path:
    """A campaign folder whose templates/letters/ holds just the given files (name=text)."""
    folder = templates.campaign_template_dir(campaign)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- where the packaged templates are ------------------------------------------------------


def test_packaged_templates_resolve_and_hold_every_variant() -> None:
    folder = templates.packaged_template_dir()
    # From a checkout they are read at the top of the repository, installed inside the package.
    assert folder in (REPO / "templates" / "letters", templates.PACKAGE_DIR / "templates" / "letters")
    assert {p.name for p in folder.iterdir() if p.is_file()} >= PACKAGED
    env = templates.environment(None)
    for variant in Settings().letters.variants:
        assert (folder / templates.template_name(variant)).is_file()
        # Every file the variant extends or includes is there as well.
        assert "name" in templates.template_variables(env, templates.template_name(variant))


def test_installed_layout_comes_first_then_the_checkout(tmp_path, monkeypatch) -> None:
    installed = tmp_path / "site" / "kansen_cli"
    checkout = tmp_path / "repo" / "src" / "kansen_cli"
    for package in (installed, checkout):
        package.mkdir(parents=True)
    (tmp_path / "repo" / "templates" / "letters").mkdir(parents=True)
    (tmp_path / "repo" / "templates" / "letters" / "base.html.j2").write_text("x")
    (installed / "templates" / "letters").mkdir(parents=True)
    (installed / "templates" / "letters" / "base.html.j2").write_text("x")

    monkeypatch.setattr(templates, "PACKAGE_DIR", installed)
    assert templates.packaged_template_dir() == installed / "templates" / "letters"
    monkeypatch.setattr(templates, "PACKAGE_DIR", checkout)
    assert templates.packaged_template_dir() == tmp_path / "repo" / "templates" / "letters"
    monkeypatch.setattr(templates, "PACKAGE_DIR", tmp_path / "elsewhere" / "src" / "kansen_cli")
    with pytest.raises(KansenError, match="reinstall kansen_cli"):
        templates.packaged_template_dir()


def test_packaging_maps_the_top_level_templates_into_the_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"]["kansen_cli.templates"] == "templates"
    assert config["package-data"]["kansen_cli.templates.letters"] == ["*"]
    # pyproject.toml cannot add a package that has no folder under src/; setup.py does.
    assert '"kansen_cli.templates.letters"' in (REPO / "setup.py").read_text(encoding="utf-8")


# --- the blocks a campaign overrides ---------------------------------------------------------


def test_campaign_overrides_only_the_where_paragraph(tmp_path) -> None:
    where = "      <p><strong>Waar:</strong> in wijkcentrum De Schakel, {{ city }}.</p>\n"
    own_templates(tmp_path, **{"waar.html.j2": where})
    env = templates.environment(tmp_path)
    for variant in "AB":
        html = render.render_letter(env, golden_fields(variant))
        assert WHERE in golden(variant)
        expected = golden(variant).replace(
            WHERE, "      <p><strong>Waar:</strong> in wijkcentrum De Schakel, Groningen.</p>\n"
        )
        assert html == expected
    core.preflight(env, [golden_fields("A"), golden_fields("B")], "selwerd-1", SENT_ON)


def test_a_variant_of_the_campaign_replaces_one_block_and_leaves_the_other_variant_alone(tmp_path) -> None:
    """A variant file of the campaign may replace a block (`where`) of the shared letter."""
    variant = '{% extends "base.html.j2" %}{% block where %}<p>Waar: het stadhuis</p>{% endblock %}\n'
    own_templates(tmp_path, **{"A.html.j2": variant})
    env = templates.environment(tmp_path)
    a = render.render_letter(env, golden_fields("A"))
    assert "<p>Waar: het stadhuis</p>" in a and WHERE not in a
    assert render.render_letter(env, golden_fields("B")) == golden("B")


def test_a_field_only_an_override_uses_is_caught_by_the_preflight(tmp_path) -> None:
    # (location_name is a field since issue 12, empty for people seen at home: not missing.)
    own_templates(
        tmp_path, **{"waar.html.j2": "<p>Waar: {{ location_name }}{{ parking }}, zaal {{ room }}</p>\n"}
    )
    fields = [golden_fields("A"), golden_fields("B"), golden_fields("A")]
    with pytest.raises(TemplateFieldError) as info:
        core.preflight(templates.environment(tmp_path), fields, "selwerd-1", SENT_ON)
    message = str(info.value)
    assert "location_name" not in message
    assert "field 'parking' is missing or empty for 3 of 3 people" in message
    assert "field 'room' is missing or empty for 3 of 3 people" in message
    # The packaged letters need neither.
    core.preflight(templates.environment(None), fields, "selwerd-1", SENT_ON)


def test_house_style_override_changes_font_and_colours_only(tmp_path) -> None:
    house = (
        "html {\n"
        '  font-family: "DejaVu Serif", serif;\n'
        "  font-size: 11pt;\n"
        "  line-height: 1.25;\n"
        "  color: #1a1a5e;\n"
        "}\n"
        "h2 { color: #00529b; }\n"
    )
    own_templates(tmp_path, **{"huisstijl.css": house})
    env = templates.environment(tmp_path)
    html = render.render_letter(env, golden_fields("B"))
    assert HOUSE_STYLE in golden("B")
    assert html == golden("B").replace(HOUSE_STYLE, house)
    # The combined document of the PDF has the house style too, and a letter still fits a page.
    assert house in render.render_document(env, [golden_fields("A")])
    assert len(PdfReader(io.BytesIO(render.render_pdf(env, [golden_fields("B")], workers=1))).pages) == 1


def logo_png(path: Path) -> bytes:
    from PIL import Image

    Image.new("RGB", (60, 20), (200, 16, 46)).save(path, "PNG")
    return path.read_bytes()


def test_logo_shows_in_the_sender_block(tmp_path) -> None:
    folder = own_templates(tmp_path)
    data = logo_png(folder / "logo.png")
    env = templates.environment(tmp_path)
    fields = golden_fields("A")

    # A letter on its own carries the logo inline; without that line it is the golden letter.
    html = render.render_letter(env, fields)
    inline = f'src="data:image/png;base64,{base64.b64encode(data).decode()}"'
    line = re.search(r'    <img class="logo" ([^>]*)>\n', html)
    assert line is not None and inline in line.group(1)
    assert html.replace(line.group(0), "") == golden("A")
    assert html.index('class="logo"') < html.index('class="municipality"')

    # The combined document refers to the file once per letter instead of copying it.
    document = render.render_document(env, [fields, golden_fields("B")])
    assert document.count(f'src="{(folder / "logo.png").resolve().as_uri()}"') == 2
    assert "base64" not in document

    # And the PDF shows it: one 60 x 20 image on the page; none without a logo.
    page = PdfReader(io.BytesIO(render.render_pdf(env, [fields], workers=1))).pages[0]
    assert [image.image.size for image in page.images] == [(60, 20)]
    plain = PdfReader(io.BytesIO(render.render_pdf(templates.environment(None), [fields], workers=1)))
    assert list(plain.pages[0].images) == []


def test_logo_is_no_letter_field(tmp_path) -> None:
    logo_png(own_templates(tmp_path) / "logo.png")
    env = templates.environment(tmp_path)
    needed = templates.template_variables(env, "A.html.j2")
    assert "logo" not in needed and "fragment" not in needed
    assert "logo" not in golden_fields("A")  # so the mail-merge workbook has no logo column


# --- kansen init --templates -----------------------------------------------------------------


def test_copy_templates_copies_every_packaged_file(tmp_path) -> None:
    written = templates.copy_templates(tmp_path, force=False)
    folder = tmp_path / "templates" / "letters"
    assert written == sorted(folder / name for name in PACKAGED)
    source = templates.packaged_template_dir()
    for path in written:
        assert path.read_bytes() == (source / path.name).read_bytes()
    # The campaign's copies make the same letters.
    env = templates.environment(tmp_path)
    for variant in "AB":
        assert render.render_letter(env, golden_fields(variant)) == golden(variant)


def test_copy_templates_never_overwrites_without_force(tmp_path) -> None:
    templates.copy_templates(tmp_path, force=False)
    folder = tmp_path / "templates" / "letters"
    (folder / "waar.html.j2").write_text("<p>Waar: in het stadhuis.</p>\n")
    (folder / "A.html.j2").unlink()
    with pytest.raises(OutputExistsError, match="--force"):
        templates.copy_templates(tmp_path, force=False)
    # Nothing was copied: the edit is kept and the deleted file did not come back.
    assert (folder / "waar.html.j2").read_text() == "<p>Waar: in het stadhuis.</p>\n"
    assert not (folder / "A.html.j2").exists()
    templates.copy_templates(tmp_path, force=True)
    assert WHERE in (folder / "waar.html.j2").read_text()
    assert (folder / "A.html.j2").exists()
