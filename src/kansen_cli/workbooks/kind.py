"""What a workbook kind declares; one subclass per kind, each in its own module.

Besides these parts a kind's module holds its columns and its builder (`build(...)`, called
by the command that writes the workbook), whose inputs differ per kind.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.plan import Change, IngestPlan
    from kansen_cli.workbooks.reading import FilledWorkbook


class WorkbookKind(ABC):
    """One kind of consultants' workbook: how it is recognised, checked and loaded."""

    # The marker's `kind`, also recorded with every loaded file.
    name: ClassVar[str]
    # Data sheet -> the column keys ingest cannot do without (the marker must list them).
    required: ClassVar[Mapping[str, frozenset[str]]]

    @abstractmethod
    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> Any:
        """What the ledger knows that the rows are checked against.

        Called inside the transaction that writes, so two ingests at once never plan against
        the same old state. Raises `plan.FileRefused` when the file cannot be checked at all.
        """

    @abstractmethod
    def plan(self, filled: FilledWorkbook, context: Any, settings: Settings) -> IngestPlan:
        """Check every row (pure) and plan the changes; usually `start_plan` + `plan_rows`."""

    @abstractmethod
    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        """Write one new or updated record through a `kansen_cli.ledger` function.

        The caller holds the transaction, has kept the replaced record in the history, and
        records the file as loaded afterwards.
        """
