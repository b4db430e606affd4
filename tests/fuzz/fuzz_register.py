"""Long-running coverage-guided fuzzing of the register reader and the workbook reader (atheris).

Not run by pytest (the hypothesis tests in tests/test_fuzz.py are). To run for an hour:

    pip install atheris
    python tests/fuzz/fuzz_register.py -max_total_time=3600 -max_len=65536
    python tests/fuzz/fuzz_register.py --target=ingest -max_total_time=3600

Any exception other than KansenError is a finding: atheris stops and writes the input as
crash-<hash>; add it to tests/fixtures/bad/ with the behaviour it should have.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    from kansen_cli.errors import KansenError
    from kansen_cli.register import read_register
    from kansen_cli.workbooks.reading import read_filled

FOLDER = Path(tempfile.mkdtemp(prefix="kansen-fuzz-"))
TARGET = "ingest" if "--target=ingest" in sys.argv else "register"


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = provider.PickValueInList([".csv", ".xlsx"]) if TARGET == "register" else ".xlsx"
    path = FOLDER / f"input{suffix}"
    path.write_bytes(provider.ConsumeBytes(provider.remaining_bytes()))
    try:
        if TARGET == "register":
            read_register(path, need_birth_date=True)
        else:
            read_filled(path)
    except KansenError:
        pass


def main() -> None:
    argv = [a for a in sys.argv if not a.startswith("--target=")]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
