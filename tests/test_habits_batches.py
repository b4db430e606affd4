"""Batch ids as people type them: case does not matter, and a misspelt id gets
"bedoelde u …?" (difflib) instead of a list of batches cut off before the right one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kansen_cli.batch_names import close_batches, find_batch, unknown_batch_message


def test_find_batch_ignores_case() -> None:
    known = ["paddepoel-1", "selwerd-1", "selwerd-1-r2"]
    assert find_batch("Selwerd-1", known) == "selwerd-1"
    assert find_batch("SELWERD-1-R2", known) == "selwerd-1-r2"
    assert find_batch("selwerd-2", known) is None


def test_close_batches_finds_the_one_past_any_cut() -> None:
    # Forty batches; the one meant comes last in neighbourhood order.
    known = [f"aa-wijk-{i}" for i in range(1, 40)] + ["zuiderpark-3"]
    assert close_batches("Zuiderprk-3", known) == ["zuiderpark-3"]


def test_message_in_dutch_and_english() -> None:
    from kansen_cli.i18n import using

    known = [f"wijk-{i}" for i in range(100, 140)] + ["selwerd-1"]
    with using("nl"):
        assert unknown_batch_message("selwrd-1", known) == "geen batch 'selwrd-1'; bedoelde u 'selwerd-1'?"
    with using("en"):
        assert unknown_batch_message("selwrd-1", known) == "no batch 'selwrd-1'; did you mean 'selwerd-1'?"
        assert "kansen batch" in unknown_batch_message("x-1", [])


@pytest.fixture
def many_batches(invoke, small_register: Path, campaign: Path) -> tuple[Path, list[str]]:
    """A campaign of many small batches (size 5), and their ids in neighbourhood order."""
    assert invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0
    assert invoke("batch", "--size", "5", "-c", campaign).exit_code == 0
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        ids = [r[0] for r in db.execute("SELECT batch_id FROM batches ORDER BY neighbourhood, seq")]
    assert len(ids) > 12  # the old message listed 12 and cut off the rest
    return campaign, ids


def test_cli_suggests_the_batch_past_the_old_cut(invoke, many_batches) -> None:
    campaign, ids = many_batches
    last = ids[-1]  # e.g. "selwerd-7": past the twelve the old list showed
    misspelt = last[:2] + last[3:]  # one letter dropped
    result = invoke("sheet", misspelt, "-c", campaign)
    assert result.exit_code == 1
    assert f"geen batch '{misspelt}'; bedoelde u '{last}'?" in result.stderr
    english = invoke("--lang", "en", "sheet", misspelt, "-c", campaign)
    assert f"no batch '{misspelt}'; did you mean '{last}'?" in english.stderr


def test_cli_finds_a_batch_whatever_its_case(invoke, many_batches, tmp_path: Path) -> None:
    campaign, ids = many_batches
    shouted = ids[-1].upper()
    out = tmp_path / "blad.xlsx"
    result = invoke("sheet", shouted, "--out", out, "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    import json

    assert json.loads(result.stdout)["batch_id"] == ids[-1]
    planned = invoke("plan", ids[0].title(), "--start", "2026-11-02", "-c", campaign, "--json")
    assert planned.exit_code == 0, planned.stderr
    assert json.loads(planned.stdout)["batch"] == ids[0]


def test_nothing_close_names_some_batches_instead() -> None:
    from kansen_cli.i18n import using

    with using("nl"):
        said = unknown_batch_message("west-9", ["noord-1", "zuid-2"])
    assert said == "geen batch 'west-9'; batches: noord-1, zuid-2 (`kansen status` toont ze allemaal)"
