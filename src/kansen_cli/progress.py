"""The progress callback the core calls on long work: `on_progress(done, total)`.

The core knows nothing of terminals: it calls the callback it was given (or none) with how
much of how much is done, `done` never decreasing. The command line turns it into a bar
(`kansen_cli.cli.progress`). Nothing personal ever goes through it: counts only.
"""

from __future__ import annotations

from collections.abc import Callable

OnProgress = Callable[[int, int], None]


def report(on_progress: OnProgress | None, done: int, total: int) -> None:
    """Call `on_progress` if there is one."""
    if on_progress is not None:
        on_progress(done, total)
