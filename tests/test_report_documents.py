"""`kansen report --format docx` and `--format pdf`: the council letter's annex.

Each document is read back (python-docx for the Word file, pypdf for the PDF's text) and every
figure of every table is compared with the JSON of the same report (`tests/report_figures.py`
says what each table must show, from the JSON alone), with and without --publish: a figure the
JSON hides (null) is x in the document, one it cannot compute is –.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from campaign_helpers import make_campaign
from dates import TODAY
from kansen_cli.report_render import format_cell
from kansen_cli.settings import Settings, load_settings
from report_figures import Fig, check_figure, check_rows, expected_tables, figure_tokens
from test_report import build_golden_ledger
from test_survey import build_survey_ledger

WORD_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"


@dataclass
class Made:
    """A report written as DOCX and PDF, with the JSON of the same report (and of the full one)."""

    report: Any
    docx: Path
    pdf: Path
    shown: dict[str, Any]  # the JSON of this report (nulls where --publish hides)
    full: dict[str, Any]  # the JSON without --publish


def make_documents(campaign: Path, settings: Settings, folder: Path, publish: bool) -> Made:
    from kansen_cli.workflows import report as workflow

    docx = workflow.run(campaign, settings, fmt="docx", out=folder / "rapport.docx", publish=publish)
    pdf = workflow.run(campaign, settings, fmt="pdf", out=folder / "rapport.pdf", publish=publish)
    shown = json.loads(workflow.run(campaign, settings, fmt="json", publish=publish).text or "")
    full = json.loads(workflow.run(campaign, settings, fmt="json").text or "")
    assert docx.out == folder / "rapport.docx" and pdf.out == folder / "rapport.pdf"
    return Made(docx.report, folder / "rapport.docx", folder / "rapport.pdf", shown, full)


@pytest.fixture(scope="module", params=[False, True], ids=["all", "publish"])
def surveyed(request, tmp_path_factory: pytest.TempPathFactory) -> Made:
    """The golden ledger of test_report with the survey of test_survey: every table there is."""
    folder = tmp_path_factory.mktemp("documents")
    campaign = make_campaign(folder / "campaign")
    build_survey_ledger(campaign)
    return make_documents(campaign, Settings(), folder, request.param)


# ---- reading the documents back -------------------------------------------------------------------


def docx_tables(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """The level-2 headings and every Word table's cells as text."""
    from docx import Document

    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    return headings, [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def pdf_text(path: Path) -> str:
    """The PDF's text with whitespace made single spaces, without the page footers."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    footer = re.compile(r"pagina \d+ van \d+")
    text = " ".join(footer.sub(" ", page) for page in pages)
    return " ".join(text.split())


def own_labels(table: Any) -> list[list[str]]:
    return [
        [format_cell(cell) if cell.kind in ("label", "blank") else "" for cell in row] for row in table.rows
    ]


def compare_docx(made: Made) -> int:
    headings, tables = docx_tables(made.docx)
    full, shown = expected_tables(made.full), expected_tables(made.shown)
    published = made.shown["published"]
    assert headings == [t.title for t in made.report.tables]
    assert len(tables) == len(made.report.tables)
    compared = 0
    for table, cells in zip(made.report.tables, tables, strict=True):
        assert cells[0] == table.columns, table.name
        compared += check_rows(
            table.name, cells[1:], full[table.name], shown[table.name], own_labels(table), published
        )
    assert {t.name for t in made.report.tables} == set(shown), "a table the test does not know"
    return compared


def compare_pdf(made: Made) -> int:
    """Per table, the figures between its header and its notes, in reading order."""
    # A header may wrap at its hyphen ("p- waarde") when a wide label squeezes its column.
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "-", pdf_text(made.pdf))
    full, shown = expected_tables(made.full), expected_tables(made.shown)
    published = made.shown["published"]
    report = made.report
    starts = [text.index(f"{t.title} {' '.join(t.columns)}") for t in report.tables]
    ends = [*starts[1:], text.index(_legend_start(report))]
    compared = 0
    for table, start, end in zip(report.tables, starts, ends, strict=True):
        header = " ".join(table.columns)
        body = text[start + len(table.title) + 1 + len(header) : end]
        # A note may wrap at a hyphen in the PDF: its first words mark the end of the table.
        for stop in [" ".join(n.split()[:4]) for n in table.notes] + ["Figuur "]:
            body = body.split(stop)[0]
        body = body.replace(header, " ")  # the header repeated on the next page
        tokens = figure_tokens([body])
        wanted: list[tuple[Fig | str, Fig | str]] = []
        for want_row, seen_row, label_row in zip(
            full[table.name], shown[table.name], own_labels(table), strict=True
        ):
            for want, seen, label in zip(want_row, seen_row, label_row, strict=True):
                if isinstance(want, Fig) and isinstance(seen, Fig):
                    wanted.append((want, seen))
                else:
                    wanted += [(t, t) for t in figure_tokens([label if want is None else want])]
        assert len(tokens) == len(wanted), f"{table.name}: {tokens} against {wanted}"
        for i, (token, (want, seen)) in enumerate(zip(tokens, wanted, strict=True)):
            if isinstance(want, Fig) and isinstance(seen, Fig):
                check_figure(token, want, seen, f"{table.name} figure {i + 1}", published)
                compared += 1
            else:
                assert token == want, f"{table.name} figure {i + 1}: {token!r} for the label {want!r}"
    return compared


def _legend_start(report: Any) -> str:
    from kansen_cli.report_render import legend

    return legend(report)[:20]


def pictures(path: Path) -> int:
    from docx import Document

    document = Document(str(path))
    inline = [
        shape for shape in document.inline_shapes if shape._inline.find(f".//{WORD_PICTURE}") is not None
    ]
    return len(inline)


# ---- the figures --------------------------------------------------------------------------------------


def test_docx_figures_equal_the_json(surveyed: Made) -> None:
    compared = compare_docx(surveyed)
    assert compared > 250  # every table of the golden report and the survey
    if surveyed.shown["published"]:
        _, tables = docx_tables(surveyed.docx)
        texts = [cell for table in tables for row in table for cell in row]
        assert "x" in texts  # the small counts are hidden


def test_pdf_figures_equal_the_json(surveyed: Made) -> None:
    assert compare_pdf(surveyed) == compare_docx(surveyed)


def test_the_comparison_catches_a_wrong_figure(surveyed: Made) -> None:
    # The check itself can fail: one figure off by one in the JSON is found, and a hidden one.
    shown = json.loads(json.dumps(surveyed.shown))
    shown["funnel"][2]["count"] = (shown["funnel"][2]["count"] or 0) + 1
    with pytest.raises(AssertionError, match="trechter row 3"):
        compare_docx(Made(surveyed.report, surveyed.docx, surveyed.pdf, shown, surveyed.full))
    with pytest.raises(AssertionError, match="trechter"):
        compare_pdf(Made(surveyed.report, surveyed.docx, surveyed.pdf, shown, surveyed.full))
    check_figure("59,1", Fig(0.5909, 1, 100), Fig(0.5909, 1, 100), "rate")
    with pytest.raises(AssertionError):
        check_figure("59,1", Fig(0.5909, 1, 100), Fig(None, 1, 100), "hidden")
    with pytest.raises(AssertionError):
        check_figure("59.1", Fig(0.5909, 1, 100), Fig(0.5909, 1, 100), "English")


def test_the_golden_report_without_a_survey(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "campaign")
    build_golden_ledger(campaign)
    made = make_documents(campaign, Settings(), tmp_path, publish=False)
    assert compare_docx(made) > 150
    assert compare_pdf(made) > 150
    assert not any(t.name.startswith("enquete") for t in made.report.tables)
    assert pictures(made.docx) == 4  # no survey, no marks chart
    # Figures a reader checks first, straight from test_report's hand counts.
    _, tables = docx_tables(made.docx)
    names = [t.name for t in made.report.tables]
    assert tables[0][3] == ["Totaal", "24", "13", "3", "2", "2", "2", "2", "59,1"]
    assert tables[names.index("varianten")][3][-3:] == ["59,1", "38,7", "76,7"]
    assert tables[names.index("basis")][1:] == [
        ["Benaderd", "24"],
        ["Niet meer van toepassing: vervallen", "2"],
        ["Geadviseerd (basis)", "22"],
    ]


# ---- what a reader of the Word document gets ------------------------------------------------------------


def test_docx_tables_are_word_tables_with_a_repeated_bold_header(surveyed: Made) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document(str(surveyed.docx))
    assert document.paragraphs[0].text == surveyed.report.title
    assert document.paragraphs[1].text == surveyed.report.subtitle
    for table, source in zip(document.tables, surveyed.report.tables, strict=True):
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None, source.name
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        for row, cells in zip(table.rows[1:], source.rows, strict=True):
            for cell, made in zip(row.cells, cells, strict=True):
                paragraph = cell.paragraphs[0]
                if made.kind in ("count", "pct", "stat"):
                    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT, source.name
                if cells[0].bold and cell.text:
                    assert all(run.bold for run in paragraph.runs), source.name
    assert pictures(surveyed.docx) == 5  # the four charts and the survey's marks
    text = "\n".join(p.text for p in document.paragraphs)
    for table in surveyed.report.tables:
        for note in table.notes:
            assert note in text
    assert "– = niet te berekenen" in text
    assert ("x = niet gepubliceerd" in text) == surveyed.shown["published"]
    assert next(p.text for p in document.paragraphs if p.text.startswith("Figuur")).startswith("Figuur 1. ")


def test_documents_are_private_and_not_replaced_without_force(surveyed: Made) -> None:
    for path in (surveyed.docx, surveyed.pdf):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert surveyed.docx.read_bytes()[:2] == b"PK" and surveyed.pdf.read_bytes()[:5] == b"%PDF-"


def test_pdf_refers_to_nothing_outside_itself(surveyed: Made) -> None:
    from kansen_cli.report_documents import charts
    from kansen_cli.report_documents.pdf import to_html

    html = to_html(surveyed.report, charts(surveyed.report))
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert len(sources) == 5 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "url(" not in html and "@import" not in html


def test_pdf_rendering_refuses_any_other_url(tmp_path: Path) -> None:
    from weasyprint import HTML

    from kansen_cli.report_documents.pdf import _fetcher

    secret = tmp_path / "elsewhere.png"
    secret.write_bytes(b"not for the report")
    with pytest.raises(BaseException, match=r"elsewhere\.png"):  # WeasyPrint stops: a fatal error
        HTML(string=f'<img src="{secret.as_uri()}">', url_fetcher=_fetcher()).write_pdf()


# ---- the command ------------------------------------------------------------------------------------------


def test_cli_docx_and_pdf(invoke, tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "campaign")
    build_golden_ledger(campaign)
    for fmt in ("docx", "pdf"):
        result = invoke("report", "-c", campaign, "--format", fmt)
        assert result.exit_code == 1 and f"--format {fmt} heeft --out" in result.stderr
        out = tmp_path / f"bijlage.{fmt}"
        result = invoke("report", "-c", campaign, "--format", fmt, "--out", out, "--publish")
        assert result.exit_code == 0, result.stderr
        assert (
            "Rapportage geschreven naar" in result.stderr
            and out.name in result.stderr
            and result.stdout == ""
        )
        again = invoke("report", "-c", campaign, "--format", fmt, "--out", out)
        assert again.exit_code == 1 and "--force" in again.stderr
        assert invoke("report", "-c", campaign, "--format", fmt, "--out", out, "--force").exit_code == 0
    made = Made(None, tmp_path / "bijlage.docx", tmp_path / "bijlage.pdf", {}, {})
    assert pictures(made.docx) == 4
    help_text = invoke("report", "--help").stdout
    assert "docx" in help_text and "pdf" in help_text


# ---- the demo ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_writes_docx_and_pdf_whose_figures_equal_the_json(demo_run) -> None:
    from kansen_cli.workflows import report as workflow

    folder, result = demo_run
    assert result.exit_code == 0, result.output[-2000:]
    settings = load_settings(folder)
    # The demo made its documents on its today (KANSEN_TODAY): open trajectories count up to it.
    built = workflow.run(folder, settings, today=TODAY)  # reads the ledger only
    data = json.loads(workflow.run(folder, settings, fmt="json", today=TODAY).text or "")
    made = Made(
        built.report, folder / "rapport" / "rapport.docx", folder / "rapport" / "rapport.pdf", data, data
    )
    assert compare_docx(made) > 250
    assert compare_pdf(made) > 250
    assert pictures(made.docx) == 5
