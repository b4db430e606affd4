"""The Dutch catalogue, made with babel: extract the messages, merge the `.po` files, compile.

The messages are those in `_()`, `N_()` and `ngettext()` in the source, and every help text
of the live command line (docstrings, `help=`, help panels), which typer hands to click
as they are translated. The Dutch translations live in several `.po` files in
`locale/nl/` (one per part of the tool, so that work on the letters and on the workbooks
does not edit the same file); they are merged and compiled into the one
`locale/nl/LC_MESSAGES/kansen.mo` that kansen reads.

    python -m kansen_cli.i18n_catalog compile          # after editing a .po file
    python -m kansen_cli.i18n_catalog missing          # messages without a Dutch translation
    python -m kansen_cli.i18n_catalog missing --into letters.po   # add them there, to fill in
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kansen_cli.i18n import DOMAIN, LOCALE_DIR

SOURCE = Path(__file__).parent
PO_DIR = LOCALE_DIR / "nl"
MO_PATH = PO_DIR / "LC_MESSAGES" / f"{DOMAIN}.mo"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

MessageId = str | tuple[str, str]

# A fixed date in the catalogue's header, so that compiling the same .po files gives the same
# bytes (no change to commit, and the suite can tell a stale kansen.mo).
_HEADER_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def source_messages() -> dict[MessageId, list[str]]:
    """Each message marked in the source, with where it is (file:line)."""
    from babel.messages.extract import extract_from_dir

    found: dict[MessageId, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        SOURCE, [("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        key: MessageId = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def help_messages() -> dict[MessageId, list[str]]:
    """Every help text of the command line, with the command it belongs to."""
    import typer.main

    from kansen_cli.cli import app
    from kansen_cli.cli.language import help_texts

    found: dict[MessageId, list[str]] = {}

    def walk(command: Any, path: str) -> None:
        for text in help_texts(command):
            found.setdefault(text, []).append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "kansen")
    return found


def wanted() -> dict[MessageId, list[str]]:
    """Every message that needs a Dutch translation."""
    messages = source_messages()
    for key, places in help_messages().items():
        messages.setdefault(key, []).extend(places)
    return messages


def po_files() -> list[Path]:
    return sorted(PO_DIR.glob("*.po"))


def read_catalogue(files: Iterable[Path] | None = None) -> Any:
    """The `.po` files merged into one babel Catalog; a message translated twice differently
    is an error, as the tool would then say one thing two ways."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(
        locale="nl",
        domain=DOMAIN,
        project="kansen_cli",
        creation_date=_HEADER_DATE,
        revision_date=_HEADER_DATE,
    )
    origin: dict[Any, Path] = {}
    for path in po_files() if files is None else files:
        with path.open("rb") as handle:
            part = read_po(handle, locale="nl")
        for message in part:
            if not message.id:
                continue
            earlier = merged.get(message.id)
            if earlier is not None and earlier.string and message.string != earlier.string:
                raise ValueError(
                    f"{message.id!r} is translated in {origin[message.id].name} and in {path.name} "
                    "differently"
                )
            if earlier is None or not earlier.string:
                merged[message.id] = message
                origin[message.id] = path
    return merged


def untranslated(catalogue: Any, messages: Iterable[MessageId]) -> list[MessageId]:
    """The messages the catalogue holds no (complete, not fuzzy) Dutch translation for."""
    missing = []
    for key in messages:
        entry = catalogue.get(key)
        strings = (
            []
            if entry is None
            else (list(entry.string) if isinstance(entry.string, tuple) else [entry.string])
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(key)
    return missing


def compiled(catalogue: Any) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogue() -> Path:
    """Write `kansen.mo` from the `.po` files."""
    MO_PATH.parent.mkdir(parents=True, exist_ok=True)
    MO_PATH.write_bytes(compiled(read_catalogue()))
    return MO_PATH


def append_missing(target: Path, messages: dict[MessageId, list[str]]) -> int:
    """Add the untranslated messages to `target` with an empty msgstr, to be filled in."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if target.exists():
        with target.open("rb") as handle:
            part = read_po(handle, locale="nl")
    else:
        part = Catalog(locale="nl", domain=DOMAIN, project="kansen_cli")
    missing = untranslated(read_catalogue(), messages)
    added = 0
    for key in missing:
        if part.get(key) is None:
            part.add(
                key,
                "" if isinstance(key, str) else ("", ""),
                locations=[(place.split(":")[0], 0) for place in messages[key][:1]],
            )
            added += 1
    with target.open("wb") as handle:
        write_po(handle, part, width=100, omit_header=False, sort_output=False)
    return added


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        print(f"wrote {compile_catalogue()}")
        return 0
    if argv[:1] == ["missing"]:
        messages = wanted()
        if argv[1:2] == ["--into"] and len(argv) > 2:
            added = append_missing(PO_DIR / argv[2], messages)
            print(f"{added} messages added to {PO_DIR / argv[2]}; fill in their msgstr")
            return 0
        missing = untranslated(read_catalogue(), messages)
        for key in missing:
            print(f"{messages[key][0]}: {key!r}")
        print(f"{len(missing)} of {len(messages)} messages have no Dutch translation")
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
