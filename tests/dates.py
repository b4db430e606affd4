"""The date the tests take as today, so that no verdict depends on the real calendar.

`conftest.py` puts it in `KANSEN_TODAY` for every command the tests run (in-process and in
subprocesses); tests lay out their dates relative to it and pass it to workflows as `today=`.
"""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 20)
