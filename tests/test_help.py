"""Every command's --help shows an example, and `kansen --help` stays fast (lazy imports)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from kansen_cli.cli import app
from kansen_cli.cli.language import apply_language
from kansen_cli.i18n import set_language

# Libraries that take tens or hundreds of milliseconds to import: commands import them inside.
HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "openpyxl",
    "pydantic",
    "jinja2",
    "weasyprint",
    "matplotlib",
    "scipy",
    "statsmodels",
    "python_calamine",
    "holidays",
    "babel",
    "tomlkit",
)


@pytest.fixture(autouse=True)
def _language_back_to_default():
    """`--lang en` sets the language for the rest of the process (one run of kansen); a run
    without arguments shows help before any option is read, so it would keep that choice."""
    yield
    set_language(None)
    apply_language()


def command_paths() -> list[tuple[str, ...]]:
    """Every registered command, sub-groups included, so commands added later are covered too."""
    paths: list[tuple[str, ...]] = []

    def walk(group: object, prefix: tuple[str, ...]) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            if getattr(cmd, "hidden", False):
                continue
            paths.append((*prefix, name))
            walk(cmd, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return paths


def test_the_known_commands_are_registered():
    names = {p[0] for p in command_paths()}
    assert {"init", "check", "sample", "select", "batch", "export"} <= names


def plain(text: str) -> str:
    """Help as words: rich's boxes gone and the wrapping undone, to look for a sentence in it."""
    return " ".join(re.sub(f"[{BOX}]", " ", text).split())


BOX = "│╭╮╰╯─"


def command_at(path: tuple[str, ...]) -> typer.core.TyperCommand:
    command = typer.main.get_command(app)
    for part in path:
        command = command.commands[part]  # type: ignore[attr-defined]
    return command  # type: ignore[return-value]


def test_root_help_shows_an_example(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Voorbeeld: kansen select " in plain(result.stdout)
    for name in ("check", "select", "batch"):
        assert name in result.stdout
    assert "Example: kansen select " in plain(invoke("--lang", "en", "--help").stdout)


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_help_shows_an_example(invoke, path):
    # The example comes last in the command's description, as the house style asks; it may
    # set an environment variable first (purge needs its key). In Dutch it says Voorbeeld:,
    # with the same command line.
    last = (command_at(path).help or "").strip().splitlines()[-1].strip()
    assert last.startswith("Example: ")
    assert "kansen " + " ".join(path) in last
    english = invoke("--lang", "en", *path, "--help")
    assert english.exit_code == 0, english.stderr
    assert last in plain(english.stdout)
    dutch = invoke(*path, "--help")
    assert dutch.exit_code == 0, dutch.stderr
    assert "Voorbeeld: " + last.removeprefix("Example: ") in plain(dutch.stdout)
    assert last not in plain(dutch.stdout)


# The panels of `kansen --help`, from the README's table "Who does what" (written by hand).
PANELS = {
    "Inrichten": {"init", "sample", "demo"},
    "Analist": {"check", "select", "batch", "export"},
    "Brievenmaker": {"plan", "letters"},
    "Coördinator": {
        "sheet",
        "ingest",
        "followup",
        "survey",
        "calls",
        "assign",
        "inview",
        "status",
        "report",
        "purge",
    },
    "Coach": {"caseload"},
}


def panels(help_text: str) -> dict[str, set[str]]:
    """The commands under each panel title of a rich help text."""
    found: dict[str, set[str]] = {}
    title = None
    for line in help_text.splitlines():
        head = re.match(r"^╭─ (.+?) ─", line)
        if head:
            title = head[1]
            found[title] = set()
            continue
        row = re.match(r"^│ (\w+)\s{2,}", line)
        if row and title is not None:
            found[title].add(row[1])
    return found


def test_root_help_groups_the_commands_by_user(invoke):
    shown = panels(invoke("--help").stdout)
    assert {title: shown.get(title) for title in PANELS} == PANELS
    english = panels(invoke("--lang", "en", "--help").stdout)
    assert english["Analyst"] == PANELS["Analist"] and english["Letter clerk"] == PANELS["Brievenmaker"]


DATE_OPTIONS = {"--as-of", "--start", "--sent-on", "--today", "--due", "--on", "--from", "--to"}


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_one_placeholder_style(invoke, path):
    text = invoke("--lang", "en", *path, "--help").stdout
    # typer's own placeholders (<bool>, <str>, <path>, <list[Path]>, {register}) are gone.
    assert not re.search(r"<(bool|str|int|path|dir|file|list|int range)\b", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert not re.search(r"\b[a-z_]+\b(?=\.\.\.|\s*$)", usage.split("[OPTIONS]")[-1]), usage
    for line in text.splitlines():
        option = re.match(r"^│\s+(?:\*\s+)?(--[a-z-]+)\s+(?:-\w\s+)?(\S+)?", line)
        if option and option[1] in DATE_OPTIONS and not (path == ("assign",) and option[1] == "--to"):
            assert option[2] == "DATE", line


def test_flags_show_no_placeholder(invoke):
    text = invoke("--lang", "en", "letters", "--help").stdout
    for flag in ("--dry-run", "--force", "--json", "--stop-calling"):
        line = next(line for line in text.splitlines() if re.match(rf"^│\s+{flag}\s", line))
        # After the flag comes its help straight away: no placeholder between.
        assert re.match(rf"^│\s+{flag}\s+[A-Z][a-z]", line), line


def test_no_args_shows_help(invoke):
    result = invoke()
    assert "Gebruik" in result.stdout + result.stderr


def test_unknown_command_is_usage_error(invoke):
    assert invoke("selekt").exit_code == 2


def test_help_imports_no_heavy_library():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kansen_cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}


README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_shows_the_dutch_help_as_it_is():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## `kansen --help` in Dutch") :]
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert shown, "the README's Dutch help has no code block"
    env = {k: v for k, v in os.environ.items() if k != "KANSEN_LANG"} | {"COLUMNS": "80"}
    live = subprocess.run(
        [sys.executable, "-m", "kansen_cli", "--help"], capture_output=True, text=True, check=True, env=env
    ).stdout
    lines = "\n".join(line.rstrip() for line in live.splitlines()).strip("\n")
    assert lines == shown[1].strip("\n")


def test_readme_table_of_users_matches_the_panels():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| user (help panel) | commands |") :].split("\n\n")[0]
    from_readme = {
        re.search(r"\((.+?)\)", row.split("|")[1])[1]: set(re.findall(r"`kansen (\w+)`", row.split("|")[2]))  # type: ignore[index]
        for row in table.splitlines()[2:]
    }
    assert from_readme == PANELS
