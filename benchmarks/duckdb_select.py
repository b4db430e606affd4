"""Run select_batch.sql in DuckDB into a database file (the reference for bench_select)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb


def main(csv: str, database: str, as_of: str, years: int = 2) -> None:
    day = dt.date.fromisoformat(as_of)
    cutoff = day.replace(year=day.year - years)
    sql = (Path(__file__).parent / "select_batch.sql").read_text()
    sql = sql.format(csv=csv, as_of=day.isoformat(), cutoff=cutoff.isoformat())
    Path(database).unlink(missing_ok=True)
    connection = duckdb.connect(database)
    connection.execute(sql)
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
