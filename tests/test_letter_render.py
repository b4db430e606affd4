"""The batch PDF: the same text as each letter rendered on its own, and the paused collector."""

from __future__ import annotations

import gc
import io

import pytest
from pypdf import PdfReader

from kansen_cli import letter_render as render
from kansen_cli import letter_templates as templates
from kansen_cli import letters as core
from letter_helpers import SENT_ON, golden_fields


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _alone(fields: dict[str, str | None]) -> str:
    """One letter through the other path: its own whole HTML page, laid out by bare WeasyPrint."""
    from weasyprint import HTML

    html = render.render_letter(templates.environment(None), fields)
    pdf = HTML(string=html, base_url=str(templates.packaged_template_dir())).write_pdf()
    [text] = _page_texts(pdf)
    return text


@pytest.fixture(scope="module")
def five() -> list[dict[str, str | None]]:
    """Five people, both variants, different names, addresses and appointment times."""
    people = []
    for i, (variant, name, street) in enumerate(
        [
            ("A", "Veen", "Eikenlaan"),
            ("B", "Bakker-Schuitemaker", "Burgemeester van Roijensingel"),
            ("A", "Ö'Connor", "Ölandweg"),
            ("B", "Jansen", "Hoofdstraat"),
            ("A", "de Vries", "Korte Kerkstraat"),
        ]
    ):
        base = golden_fields(variant)
        base.update(name=f"J. {name}", street_line=f"{street} {i + 1}", client_id=f"00{i + 1:05d}")
        people.append(base)
    return people


def test_batch_pdf_has_each_letters_own_text_on_its_page(monkeypatch, five) -> None:
    # Chunks of two letters on two workers, merged: every path the batch PDF takes.
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "CHUNK_LETTERS", 2)
    env = templates.environment(None)
    core.preflight(env, five, "selwerd-1", SENT_ON)
    batch = _page_texts(render.render_pdf(env, five, workers=2))
    assert batch == [_alone(f) for f in five]
    assert "J. Bakker-Schuitemaker" in batch[1] and "Meedoen is vrijwillig" in batch[1]
    assert "Meedoen is vrijwillig" not in batch[0]


def test_one_process_and_workers_give_the_same_text(monkeypatch, five) -> None:
    env = templates.environment(None)
    single = _page_texts(render.render_pdf(env, five, workers=1))
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "CHUNK_LETTERS", 3)
    assert _page_texts(render.render_pdf(env, five, workers=2)) == single


def test_one_worker_renders_a_large_batch_in_bounded_chunks(monkeypatch, five) -> None:
    # WeasyPrint keeps a document's whole layout until its PDF is written, so one worker must
    # still split a big batch: with chunks of two, five letters are three documents, in order.
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "CHUNK_LETTERS", 2)
    documents: list[int] = []
    real = render.pdf_from_html

    def counted(html: str, roots=()):  # type: ignore[no-untyped-def]
        pdf, pages = real(html, roots)
        documents.append(pages)
        return pdf, pages

    monkeypatch.setattr(render, "pdf_from_html", counted)
    done: list[int] = []
    env = templates.environment(None)
    batch = _page_texts(render.render_pdf(env, five, workers=1, progress=done.append))
    assert documents == [2, 2, 1]
    assert done == [2, 2, 1]
    assert batch == [_alone(f) for f in five]


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_is_paused_and_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with render.collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), render.collector_paused():
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
