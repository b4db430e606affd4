"""The selection funnel (SPEC §5): every register row in exactly one bucket, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import SettingsError
from kansen_cli.i18n import _
from kansen_cli.settings import Exclusion

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

STANDARD_BUCKETS = ("invalid", "active_guidance", "care_team", "recent_contact", "already_approached")
SELECTED = "selected"


def bucket_order(exclusions: Sequence[Exclusion]) -> tuple[str, ...]:
    names = [e.bucket for e in exclusions]
    clash = [n for n in names if n in (*STANDARD_BUCKETS, SELECTED)] or [
        n for n in names if names.count(n) > 1
    ]
    if clash:
        raise SettingsError(
            _("selection.exclusions: bucket name {clash!r} is used twice or is a standard bucket").format(
                clash=clash[0]
            )
        )
    return (*STANDARD_BUCKETS, *names, SELECTED)


@dataclass
class Selection:
    """Bucket per register row (aligned with the register frame) and the funnel counts."""

    as_of: dt.date
    years: int
    buckets: pd.Series
    funnel: dict[str, int]

    @property
    def rows(self) -> int:
        return len(self.buckets)

    @property
    def selected(self) -> int:
        return self.funnel[SELECTED]

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: {"rows", "funnel", "selected"}."""
        return {"rows": self.rows, "funnel": dict(self.funnel), "selected": self.selected}


def window_start(as_of: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


def ages_on(birth: np.ndarray, as_of: dt.date) -> np.ndarray:
    """Whole years of age on `as_of`; -1 where the birth date is unknown."""
    import numpy as np

    days = birth.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month_day = (months.astype(np.int64) % 12 + 1) * 100 + (days - months).astype(np.int64) + 1
    before_birthday = (as_of.month * 100 + as_of.day) < month_day
    age = as_of.year - year - before_birthday
    return np.where(np.isnat(days), -1, age)


def select(
    people: pd.DataFrame,
    as_of: dt.date,
    years: int,
    approached: Collection[str],
    exclusions: Sequence[Exclusion] = (),
) -> Selection:
    """Put each row of a read register (`Register.people`) in its funnel bucket.

    `approached` holds the client ids already in a batch of this campaign.
    """
    import numpy as np
    import pandas as pd

    order = bucket_order(exclusions)
    n = len(people)
    bucket = np.full(n, "", dtype=object)
    open_ = np.ones(n, dtype=bool)

    def assign(mask: np.ndarray, name: str) -> None:
        nonlocal open_
        hit = open_ & mask
        bucket[hit] = name
        open_ &= ~hit

    cutoff = np.datetime64(window_start(as_of, years), "s")
    assign(people["invalid"].to_numpy(dtype=bool), "invalid")
    assign(people["active_guidance"].fillna(False).to_numpy(dtype=bool), "active_guidance")
    assign(people["care_team"].fillna(False).to_numpy(dtype=bool), "care_team")
    last_contact = people["last_contact"].to_numpy(dtype="datetime64[s]")
    last_guidance = people["last_guidance"].to_numpy(dtype="datetime64[s]")
    recent = (~np.isnat(last_contact) & (last_contact >= cutoff)) | (
        ~np.isnat(last_guidance) & (last_guidance >= cutoff)
    )
    assign(recent, "recent_contact")
    assign(_in_set(people["client_id"], approached), "already_approached")
    if exclusions:
        age = ages_on(people["birth_date"].to_numpy(dtype="datetime64[s]"), as_of)
        for rule in exclusions:
            mask = np.zeros(n, dtype=bool)
            if rule.min_age is not None:
                mask |= age >= rule.min_age
            if rule.max_age is not None:
                mask |= (age >= 0) & (age <= rule.max_age)
            assign(mask, rule.bucket)
    bucket[open_] = SELECTED
    series = pd.Series(pd.Categorical(bucket, categories=list(order)), index=people.index, name="bucket")
    counts = series.value_counts(sort=False)
    funnel = {name: int(counts.get(name, 0)) for name in order}
    return Selection(as_of=as_of, years=years, buckets=series, funnel=funnel)


def _in_set(ids: pd.Series, values: Collection[str]) -> np.ndarray:
    """Which ids are among `values`, compared as client numbers: Excel turns `0088403` into
    88403 when a CSV is re-saved, and that person must still count as approached.

    Done in Arrow: pandas' isin on Arrow strings loops in Python over `values`."""
    import numpy as np
    import pyarrow as pa

    if not len(values):
        return np.zeros(len(ids), dtype=bool)
    import pyarrow.compute as pc

    array = client_number_key(pa.array(ids.astype(object), type=pa.string(), from_pandas=True))
    known = client_number_key(pa.array(list(values), type=pa.string()))
    return pc.is_in(array, value_set=known).fill_null(False).to_numpy(zero_copy_only=False)


def client_number_key(ids: pa.Array) -> pa.Array:
    """Client ids for matching: all-digit ids without their leading zeros, others as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.match_substring_regex(ids, r"^[0-9]+$")
    stripped = pc.utf8_ltrim(ids, "0")
    stripped = pc.if_else(pc.equal(stripped, ""), pa.scalar("0"), stripped)
    return pc.if_else(digits, stripped, ids)
