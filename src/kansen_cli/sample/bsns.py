"""Test BSNs: real BSNs must never appear in sample data, so only the range ``99999xxxx`` is
used, and only its 909 numbers that pass the elfproef."""

from __future__ import annotations

import functools

import numpy as np
from stdnum.nl import bsn as _bsn

from kansen_cli.sample.draw import ObjArray, objects


@functools.lru_cache(maxsize=1)
def _valid_test_bsns() -> tuple[str, ...]:
    numbers = (f"99999{i:04d}" for i in range(10_000))
    return tuple(n for n in numbers if _bsn.is_valid(n))


def test_bsns() -> list[str]:
    """All 9-digit test BSNs ``99999xxxx`` that pass the elfproef, sorted.

    These are the only BSNs the sample generator hands out (909 of them).
    """
    return list(_valid_test_bsns())


# Not a pytest test, even when imported into a test module by name.
setattr(test_bsns, "__test__", False)  # noqa: B010


def assign_bsns(rng: np.random.Generator, n: int) -> ObjArray:
    """Each valid test BSN to at most one random person; the rest get ""."""
    valid = objects(list(_valid_test_bsns()))
    holders = min(n, valid.shape[0])
    out = np.full(n, "", dtype=object)
    if holders:
        people = rng.choice(n, size=holders, replace=False)
        out[people] = rng.permutation(valid)[:holders]
    return out
