"""Every command in both languages: its --help, and a typical error, say nothing in English
when the user reads Dutch (issue 16, "done when" 1).

Three checks on the Dutch output: the command's own description is there in Dutch; no help
text of the tool (the catalogue's English message ids) is shown untranslated; and a plain
heuristic finds no English words in it. For the errors, `_()` is watched as well: every
message that had no Dutch translation during the run is recorded, and the record must be empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kansen_cli import i18n
from kansen_cli.cli.language import apply_language
from kansen_cli.i18n_catalog import help_messages
from test_help import command_at, command_paths, plain

# Words that are English and not Dutch (so no "is", "of", "in", "file", "run", "set" here).
ENGLISH = frozenset(
    {
        "the",
        "and",
        "with",
        "which",
        "from",
        "written",
        "wrote",
        "found",
        "missing",
        "cannot",
        "should",
        "this",
        "that",
        "there",
        "each",
        "every",
        "people",
        "default",
        "please",
        "nothing",
        "folder",
        "ledger",
        "error",
        "first",
        "use",
        "for",
        "or",
        "to",
        "no",
        "not",
        "only",
        "your",
        "you",
        "into",
        "would",
        "when",
        "then",
        "than",
        "here",
        "must",
        "already",
        "invalid",
        "unknown",
        "none",
        "choose",
        "one",
        "name",
        "keep",
        "same",
    }
)

QUOTED = re.compile(r"""(?<!\w)'[^'\n]*'(?!\w)|"[^"\n]*"|`[^`\n]*`""")
COMMAND_NAMES = frozenset({"kansen", *(path[-1] for path in command_paths())})


@pytest.fixture(autouse=True)
def _language_back_to_default() -> Iterator[None]:
    yield
    i18n.set_language(None)
    apply_language()


def english_words(text: str) -> list[str]:
    """The English words in `text`, leaving out options (-x, --name), quoted values, paths,
    settings keys and file names (anything with / . _ = or @ in it) and command names."""
    found = []
    for token in plain(QUOTED.sub(" ", text)).split():
        if token.startswith("-") or re.search(r"[/._=@\\]", token.strip(".,;:()[]")):
            continue
        for word in re.findall(r"[A-Za-zÀ-ÿ']+", token):
            if word.lower() not in COMMAND_NAMES and word.lower() in ENGLISH:
                found.append(word)
    return found


def test_the_heuristic_finds_english_and_leaves_dutch_alone():
    # Its own test, by hand: an English sentence is caught, a Dutch one with options,
    # paths, a quoted value and file names is not.
    assert english_words("kansen: error: no ledger in /tmp/x; run `kansen init` there first") == [
        "error",
        "no",
        "ledger",
        "there",
        "first",
    ]
    dutch = "Schrijf de selectie naar --out selectie.xlsx in /tmp/the/map; 'the value' is fout."
    assert english_words(dutch) == []


ROOT_AND_COMMANDS = [(), *command_paths()]


def _translated_help() -> list[tuple[str, str]]:
    """Each help text of the tool that Dutch says differently, as (English, Dutch) first paragraph."""
    with i18n.using("nl"):
        pairs = [(text, i18n._(text)) for text in help_messages() if isinstance(text, str)]
    return [
        (plain(english.split("\n\n")[0]), plain(dutch.split("\n\n")[0]))
        for english, dutch in pairs
        if english != dutch
    ]


@pytest.mark.parametrize("path", ROOT_AND_COMMANDS, ids=lambda p: " ".join(p) or "kansen")
def test_help_is_dutch_by_default_and_english_with_lang_en(invoke, path):
    english_first = plain((command_at(path).help or "").split("\n\n")[0])
    with i18n.using("nl"):
        dutch_first = plain(i18n._(command_at(path).help or "").split("\n\n")[0])
    assert dutch_first and dutch_first != english_first

    dutch = invoke(*path, "--help")
    assert dutch.exit_code == 0, dutch.stderr
    shown = plain(dutch.stdout)
    assert dutch_first in shown and english_first not in shown
    untranslated = [english for english, _dutch in _translated_help() if english in shown]
    assert untranslated == []
    assert english_words(dutch.stdout) == []

    english = invoke("--lang", "en", *path, "--help")
    assert english.exit_code == 0, english.stderr
    assert english_first in plain(english.stdout) and dutch_first not in plain(english.stdout)


# A typical mistake for every command: a campaign folder that is none, a file that is not
# there, a value out of range. `{empty}` is an empty folder.
TYPICAL_ERRORS: dict[str, tuple[str, ...]] = {
    "init": ("{empty}/nieuw", "--preset", "onbekend"),
    "check": ("{empty}/register.csv",),
    "sample": ("{empty}/register.txt",),
    "select": ("{empty}/register.csv", "-c", "{empty}"),
    "batch": ("-c", "{empty}"),
    "export": ("selection", "-c", "{empty}"),
    "plan": ("selwerd-1", "--start", "2026-11-02", "-c", "{empty}"),
    "letters": ("selwerd-1", "-c", "{empty}"),
    "sheet": ("selwerd-1", "-c", "{empty}"),
    "ingest": ("{empty}/selwerd-1-registratie.xlsx", "-c", "{empty}"),
    "followup": ("-c", "{empty}"),
    "survey": ("-c", "{empty}"),
    "calls": ("selwerd-1", "-c", "{empty}"),
    "assign": ("999990001", "-c", "{empty}"),
    "inview": ("-c", "{empty}"),
    "caseload": ("-c", "{empty}"),
    "status": ("-c", "{empty}"),
    "report": ("-c", "{empty}"),
    "purge": ("--older-than", "24", "-c", "{empty}"),
    "demo": ("{empty}/demo", "--rows", "5"),
}


def test_every_command_has_a_typical_error():
    assert {" ".join(path) for path in command_paths()} == set(TYPICAL_ERRORS)


class _Recording:
    """The Dutch catalogue, noting every message it has no translation for."""

    def __init__(self, real: Any, record: list[str]) -> None:
        self.real, self.record = real, record
        self.catalog = getattr(real, "_catalog", {})

    def gettext(self, message: str) -> str:
        if message not in self.catalog:
            self.record.append(message)
        return str(self.real.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in self.catalog:
            self.record.append(singular)
        return str(self.real.ngettext(singular, plural, n))


@pytest.fixture
def untranslated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    record: list[str] = []
    real = i18n._translations

    def watched(lang: str) -> Any:
        return _Recording(real(lang), record) if lang == "nl" else real(lang)

    monkeypatch.setattr(i18n, "_translations", watched)
    return record


def _typical_error(name: str, empty: Path) -> list[str]:
    empty.mkdir(exist_ok=True)
    return [arg.replace("{empty}", str(empty)) for arg in (name, *TYPICAL_ERRORS[name])]


@pytest.mark.parametrize("name", sorted(TYPICAL_ERRORS))
def test_a_typical_error_in_dutch_is_all_dutch(invoke, tmp_path, monkeypatch, untranslated, name):
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    result = invoke(*_typical_error(name, tmp_path / "leeg"))
    assert result.exit_code in (1, 2), result.stdout
    said = result.stdout + result.stderr
    assert said.strip()
    assert english_words(said) == [], said
    assert untranslated == [], said


@pytest.mark.parametrize("name", sorted(TYPICAL_ERRORS))
def test_a_typical_error_in_english_stays_english(invoke, tmp_path, monkeypatch, name):
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    result = invoke("--lang", "en", *_typical_error(name, tmp_path / "leeg"))
    assert result.exit_code in (1, 2), result.stdout
    said = result.stdout + result.stderr
    assert said.strip()
    assert not re.search(r"\b(fout|ontbreekt|ongeldige|gebruik)\b", said, re.IGNORECASE), said
