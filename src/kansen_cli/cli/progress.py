"""Progress bars with time left, on stderr, for the steps that can take a while.

Shown only when stderr is a terminal and the command does not print --json; anywhere else
(a pipe, a log file, the tests' captured output) the callback does nothing. The bar appears
on the first report of progress and goes when the work is done.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from kansen_cli.i18n import _
from kansen_cli.progress import OnProgress


def _quiet(done: int, total: int) -> None:
    """No terminal: no bar."""


def wanted(as_json: bool = False) -> bool:
    """A bar only for a person watching a terminal, never in --json output."""
    return not as_json and sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(description: str, as_json: bool = False, show: bool | None = None) -> Iterator[OnProgress]:
    """A callback `(done, total)` that draws a bar (count and time left) labelled
    `description` (already translated); `show` overrides the terminal test."""
    if not (wanted(as_json) if show is None else show):
        yield _quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # auto_refresh off: no refresh thread alive while the PDF workers are forked. Nothing shows
    # until the first progress report.
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(_("time left")),
        TimeRemainingColumn(),
        console=Console(stderr=True, highlight=False, markup=False),
        auto_refresh=False,
        transient=True,
    )
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)
        bar.refresh()
        if done >= total:
            bar.stop()  # the work is done: the bar goes while what follows is written

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()
