"""Synthetic municipal benefit register (uitkeringsbestand export) for demos and tests.

Everything here is made up: names, addresses, client numbers and phone numbers
belong to nobody. The generator is pure (no printing, no files) and seeded, so
the same ``rows``/``seed``/``as_of``/``invalid_rows`` always give the same frame.
It is vectorised with numpy, so a 1,000,000-row register takes a few seconds.

What the data looks like, and why:

* **BSN.** Real BSNs must never appear in sample data, so only the test range
  ``99999xxxx`` is used. That range holds just 909 numbers that pass the
  elfproef (see :func:`test_bsns`). Each of them goes to at most one randomly
  chosen person; everybody else gets an empty BSN. No other 9-digit number is
  ever produced, and no invalid BSN is produced either.
* **Selection funnel.** Status columns are drawn so that the funnel of the
  product spec (active guidance, then WIJ-team, then recent contact within two
  years, then the rest) gives roughly 28 % / 8 % / 13 % / 51 %. Dates that
  decide "recent contact" stay at least 14 days away from the two-year boundary
  (``as_of`` minus two calendar years), so ``>=`` versus ``>`` or 730 versus
  731 days cannot change anyone's bucket. No contact date lies after ``as_of``.
* **Deliberately invalid rows.** ``invalid_rows`` rows (default ``rows // 2000``)
  each get exactly one realistic defect. The kinds rotate in this order over
  randomly placed rows: a postcode that is not a postcode (``"97XX"``), an
  unparseable text in "Datum laatste gesprek" (``"31-02-2019"``, ``"onbekend"``),
  an empty "Straat", and a "Klantnummer" copied from another row. So ``n``
  invalid rows contain ``(n + 3) // 4`` bad postcodes, ``(n + 2) // 4`` bad dates,
  ``(n + 1) // 4`` empty streets and ``n // 4`` duplicated client numbers (each
  copied from a different row). With ``invalid_rows=0`` every row is valid and
  client numbers are unique.
* **Types.** Text columns hold ``str`` (``""`` when empty, never NaN/None),
  "Huisnummer" holds ``int``, the four date columns hold ``datetime.date`` or
  ``None`` (plus the invalid text described above), so a writer can put real
  dates and numbers into XLSX and plain text into CSV.
* **Neighbourhoods.** Fourteen Groningen wijken of unequal size, each with its
  own 4-digit postcodes (real ones where known, e.g. Selwerd 9741 and Beijum
  9736/9737; plausible otherwise) and street names in the wijk's naming theme.
  A street always has the same 4-digit postcode and letters that rise with the
  house number, so sorting on postcode and house number walks along streets.

The modules: `tables` (wijken, streets, names, languages: data only), `draw` (weighted
choices and day numbers), one per group of columns in the order they are drawn (`people`,
`funnel`, `addresses`, `contact`, `bsns`), `defects` (the invalid rows), `generate` (the
register and the wijken table) and `letter_rows` (sample people as letter rows).
"""

from __future__ import annotations

from kansen_cli.sample.bsns import test_bsns
from kansen_cli.sample.generate import REGISTER_HEADERS, SAMPLE_AS_OF, generate_register, generate_wijken
from kansen_cli.sample.letter_rows import letter_people
from kansen_cli.sample.tables import NEIGHBOURHOODS

__all__ = [
    "NEIGHBOURHOODS",
    "REGISTER_HEADERS",
    "SAMPLE_AS_OF",
    "generate_register",
    "generate_wijken",
    "letter_people",
    "test_bsns",
]
