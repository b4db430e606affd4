"""A campaign ledger at national scale for bench_report, built directly with SQL bulk inserts.

The schema is kansen's own (`open_ledger` creates and migrates it); the rows are generated
with NumPy (seeded) in proportions like the model programme's: half of the register selected,
batches of 250, a letter to every batched person, an outcome for nine in ten letters of which
about half are conversations, referrals for some of those who consented, and follow-up calls.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import DATA

BATCH_SIZE = 250
WIJKEN = 40


def _choice(rng, codes: list[str], weights: list[float], n: int):
    import numpy as np

    p = np.asarray(weights, dtype=float)
    return np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n, p=p / p.sum())]


def build(campaign: Path, people: int, seed: int = 2015) -> None:
    """Write a ledger with `people` selected and batched people into `campaign`."""
    import numpy as np

    from kansen_cli.ledger import open_ledger
    from kansen_cli.settings import Settings

    cb = Settings().codebook
    roles = cb.roles
    rng = np.random.default_rng(seed)
    n = people
    stamp = "2027-06-01T12:00:00+02:00"
    ids = np.array([f"K{i:08d}" for i in range(n)], dtype=object)  # sorted: primary-key order
    wijk_names = np.array([f"Wijk {i:02d}" for i in range(WIJKEN)], dtype=object)
    wijk = np.sort(rng.integers(0, WIJKEN, size=n))
    hood = wijk_names[wijk]
    # Batches of ~250 within each wijk, in id order.
    starts = np.flatnonzero(np.r_[True, wijk[1:] != wijk[:-1]])
    within = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    seq = within // BATCH_SIZE + 1
    slugs = np.array([f"wijk-{i:02d}" for i in range(WIJKEN)], dtype=object)
    batch_id = slugs[wijk] + "-" + seq.astype(str).astype(object)
    position = within % BATCH_SIZE + 1
    variant = np.where(rng.random(n) < 0.5, "A", "B").astype(object)
    first_of_batch = np.flatnonzero(np.r_[True, batch_id[1:] != batch_id[:-1]])

    base = np.datetime64("2026-10-05")
    sent = base + (first_of_batch.searchsorted(np.arange(n), side="right") - 1) % 300
    sent_on = sent.astype(str).astype(object)
    has_outcome = rng.random(n) < 0.9
    contact = _choice(
        rng, list(cb.contact_result), [0.55, 0.10, 0.15, 0.15, 0.05][: len(cb.contact_result)], n
    )
    spoken = has_outcome & (contact == roles.spoken)
    conv_date = (sent + rng.integers(7, 30, size=n)).astype(str).astype(object)
    classification = _choice(rng, list(cb.classification), [0.35, 0.15, 0.50], n)
    active = spoken & (classification == roles.active)
    potential = _choice(rng, list(cb.participation_potential), [0.4, 0.3, 0.3], n)
    consent = _choice(rng, list(cb.consent), [0.6, 0.4], n)
    activity_codes = list(cb.activity_types)
    activities = np.full(n, "", dtype=object)
    picks = rng.random((n, len(activity_codes))) < 0.35
    for j, code in enumerate(activity_codes):
        mask = active & picks[:, j]
        activities[mask] = np.where(activities[mask] == "", code, activities[mask] + ";" + code)
    referral_codes = list(cb.referrals)
    referred = spoken & (consent == roles.consent_yes) & (rng.random(n) < 0.3)
    destination = np.asarray(referral_codes, dtype=object)[rng.integers(0, len(referral_codes), size=n)]

    campaign.mkdir(parents=True, exist_ok=True)
    # A campaign folder (kansen.toml, default settings): kansen makes a ledger nowhere else.
    (campaign / "kansen.toml").write_text("# benchmark campaign: default settings\n")
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        register_rows = 2 * n
        funnel = {"invalid": n // 100, "active_guidance": n // 2, "care_team": n // 4}
        funnel["recent_contact"] = register_rows - n - sum(funnel.values())
        funnel["already_approached"] = 0
        funnel["selected"] = n
        db.execute(
            "INSERT INTO selection_runs VALUES (1, ?, '2026-10-01', 2, 'register.csv', ?, '{}', ?, ?, ?)",
            (stamp, "0" * 64, register_rows, json.dumps(funnel), n),
        )
        buckets = np.repeat(np.array(list(funnel), dtype=object), list(funnel.values()))
        rng.shuffle(buckets)
        selected_rows = np.flatnonzero(buckets == "selected")
        row_ids = np.full(register_rows, None, dtype=object)
        row_ids[selected_rows] = ids
        others = np.flatnonzero(buckets != "selected")
        row_ids[others] = np.array([f"X{i:08d}" for i in range(len(others))], dtype=object)
        row_hood = wijk_names[rng.integers(0, WIJKEN, size=register_rows)]
        row_hood[selected_rows] = hood
        db.executemany(
            "INSERT INTO run_rows VALUES (1, ?, ?, ?, ?)",
            zip(
                range(2, register_rows + 2),
                row_ids.tolist(),
                row_hood.tolist(),
                buckets.tolist(),
                strict=True,
            ),
        )
        house = rng.integers(1, 200, size=n)
        db.executemany(
            "INSERT INTO people (client_id, initials, surname, street, house_number, postcode, city,"
            " neighbourhood, birth_date, run_id) VALUES (?, 'A.', 'Jansen', 'Dorpsstraat', ?, ?,"
            " 'Groningen', ?, '1970-01-01', 1)",
            zip(
                ids.tolist(),
                house.tolist(),
                [f"97{w:02d} AB" for w in wijk.tolist()],
                hood.tolist(),
                strict=True,
            ),
        )
        db.executemany(
            "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at, invited_on)"
            " VALUES (?, ?, ?, 1, 2015, ?, ?)",
            zip(
                batch_id[first_of_batch].tolist(),
                hood[first_of_batch].tolist(),
                seq[first_of_batch].tolist(),
                [stamp] * len(first_of_batch),
                sent_on[first_of_batch].tolist(),
                strict=True,
            ),
        )
        db.executemany(
            "INSERT INTO batch_members VALUES (?, ?, ?, ?)",
            zip(ids.tolist(), batch_id.tolist(), position.tolist(), variant.tolist(), strict=True),
        )
        db.executemany(
            "INSERT INTO letters VALUES (?, ?, ?, ?, ?)",
            zip(
                ids.tolist(), batch_id.tolist(), variant.tolist(), sent_on.tolist(), [stamp] * n, strict=True
            ),
        )
        # Every letter is a contact attempt too, as `kansen letters` records it.
        db.executemany(
            "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, source_file,"
            " loaded_at) VALUES (?, ?, 1, 'letter', ?, 'letters', ?)",
            zip(ids.tolist(), batch_id.tolist(), sent_on.tolist(), [stamp] * n, strict=True),
        )
        o = np.flatnonzero(has_outcome)

        def when(values, mask):
            out = np.asarray(values, dtype=object).copy()
            out[~mask] = None
            return out[o].tolist()

        db.executemany(
            "INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registratie.xlsx', ?, ?)",
            zip(
                ids[o].tolist(),
                batch_id[o].tolist(),
                contact[o].tolist(),
                when(conv_date, spoken),
                when(np.where(rng.random(n) < 0.8, "thuis", "elders").astype(object), spoken),
                when(classification, spoken),
                activities[o].tolist(),
                when(potential, spoken & ~active),
                np.where(referred, destination, "").astype(object)[o].tolist(),
                when(consent, spoken),
                ["0" * 64] * len(o),
                [stamp] * len(o),
                strict=True,
            ),
        )
        r = np.flatnonzero(referred)
        db.executemany(
            "INSERT INTO referrals VALUES (?, ?, ?, ?, ?, 'registratie.xlsx', ?)",
            zip(
                ids[r].tolist(),
                destination[r].tolist(),
                np.asarray(conv_date)[r].tolist(),
                _choice(rng, list(cb.referral_result)[:5], [0.4, 0.2, 0.2, 0.1, 0.1], len(r)).tolist(),
                np.asarray(conv_date)[r].tolist(),
                [stamp] * len(r),
                strict=True,
            ),
        )
        called = spoken & ~active & (rng.random(n) < 0.6)
        f = np.flatnonzero(called)
        second = f[rng.random(len(f)) < 0.6]
        rows = sorted(
            [(i, 1) for i in f.tolist()] + [(i, 2) for i in second.tolist()],
        )
        results = _choice(rng, list(cb.followup_result)[:5], [0.15, 0.1, 0.25, 0.3, 0.2], len(rows))
        db.executemany(
            "INSERT INTO followups (client_id, round, call_date, result, source_file, loaded_at)"
            " VALUES (?, ?, ?, ?, 'opvolging.xlsx', ?)",
            (
                (ids[i], rnd, str(dt.date(2027, 3, 1) + dt.timedelta(days=i % 90)), result, stamp)
                for (i, rnd), result in zip(rows, results.tolist(), strict=True)
            ),
        )


def report_campaign(people: int, seed: int = 2015) -> Path:
    """The benchmark campaign with `people` people, built once and kept under benchmarks/.data."""
    campaign = DATA / f"report-campaign-{people}-{seed}"
    done = campaign / ".complete"
    if not done.exists():
        import shutil

        shutil.rmtree(campaign, ignore_errors=True)
        build(campaign, people, seed)
        done.write_text("ok\n")
    return campaign


if __name__ == "__main__":
    import time

    began = time.perf_counter()
    print(report_campaign(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
    print(f"{time.perf_counter() - began:.1f} s")
