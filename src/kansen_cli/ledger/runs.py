"""Ledger queries for selection runs and batches."""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import LedgerError
from kansen_cli.i18n import _
from kansen_cli.ledger.bulk import foreign_keys_off, indexes_rebuilt
from kansen_cli.ledger.core import Ledger, now
from kansen_cli.ledger.migrations import personal_columns
from kansen_cli.ledger.schema import MIGRATIONS

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.register import Register
    from kansen_cli.selection import Selection
    from kansen_cli.settings import Settings

# The people's columns a selection stores: the key, the neighbourhood the figures count by, and
# the data letters need, which the schema declares personal (so `kansen purge` erases it).
PERSON_COLUMNS = ("client_id", "neighbourhood", *personal_columns(MIGRATIONS)["people"])


def approached_ids(ledger: Ledger) -> set[str]:
    """Client ids already in a batch of this campaign."""
    return {row[0] for row in ledger.db.execute("SELECT client_id FROM batch_members")}


class ApproachedChanged(Exception):
    """Who was approached changed between a selection's first look and its transaction (another
    command batched or purged meanwhile): the selection must be made again from `current`."""

    def __init__(self, current: set[str]) -> None:
        super().__init__("the people already approached changed while the selection was made")
        self.current = current


def _column_values(frame: pd.DataFrame, name: str, positions: Any = None) -> list[Any]:
    """One column (at `positions`, in that order, when given) as Python values for SQLite,
    None for missing; converted by Arrow in C: a per-value Python loop costs seconds at a
    million rows."""
    import pandas as pd
    import pyarrow as pa

    series = frame[name]
    array = None
    if pd.api.types.is_datetime64_any_dtype(series):
        # date32 prints as yyyy-mm-dd; a cast, unlike strftime, needs no per-value formatting.
        array = pa.array(series, from_pandas=True).cast(pa.date32()).cast(pa.string())
    elif pd.api.types.is_integer_dtype(series):
        array = pa.array(series, type=pa.int64(), from_pandas=True)
    elif isinstance(series.dtype, pd.StringDtype) or series.dtype == object:
        # Mixed Python objects fail here and take the general path below.
        with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError):
            array = pa.array(series, type=pa.string(), from_pandas=True)
    if array is not None:
        return (array if positions is None else array.take(positions)).to_pylist()
    if positions is not None:
        series = series.iloc[positions]
    values = series.to_numpy(dtype=object, na_value=None)
    return [None if v is None or v != v else v for v in values.tolist()]


def _bucket_names(buckets: pd.Series) -> list[str]:
    """Each row's bucket name; from the category codes when there are, without a str() per row."""
    import numpy as np
    import pandas as pd

    if isinstance(buckets.dtype, pd.CategoricalDtype) and not buckets.isna().any():
        names = np.asarray([str(c) for c in buckets.cat.categories], dtype=object)
        return list(names[buckets.cat.codes.to_numpy()].tolist())
    return list(buckets.astype(str).tolist())


def record_selection(
    ledger: Ledger,
    register: Register,
    selection: Selection,
    settings: Settings,
    approached: set[str] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> int:
    """Store the run, every row's bucket, and the personal data of the selected (one transaction).

    `approached`: the people already approached that `selection` was made with. They are read
    again inside the transaction, under the write lock; if another command changed them
    meanwhile, nothing is recorded and ApproachedChanged says who they are now.
    `before_commit` runs inside the transaction after the inserts, e.g. moving `--out` into
    place: if it fails, the run is not recorded.
    """
    people = register.people
    settings_json = settings.model_dump_json(by_alias=True)
    # Every row inserted refers to the run inserted first, in the same transaction: no lookup
    # of it per row.
    with foreign_keys_off(ledger.db), ledger.transaction() as db:
        if approached is not None:
            current = approached_ids(ledger)
            if current != approached:
                raise ApproachedChanged(current)
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
        # The register is in row order already: the primary key (run_id, row) grows.
        db.executemany(
            "INSERT INTO run_rows (run_id, row, client_id, neighbourhood, bucket) VALUES (?,?,?,?,?)",
            zip(
                itertools.repeat(run_id),
                people["row"].astype("int64").tolist(),
                _column_values(people, "client_id"),
                _column_values(people, "neighbourhood"),
                _bucket_names(selection.buckets),
            ),
        )
        import numpy as np

        chosen = np.flatnonzero((selection.buckets == "selected").to_numpy())
        # Inserted in primary-key order: SQLite then appends to its B-tree instead of splitting
        # pages all over it (five times faster for half a million people).
        chosen = chosen[_key_order(people["client_id"].iloc[chosen])]
        columns = [c for c in PERSON_COLUMNS if c != "bsn" or settings.register_.store_bsn]
        values = [_column_values(people, c, chosen) for c in columns]
        placeholders = ",".join("?" * (len(columns) + 1))
        db.executemany(
            f"INSERT OR REPLACE INTO people ({', '.join(columns)}, run_id) VALUES ({placeholders})",
            zip(*values, itertools.repeat(run_id)),
        )
        if before_commit is not None:
            before_commit()
    return run_id


def last_run_id(ledger: Ledger) -> int:
    run = ledger.scalar("SELECT max(run_id) FROM selection_runs")
    if run is None:
        raise LedgerError(_("no selection in this campaign yet; run `kansen select REGISTER` first"))
    return int(run)


def unbatched_selected(ledger: Ledger) -> pd.DataFrame:
    """People selected in the latest run who are in no batch yet, with their route fields.

    Every run writes (INSERT OR REPLACE) each person it selects with its run id, so the people
    of the latest run are exactly those selected in it; no join with the run's million rows.
    """
    import pandas as pd

    run_id = last_run_id(ledger)
    names = ["client_id", "neighbourhood", "postcode", "house_number", "house_number_addition"]
    # Each column as one JSON array, built by SQLite and parsed by the json module, both in C:
    # a Python tuple per row and transposing them took two to three times as long.
    arrays = ledger.db.execute(
        f"SELECT {', '.join(f'json_group_array(p.{n})' for n in names)} FROM people p"
        " WHERE p.run_id = ? AND p.client_id NOT IN (SELECT client_id FROM batch_members)",
        (run_id,),
    ).fetchone()
    return pd.DataFrame(
        {
            name: pd.Series(json.loads(values), dtype="Int64" if name == "house_number" else object)
            for name, values in zip(names, arrays, strict=True)
        }
    )


def _key_order(keys: pd.Series) -> Any:
    """Positions that sort `keys` (text) the way SQLite's BINARY collation does (by UTF-8 bytes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.sort_indices(pa.array(keys, type=pa.string(), from_pandas=True)).to_numpy()


def batch_numbers_taken(ledger: Ledger) -> dict[str, int]:
    return {
        row[0]: int(row[1])
        for row in ledger.db.execute("SELECT neighbourhood, max(seq) FROM batches GROUP BY neighbourhood")
    }


# Makes the batches from the people to batch and the batch numbers each neighbourhood has used.
Assign = Callable[["pd.DataFrame", dict[str, int]], "pd.DataFrame"]


def record_batches(
    ledger: Ledger,
    assign: Assign,
    seed: int,
    before_commit: Callable[[pd.DataFrame], None] | None = None,
) -> pd.DataFrame:
    """Make the batches and store them with their members in one transaction; returns them.

    Who is still to batch and which batch numbers are taken are read inside the transaction,
    under the write lock, so two commands at once never batch anyone twice. `before_commit`
    gets the batches and runs after the inserts (it sees the new rows): when it fails, for
    instance writing the batch files, nothing is recorded.
    """
    # References checked at once (`_require_read`) instead of a lookup per member.
    with foreign_keys_off(ledger.db), ledger.transaction() as db:
        run_id = last_run_id(ledger)
        unbatched = unbatched_selected(ledger)
        assigned = assign(unbatched, batch_numbers_taken(ledger))
        if not len(assigned):
            return assigned
        _require_read(assigned, unbatched)
        _insert_batches(db, assigned, run_id, seed)
        if before_commit is not None:
            before_commit(assigned)
    return assigned


def _require_read(assigned: pd.DataFrame, unbatched: pd.DataFrame) -> None:
    """What the foreign keys of the new members would check: each is one of the people just read
    from `people` in this transaction (their batches are inserted from the same frame)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    members = pa.array(assigned["client_id"], type=pa.string(), from_pandas=True)
    read = pa.array(unbatched["client_id"], type=pa.string(), from_pandas=True)
    if not pc.all(pc.is_in(members, value_set=read)).as_py():
        raise LedgerError(
            _("a batch would hold someone who is not among the selected people; nothing was recorded")
        )


def _insert_batches(db: sqlite3.Connection, assigned: pd.DataFrame, run_id: int, seed: int) -> None:
    batches = assigned.groupby("batch_id", sort=False).agg(
        neighbourhood=("neighbourhood", "first"), seq=("seq", "first")
    )
    stamp = now()
    db.executemany(
        "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at) VALUES (?,?,?,?,?,?)",
        [(str(b), str(r.neighbourhood), int(r.seq), run_id, seed, stamp) for b, r in batches.iterrows()],
    )
    # In primary-key (client id) order, for the same reason as the people in a selection.
    members = assigned.iloc[_key_order(assigned["client_id"])]
    with indexes_rebuilt(db, "batch_members"):
        db.executemany(
            "INSERT INTO batch_members (client_id, batch_id, position, variant) VALUES (?,?,?,?)",
            zip(
                _column_values(members, "client_id"),
                _column_values(members, "batch_id"),
                members["position"].astype("int64").tolist(),
                _column_values(members, "variant"),
                strict=True,
            ),
        )


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


def batch_exists(ledger: Ledger, batch_id: str) -> bool:
    return ledger.scalar("SELECT 1 FROM batches WHERE batch_id = ?", (batch_id,)) is not None


def require_batch(ledger: Ledger, batch_id: str) -> str:
    """The batch `batch_id` names, as the ledger spells it (case does not matter); refused
    with the closest ids ("did you mean …?") when there is none. The one place batch ids
    given by a person are resolved."""
    from kansen_cli.batch_names import find_batch, unknown_batch_message
    from kansen_cli.errors import NotFoundError

    if batch_exists(ledger, batch_id):
        return batch_id
    known = [str(r[0]) for r in ledger.query("SELECT batch_id FROM batches ORDER BY neighbourhood, seq")]
    found = find_batch(batch_id, known)
    if found is None:
        raise NotFoundError(unknown_batch_message(batch_id, known))
    return found


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


def first_batches(ledger: Ledger, count: int) -> list[str]:
    """The first batch of the first `count` neighbourhoods (alphabetical), e.g. for the demo."""
    return [
        str(row[0])
        for row in ledger.query(
            # A later round's batch shares its round-1 batch's seq: round 1 only.
            "SELECT batch_id FROM batches WHERE seq = 1 AND round = 1 ORDER BY neighbourhood LIMIT ?",
            (count,),
        )
    ]
