"""The report on an 80-column terminal: no line wider, no header broken inside a word, and a
batch whose letters have no result yet says so in words instead of 0 %."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from test_report import build_golden_ledger

# The reach table's headers as the README glossary and the golden Markdown spell them.
WORDS = ("Benaderd", "Gesproken", "Afgezegd", "Vervallen", "resultaat", "Respons", "Wijk", "Batch")


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A command run in English leaves no English behind for the next test."""
    yield
    from kansen_cli import i18n

    i18n.set_language(None)


@pytest.fixture
def golden(campaign: Path) -> Path:
    return build_golden_ledger(campaign)


def terminal(invoke, monkeypatch: pytest.MonkeyPatch, *args: object, columns: int = 80) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = invoke("report", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_line_fits_80_columns_and_no_word_is_broken(golden: Path, invoke, monkeypatch) -> None:
    out = terminal(invoke, monkeypatch, "-c", golden)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = {word for line in lines for word in line.split()}
    for word in WORDS:
        assert word in words, word
    # the pieces a word-breaking layout leaves ("Benade|rd", "Gespro|ken", "Respo|ns")
    for piece in ("Benade", "Gespro", "Respo", "Verva", "rd", "ken", "ns"):
        assert piece not in words, piece
    # every figure of the golden reach table is there (Noord 16 approached, 57,1 %)
    assert "Bereik per wijk (benaderd in de periode)" in out and "57,1" in out and "59,1" in out


def test_a_wide_terminal_shows_each_table_whole(golden: Path, invoke, monkeypatch) -> None:
    out = terminal(invoke, monkeypatch, "-c", golden, columns=160)
    assert "(1/2)" not in out
    narrow = terminal(invoke, monkeypatch, "-c", golden, columns=60)
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "Bereik per batch (1/" in narrow


def test_a_batch_without_results_says_no_result_yet(golden: Path, invoke, monkeypatch) -> None:
    with sqlite3.connect(golden / "kansen.sqlite") as db:
        db.execute("DELETE FROM outcomes WHERE batch_id = 'noord-2'")
    out = terminal(invoke, monkeypatch, "-c", golden, "--batch", "noord-2", columns=200)
    reach = next(line for line in out.splitlines() if line.strip().startswith("Noord"))
    assert reach.rstrip().endswith("nog geen resultaat")
    assert "0,0" not in reach
    # the JSON is an interface and keeps its figure
    data = json.loads(invoke("report", "-c", golden, "--batch", "noord-2", "--json").stdout)
    assert data["response_rate"] == 0.0
    monkeypatch.setenv("KANSEN_LANG", "en")
    english = terminal(invoke, monkeypatch, "-c", golden, "--batch", "noord-2", columns=200)
    assert "no result yet" in english


def test_the_report_in_english_with_lang_en(golden: Path, invoke) -> None:
    result = invoke("--lang", "en", "report", "-c", golden, "--format", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Kansen in Kaart: report\n\nGemeente Groningen, all data\n")
    for text in (
        "## Reach per neighbourhood (approached in the period)",
        "| Neighbourhood | Approached |",
        "## Basis of the percentages",
        "## From register to active",
        "| **Total** | 24 |",
        "– = cannot be computed (no base).",
    ):
        assert text in out, text
    dutch = invoke("report", "-c", golden, "--format", "md").stdout
    assert "## Bereik per wijk (benaderd in de periode)" in dutch and "| Wijk | Benaderd |" in dutch
