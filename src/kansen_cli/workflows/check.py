"""`kansen check`: read a register export and say what it holds; the ledger is not touched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kansen_cli.progress import OnProgress
    from kansen_cli.register import Register
    from kansen_cli.settings import Settings


@dataclass(frozen=True)
class ReadOptions:
    """How to read an export when detection is not enough (the options of `check` and `select`)."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    wijken: Path | None = None


def read_export(
    path: Path, settings: Settings, options: ReadOptions, on_progress: OnProgress | None = None
) -> Register:
    """The register as `select` reads it, so that a file that passes `check` also selects."""
    from kansen_cli.register import read_register

    return read_register(
        path,
        settings.register_.columns,
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        wijken=options.wijken,
        need_birth_date=settings.selection.needs_birth_date(),
        on_progress=on_progress,
    )


@dataclass(frozen=True)
class CheckResult:
    summary: dict[str, Any]  # rows, columns mapped, problems by kind (`checking.check_summary`)

    def as_json(self) -> dict[str, Any]:
        return self.summary


def run(
    register: Path,
    settings: Settings,
    options: ReadOptions = ReadOptions(),
    on_progress: OnProgress | None = None,
) -> CheckResult:
    """Read and validate `register`; row problems are listed, a missing required column raises."""
    from kansen_cli.checking import check_summary

    return CheckResult(check_summary(read_export(register, settings, options, on_progress)))
