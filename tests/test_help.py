"""Every command's --help shows an example, and `kansen --help` stays fast (lazy imports)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from kansen_cli.cli import app

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


def test_root_help_shows_an_example(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Example: kansen " in result.stdout
    for name in ("check", "select", "batch"):
        assert name in result.stdout


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_help_shows_an_example(invoke, path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.stderr
    # The example comes last in the command's description, as the house style asks; it may
    # set an environment variable first (purge needs its key).
    doc = typer.main.get_command(app)
    for part in path:
        doc = doc.commands[part]  # type: ignore[attr-defined]
    last = (doc.help or "").strip().splitlines()[-1].strip()
    assert last.startswith("Example: ")
    assert "kansen " + " ".join(path) in last
    assert last in " ".join(result.stdout.split())  # help text is wrapped to the terminal


def test_no_args_shows_help(invoke):
    result = invoke()
    assert "Usage" in result.stdout + result.stderr


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
