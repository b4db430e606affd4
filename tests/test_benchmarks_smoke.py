"""`make bench` in miniature: every benchmark script runs end to end and every ratio is printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN_ALL = Path(__file__).parent.parent / "benchmarks" / "run_all.py"


@pytest.mark.slow
def test_run_all_quick_prints_every_ratio(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN_ALL), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KANSEN_BENCH_DATA": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = done.stdout.split("\nSummary")[1]
    for what in (
        "select+batch",
        "check xlsx",
        "letters, 1 worker vs bare WeasyPrint",
        "letters, 2 workers faster than 1",
        "report",
        "status",
        "startup report --json on the demo",
        "startup status on the demo",
        "kansen --help",
    ):
        line = next((x for x in summary.splitlines() if x.strip().startswith(what)), None)
        assert line is not None, f"no {what!r} in the summary:\n{summary}"
        assert re.search(r"\d+\.\d+(x| s)", line), line
    # The generated data went to the folder given, not into the checkout.
    assert any((tmp_path / "data").iterdir())
