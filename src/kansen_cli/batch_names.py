"""Finding the batch a person meant: batch ids are matched without regard to case, and a
misspelt id gets a "did you mean …?" from difflib instead of a list of every batch.

Pure: the ledger reads the ids (ledger.runs.resolve_batch) and raises the error this builds.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from kansen_cli.i18n import _

SHOWN = 12  # the batches named when none is close to what was typed


def find_batch(wanted: str, known: Sequence[str]) -> str | None:
    """The id in `known` that `wanted` names, ignoring case (and surrounding spaces); None if none."""
    folded = wanted.strip().casefold()
    for batch_id in known:
        if batch_id.casefold() == folded:
            return batch_id
    return None


def close_batches(wanted: str, known: Sequence[str], limit: int = 3) -> list[str]:
    """The ids in `known` closest to `wanted` (case-folded), best first, as they are spelt."""
    by_folded: dict[str, str] = {}
    for batch_id in known:
        by_folded.setdefault(batch_id.casefold(), batch_id)
    matches = difflib.get_close_matches(wanted.strip().casefold(), list(by_folded), n=limit, cutoff=0.6)
    return [by_folded[m] for m in matches]


def unknown_batch_message(wanted: str, known: Sequence[str], what: str | None = None) -> str:
    """ "no batch 'selwrd-1'; did you mean 'selwerd-1'?" — or what to do when there are none.

    `what` names the kind of batch looked for (e.g. "batch of round 1"); default "batch".
    """
    label = what if what is not None else _("batch")
    if not known:
        return _("no {what} {batch!r}; there are no batches yet: run `kansen batch`").format(
            what=label, batch=wanted
        )
    close = close_batches(wanted, known, limit=1)
    if close:
        message = _("no {what} {batch!r}; did you mean {match!r}?")
        return message.format(what=label, batch=wanted, match=close[0])
    shown = ", ".join(known[:SHOWN]) + (" …" if len(known) > SHOWN else "")
    return _("no {what} {batch!r}; batches: {batches} (`kansen status` lists them all)").format(
        what=label, batch=wanted, batches=shown
    )
