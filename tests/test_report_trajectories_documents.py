"""The trajectory sections in the Word and PDF report, against the golden Markdown (whose figures
were checked by hand against the ledger of `test_report_trajectories`): the same titles, the
same cells in Word, the same figures in the PDF's text, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from kansen_cli.settings import load_settings
from report_figures import Fig, expected_tables, figure_tokens
from test_report_documents import Made, compare_docx, compare_pdf, docx_tables, pdf_text
from test_report_trajectories import GOLDEN, TODAY, build_trajectory_ledger


def golden_tables(name: str) -> list[tuple[str, list[list[str]]]]:
    """(title, rows with the header first) of every table in a golden Markdown section."""
    tables: list[tuple[str, list[list[str]]]] = []
    for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            tables.append((line[3:], []))
        elif line.startswith("|") and not line.startswith("| :---"):
            cells = [
                cell.strip().removeprefix("**").removesuffix("**") for cell in line.strip("|").split(" | ")
            ]
            tables[-1][1].append(cells)
    return tables


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[Path, Path]]:
    from kansen_cli.workflows import report as workflow

    made = {}
    for publish in (False, True):  # the campaign of each is documents[publish][0].parent / "campaign"
        folder = tmp_path_factory.mktemp("trajectory-documents")
        campaign = folder / "campaign"
        campaign.mkdir()
        build_trajectory_ledger(campaign)
        settings = load_settings(campaign)
        for fmt in ("docx", "pdf"):
            out = folder / f"rapport.{fmt}"
            workflow.run(campaign, settings, fmt=fmt, out=out, publish=publish, today=TODAY)
        made[publish] = (folder / "rapport.docx", folder / "rapport.pdf")
    return made


CASES = [(False, "trajectories.md"), (True, "trajectories_publish.md")]


def test_golden_tables_are_read_whole() -> None:
    # The parser itself: seven tables, the first with a header and four rows (three kinds, total).
    tables = golden_tables("trajectories.md")
    assert len(tables) == 7
    assert tables[0][1][0][:3] == ["Soort coach", "Gestart", "Lopend"]
    assert tables[0][1][-1][:4] == ["Totaal", "10", "8", "2"]


@pytest.mark.parametrize(("publish", "name"), CASES)
def test_word_tables_equal_the_golden_markdown(documents, publish: bool, name: str) -> None:
    headings, tables = docx_tables(documents[publish][0])
    for title, rows in golden_tables(name):
        index = headings.index(title)
        assert tables[index] == rows, title


@pytest.mark.parametrize(("publish", "name"), CASES)
def test_pdf_figures_equal_the_golden_markdown(documents, publish: bool, name: str) -> None:
    text = pdf_text(documents[publish][1])
    golden = golden_tables(name)
    for number, (title, rows) in enumerate(golden):
        header = " ".join(rows[0])
        start = text.index(f"{title} {header}") + len(title) + 1 + len(header)
        end = text.index(golden[number + 1][0], start) if number + 1 < len(golden) else len(text)
        # The table's notes start with its next paragraph: cut the body at the notes' first words.
        body = text[start:end]
        notes = (GOLDEN / name).read_text(encoding="utf-8").split(f"## {title}\n")[1].split("\n\n")[1]
        body = body.split(" ".join(notes.split()[:4]))[0].replace(header, " ")
        wanted = figure_tokens([" ".join(cell for cell in row) for row in rows[1:]])
        assert figure_tokens([body]) == wanted, title


@pytest.mark.parametrize("publish", [False, True])
def test_document_figures_equal_the_json(documents, publish: bool) -> None:
    # The same documents read back against the report's JSON (`report_figures`), as the other
    # sections are: every trajectory table is known there, with its figures from the JSON.
    import json

    from kansen_cli.workflows import report as workflow

    docx, pdf = documents[publish]
    campaign = docx.parent / "campaign"
    settings = load_settings(campaign)
    built = workflow.run(campaign, settings, publish=publish, today=TODAY)
    shown, full = (
        json.loads(workflow.run(campaign, settings, fmt="json", publish=p, today=TODAY).text or "")
        for p in (publish, False)
    )
    made = Made(built.report, docx, pdf, shown, full)
    tables = expected_tables(full)
    assert tables["caseload"][0][0] == "p1"  # the codes, from the JSON
    # Figures in the seven tables of the golden Markdown: 4 × 6, 5 × 3 + 1, 8 × 5, 4 × 6, 7 × 7,
    # 4 × 7 and 7 × 5 + 4 = 220; all are compared, with the rest of the report.
    names = ("trajecten", "caseload", "doelen_domein", "doel_bereikt", "participatieladder")
    names += ("participatieladder_omhoog", "traject_einde")
    assert sum(isinstance(cell, Fig) for name in names for row in tables[name] for cell in row) == 220
    assert compare_docx(made) == compare_pdf(made) >= 220
