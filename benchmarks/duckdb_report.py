"""The reference for bench_report: the council report's aggregates in DuckDB, from the same ledger.

DuckDB's SQLite scanner is an extension it downloads on first use, and the benchmark machine
has no internet, so the tables are read with Python's sqlite3 (the same SELECTs kansen's
report runs), handed to DuckDB as Arrow tables, and aggregated there: reach per wijk, per
batch and per letter variant, conversation outcomes per wijk (classification, location,
participation potential, activity types, referrals), referral results, follow-up results.
Usage: python benchmarks/duckdb_report.py CAMPAIGN
"""

from __future__ import annotations

import json
import sqlite3
import sys

import duckdb
import pyarrow as pa

QUERIES = {
    "letters": "SELECT l.client_id, l.batch_id, b.neighbourhood, l.variant, l.sent_on, o.contact_result"
    " FROM letters l JOIN batches b ON b.batch_id = l.batch_id"
    " LEFT JOIN outcomes o ON o.client_id = l.client_id ORDER BY l.client_id",
    "outcomes": "SELECT o.client_id, o.batch_id, b.neighbourhood, o.contact_result, o.conversation_date,"
    " o.location, o.classification, o.activity_types, o.participation_potential, o.referrals"
    " FROM outcomes o JOIN batches b ON b.batch_id = o.batch_id ORDER BY o.client_id",
    "referrals": "SELECT r.client_id, r.destination, r.result FROM referrals r"
    " JOIN batch_members m ON m.client_id = r.client_id JOIN batches b ON b.batch_id = m.batch_id"
    " ORDER BY r.client_id, r.destination",
    "followups": "SELECT f.client_id, f.round, f.call_date, f.result FROM followups f"
    " JOIN batch_members m ON m.client_id = f.client_id JOIN batches b ON b.batch_id = m.batch_id"
    " ORDER BY f.client_id, f.round",
    "batches": "SELECT b.batch_id, b.neighbourhood FROM batches b ORDER BY b.neighbourhood, b.seq",
}

AGGREGATES = {
    "reach_wijk": "SELECT neighbourhood, coalesce(contact_result, '-') AS r, count(*)"
    " FROM letters GROUP BY ALL",
    "reach_batch": "SELECT batch_id, coalesce(contact_result, '-') AS r, count(*) FROM letters GROUP BY ALL",
    "reach_variant": "SELECT batch_id, variant, coalesce(contact_result, '-') AS r, count(*)"
    " FROM letters GROUP BY ALL",
    "outcomes_wijk": "SELECT neighbourhood, classification, location, participation_potential, count(*)"
    " FROM outcomes WHERE contact_result = 'gesproken' GROUP BY ALL",
    "activities": "SELECT a, count(*) FROM (SELECT unnest(string_split(activity_types, ';')) AS a"
    " FROM outcomes WHERE activity_types <> '') GROUP BY ALL",
    "referral_codes": "SELECT a, count(*) FROM (SELECT unnest(string_split(referrals, ';')) AS a"
    " FROM outcomes WHERE referrals <> '') GROUP BY ALL",
    "referral_results": "SELECT destination, result, count(*) FROM referrals"
    " WHERE client_id IN (SELECT client_id FROM outcomes WHERE contact_result = 'gesproken') GROUP BY ALL",
    "followup_results": "SELECT round, result, count(*) FROM followups"
    " WHERE client_id IN (SELECT client_id FROM outcomes WHERE contact_result = 'gesproken') GROUP BY ALL",
}


def main(campaign: str) -> None:
    source = sqlite3.connect(f"{campaign}/kansen.sqlite")
    duck = duckdb.connect()
    for name, sql in QUERIES.items():
        cursor = source.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
        duck.register(name, pa.table({n: pa.array(c) for n, c in zip(names, columns, strict=True)}))
    result = {name: len(duck.execute(sql).fetchall()) for name, sql in AGGREGATES.items()}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
