"""The campaign ledger: one SQLite file per campaign folder, the single source of every figure.

`core` opens it and runs migrations; each step of the cycle keeps its own queries in a
module beside it (`runs` for selections and batches, and so on).
"""

from kansen_cli.ledger.core import LEDGER_FILE, Ledger, ledger_path, open_ledger

__all__ = ["LEDGER_FILE", "Ledger", "ledger_path", "open_ledger"]
