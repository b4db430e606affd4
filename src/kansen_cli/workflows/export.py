"""`kansen export`: a ledger table to CSV or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kansen_cli.ledger.exports import EXPORTS  # what can be exported, for the command's help

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXPORTS", "ExportResult", "run"]


@dataclass(frozen=True)
class ExportResult:
    frame: pd.DataFrame
    out: Path | None  # None: the caller prints `csv_text()`

    def csv_text(self) -> str:
        """The export as semicolon CSV for the terminal, formula-safe like every file."""
        from kansen_cli.files import neutralise_frame

        return str(neutralise_frame(self.frame).to_csv(sep=";", index=False))

    def as_json(self, what: str) -> object:
        """--json: the rows themselves when printed, or what was written where."""
        import json

        if self.out is None:
            return json.loads(str(self.frame.to_json(orient="records", date_format="iso")))
        return {"export": what, "rows": len(self.frame), "file": str(self.out)}


def run(campaign: Path, what: str, out: Path | None = None, force: bool = False) -> ExportResult:
    """Read export `what` (one of EXPORTS) and write it to `out` when given."""
    from kansen_cli.files import check_writable, write_table
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.exports import export_frame

    if out is not None:
        check_writable(out, force)
    with open_ledger(campaign, create=False) as ledger:
        frame = export_frame(ledger, what)
    if out is not None:
        write_table(out, frame, force)
    return ExportResult(frame, out)
