"""The council figures: every table of `kansen report`, built from the ledger's frames.

Pure: takes the frames (`ledger.reporting.ReportData`) and the settings, returns a `Report` of
named tables with Dutch titles and labels plus the JSON dict. Rendering lives in
`report_render`, charts in `charts`.

Every count has a key, and the same figure in two tables (the number approached in the reach
table, the variant table and the funnel) has the same key. Registering a key twice with two
different values, or an `Equation` (a total and its parts) that does not add up, raises
`ReportInconsistent`: Groningen's interim evaluation printed 350 referrals in one table and 344
in another, and a council letter must not. The same equations drive `--publish` suppression.

Populations and periods:
- reach and variants: people approached (a letter sent) with `sent_on` in the period;
  response rate = spoken / (approached − not applicable);
- outcomes, activity types, location: people spoken to with the conversation date in the
  period; referrals, follow-up and became-active belong to those same conversations;
- the funnel's first steps (register rows and people selected of the latest selection run, and
  people selected by any run when that differs) do not depend on the period; from "approached" on
  it follows one cohort, the people approached in the period, whenever they were later spoken to,
  referred or became active.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kansen_cli.errors import ReportInconsistent
from kansen_cli.suppression import Equation, suppress

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.reporting import ReportData
    from kansen_cli.settings import Settings

Key = Hashable
Kind = Literal["label", "count", "pct", "stat", "blank"]
NONE = "_none"  # no result / no classification / unknown yet
SEP = ";"  # several-valued answers in the ledger are ';'-joined codes


@dataclass
class Cell:
    """One cell: a label, a count (with its key), a percentage or statistic (with its inputs)."""

    kind: Kind
    value: Any = None
    key: Key | None = None
    inputs: tuple[Key, ...] = ()
    base: int | None = None  # denominator of a percentage (publish rule)
    hidden: bool = False
    digits: int = 1  # decimals when rendered
    exact: float | None = None  # a rate as an unrounded fraction, for JSON
    bold: bool = False

    @property
    def shown(self) -> Any:
        """The value as published: None when hidden."""
        return None if self.hidden else self.value


@dataclass
class Table:
    """A table with a machine name (sheet, JSON), a Dutch title, Dutch column headers and rows."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    tables: list[Table]
    data: dict[str, Any]
    title: str
    subtitle: str
    published: bool
    empty: bool  # nobody approached in the period: the tables are all zeros
    counts: dict[Key, int] = field(default_factory=dict)  # every count by key, before suppression
    equations: list[Equation] = field(default_factory=list)  # the sums the checks and --publish use
    hidden: set[Key] = field(default_factory=set)  # keys suppressed by --publish

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def _label(text: str, bold: bool = False) -> Cell:
    return Cell("label", text, bold=bold)


def _blank() -> Cell:
    return Cell("blank")


def _codes(known: Iterable[str], seen: Iterable[Any]) -> list[str]:
    """Codebook order, then any code in the data the codebook no longer lists (never dropped)."""
    order = list(known)
    extra = sorted({str(c) for c in seen if isinstance(c, str) and c and c not in order})
    return order + extra


def _split(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(SEP) if part.strip()]


def _groups(frame: pd.DataFrame, column: str) -> dict[Any, pd.DataFrame]:
    """`{value: frame[frame[column] == value]}` for every value, in one pass: filtering the
    whole frame once per batch is quadratic (4,000 batches of a million letters)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(frame[column])
    order = np.argsort(codes, kind="stable")  # stable: each group keeps the frame's row order
    ordered = frame.iloc[order]
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {
        value: ordered.iloc[bounds[i] : bounds[i + 1]]
        for i, value in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))
    }


def _isin(series: pd.Series, values: Iterable[Any]) -> Any:
    """`series.isin(values)` for client ids, in Arrow: pandas' isin on Arrow strings loops in
    Python over `values` (11 s for half a million ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.is_in(
            pa.array(series, type=pa.string(), from_pandas=True),
            value_set=pa.array(list(values), type=pa.string(), from_pandas=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas knows what to do
        return series.isin(values).to_numpy()
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _clean(series: pd.Series) -> pd.Series:
    """Codes as text, with missing or empty replaced by NONE."""
    return series.astype(object).where(series.notna() & (series.astype(str).str.strip() != ""), NONE)


class _Builder:
    """Collects counts by key (checking that repeated figures agree) and the equations."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.where: dict[Key, str] = {}
        self.equations: list[Equation] = []
        self.labels: dict[Key, str] = {}

    def count(self, key: Key, value: int, table: str, label: str) -> Cell:
        value = int(value)
        if key in self.values and self.values[key] != value:
            raise ReportInconsistent(
                f"'{label}' is {value} in table '{table}' but {self.values[key]} "
                f"as '{self.labels[key]}' in table '{self.where[key]}'"
            )
        self.values.setdefault(key, value)
        self.where.setdefault(key, table)
        self.labels.setdefault(key, label)
        return Cell("count", value, key=key)

    def equation(self, total: Key, parts: Sequence[Key]) -> None:
        self.equations.append(Equation(total, tuple(parts)))

    def check(self) -> None:
        for eq in self.equations:
            parts = sum(self.values[p] for p in eq.parts)
            if parts != self.values[eq.total]:
                raise ReportInconsistent(
                    f"'{self.labels[eq.total]}' in table '{self.where[eq.total]}' is "
                    f"{self.values[eq.total]}, but its parts add up to {parts}"
                )


def pct(count: int, base: int, inputs: Sequence[Key]) -> Cell:
    """A percentage (None without base), remembering what it is made of."""
    exact = count / base if base > 0 else None
    value = None if exact is None else round(100 * exact, 1)
    return Cell("pct", value, inputs=tuple(inputs), base=base, exact=exact)


def build_report(
    data: ReportData,
    settings: Settings,
    start: dt.date | None = None,
    end: dt.date | None = None,
    batch: str | None = None,
    publish: bool = False,
) -> Report:
    """All tables and the JSON for one period (and optionally one batch)."""
    from kansen_cli import stats

    cb = settings.codebook
    roles = cb.roles
    b = _Builder()
    tables: list[Table] = []

    # ---- reach: the letter cohort -----------------------------------------------------------
    letters = data.letters.copy()
    letters["contact_result"] = _clean(letters["contact_result"])
    contact_codes = _codes(cb.contact_result, letters["contact_result"])
    contact_codes = [c for c in contact_codes if c != NONE] + [NONE]
    # Column headers use the label without its explanation in brackets: "Vervallen (verhuisd …)".
    contact_label = {code: label.split(" (")[0] for code, label in cb.contact_result.items()}
    contact_label[NONE] = "Nog geen resultaat"
    na_codes = [c for c in roles.not_applicable if c in contact_codes]

    def reach_counts(frame: pd.DataFrame) -> dict[str, int]:
        if len(frame) < 10_000:
            # A batch: counting a few hundred values in Python beats value_counts' fixed cost,
            # which adds up to seconds over thousands of batches.
            tally = Counter(frame["contact_result"].tolist())
            return {code: int(tally.get(code, 0)) for code in contact_codes}
        counts = frame["contact_result"].value_counts()
        return {code: int(counts.get(code, 0)) for code in contact_codes}

    def reach_row(
        scope: Key, label_cells: list[Cell], frame: pd.DataFrame, table: str, bold: bool
    ) -> list[Cell]:
        counts = reach_counts(frame)
        approached_key = ("reach", scope, "_approached")
        cells = [b.count(approached_key, len(frame), table, "Benaderd")]
        for code in contact_codes:
            cells.append(b.count(("reach", scope, code), counts[code], table, contact_label.get(code, code)))
        b.equation(approached_key, [("reach", scope, c) for c in contact_codes])
        base = len(frame) - sum(counts[c] for c in na_codes)
        cells.append(
            pct(
                counts.get(roles.spoken, 0),
                base,
                [approached_key, ("reach", scope, roles.spoken), *(("reach", scope, c) for c in na_codes)],
            )
        )
        for cell in label_cells:
            cell.bold = bold
        return label_cells + cells

    reach_columns = ["Benaderd", *(contact_label.get(c, c) for c in contact_codes), "Respons (%)"]
    keyed = ["_approached", *contact_codes]
    by_nbh = Table(
        "bereik_wijk", "Bereik per wijk (brieven verstuurd in de periode)", ["Wijk", *reach_columns]
    )
    neighbourhoods = sorted(letters["neighbourhood"].dropna().unique())
    letters_by_nbh = _groups(letters, "neighbourhood")
    for nbh in neighbourhoods:
        by_nbh.rows.append(reach_row(("wijk", nbh), [_label(nbh)], letters_by_nbh[nbh], by_nbh.name, False))
    by_nbh.rows.append(reach_row("all", [_label("Totaal")], letters, by_nbh.name, True))
    for column in keyed:
        b.equation(("reach", "all", column), [("reach", ("wijk", n), column) for n in neighbourhoods])
    leaving = " − ".join(contact_label[c].lower() for c in na_codes)
    by_nbh.notes.append(
        f"Respons = gesproken / (benaderd − {leaving})." if na_codes else "Respons = gesproken / benaderd."
    )
    by_nbh.notes.append(
        "Alle kolommen gaan over wie in de periode een brief kreeg, met het resultaat tot nu "
        "(ook een gesprek na de periode)."
    )
    tables.append(by_nbh)

    by_batch = Table("bereik_batch", "Bereik per batch", ["Batch", "Wijk", *reach_columns])
    with_letters = set(letters["batch_id"])  # once: inside the comprehension it is rebuilt per batch
    batch_ids = [x for x in data.batches["batch_id"] if x in with_letters]
    batch_ids += sorted(with_letters - set(batch_ids))
    batch_nbh: dict[str, str] = {}
    letters_by_batch = _groups(letters, "batch_id")
    for batch_id in batch_ids:
        frame = letters_by_batch[batch_id]
        batch_nbh[batch_id] = str(frame["neighbourhood"].iloc[0])
        by_batch.rows.append(
            reach_row(
                ("batch", batch_id),
                [_label(batch_id), _label(batch_nbh[batch_id])],
                frame,
                by_batch.name,
                False,
            )
        )
    by_batch.rows.append(reach_row("all", [_label("Totaal"), _blank()], letters, by_batch.name, True))
    for column in keyed:
        b.equation(("reach", "all", column), [("reach", ("batch", x), column) for x in batch_ids])
        for nbh in neighbourhoods:
            members = [x for x in batch_ids if batch_nbh[x] == nbh]
            b.equation(("reach", ("wijk", nbh), column), [("reach", ("batch", x), column) for x in members])
    tables.append(by_batch)

    # ---- letter variants ----------------------------------------------------------------------
    variant_codes = _codes(settings.letters.variants, letters["variant"])
    na_header = contact_label[na_codes[0]] if len(na_codes) == 1 else "Niet meer van toepassing"
    spoken_header = contact_label.get(roles.spoken, roles.spoken)
    variants = Table(
        "varianten",
        "Briefvarianten: respons met 95%-betrouwbaarheidsinterval (Wilson)",
        ["Variant", "Benaderd", na_header, spoken_header, "Respons (%)", "BI laag (%)", "BI hoog (%)"],
    )
    variant_counts: dict[str, tuple[int, int, int]] = {}
    for code in variant_codes:
        frame = letters[letters["variant"] == code]
        counts = reach_counts(frame)
        na = sum(counts[c] for c in na_codes)
        spoken = counts.get(roles.spoken, 0)
        variant_counts[code] = (len(frame), na, spoken)
        keys = [("variant", code, "approached"), ("variant", code, "na"), ("variant", code, "spoken")]
        row = [
            _label(code),
            b.count(keys[0], len(frame), variants.name, f"Benaderd variant {code}"),
            b.count(keys[1], na, variants.name, f"{na_header} variant {code}"),
            b.count(keys[2], spoken, variants.name, f"{spoken_header} variant {code}"),
        ]
        prop = stats.wilson(spoken, len(frame) - na)
        row += _rate_cells(prop, keys)
        variants.rows.append(row)
    total_keys = [("reach", "all", "_approached"), ("variant", "all", "na"), ("reach", "all", roles.spoken)]
    total_na = sum(v[1] for v in variant_counts.values())
    total_spoken = sum(v[2] for v in variant_counts.values())
    total_approached = sum(v[0] for v in variant_counts.values())
    variants.rows.append(
        [
            _label("Totaal", bold=True),
            b.count(total_keys[0], total_approached, variants.name, "Benaderd"),
            b.count(total_keys[1], total_na, variants.name, na_header),
            b.count(total_keys[2], total_spoken, variants.name, spoken_header),
            *_rate_cells(stats.wilson(total_spoken, total_approached - total_na), total_keys),
        ]
    )
    for i, part in enumerate(("approached", "na", "spoken")):
        b.equation(total_keys[i], [("variant", c, part) for c in variant_codes])
    b.equation(("variant", "all", "na"), [("reach", "all", c) for c in na_codes])
    variants.notes.append(
        f"Respons = {spoken_header.lower()} / (benaderd − {na_header.lower()}); "
        "BI = 95%-betrouwbaarheidsinterval volgens Wilson."
    )
    tables.append(variants)

    comparison = Table(
        "varianten_verschil",
        "Verschil tussen briefvarianten",
        ["Vergelijking", "Verschil (procentpunt)", "BI laag", "BI hoog", "p-waarde"],
    )
    comparison_json: list[dict[str, Any]] = []
    first = variant_codes[0]
    k1_n1 = variant_counts[first]
    for other in variant_codes[1:]:
        k2_n2 = variant_counts[other]
        diff = stats.difference(first, k1_n1[2], k1_n1[0] - k1_n1[1], other, k2_n2[2], k2_n2[0] - k2_n2[1])
        inputs = tuple(("variant", v, p) for v in (first, other) for p in ("approached", "na", "spoken"))
        bases = min(k1_n1[0] - k1_n1[1], k2_n2[0] - k2_n2[1])
        comparison.rows.append(
            [
                _label(f"{first} − {other}"),
                _stat(diff.difference, inputs, bases, scale=100),
                _stat(diff.ci_low, inputs, bases, scale=100),
                _stat(diff.ci_high, inputs, bases, scale=100),
                _stat(diff.p_value, inputs, bases, digits=3),
            ]
        )
        comparison_json.append(
            {
                "first": first,
                "second": other,
                "difference": diff.difference,
                "ci_low": diff.ci_low,
                "ci_high": diff.ci_high,
                "p_value": diff.p_value,
                "_cells": comparison.rows[-1][1:],
            }
        )
    stratified_json: list[dict[str, Any]] = []
    stratified = Table(
        "varianten_per_batch",
        "Briefvarianten vergeleken binnen batches (Cochran–Mantel–Haenszel)",
        ["Vergelijking", "Batches", "Odds ratio", "BI laag (odds ratio)", "BI hoog (odds ratio)", "p-waarde"],
    )
    if len(batch_ids) > 1:
        for other in variant_codes[1:]:
            strata = []
            for batch_id in batch_ids:
                frame = letters_by_batch[batch_id]
                row_counts = []
                for code in (first, other):
                    part = frame[frame["variant"] == code]
                    counts = reach_counts(part)
                    nobs = len(part) - sum(counts[c] for c in na_codes)
                    row_counts += [counts.get(roles.spoken, 0), nobs]
                strata.append((row_counts[0], row_counts[1], row_counts[2], row_counts[3]))
            cmh = stats.stratified(first, other, strata)
            # Computed from the per-batch counts: under --publish it goes when any batch's count
            # (or a variant's) is hidden, as a percentage goes with its hidden numerator.
            cmh_inputs = tuple(
                ("reach", ("batch", x), c)
                for x in batch_ids
                for c in ("_approached", roles.spoken, *na_codes)
            ) + tuple(("variant", v, p) for v in (first, other) for p in ("approached", "na", "spoken"))
            cmh_base = min(k1_n1[0] - k1_n1[1], variant_counts[other][0] - variant_counts[other][1])
            stratified.rows.append(
                [
                    _label(f"{first} / {other}"),
                    _label(str(cmh.strata)),
                    _stat(cmh.odds_ratio, cmh_inputs, cmh_base, digits=2),
                    _stat(cmh.ci_low, cmh_inputs, cmh_base, digits=2),
                    _stat(cmh.ci_high, cmh_inputs, cmh_base, digits=2),
                    _stat(cmh.p_value, cmh_inputs, cmh_base, digits=3),
                ]
            )
            stratified_json.append(
                {
                    "first": first,
                    "second": other,
                    "strata": cmh.strata,
                    "odds_ratio": cmh.odds_ratio,
                    "ci_low": cmh.ci_low,
                    "ci_high": cmh.ci_high,
                    "p_value": cmh.p_value,
                    "_cells": stratified.rows[-1][2:],
                }
            )
    comparison.notes.append(
        "Verschil in respons met Newcombe-interval en score-toets (statsmodels); de vergelijking "
        "binnen batches staat in de volgende tabel."
    )
    stratified.notes.append(
        "Gemeenschappelijke odds ratio van respons (eerste variant ten opzichte van de tweede) over de "
        "batches, met 95%-betrouwbaarheidsinterval en p-waarde (Cochran–Mantel–Haenszel, statsmodels); "
        "corrigeert voor verschillen tussen batches. Een odds ratio boven 1: de eerste variant doet het "
        "beter. Geen verschil in procentpunten."
    )
    if len(variant_codes) > 1:
        tables.append(comparison)
        if stratified.rows:
            tables.append(stratified)

    # ---- outcomes: conversations in the period -----------------------------------------------
    outcomes = data.outcomes.copy()
    outcomes = outcomes[outcomes["contact_result"] == roles.spoken].copy()
    outcomes["classification"] = _clean(outcomes["classification"])
    outcomes["participation_potential"] = _clean(outcomes["participation_potential"])
    outcomes["location"] = _clean(outcomes["location"])
    spoken_ids = set(outcomes["client_id"])
    fixed = [roles.active, roles.work_potential, roles.not_active]
    class_codes = _codes(fixed + [c for c in cb.classification if c not in fixed], outcomes["classification"])
    class_codes = [c for c in class_codes if c != NONE] + (
        [NONE] if (outcomes["classification"] == NONE).any() else []
    )
    class_label = {**cb.classification, NONE: "Geen classificatie"}
    with_potential = (roles.active, roles.not_active)
    pot_parts = (("zelf", roles.potential_self), ("steun", roles.potential_support))
    out_table = Table(
        "uitkomsten",
        "Uitkomsten van de gesprekken (gesprekken in de periode)",
        [
            "Uitkomst",
            "Aantal",
            cb.participation_potential[roles.potential_self],
            cb.participation_potential[roles.potential_support],
            "Participatiepotentieel",
        ],
    )
    for code in class_codes:
        frame = outcomes[outcomes["classification"] == code]
        row = [
            _label(class_label.get(code, code)),
            b.count(("out", code, "n"), len(frame), out_table.name, class_label.get(code, code)),
        ]
        if code in with_potential:
            for part, pcode in pot_parts:
                row.append(
                    b.count(
                        ("out", code, part),
                        int((frame["participation_potential"] == pcode).sum()),
                        out_table.name,
                        f"{class_label[code]}: {cb.participation_potential[pcode]}",
                    )
                )
            potential = int(frame["participation_potential"].isin([p for _, p in pot_parts]).sum())
            row.append(
                b.count(("out", code, "pot"), potential, out_table.name, f"{class_label[code]}: potentieel")
            )
            b.equation(("out", code, "pot"), [("out", code, "zelf"), ("out", code, "steun")])
        else:
            row += [_blank(), _blank(), _blank()]
        out_table.rows.append(row)
    total_row = [
        _label("Totaal gesproken", bold=True),
        b.count(("out", "all", "n"), len(outcomes), out_table.name, "Totaal gesproken"),
    ]
    total_parts: list[tuple[str, str | None]] = [*pot_parts, ("pot", None)]
    for part, total_code in total_parts:
        codes: list[str] = [p for _, p in pot_parts] if total_code is None else [total_code]
        value = int(
            (
                outcomes["classification"].isin(with_potential)
                & outcomes["participation_potential"].isin(codes)
            ).sum()
        )
        total_row.append(b.count(("out", "all", part), value, out_table.name, f"Totaal {part}"))
        b.equation(("out", "all", part), [("out", c, part) for c in with_potential])
    out_table.rows.append(total_row)
    b.equation(("out", "all", "n"), [("out", c, "n") for c in class_codes])
    b.equation(("out", "all", "pot"), [("out", "all", "zelf"), ("out", "all", "steun")])
    out_table.notes.append(
        "Participatiepotentieel: maatschappelijk actieven die meer willen doen en niet-actieven die "
        "actief willen worden, zelf of met ondersteuning."
    )
    tables.append(out_table)

    out_nbh = Table(
        "uitkomsten_wijk",
        "Uitkomsten per wijk (gesprekken in de periode)",
        ["Wijk", "Gesproken in de periode", *(class_label.get(c, c) for c in class_codes)],
    )
    out_nbh.notes.append(
        "Gesproken in de periode: gesprekken met een gespreksdatum in de periode. De bereiktabellen "
        "tellen bij 'gesproken' wie in de periode een brief kreeg, ook als het gesprek later was."
    )
    out_neighbourhoods = sorted(outcomes["neighbourhood"].dropna().unique())
    outcomes_by_nbh = _groups(outcomes, "neighbourhood")
    for nbh in out_neighbourhoods:
        frame = outcomes_by_nbh[nbh]
        row = [_label(nbh), b.count(("outw", nbh, "n"), len(frame), out_nbh.name, f"Gesproken {nbh}")]
        for code in class_codes:
            row.append(
                b.count(
                    ("outw", nbh, code),
                    int((frame["classification"] == code).sum()),
                    out_nbh.name,
                    f"{code} {nbh}",
                )
            )
        b.equation(("outw", nbh, "n"), [("outw", nbh, c) for c in class_codes])
        out_nbh.rows.append(row)
    row = [
        _label("Totaal", bold=True),
        b.count(("out", "all", "n"), len(outcomes), out_nbh.name, "Totaal gesproken"),
    ]
    for code in class_codes:
        row.append(
            b.count(
                ("out", code, "n"),
                int((outcomes["classification"] == code).sum()),
                out_nbh.name,
                class_label.get(code, code),
            )
        )
        b.equation(("out", code, "n"), [("outw", n, code) for n in out_neighbourhoods])
    b.equation(("out", "all", "n"), [("outw", n, "n") for n in out_neighbourhoods])
    out_nbh.rows.append(row)
    tables.append(out_nbh)

    active = outcomes[outcomes["classification"] == roles.active]
    activity_lists = active["activity_types"].map(_split)
    seen_types = [t for codes in activity_lists for t in codes]
    activity = Table(
        "activiteiten",
        "Soort activiteiten van de maatschappelijk actieven (meer dan één mogelijk)",
        ["Activiteit", "Aantal"],
    )
    activity_json: dict[str, Any] = {}
    for code in _codes(cb.activity_types, seen_types):
        value = sum(1 for codes in activity_lists if code in codes)
        activity.rows.append(
            [_label(cb.activity_types.get(code, code)), b.count(("act", code), value, activity.name, code)]
        )
        activity_json[code] = ("act", code)
    activity.rows.append(
        [
            _label("Maatschappelijk actieven", bold=True),
            b.count(("out", roles.active, "n"), len(active), activity.name, class_label[roles.active]),
        ]
    )
    tables.append(activity)

    location = Table("locatie", "Plaats van de gesprekken", ["Plaats", "Aantal"])
    loc_codes = _codes(cb.location, outcomes["location"])
    loc_codes = [c for c in loc_codes if c != NONE] + ([NONE] if (outcomes["location"] == NONE).any() else [])
    location_json: dict[str, Any] = {}
    for code in loc_codes:
        value = int((outcomes["location"] == code).sum())
        key = ("loc", code)
        cell = b.count(key, value, location.name, code)
        location.rows.append([_label(cb.location.get(code, "Onbekend" if code == NONE else code)), cell])
        location_json["onbekend" if code == NONE else code] = key
    location.rows.append(
        [
            _label("Totaal gesproken", bold=True),
            b.count(("out", "all", "n"), len(outcomes), location.name, "Totaal"),
        ]
    )
    b.equation(("out", "all", "n"), [("loc", c) for c in loc_codes])
    tables.append(location)

    # ---- referrals ------------------------------------------------------------------------------
    refs = data.referrals[_isin(data.referrals["client_id"], spoken_ids)].copy()
    refs["result"] = _clean(refs["result"])
    result_codes = _codes(cb.referral_result, refs["result"])
    result_codes = [c for c in result_codes if c != NONE] + [NONE]
    result_label = {**cb.referral_result, NONE: "Nog geen resultaat"}
    # What the conversations recorded (outcomes.referrals) against the referral records.
    recorded = [
        (cid, code)
        for cid, codes in zip(outcomes["client_id"], outcomes["referrals"], strict=True)
        for code in _split(codes)
    ]
    dest_codes = _codes(cb.referrals, list(refs["destination"]) + [c for _, c in recorded])
    referrals = Table(
        "verwijzingen",
        "Verwijzingen per bestemming en hun resultaat",
        ["Bestemming", "Verwijzingen", *(result_label.get(c, c) for c in result_codes)],
    )
    referrals_json: dict[str, Any] = {}
    results_json: dict[str, Any] = {}
    for code in dest_codes:
        frame = refs[refs["destination"] == code]
        in_outcomes = sum(1 for _, c in recorded if c == code)
        if in_outcomes != len(frame):
            raise ReportInconsistent(
                f"referrals to '{code}': {in_outcomes} recorded with the conversations but "
                f"{len(frame)} referral records; re-ingest the sheets so both agree"
            )
        label = cb.referrals.get(code, code)
        row = [_label(label), b.count(("ref", code, "n"), len(frame), referrals.name, label)]
        for res in result_codes:
            row.append(
                b.count(
                    ("ref", code, res),
                    int((frame["result"] == res).sum()),
                    referrals.name,
                    f"{label}: {res}",
                )
            )
        b.equation(("ref", code, "n"), [("ref", code, r) for r in result_codes])
        referrals.rows.append(row)
        referrals_json[code] = ("ref", code, "n")
        results_json[code] = {r: ("ref", code, r) for r in result_codes}
    row = [
        _label("Totaal", bold=True),
        b.count(("ref", "all", "n"), len(refs), referrals.name, "Totaal verwijzingen"),
    ]
    for res in result_codes:
        row.append(b.count(("ref", "all", res), int((refs["result"] == res).sum()), referrals.name, res))
        b.equation(("ref", "all", res), [("ref", c, res) for c in dest_codes])
    referrals.rows.append(row)
    b.equation(("ref", "all", "n"), [("ref", c, "n") for c in dest_codes])
    b.equation(("ref", "all", "n"), [("ref", "all", r) for r in result_codes])
    referrals.rows.append(
        [
            _label("Verwezen personen"),
            b.count(("funnel", "referred"), refs["client_id"].nunique(), referrals.name, "Verwezen personen"),
            *(_blank() for _ in result_codes),
        ]
    )
    referrals.notes.append("Eén persoon kan naar meer dan één bestemming verwezen zijn.")
    tables.append(referrals)

    # ---- follow-up --------------------------------------------------------------------------------
    calls = data.followups[_isin(data.followups["client_id"], spoken_ids)]
    latest = calls.sort_values(["client_id", "round"]).groupby("client_id", sort=True).tail(1)
    fu_codes = _codes(cb.followup_result, latest["result"])
    followup = Table("nabellen", "Nabellen (laatste ronde per persoon)", ["Resultaat", "Personen"])
    followup_json: dict[str, Any] = {}
    for code in fu_codes:
        label = cb.followup_result.get(code, code)
        followup.rows.append(
            [
                _label(label),
                b.count(("fu", code), int((latest["result"] == code).sum()), followup.name, label),
            ]
        )
        followup_json[code] = ("fu", code)
    no_contact = int((latest["result"] == roles.followup_no_contact).sum())
    followup.rows.append(
        [
            _label("Gebeld", bold=True),
            b.count(("fu", "_called"), calls["client_id"].nunique(), followup.name, "Gebeld"),
        ]
    )
    followup.rows.append(
        [
            _label("Bereikt", bold=True),
            b.count(("fu", "_reached"), len(latest) - no_contact, followup.name, "Bereikt"),
        ]
    )
    b.equation(("fu", "_called"), [("fu", c) for c in fu_codes])
    b.equation(("fu", "_called"), [("fu", "_reached"), ("fu", roles.followup_no_contact)])
    tables.append(followup)

    # ---- became active ------------------------------------------------------------------------
    via = set(refs.loc[refs["result"] == roles.referral_started, "client_id"])
    own_all = set(latest.loc[latest["result"] == roles.followup_became_active, "client_id"])
    own = own_all - via  # someone who started via a referral counts there, once
    became = Table("actief_geworden", "Actief geworden", ["Route", "Personen"])
    became.rows += [
        [
            _label("Via een verwijzing"),
            b.count(("active", "via"), len(via), became.name, "Via een verwijzing"),
        ],
        [
            _label("Op eigen kracht (nabellen)"),
            b.count(("active", "own"), len(own), became.name, "Op eigen kracht"),
        ],
        [
            _label("Totaal", bold=True),
            b.count(("funnel", "active"), len(via | own_all), became.name, "Totaal actief geworden"),
        ],
    ]
    b.equation(("funnel", "active"), [("active", "via"), ("active", "own")])
    became.notes.append(
        f"Via een verwijzing: resultaat '{cb.referral_result[roles.referral_started]}'; op eigen kracht: "
        f"nabelresultaat '{cb.followup_result[roles.followup_became_active]}'. "
        "Wie beide heeft, telt één keer."
    )
    tables.append(became)

    # ---- funnel ---------------------------------------------------------------------------------
    funnel = Table("trechter", "Van register tot actief", ["Stap", "Personen"])
    # One cohort: the people approached in the period, followed through whenever they were spoken
    # to, referred or became active (the outcome tables count conversations in the period instead).
    cohort = set(letters["client_id"])
    cohort_refs = data.referrals[_isin(data.referrals["client_id"], cohort)]
    cohort_calls = data.followups[_isin(data.followups["client_id"], cohort)]
    cohort_latest = cohort_calls.sort_values(["client_id", "round"]).groupby("client_id", sort=True).tail(1)
    cohort_via = set(cohort_refs.loc[_clean(cohort_refs["result"]) == roles.referral_started, "client_id"])
    cohort_own = set(cohort_latest.loc[cohort_latest["result"] == roles.followup_became_active, "client_id"])
    steps: list[tuple[str, str, Key, int | None]] = [
        (
            "register",
            "Regels in het register (laatste selectie)",
            ("funnel", "register"),
            data.register_rows,
        ),
        (
            "selected",
            "Geselecteerd (laatste selectie)" if batch is None else "In de batch",
            ("funnel", "selected"),
            data.selected,
        ),
    ]
    if data.selected_ever is not None and data.selected_ever != data.selected:
        # Letters can go to people an earlier selection run chose: without this row the funnel
        # could narrow and widen again.
        steps.append(
            (
                "selected_ever",
                "Ooit geselecteerd (alle selecties)",
                ("funnel", "selected_ever"),
                data.selected_ever,
            )
        )
    steps += [
        (
            "approached",
            "Benaderd (brief verstuurd in de periode)",
            ("reach", "all", "_approached"),
            len(letters),
        ),
        (
            "spoken",
            "Van hen gesproken",
            ("reach", "all", roles.spoken),
            int((letters["contact_result"] == roles.spoken).sum()),
        ),
        (
            "referred",
            "Van hen verwezen",
            ("funnel", "cohort_referred"),
            int(cohort_refs["client_id"].nunique()),
        ),
        ("active", "Van hen actief geworden", ("funnel", "cohort_active"), len(cohort_via | cohort_own)),
    ]
    funnel_json: list[tuple[str, Key]] = []
    for step, label, step_key, step_value in steps:
        if step_value is None:
            continue
        funnel.rows.append([_label(label), b.count(step_key, step_value, funnel.name, label)])
        funnel_json.append((step, step_key))
    ever = " (ooit geselecteerd: alle selecties samen)" if any(s[0] == "selected_ever" for s in steps) else ""
    funnel.notes.append(
        f"Register en selectie: de laatste selectie{ever}. Vanaf "
        "'benaderd' één groep: wie in de periode een brief kreeg, gevolgd tot nu (gesprek, verwijzing "
        "en actief worden ook als die na de periode vielen). De tabellen met uitkomsten tellen "
        "gesprekken in de periode en kunnen daarom afwijken."
    )
    tables.append(funnel)

    # ---- checks, suppression -----------------------------------------------------------------
    if start is None and end is None:
        # Without a period the letter cohort's 'spoken' and the conversations are the same people,
        # so a reader can equate the two tables: tell the suppression so.
        pairs: list[tuple[Key, Key]] = [(("reach", "all", roles.spoken), ("out", "all", "n"))]
        pairs += [(("reach", ("wijk", n), roles.spoken), ("outw", n, "n")) for n in out_neighbourhoods]
        pairs += [(("funnel", "referred"), ("funnel", "cohort_referred"))]
        pairs += [(("funnel", "active"), ("funnel", "cohort_active"))]
        for left, right in pairs:
            if left in b.values and right in b.values and b.values[left] == b.values[right]:
                b.equation(left, [right])
    b.check()
    hidden: set[Key] = set()
    if publish:
        hidden = suppress(b.values, b.equations, settings.report.publish_threshold)
        _apply_publish(tables, hidden, settings.report.min_denominator)
        for item in comparison_json:
            if any(cell.hidden for cell in item["_cells"]):
                item.update(difference=None, ci_low=None, ci_high=None, p_value=None)
        for item in stratified_json:
            if any(cell.hidden for cell in item["_cells"]):
                item.update(odds_ratio=None, ci_low=None, ci_high=None, p_value=None)

    def get(key: Key) -> int | None:
        return None if key in hidden else b.values[key]

    def rate_of(row: list[Cell], index: int) -> float | None:
        cell = row[index]
        return None if cell.hidden or cell.exact is None else round(cell.exact, 4)

    reach_all = by_nbh.rows[-1]
    json_data: dict[str, Any] = {
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "batch": batch,
        "published": publish,
        "approached": get(("reach", "all", "_approached")),
        "spoken": get(("reach", "all", roles.spoken)),
        "response_rate": rate_of(reach_all, -1),
        "contact_results": {
            ("geen_resultaat" if c == NONE else c): get(("reach", "all", c)) for c in contact_codes
        },
        "outcomes": {
            "maatschappelijk_actief": get(("out", roles.active, "n")),
            "arbeidspotentieel": get(("out", roles.work_potential, "n")),
            "niet_actief": get(("out", roles.not_active, "n")),
        },
        "spoken_in_period": get(("out", "all", "n")),
        "participation_potential": {
            "active": {
                "zelf": get(("out", roles.active, "zelf")),
                "met_ondersteuning": get(("out", roles.active, "steun")),
            },
            "not_active": {
                "zelf": get(("out", roles.not_active, "zelf")),
                "met_ondersteuning": get(("out", roles.not_active, "steun")),
            },
            "total": get(("out", "all", "pot")),
        },
        "activity_types": {code: get(key) for code, key in activity_json.items()},
        "location": {code: get(key) for code, key in location_json.items()},
        "referrals": {code: get(key) for code, key in referrals_json.items()},
        "referrals_total": get(("ref", "all", "n")),
        "referred_people": get(("funnel", "referred")),
        "referral_results": {
            code: {("geen_resultaat" if r == NONE else r): get(k) for r, k in res.items()}
            for code, res in results_json.items()
        },
        "followup": {
            "called": get(("fu", "_called")),
            "reached": get(("fu", "_reached")),
            "results": {code: get(key) for code, key in followup_json.items()},
        },
        "became_active": {
            "via_referral": get(("active", "via")),
            "on_own": get(("active", "own")),
            "total": get(("funnel", "active")),
        },
        "funnel": [{"step": name, "count": get(key)} for name, key in funnel_json],
        "by_neighbourhood": [
            _reach_json(
                "neighbourhood",
                n,
                ("wijk", n),
                by_nbh.rows[i],
                contact_codes,
                roles.spoken,
                get,
                rate_of,
                _outcome_getter(n, out_neighbourhoods, roles, get),
            )
            for i, n in enumerate(neighbourhoods)
        ],
        "by_batch": [
            _reach_json(
                "batch",
                x,
                ("batch", x),
                by_batch.rows[i],
                contact_codes,
                roles.spoken,
                get,
                rate_of,
                {"neighbourhood": batch_nbh[x]},
            )
            for i, x in enumerate(batch_ids)
        ],
        "by_variant": [
            {
                "variant": code,
                "approached": get(("variant", code, "approached")),
                "not_applicable": get(("variant", code, "na")),
                "spoken": get(("variant", code, "spoken")),
                "response_rate": rate_of(variants.rows[i], 4),
                "ci_low": rate_of(variants.rows[i], 5),
                "ci_high": rate_of(variants.rows[i], 6),
            }
            for i, code in enumerate(variant_codes)
        ],
        "variant_comparison": [{k: v for k, v in item.items() if k != "_cells"} for item in comparison_json],
        "variant_stratified": [{k: v for k, v in item.items() if k != "_cells"} for item in stratified_json],
    }
    period = _period_text(start, end)
    subtitle = f"{settings.campaign.municipality}, {period}" + (f", batch {batch}" if batch else "")
    if publish:
        subtitle += (
            f"; voor publicatie: aantallen onder {settings.report.publish_threshold} en wat ze zou "
            f"verraden zijn vervangen door x, percentages alleen bij een basis van ten minste "
            f"{settings.report.min_denominator}"
        )
    return Report(
        tables=tables,
        data=json_data,
        title=f"{settings.campaign.name}: rapportage",
        subtitle=subtitle,
        published=publish,
        empty=len(data.letters) == 0,
        counts=dict(b.values),
        equations=list(b.equations),
        hidden=hidden,
    )


def _rate_cells(prop: Any, inputs: Sequence[Key]) -> list[Cell]:
    base = prop.nobs
    values = [prop.rate, prop.ci_low, prop.ci_high]
    return [
        Cell("pct", None if v is None else round(100 * v, 1), inputs=tuple(inputs), base=base, exact=v)
        for v in values
    ]


def _stat(value: float | None, inputs: Sequence[Key], base: int, scale: float = 1, digits: int = 1) -> Cell:
    shown = None if value is None else round(value * scale, digits)
    return Cell("stat", shown, inputs=tuple(inputs), base=base, digits=digits)


def _outcome_getter(nbh: str, known: list[str], roles: Any, get: Any) -> dict[str, Any]:
    if nbh not in known:
        return {"spoken_in_period": 0, "maatschappelijk_actief": 0, "arbeidspotentieel": 0, "niet_actief": 0}
    return {
        "spoken_in_period": get(("outw", nbh, "n")),
        "maatschappelijk_actief": get(("outw", nbh, roles.active)),
        "arbeidspotentieel": get(("outw", nbh, roles.work_potential)),
        "niet_actief": get(("outw", nbh, roles.not_active)),
    }


def _reach_json(
    name: str,
    value: str,
    scope: Key,
    row: list[Cell],
    contact_codes: list[str],
    spoken_code: str,
    get: Any,
    rate_of: Any,
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: value,
        "approached": get(("reach", scope, "_approached")),
        "spoken": get(("reach", scope, spoken_code)),
        "response_rate": rate_of(row, -1),
        "contact_results": {
            ("geen_resultaat" if code == NONE else code): get(("reach", scope, code))
            for code in contact_codes
        },
    }
    if extra is not None:
        out.update(extra)
    return out


def _period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "alle gegevens"
    if start is None:
        return f"tot en met {end:%d-%m-%Y}"
    if end is None:
        return f"vanaf {start:%d-%m-%Y}"
    return f"{start:%d-%m-%Y} tot en met {end:%d-%m-%Y}"


def _apply_publish(tables: list[Table], hidden: set[Key], min_denominator: int) -> None:
    """Hide the suppressed counts, and every percentage or statistic that would reveal one."""
    for table in tables:
        for row in table.rows:
            for cell in row:
                if (cell.kind == "count" and cell.key in hidden) or (
                    cell.kind in ("pct", "stat")
                    and cell.inputs
                    and (any(k in hidden for k in cell.inputs) or (cell.base or 0) < min_denominator)
                ):
                    cell.hidden = True
