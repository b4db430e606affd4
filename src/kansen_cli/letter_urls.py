"""What WeasyPrint may load while it lays out the letters: files in the template folders, no more.

The Jinja sandbox does not cover the HTML and CSS a template writes: `<link rel="attachment"
href="file:///…">`, `<img src="file:///…">` or `url(file://…)` would embed any file the user
can read (the pseudonym key, kept outside the campaign for exactly this reason) into every
posted PDF, and `http://…` would tell a server who gets a letter. So the PDF is laid out with
a URL fetcher that loads `data:` URLs and files that really lie (symbolic links followed) in
the template folders, and stops the rendering at anything else. A refused URL is an error that
names the template, never silently dropped: a letter without its stamp is a letter nobody
meant to send.
"""

from __future__ import annotations

import functools
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import LetterTemplateError
from kansen_cli.i18n import _
from kansen_cli.letter_sandbox import inside

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class RefusedURL(Exception):
    """A URL the letters may not load (args: the URL). Plain, so it crosses process borders."""


@functools.cache
def _fetcher_class() -> type[Any]:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Refused(FatalURLFetchingError):
        """Stops WeasyPrint (which turns ordinary fetch errors into warnings and goes on)."""

    class FencedFetcher(URLFetcher):
        def __init__(self, roots: Sequence[str]) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = list(roots)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urllib.parse.urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
                if inside(path, self.roots):
                    return super().fetch(url, headers)
            raise Refused(url)

    FencedFetcher.refused = Refused
    return FencedFetcher


def fenced_fetcher(roots: Sequence[str]) -> Any:
    """A WeasyPrint URL fetcher that loads only `data:` URLs and files inside `roots`."""
    return _fetcher_class()(roots)


def refused_error(fetcher: Any) -> type[BaseException]:
    return fetcher.refused


def template_roots(env: SandboxedEnvironment) -> tuple[str, ...]:
    """The folders the environment reads templates from (the campaign's first), and the logo file
    [letters.house_style] names (that file only, not its folder)."""
    folders = tuple(str(p) for p in getattr(env.loader, "searchpath", ()))
    logo = str(env.globals.get("logo_path") or "")
    return folders + ((logo,) if logo else ())


def refusal(env: SandboxedEnvironment, url: str, variants: Sequence[str]) -> LetterTemplateError:
    """The error for a refused URL, naming the template that holds it.

    The URL is quoted only when it stands as such in a template (so it was not made from a
    person's data); a network address by its host only.
    """
    parts = urllib.parse.urlsplit(url)
    found = _holder(env, url)
    if parts.scheme in ("http", "https", "ftp"):
        what = _("a network address ({address})").format(address=f"{parts.scheme}://{parts.hostname}")
    elif parts.scheme == "file":
        path = urllib.request.url2pathname(parts.path)
        what = (
            _("the file {path}, outside the template folders").format(path=path)
            if found
            else _("a file outside the template folders")
        )
    else:
        what = _("a {scheme} URL").format(scheme=parts.scheme) if parts.scheme else _("a relative URL")
    where = found or _("one of {names}").format(names=", ".join(sorted(set(variants))))
    return LetterTemplateError(
        _(
            "letter template {where} refers to {what}; a letter may use only files "
            "in the template folders (the campaign's templates/letters/ and kansen's "
            "own), nothing from elsewhere or from the network; nothing written, "
            "nothing recorded"
        ).format(where=where, what=what)
    )


def _holder(env: SandboxedEnvironment, url: str) -> str | None:
    """The first template (campaign's first) whose text holds the URL, or None."""
    parts = urllib.parse.urlsplit(url)
    needles = [url, urllib.parse.unquote(url)]
    if parts.scheme == "file":
        needles.append(urllib.request.url2pathname(parts.path))
    for root in template_roots(env):
        if not Path(root).is_dir():
            continue  # the logo file
        for path in sorted(Path(root).iterdir()):
            if path.suffix in (".j2", ".css", ".html") and path.is_file() and inside(path, [root]):
                text = path.read_text(encoding="utf-8", errors="replace")
                if any(n and n in text for n in needles):
                    return path.name
    return None
