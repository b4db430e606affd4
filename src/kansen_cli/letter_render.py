"""Rendering invitation letters: one letter as HTML, a batch as one document, the PDF.

A batch's PDF is one combined HTML document laid out by WeasyPrint; large batches are split
into chunks rendered on worker processes and merged with pypdf. The page count is checked:
every letter must fit on one page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from kansen_cli.errors import KansenError
from kansen_cli.letter_templates import DOCUMENT_TEMPLATE, logo_source, packaged_template_dir, template_name

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from kansen_cli.letters import Fields

# Rendering in worker processes pays only from this many letters on: each chunk costs a process
# hand-over, its own font subsetting (~0.3 s) and the merge, against ~0.025 s of layout a page.
PARALLEL_FROM = 60
CHUNK_LETTERS = 500


def render_letter(env: SandboxedEnvironment, fields: Fields, fragment: bool = False) -> str:
    """One letter as a whole HTML page, or (fragment=True) as the section for the combined document."""
    template = env.get_template(template_name(str(fields["variant"])))
    return template.render(**fields, fragment=fragment, logo=logo_source(env, fragment))


def render_document(env: SandboxedEnvironment, letters: Iterable[Fields]) -> str:
    """One HTML document holding the given letters, one per page."""
    from markupsafe import Markup

    sections = [Markup(render_letter(env, f, fragment=True)) for f in letters]
    return env.get_template(DOCUMENT_TEMPLATE).render(letters=sections)


def pdf_from_html(html: str) -> tuple[bytes, int]:
    """WeasyPrint: PDF bytes and the number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(packaged_template_dir())).render()
    return document.write_pdf(), len(document.pages)


def _chunks(n: int, workers: int) -> list[range]:
    if workers <= 1 or n < PARALLEL_FROM:
        return [range(n)]
    # One chunk per worker, at most CHUNK_LETTERS each so the progress bar moves and memory stays bounded.
    size = max(1, min(CHUNK_LETTERS, math.ceil(n / workers)))
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part), import_outline=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(
    env: SandboxedEnvironment,
    letters: Sequence[Fields],
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The combined PDF of `letters`, in the given order, one page each.

    Large batches are rendered in chunks on `workers` processes and merged; the page count is
    checked, so a template that runs over one page is an error, not a surprise in the post room.
    `progress` is called with the number of letters each finished chunk held.
    """
    chunks = _chunks(len(letters), workers)
    htmls = [render_document(env, [letters[i] for i in chunk]) for chunk in chunks]
    results: list[tuple[bytes, int]] = []
    if len(chunks) == 1:
        results = [pdf_from_html(htmls[0])]
        if progress:
            progress(len(letters))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the workers share the already imported WeasyPrint instead of importing it again.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for chunk, result in zip(chunks, pool.map(pdf_from_html, htmls), strict=True):
                results.append(result)
                if progress:
                    progress(len(chunk))
    pages = sum(p for _, p in results)
    if pages != len(letters):
        raise KansenError(
            f"{len(letters)} letters made {pages} pages; a letter must fit on one page. "
            "Shorten the letter template (templates/letters/) or its font size"
        )
    return merge_pdfs([pdf for pdf, _ in results])
