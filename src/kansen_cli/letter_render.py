"""Rendering invitation letters: one letter as HTML, a batch as one document, the PDF.

A batch's PDF is one combined HTML document laid out by WeasyPrint; large batches are split
into chunks rendered on worker processes and merged with pypdf. The page count is checked:
every letter must fit on one page.
"""

from __future__ import annotations

import gc
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _
from kansen_cli.letter_sandbox import render
from kansen_cli.letter_templates import (
    DOCUMENT_TEMPLATE,
    letter_template,
    logo_source,
    packaged_template_dir,
    template_name,
    translation_template,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from jinja2.sandbox import SandboxedEnvironment

    from kansen_cli.letters import Fields

# Rendering in worker processes pays only from this many letters on: each chunk costs a process
# hand-over, its own font subsetting (~0.3 s) and the merge, against ~0.025 s of layout a page.
PARALLEL_FROM = 60
CHUNK_LETTERS = 40  # small enough that the progress bar moves every few seconds


def render_letter(env: SandboxedEnvironment, fields: Fields, fragment: bool = False) -> str:
    """One letter as a whole HTML page, or (fragment=True) as the section for the combined document.

    Within the sandbox's limits; any failure of the template is an error naming it. A person
    whose language has a translation template gets it behind the Dutch letter, on a page of its
    own (`translated`); the Dutch letter then says so instead of printing the help lines.
    """
    from markupsafe import Markup

    logo = logo_source(env, fragment)
    translated = Markup("")
    other = translation_template(env, fields)
    if other is not None:
        translated = Markup(
            render(env.get_template(other), **fields, fragment=True, logo=logo, translated="")
        )
    template = env.get_template(template_name(letter_template(fields)))
    return render(template, **fields, fragment=fragment, logo=logo, translated=translated)


def pages_of(env: SandboxedEnvironment, fields: Fields) -> int:
    """The pages a person's letter takes: one, and one more for a translation."""
    return 2 if translation_template(env, fields) else 1


def render_document(env: SandboxedEnvironment, letters: Iterable[Fields]) -> str:
    """One HTML document holding the given letters, one per page."""
    from markupsafe import Markup

    sections = [Markup(render_letter(env, f, fragment=True)) for f in letters]
    return render(env.get_template(DOCUMENT_TEMPLATE), letters=sections)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration, as it was afterwards.

    WeasyPrint allocates millions of small objects (boxes, computed styles) that stay alive
    until the PDF is written, so every full collection walks the whole laid-out document
    again: measured 16 % of the CPU of 150 letters (2.3 s of 2.75 s in 7 full collections).
    Nothing is lost by pausing it: what becomes garbage meanwhile is mostly freed by reference
    counting (the peak grew 6 MB for 150 letters) and the rest at the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pdf_from_html(html: str, roots: Sequence[str] = ()) -> tuple[bytes, int]:
    """WeasyPrint: PDF bytes and the number of pages, loading files from `roots` only.

    Runs in the worker processes too. A URL outside the fence raises RefusedURL (a plain
    exception, so that it comes back from a worker like any other).
    """
    from weasyprint import HTML

    from kansen_cli.letter_urls import RefusedURL, fenced_fetcher, refused_error

    fetcher = fenced_fetcher(roots or [str(packaged_template_dir())])
    try:
        with collector_paused():
            document = HTML(string=html, base_url=str(packaged_template_dir()), url_fetcher=fetcher).render()
            # Attachments are fetched while the PDF is written, not while it is laid out.
            return document.write_pdf(), len(document.pages)
    except refused_error(fetcher) as exc:
        raise RefusedURL(*exc.args) from None


def _chunks(n: int, workers: int) -> list[range]:
    if n < PARALLEL_FROM:
        return [range(n)]
    # One chunk per worker, at most CHUNK_LETTERS each so the progress bar moves and memory stays
    # bounded: WeasyPrint holds a chunk's whole layout (~0.8 MB a letter) until its PDF is written.
    size = max(1, min(CHUNK_LETTERS, math.ceil(n / max(1, workers))))
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


def _render_in_worker(html: str, roots: Sequence[str], result: Connection) -> None:
    """A worker lays out one chunk and sends back ("ok", (pdf, pages)) or ("error", exception).

    It leaves signals to the command: it ignores Ctrl-C (the command stops the workers) and
    dies quietly on SIGTERM, instead of running the command's handler in a forked copy.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        result.send(("ok", pdf_from_html(html, roots)))
    except BaseException as exc:
        result.send(("error", exc))
    finally:
        result.close()


def _on_workers(
    htmls: Sequence[str], roots: Sequence[str], workers: int, done: Callable[[int], None]
) -> list[tuple[bytes, int]]:
    """The PDFs of `htmls`, in order, laid out on at most `workers` processes; `done(i)` after each.

    A process of our own per chunk, not a `multiprocessing.Pool`: a pool whose worker dies (a
    SIGTERM to the whole process group) can hang in `terminate()` on a lock the dead worker
    held. Here, however the command stops (an error, Ctrl-C, SIGTERM, which the CLI turns into
    an exception), the workers still running are killed and reaped: none lives on, blocked, with
    the letters in its memory.
    """
    import multiprocessing

    # fork: the workers share the already imported WeasyPrint instead of importing it again.
    context = multiprocessing.get_context("fork")
    results: list[tuple[bytes, int]] = []
    waiting = list(range(len(htmls)))
    running: list[tuple[Any, Connection]] = []
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                receive, send = context.Pipe(duplex=False)
                index = waiting.pop(0)
                process = context.Process(
                    target=_render_in_worker, args=(htmls[index], roots, send), daemon=True
                )
                process.start()
                send.close()  # ours closed: a worker that dies without an answer is an EOFError
                running.append((process, receive))
            process, receive = running.pop(0)
            results.append(_answer(receive))
            process.join()
            done(len(results) - 1)
    finally:
        for process, _ in running:
            process.kill()
            process.join()
    return results


def _answer(receive: Connection) -> tuple[bytes, int]:
    try:
        status, value = receive.recv()
    except EOFError:
        raise KansenError(_("a PDF worker stopped before it finished; nothing was recorded")) from None
    finally:
        receive.close()
    if status == "error":
        raise value
    return value


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
    from kansen_cli.letter_urls import RefusedURL, refusal, template_roots

    chunks = _chunks(len(letters), workers)
    htmls = [render_document(env, [letters[i] for i in chunk]) for chunk in chunks]
    roots = template_roots(env)
    results: list[tuple[bytes, int]] = []
    try:
        if len(chunks) == 1 or workers <= 1:
            for chunk, html in zip(chunks, htmls, strict=True):
                results.append(pdf_from_html(html, roots))
                if progress:
                    progress(len(chunk))
        else:
            results = _on_workers(
                htmls, roots, workers, lambda i: progress(len(chunks[i])) if progress else None
            )
    except RefusedURL as exc:
        raise refusal(env, str(exc.args[0]), [template_name(letter_template(f)) for f in letters]) from None
    pages = sum(p for _, p in results)
    if pages != sum(pages_of(env, f) for f in letters):
        raise KansenError(
            _(
                "{letters} letters made {pages} pages; a letter must fit on one page. "
                "Shorten the letter template (templates/letters/) or its font size"
            ).format(letters=len(letters), pages=pages)
        )
    return merge_pdfs([pdf for pdf, _ in results])
