"""Neighbourhood batches and letter variants (SPEC §6): properties over generated registers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansen_cli.batching import batch_count, batch_overview, make_batches, slug

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

HOODS = ["Selwerd", "Vinkhuizen", "Corpus den Hoorn", "De Wijert", "Beijum"]
VARIANT_SETS = [["A", "B"], ["A", "B", "C"], ["X"]]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def registers(draw, max_size: int = 150):
    """Selected people: unique client ids, a wijk, a postcode and a house number (+ addition)."""
    n = draw(st.integers(0, max_size))
    hood_count = draw(st.integers(1, len(HOODS)))
    hoods = draw(st.lists(st.sampled_from(HOODS[:hood_count]), min_size=n, max_size=n))
    digits = draw(st.lists(st.integers(9700, 9749), min_size=n, max_size=n))
    letters = draw(st.lists(st.sampled_from(["AB", "AC", "XY", "ZZ"]), min_size=n, max_size=n))
    numbers = draw(st.lists(st.integers(1, 300), min_size=n, max_size=n))
    additions = draw(st.lists(st.sampled_from([None, "A", "B", "bis"]), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "client_id": pd.array([f"{i:07d}" for i in range(n)], dtype="string"),
            "neighbourhood": pd.array(hoods, dtype="string"),
            "postcode": pd.array([f"{d} {x}" for d, x in zip(digits, letters, strict=True)], dtype="string"),
            "house_number": pd.array(numbers, dtype="Int64"),
            "house_number_addition": pd.array(additions, dtype="string"),
        }
    )


sizes = st.integers(1, 60)
seeds = st.integers(0, 2**32 - 1)
variant_sets = st.sampled_from(VARIANT_SETS)


def expected_k(n: int, size: int) -> int:
    """k = max(1, round(n / size)) with halves rounded up, in integers only."""
    return max(1, (2 * n + size) // (2 * size))


@FAST
@given(registers(), sizes, seeds, variant_sets)
def test_every_person_in_exactly_one_batch(people, size, seed, variants):
    out = make_batches(people, size, seed, variants)
    assert len(out) == len(people)
    assert out["client_id"].is_unique
    assert set(out["client_id"]) == set(people["client_id"])
    # Each person's batch is in their own neighbourhood.
    merged = out.merge(people, on="client_id", suffixes=("", "_in"))
    assert (merged["neighbourhood"] == merged["neighbourhood_in"]).all()
    assert all(
        b.startswith(slug(h) + "-") for b, h in zip(out["batch_id"], out["neighbourhood"], strict=True)
    )


@FAST
@given(registers(), sizes, seeds, variant_sets)
def test_batch_count_and_sizes_per_neighbourhood(people, size, seed, variants):
    out = make_batches(people, size, seed, variants)
    per_hood = people["neighbourhood"].value_counts()
    batch_sizes = out.groupby(["neighbourhood", "batch_id"]).size()
    for hood, sizes_here in batch_sizes.groupby(level="neighbourhood"):
        n = int(per_hood[hood])
        assert len(sizes_here) == expected_k(n, size) == batch_count(n, size)
        assert sizes_here.max() - sizes_here.min() <= 1
    seqs = out.groupby("neighbourhood")["seq"].agg(["min", "max", "nunique"])
    assert (seqs["min"] == 1).all() and (seqs["max"] == seqs["nunique"]).all()


@FAST
@given(registers(), sizes, seeds, variant_sets)
def test_variants_balanced_within_each_batch(people, size, seed, variants):
    out = make_batches(people, size, seed, variants)
    assert set(out["variant"]) <= set(variants)
    if len(out):
        table = pd.crosstab(out["batch_id"], out["variant"]).reindex(columns=variants, fill_value=0)
        assert (table.max(axis=1) - table.min(axis=1) <= 1).all()


@FAST
@given(registers(), sizes, seeds, variant_sets, st.randoms(use_true_random=False))
def test_same_input_and_seed_same_batches(people, size, seed, variants, rnd):
    first = make_batches(people, size, seed, variants)
    second = make_batches(people, size, seed, variants)
    pd.testing.assert_frame_equal(first, second)
    # Row order of the register does not matter either.
    order = list(range(len(people)))
    rnd.shuffle(order)
    shuffled = make_batches(people.iloc[order].reset_index(drop=True), size, seed, variants)
    pd.testing.assert_frame_equal(first, shuffled)


@FAST
@given(registers(), sizes, seeds, seeds, variant_sets)
def test_another_seed_keeps_membership(people, size, seed, other, variants):
    first = make_batches(people, size, seed, variants).set_index("client_id")
    second = make_batches(people, size, other, variants).set_index("client_id")
    pd.testing.assert_frame_equal(
        first[["batch_id", "seq", "position"]], second.loc[first.index, ["batch_id", "seq", "position"]]
    )


def test_another_seed_changes_variants():
    people = registers_example(500)
    a = make_batches(people, 250, 1, ["A", "B"]).set_index("client_id")["variant"]
    b = make_batches(people, 250, 2, ["A", "B"]).set_index("client_id")["variant"]
    changed = (a != b.loc[a.index]).mean()
    assert 0.3 < changed < 0.7  # independent random draws: about half differ


@FAST
@given(registers(), sizes, seeds, variant_sets)
def test_batches_are_contiguous_in_route_order(people, size, seed, variants):
    out = make_batches(people, size, seed, variants).merge(
        people.drop(columns="neighbourhood"), on="client_id"
    )
    for _, group in out.groupby("neighbourhood"):
        # Independent route order: postcode, house number, addition (none first), client id.
        route = group.assign(_add=group["house_number_addition"].fillna("").str.upper()).sort_values(
            ["postcode", "house_number", "_add", "client_id"]
        )
        seq = route["seq"].to_numpy()
        assert (seq[1:] >= seq[:-1]).all()
        # Position numbers follow the route within each batch.
        expected = route.groupby("batch_id", sort=False).cumcount() + 1
        assert route["position"].tolist() == expected.tolist()


def registers_example(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": pd.array([f"{i:07d}" for i in range(n)], dtype="string"),
            "neighbourhood": pd.array([HOODS[i % 3] for i in range(n)], dtype="string"),
            "postcode": pd.array([f"97{i % 50:02d} AB" for i in range(n)], dtype="string"),
            "house_number": pd.array([i % 97 + 1 for i in range(n)], dtype="Int64"),
            "house_number_addition": pd.array([None] * n, dtype="string"),
        }
    )


@pytest.mark.parametrize(
    ("n", "size", "k"),
    [(1, 250, 1), (124, 250, 1), (374, 250, 1), (375, 250, 2), (625, 250, 3), (626, 250, 3), (1000, 250, 4)],
)
def test_batch_count_examples(n, size, k):
    assert batch_count(n, size) == k == expected_k(n, size)


def test_a_worked_example_by_hand():
    """Seven people in Selwerd, size 3: k = round(7 / 3) = 2 batches of 4 and 3 (the larger
    first), cut along the route 9741 AA 1, 2, 2A, 2b, 10, then 9741 AB 1, 3."""
    route = [("9741 AA", 1, None), ("9741 AA", 2, None), ("9741 AA", 2, "A"), ("9741 AA", 2, "b"),
             ("9741 AA", 10, None), ("9741 AB", 1, None), ("9741 AB", 3, None)]  # fmt: skip
    shuffled = [route[i] for i in (6, 2, 0, 5, 3, 1, 4)]
    people = pd.DataFrame(
        {
            "client_id": pd.array([f"c{pc[-2:]}{n}{a or ''}" for pc, n, a in shuffled], dtype="string"),
            "neighbourhood": pd.array(["Selwerd"] * 7, dtype="string"),
            "postcode": pd.array([pc for pc, _, _ in shuffled], dtype="string"),
            "house_number": pd.array([n for _, n, _ in shuffled], dtype="Int64"),
            "house_number_addition": pd.array([a for _, _, a in shuffled], dtype="string"),
        }
    )
    out = make_batches(people, 3, 5, ["A", "B"])
    assert out["client_id"].tolist() == ["cAA1", "cAA2", "cAA2A", "cAA2b", "cAA10", "cAB1", "cAB3"]
    assert out["batch_id"].tolist() == ["selwerd-1"] * 4 + ["selwerd-2"] * 3
    assert out["seq"].tolist() == [1, 1, 1, 1, 2, 2, 2]
    assert out["position"].tolist() == [1, 2, 3, 4, 1, 2, 3]
    assert sorted(out["variant"][:4]) == ["A", "A", "B", "B"]
    assert sorted(out["variant"][4:]) in (["A", "A", "B"], ["A", "B", "B"])


def test_ids_are_readable_and_continue_after_earlier_rounds():
    people = registers_example(30)
    out = make_batches(people, 5, 1, ["A", "B"], taken={"Selwerd": 2, "corpus den hoorn": 7})
    ids = set(out["batch_id"])
    assert "selwerd-3" in ids and "selwerd-1" not in ids
    assert "vinkhuizen-1" in ids
    assert "corpus-den-hoorn-8" in ids


def test_spellings_of_one_neighbourhood_share_one_numbering():
    people = registers_example(12)
    people.loc[people.index[::2], "neighbourhood"] = "selwerd"
    people.loc[people.index[1::2], "neighbourhood"] = "Selwerd"
    out = make_batches(people, 6, 1, ["A", "B"])
    assert sorted(set(out["batch_id"])) == ["selwerd-1", "selwerd-2"]
    assert out["neighbourhood"].nunique() == 1


def test_slug():
    assert slug("Corpus den Hoorn") == "corpus-den-hoorn"
    assert slug("Oosterparkwijk / De Hoogte") == "oosterparkwijk-de-hoogte"
    assert slug("Hoogkerk-Zuid ") == "hoogkerk-zuid"
    assert slug("Café 't Ëiland") == "cafe-t-eiland"
    assert slug("???") == "wijk"


def test_empty_input():
    out = make_batches(registers_example(0), 250, 1, ["A", "B"])
    assert out.empty
    assert batch_overview(out, ["A", "B"]) == []


def test_overview_counts():
    people = registers_example(30)
    out = make_batches(people, 5, 3, ["A", "B"])
    overview = batch_overview(out, ["A", "B"])
    assert sum(row["size"] for row in overview) == 30
    assert all(row["A"] + row["B"] == row["size"] for row in overview)
    assert [row["batch"] for row in overview][:2] == ["corpus-den-hoorn-1", "corpus-den-hoorn-2"]


def test_batch_refuses_a_variant_without_a_letter_template(invoke, campaign, small_register):
    # --force: the fixture's folder has a kansen.toml with the defaults already.
    assert invoke("init", campaign, "--force").exit_code == 0
    settings = campaign / "kansen.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('B = "Voorstel', 'C = "Derde variant"\nB = "Voorstel'), encoding="utf-8")
    assert invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0
    result = invoke("batch", "-c", campaign)
    assert result.exit_code == 1
    assert "no letter template for C" in result.stderr
    exported = invoke("export", "batches", "-c", campaign)
    assert exported.stdout.strip().count("\n") == 0  # header only: nobody was batched


def _last_if_missing(value):
    """Sort key of a plain implementation: missing values after every present one."""
    return (value is None, value if value is not None else 0)


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Selwerd", "selwerd", "Oosterpoort", "Ëiland", "De Wijert"]),
            st.one_of(st.none(), st.sampled_from(["9741 AA", "9741 AB", "9742 ZZ", "9741 aa", "9741 ÄB"])),
            st.one_of(st.none(), st.integers(1, 12)),
            st.one_of(st.none(), st.sampled_from(["a", "A", "b", "ß", "bis", "é", "Z", "😀"])),
        ),
        max_size=60,
    )
)
def test_route_order_matches_a_plain_sort(rows):
    """The whole order, missing values and non-ASCII text included, equals Python's sorted()
    on (wijk slug, postcode, house number, addition upper-cased with none first, client id)."""
    people = pd.DataFrame(
        {
            "client_id": pd.array([f"c{len(rows) - i:03d}é" for i in range(len(rows))], dtype="string"),
            "neighbourhood": pd.array([r[0] for r in rows], dtype="string"),
            "postcode": pd.array([r[1] for r in rows], dtype="string"),
            "house_number": pd.array([r[2] for r in rows], dtype="Int64"),
            "house_number_addition": pd.array([r[3] for r in rows], dtype="string"),
        }
    )
    expected = sorted(
        (
            slug(hood),
            _last_if_missing(postcode),
            _last_if_missing(number),
            (addition or "").upper(),
            f"c{len(rows) - i:03d}é",
        )
        for i, (hood, postcode, number, addition) in enumerate(rows)
    )
    out = make_batches(people, 7, 1, ["A", "B"])
    assert out["client_id"].tolist() == [key[-1] for key in expected]
