"""The README's cycle, run as written: every line of its code block, in order.

Where the block ingests a filled-in workbook (`…-ingevuld.xlsx`), the test plays the people
who fill it in: the blank workbook the previous command wrote is filled by the demo's
simulated consultants and callers and saved under the name the README uses. Everything else
is the README's own text; a command that fails, or a line the test cannot run, fails the test.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
FILLED = "-ingevuld.xlsx"


def walk_lines() -> list[str]:
    """The lines of the first code block after the heading of the cycle, comments removed."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The cycle on the sample data") :]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "the README's cycle has no code block"
    lines = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    return [" ".join(shlex.quote(word) for word in words) for words in lines if words]


def play_the_people(filled: Path) -> None:
    """Fill the blank workbook that `filled` is the answered copy of, as people would."""
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate import fill_followup, fill_registration
    from kansen_cli.simulate_caseload import fill_caseload
    from kansen_cli.simulate_survey import fill_survey

    blank = filled.with_name(filled.name.replace(FILLED, ".xlsx"))
    campaign = Path.cwd()
    settings = load_settings(campaign)
    if blank.name.endswith("-registratie.xlsx"):
        sent_on = dt.date.fromisoformat(_letters_sent_on(campaign))
        fill_registration(blank, filled, seed=7, settings=settings, sent_on=sent_on, today=today())
    elif blank.name.startswith("nabellen-"):
        due = dt.date.fromisoformat(blank.stem.removeprefix("nabellen-"))
        fill_followup(blank, filled, seed=7, settings=settings, called_on=due)
    elif blank.name.startswith("enquete-"):
        fill_survey(blank, filled, seed=7, settings=settings, called_on=today())
    elif blank.name.startswith("caseload-"):
        fill_caseload(blank, filled, seed=7, settings=settings, on_date=today())
    else:
        raise AssertionError(f"the README ingests {filled.name}, which the walk cannot fill in")


def _letters_sent_on(campaign: Path) -> str:
    import sqlite3

    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        return str(db.execute("SELECT max(sent_on) FROM letters").fetchone()[0])


@pytest.mark.slow
def test_the_readme_cycle_runs_as_written(tmp_path: Path, invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy of what the walk reads from the repository: the bundled sample data.
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    monkeypatch.chdir(tmp_path)
    lines = walk_lines()
    assert lines[0].startswith("export KANSEN_TODAY=")
    ran = []
    for line in lines:
        words = shlex.split(line)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            monkeypatch.setenv(name, value)
        elif words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
        elif words[0] == "kansen":
            if words[1] == "ingest":
                for name in words[2:]:
                    if name.endswith(FILLED):
                        play_the_people(Path.cwd() / name)
            result = invoke(*words[1:])
            assert result.exit_code == 0, (line, result.stdout[-2000:], result.stderr[-2000:])
            ran.append(words[1])
        else:
            raise AssertionError(f"the README's cycle has a line the walk cannot run: {line}")
    campaign = tmp_path / "wijkronde"
    # Every step left what the README says it leaves.
    assert (campaign / "selectie.xlsx").exists()
    assert list((campaign / "letters" / "selwerd-1").glob("*.pdf"))
    assert (campaign / "sheets" / "selwerd-1-registratie.xlsx").exists()
    assert (campaign / "sheets" / "nabellen-2027-01-15.xlsx").exists()
    assert (campaign / "enquetes" / "enquete-1.xlsx").exists()
    assert "## Enquête: het cijfer voor de gemeente per groep" in (campaign / "raad.md").read_text()
    assert (campaign / "grafieken" / "cijfers.png").exists()
    assert list((campaign / "caseload").glob("caseload-cm1-2027-01-20.xlsx"))
    assert "## Trajecten: caseload per coach" in (campaign / "raad.md").read_text()
    assert ran.count("ingest") == 4
