"""The workbook kinds `ingest` knows, by the `kind` in their hidden marker.

Adding a kind: write its module (a `WorkbookKind` subclass, see `kind.py`) and its ledger
queries, and add it to `BUILT_IN`. A test or a plug-in may `register` one at run time.
"""

from __future__ import annotations

from typing import Any

from kansen_cli.workbooks import calls, caseload, followup, registration, survey
from kansen_cli.workbooks.kind import WorkbookKind

BUILT_IN: tuple[WorkbookKind, ...] = (
    registration.KIND,
    followup.KIND,
    survey.KIND,
    caseload.KIND,
    calls.KIND,
)

KINDS: dict[str, WorkbookKind] = {kind.name: kind for kind in BUILT_IN}


def kind_named(name: Any) -> WorkbookKind | None:
    """The kind a marker names, or None when no such kind is registered."""
    return KINDS.get(name) if isinstance(name, str) else None
