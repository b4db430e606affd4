"""Ledger queries for selection runs and batches."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import LedgerError
from kansen_cli.ledger.core import Ledger, now

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.register import Register
    from kansen_cli.selection import Selection
    from kansen_cli.settings import Settings

PERSON_COLUMNS = (
    "client_id",
    "bsn",
    "initials",
    "prefix",
    "surname",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "neighbourhood",
    "birth_date",
    "phone",
    "email",
    "language",
)


def approached_ids(ledger: Ledger) -> set[str]:
    """Client ids already in a batch of this campaign."""
    return {row[0] for row in ledger.db.execute("SELECT client_id FROM batch_members")}


def _column_values(frame: pd.DataFrame, name: str) -> list[Any]:
    import pandas as pd

    series = frame[name]
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(text.notna(), None).tolist()
    if pd.api.types.is_integer_dtype(series):
        return [None if v is pd.NA else int(v) for v in series.astype(object)]
    values = series.to_numpy(dtype=object, na_value=None)
    return [None if v is None or v != v else v for v in values.tolist()]


def record_selection(
    ledger: Ledger,
    register: Register,
    selection: Selection,
    settings: Settings,
    before_commit: Callable[[], None] | None = None,
) -> int:
    """Store the run, every row's bucket, and the personal data of the selected (one transaction).

    `before_commit` runs inside the transaction after the inserts, e.g. writing `--out`: if it
    fails, the run is not recorded.
    """
    people = register.people
    settings_json = settings.model_dump_json(by_alias=True)
    with ledger.transaction() as db:
        cursor = db.execute(
            "INSERT INTO selection_runs (created_at, as_of, years, register_name, register_sha256,"
            " settings_json, rows, funnel_json, selected) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                now(),
                selection.as_of.isoformat(),
                selection.years,
                register.source.file,
                register.source.sha256,
                settings_json,
                selection.rows,
                json.dumps(selection.funnel),
                selection.selected,
            ),
        )
        run_id = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO run_rows (run_id, row, client_id, neighbourhood, bucket) VALUES (?,?,?,?,?)",
            zip(
                [run_id] * len(people),
                people["row"].astype("int64").tolist(),
                _column_values(people, "client_id"),
                _column_values(people, "neighbourhood"),
                selection.buckets.astype(str).tolist(),
                strict=True,
            ),
        )
        chosen = people[(selection.buckets == "selected").to_numpy()]
        columns = [c for c in PERSON_COLUMNS if c != "bsn" or settings.register_.store_bsn]
        values = [_column_values(chosen, c) for c in columns]
        placeholders = ",".join("?" * (len(columns) + 1))
        db.executemany(
            f"INSERT OR REPLACE INTO people ({', '.join(columns)}, run_id) VALUES ({placeholders})",
            zip(*values, [run_id] * len(chosen), strict=True),
        )
        if before_commit is not None:
            before_commit()
    return run_id


def last_run_id(ledger: Ledger) -> int:
    run = ledger.scalar("SELECT max(run_id) FROM selection_runs")
    if run is None:
        raise LedgerError("no selection in this campaign yet; run `kansen select REGISTER` first")
    return int(run)


def unbatched_selected(ledger: Ledger) -> pd.DataFrame:
    """People selected in the latest run who are in no batch yet, with their route fields."""
    run_id = last_run_id(ledger)
    return ledger.frame(
        "SELECT p.client_id, p.neighbourhood, p.postcode, p.house_number, p.house_number_addition"
        " FROM run_rows r JOIN people p ON p.client_id = r.client_id"
        " WHERE r.run_id = ? AND r.bucket = 'selected'"
        " AND r.client_id NOT IN (SELECT client_id FROM batch_members)",
        (run_id,),
    )


def batch_numbers_taken(ledger: Ledger) -> dict[str, int]:
    return {
        row[0]: int(row[1])
        for row in ledger.db.execute("SELECT neighbourhood, max(seq) FROM batches GROUP BY neighbourhood")
    }


def record_batches(
    ledger: Ledger, assigned: pd.DataFrame, seed: int, before_commit: Callable[[], None] | None = None
) -> None:
    """Store batches and members in one transaction.

    `before_commit` runs inside the transaction after the inserts (it sees the new rows):
    when it fails, for instance writing the batch files, nothing is recorded.
    """
    run_id = last_run_id(ledger)
    batches = assigned.groupby("batch_id", sort=False).agg(
        neighbourhood=("neighbourhood", "first"), seq=("seq", "first")
    )
    stamp = now()
    with ledger.transaction() as db:
        db.executemany(
            "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at)"
            " VALUES (?,?,?,?,?,?)",
            [(str(b), str(r.neighbourhood), int(r.seq), run_id, seed, stamp) for b, r in batches.iterrows()],
        )
        db.executemany(
            "INSERT INTO batch_members (client_id, batch_id, position, variant) VALUES (?,?,?,?)",
            zip(
                assigned["client_id"].tolist(),
                assigned["batch_id"].tolist(),
                assigned["position"].astype("int64").tolist(),
                assigned["variant"].tolist(),
                strict=True,
            ),
        )
        if before_commit is not None:
            before_commit()


def batch_members(ledger: Ledger, batch_id: str | None = None) -> pd.DataFrame:
    """Batched people with their batch, variant and the personal data letters need."""
    where, params = ("WHERE m.batch_id = ?", (batch_id,)) if batch_id else ("", ())
    frame = ledger.frame(
        "SELECT m.batch_id, b.neighbourhood, m.position, m.variant, p.*"
        " FROM batch_members m JOIN batches b USING (batch_id) JOIN people p USING (client_id) "
        f"{where} ORDER BY b.neighbourhood, b.seq, m.position",
        params,
    )
    # p.* repeats neighbourhood (and client_id): keep the first of each name, so that
    # frame[name] is always one column.
    return frame.loc[:, ~frame.columns.duplicated()]


def require_batch(ledger: Ledger, batch_id: str) -> None:
    """Raise a clear error naming the batches that do exist."""
    from kansen_cli.errors import NotFoundError

    if ledger.scalar("SELECT 1 FROM batches WHERE batch_id = ?", (batch_id,)) is None:
        known = [r[0] for r in ledger.query("SELECT batch_id FROM batches ORDER BY neighbourhood, seq")]
        hint = (
            ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
            if known
            else "none yet; run `kansen batch`"
        )
        raise NotFoundError(f"no batch {batch_id!r}; batches: {hint}")


def selection_export(ledger: Ledger) -> pd.DataFrame:
    """Every register row of the latest selection with its bucket."""
    run_id = last_run_id(ledger)
    return ledger.frame(
        "SELECT row, client_id, neighbourhood, bucket FROM run_rows WHERE run_id = ? ORDER BY row",
        (run_id,),
    )


def batches_export(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame(
        "SELECT m.batch_id, b.neighbourhood, m.position, m.client_id, m.variant"
        " FROM batch_members m JOIN batches b USING (batch_id) ORDER BY b.neighbourhood, b.seq, m.position"
    )
