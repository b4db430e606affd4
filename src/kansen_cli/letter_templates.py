"""Where the letter templates are, and the sandboxed Jinja2 environment that reads them.

The packaged templates are kept in `templates/letters/` at the top of the repository (SPEC §7)
and shipped inside the package as `kansen_cli/templates/letters/` (setup.py, pyproject.toml).
A campaign folder's own `templates/letters/` is searched first, file by file: a campaign that
puts only `waar.html.j2` there changes where the conversation takes place and keeps the rest
of the letter. The parts a campaign changes most are such small files: `huisstijl.css` (font,
size, colours), `afzender.html.j2` (sender block), `waar.html.j2`, `ondertekening.html.j2`
(signature). A logo (`logo.svg`, `logo.png` or `logo.jpg`) in that folder shows in the
sender block.

Templates render in a sandbox (`letter_sandbox`), autoescaped and with StrictUndefined; `template_variables`
follows extends and includes through the campaign's overrides, so the pre-flight sees every
field every template needs.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from kansen_cli.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_TEMPLATE = "base.html.j2"
DOCUMENT_TEMPLATE = "document.html.j2"
# The kinds of file that are templates; `copy_templates` copies these and nothing else.
TEMPLATE_SUFFIXES = (".j2", ".css")
# The first of these a campaign has is its logo.
LOGO_FILES = {
    "logo.svg": "image/svg+xml",
    "logo.png": "image/png",
    "logo.jpg": "image/jpeg",
    "logo.jpeg": "image/jpeg",
}
# Names the renderer passes itself: not letter fields, so the pre-flight does not ask for them.
# (The environment's globals, such as the logo, Jinja leaves out of the undeclared names itself.)
RENDER_ARGUMENTS = frozenset({"fragment", "translated"})


def letter_template(fields: Mapping[str, Any]) -> str:
    """The template a letter is made from: its `template` field, else its variant."""
    return str(fields.get("template") or fields.get("variant") or "")


def packaged_template_dir() -> Path:
    """The letter templates that come with kansen.

    Installed from a wheel they sit inside the package (`kansen_cli/templates/letters/`); from a
    checkout or an editable install they are read where they are kept, `templates/letters/` at
    the top of the repository, two folders above `src/kansen_cli/`.
    """
    candidates = (
        PACKAGE_DIR / "templates" / "letters",
        PACKAGE_DIR.parents[1] / "templates" / "letters",
    )
    for folder in candidates:
        if (folder / BASE_TEMPLATE).is_file():
            return folder
    raise KansenError(
        _("the letter templates of kansen are missing (looked in {folders}); reinstall kansen_cli").format(
            folders=_(" and ").join(str(c) for c in candidates)
        )
    )


def campaign_template_dir(campaign: Path) -> Path:
    return Path(campaign) / "templates" / "letters"


def template_name(variant: str) -> str:
    return f"{variant}.html.j2"


def find_logo(folder: Path) -> tuple[Path, str] | None:
    """The campaign's logo file in `folder` and its media type, or None.

    A logo that is a symbolic link to a file outside the folder is refused: it would put that
    file (the pseudonym key, say) into every letter.
    """
    from kansen_cli.errors import LetterTemplateError
    from kansen_cli.letter_sandbox import inside

    for name, mime in LOGO_FILES.items():
        if (folder / name).is_file():
            if not inside(folder / name, [folder]):
                raise LetterTemplateError(
                    _(
                        "the logo {name} in templates/letters/ is a symbolic link to a file "
                        "outside that folder; put the logo itself there; nothing written"
                    ).format(name=name)
                )
            return folder / name, mime
    return None


def environment(campaign: Path | None = None, settings: Settings | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment; the campaign's templates come before the packaged ones.

    The campaign's logo is in the globals twice: `logo`, inline as a data URL, so that a letter
    saved on its own as HTML carries it; and `logo_file`, a file URL for the combined document
    of a batch, where WeasyPrint loads it once instead of parsing thousands of inline copies.
    Without a logo both are empty and the sender block shows none. The logo is
    [letters.house_style] logo when set, else a logo file in the campaign's templates/letters/.
    The house style (`house`: colours, font, size) and the help lines (`help_lines`) of the
    settings are globals too: the same for every letter, so no letter fields.
    """
    from kansen_cli.letter_sandbox import sandbox
    from kansen_cli.settings import Settings

    settings = settings or Settings()
    paths = [str(packaged_template_dir())]
    own = campaign_template_dir(campaign) if campaign is not None else None
    if own is not None and own.is_dir():
        paths.insert(0, str(own))
    env = sandbox(paths)
    style = settings.letters.house_style
    logo = settings_logo(campaign, style.logo) if style.logo else None
    if logo is None and own is not None:
        logo = find_logo(own)
    env.globals["logo"] = env.globals["logo_file"] = env.globals["logo_path"] = ""
    if logo is not None:
        path, mime = logo
        env.globals["logo"] = f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
        env.globals["logo_file"] = path.resolve().as_uri()
        env.globals["logo_path"] = str(path.resolve())
    env.globals["house"] = style.model_dump()
    env.globals["help_lines"] = help_lines(settings)
    return env


def settings_logo(campaign: Path | None, logo: str) -> tuple[Path, str]:
    """The logo [letters.house_style] names, relative to the campaign, and its media type.

    A missing file, or one that is no SVG, PNG or JPEG, is an error that names the setting.
    """
    from kansen_cli.errors import LetterTemplateError

    path = Path(campaign or ".") / logo
    mime = LOGO_FILES.get("logo" + path.suffix.lower())
    if mime is None:
        raise LetterTemplateError(
            f"[letters.house_style] logo = {logo!r} is no SVG, PNG or JPEG file; give a .svg, .png or .jpg"
        )
    if not path.is_file():
        raise LetterTemplateError(
            f"[letters.house_style] logo = {logo!r}: there is no such file in the campaign folder"
            f" ({path}); put the logo there or correct the setting; nothing written"
        )
    return path, mime


# Scripts written from right to left: their help line is set right-aligned.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})


def help_lines(settings: Settings) -> list[dict[str, str]]:
    """The lines offering help with the letter, in their languages, with the phone number filled in."""
    language = settings.letters.language
    phone = language.help_phone or settings.letters.phone
    out = []
    for code, line in language.help_lines.items():
        rtl = code in RIGHT_TO_LEFT
        # In a right-to-left line the groups of a phone number would swap places (67 45 123 050):
        # the number is isolated as left-to-right text (Unicode LRI ... PDI).
        number = f"\u2066{phone}\u2069" if rtl else phone
        out.append({"code": code, "text": line.replace("{phone}", number), "dir": "rtl" if rtl else "ltr"})
    return out


def translation_template(env: SandboxedEnvironment, fields: Mapping[str, Any]) -> str | None:
    """The template of the translation behind a person's letter (`A.en.html.j2`), or None.

    Only when the person's language has a code and the campaign (or kansen) has that template.
    """
    from jinja2 import TemplateNotFound

    code = fields.get("language_code")
    if not code:
        return None
    name = template_name(f"{letter_template(fields)}.{code}")
    assert env.loader is not None
    try:
        env.loader.get_source(env, name)
    except TemplateNotFound:
        return None
    return name


def logo_source(env: SandboxedEnvironment, fragment: bool) -> str:
    """The logo's URL for one letter: a file URL in the combined document, else inline."""
    return str(env.globals.get("logo_file" if fragment else "logo", ""))


def missing_templates(variants: Iterable[str], campaign: Path | None) -> list[str]:
    """The letter variants (sorted) that have neither a campaign nor a packaged template.

    `kansen batch` calls it before it assigns variants to people, so a variant without a
    letter is refused there, not only at `kansen letters` after the batches exist.
    """
    from jinja2 import TemplateNotFound

    env = environment(campaign)
    assert env.loader is not None
    missing = []
    for variant in sorted(set(variants)):
        try:
            env.loader.get_source(env, template_name(variant))
        except TemplateNotFound:
            missing.append(variant)
    return missing


def template_variables(env: SandboxedEnvironment, name: str) -> set[str]:
    """Every top-level variable a template, and the templates it extends or includes, uses.

    Each name is looked up through the loader, so a campaign's override of an included block
    is the one read. The renderer's own arguments and the environment's globals are left out.
    """
    from jinja2 import meta

    seen: set[str] = set()
    names: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        source = env.loader.get_source(env, current)[0]
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        todo.extend(t for t in meta.find_referenced_templates(tree) if t is not None)
    return names - RENDER_ARGUMENTS


def copy_templates(campaign: Path, force: bool = False) -> list[Path]:
    """Copy the packaged letter templates into `<campaign>/templates/letters/` to edit them there.

    Returns the files written, sorted. An existing file is only replaced with `force`; without
    it, if any of them exists, nothing is copied (the check comes before the first copy).
    A campaign that wants to change one part only may keep just that file and delete the rest.
    """
    from kansen_cli.files import check_writable, write_bytes

    source = packaged_template_dir()
    target = campaign_template_dir(campaign)
    names = sorted(p.name for p in source.iterdir() if p.is_file() and p.name.endswith(TEMPLATE_SUFFIXES))
    for name in names:
        check_writable(target / name, force)
    return [write_bytes(target / name, (source / name).read_bytes(), force) for name in names]
