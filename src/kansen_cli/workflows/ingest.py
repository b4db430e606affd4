"""`kansen ingest`: validate returned workbooks of any kind and load them, one transaction per file.

The kind of each file is looked up in `workbooks.registry` by its hidden marker; the kind
reads what the rows are checked against, plans the changes and writes them. A file with any
problem loads nothing unless `skip_invalid`; loading the same file again changes nothing.

No silent undo (issue 15). A kind refuses a row that would lose later work (a partner's
result, follow-up calls) unless `force`, which reaches the kind's rules as the `force` field
of its context. And an older copy is told: every workbook's marker holds `created_at`, when
it was written, and the ledger every file loaded and when. A file that would change answers
while other files of its kind and batch were loaded after it was written gets a warning naming
them. Which copy is older cannot be told from the file (a copy keeps the `created_at` of the
workbook it copies, and a file's modification time does not survive e-mail), so the warning
comes with every such change and says what happens if this copy is the older one: its answers
replace the newer ones, the replaced values going to the ledger's history. What must not be
lost that way is refused as above.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.i18n import _, ngettext
from kansen_cli.workbooks.plan import COUNT_KEYS

if TYPE_CHECKING:
    from kansen_cli.ledger import Ledger
    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.progress import OnProgress
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.plan import IngestPlan
    from kansen_cli.workbooks.reading import FilledWorkbook


@dataclass
class FileResult:
    """What became of one file: its kind, whether it loaded, the counts and every problem."""

    file: str
    kind: str
    batch_id: str | None
    loaded: bool
    file_problem: bool  # a problem with the file itself, which --skip-invalid cannot help
    counts: dict[str, int]
    problems: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, plan: IngestPlan, loaded: bool, warnings: list[str] | None = None) -> FileResult:
        counts = plan.counts(loaded=loaded)
        if not loaded:
            # Nothing of the file loaded: every filled row counts as rejected.
            counts["rejected"] = len(plan.changes) + len(plan.rejected_rows)
        return cls(
            plan.file,
            plan.kind,
            plan.batch_id,
            loaded,
            plan.file_level,
            counts,
            plan.problems.as_list(),
            warnings or [],
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "batch_id": self.batch_id,
            "loaded": self.loaded,
            "file_problem": self.file_problem,
            **self.counts,
            "problems": self.problems,
            "warnings": self.warnings,
        }


@dataclass
class IngestResult:
    files: list[FileResult]
    skip_invalid: bool

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(f.counts[key] for f in self.files) for key in COUNT_KEYS}

    @property
    def not_loaded(self) -> list[str]:
        return [f.file for f in self.files if not f.loaded]

    @property
    def warnings(self) -> list[str]:
        return [w for f in self.files for w in f.warnings]

    @property
    def force_would_help(self) -> bool:
        """Some row was refused because it would undo later work."""
        return any(p["kind"] == "would_undo" for f in self.files for p in f.problems)

    @property
    def skip_invalid_would_help(self) -> bool:
        """Some file was refused for its rows only, and --skip-invalid was not given."""
        return not self.skip_invalid and not all(f.file_problem for f in self.files if not f.loaded)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.totals,
            "files": [f.as_json() for f in self.files],
            "not_loaded": self.not_loaded,
            "warnings": self.warnings,
        }


def run(
    campaign: Path,
    settings: Settings,
    files: Sequence[Path],
    today: dt.date,
    skip_invalid: bool = False,
    on_wait: WaitNotice | None = None,
    force: bool = False,
    on_progress: OnProgress | None = None,
) -> IngestResult:
    """Ingest `files` in order; dates after `today` are refused. `on_wait` is called once if
    another command holds the ledger. `force` replaces answers later work depends on.
    `on_progress` is told (files done, files) after each file."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.progress import report

    results: list[FileResult] = []
    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        report(on_progress, 0, len(files))
        for path in files:
            results.append(ingest_file(ledger, path, settings, today, skip_invalid, force))
            report(on_progress, len(results), len(files))
    return IngestResult(results, skip_invalid)


def ingest_file(
    ledger: Ledger, path: Path, settings: Settings, today: dt.date, skip_invalid: bool, force: bool = False
) -> FileResult:
    """Read, check and load one file; a file that cannot be read is a file-level problem."""
    from kansen_cli.errors import KansenError
    from kansen_cli.workbooks.plan import IngestPlan
    from kansen_cli.workbooks.reading import read_filled

    try:
        filled = read_filled(path)
    except KansenError as exc:
        plan = IngestPlan(Path(path).name, "", "", None, file_level=True)
        plan.problems.add(Path(path).name, None, None, None, "file", str(exc))
        return FileResult.of(plan, loaded=False)
    warnings: list[str] = []
    plan, loaded = load_file(ledger, filled, settings, today, skip_invalid, force, warnings)
    return FileResult.of(plan, loaded=loaded, warnings=warnings)


def load_file(
    ledger: Ledger,
    filled: FilledWorkbook,
    settings: Settings,
    today: dt.date,
    skip_invalid: bool,
    force: bool = False,
    warnings: list[str] | None = None,
) -> tuple[IngestPlan, bool]:
    """Validate one read workbook against the ledger and load it: one transaction.

    The ledger is read inside the same transaction that writes, so two ingests running at
    once cannot both plan against the same old state. Returns the plan and whether it loaded.
    A test may set KANSEN_TEST_PAUSE_IN_TRANSACTION (see `ledger.core`) to kill `ingest` here.
    """
    from kansen_cli.ledger.ingests import write_plan
    from kansen_cli.workbooks.plan import FileRefused
    from kansen_cli.workbooks.registry import KINDS

    kind = KINDS[filled.kind]  # read_marker refused any kind not registered
    with ledger.transaction() as db:
        try:
            context = kind.read_context(ledger, filled, today)
        except FileRefused as refused:
            return refused.plan(filled), False
        plan = kind.plan(filled, _forced(context) if force else context, settings)
        if warnings is not None:
            warnings.extend(older_copy_warnings(db, filled, plan))
            warnings.extend(plan.notes)
        if not plan.loadable(skip_invalid):
            return plan, False
        write_plan(db, plan, kind.write)
    return plan, True


def _forced(context: Any) -> Any:
    """The kind's context with `force` set, for kinds whose rules know it (a dataclass field)."""
    from dataclasses import fields, is_dataclass, replace

    if is_dataclass(context) and any(f.name == "force" for f in fields(context)):
        return replace(context, force=True)  # type: ignore[type-var]
    return context


def older_copy_warnings(db: sqlite3.Connection, filled: FilledWorkbook, plan: IngestPlan) -> list[str]:
    """A warning when the file changes answers and files of its kind and batch loaded since it was written."""
    from kansen_cli.ledger.ingests import loaded_since

    written = str(filled.meta.get("created_at") or "")
    refused = {p["row"] for p in plan.problems.as_list() if p["kind"] == "would_undo"}
    changed = sum(1 for c in plan.changes if c.action == "updated") + len(refused)
    if not written or not changed:
        return []
    since = loaded_since(db, plan.kind, plan.batch_id, written, plan.sha256)
    if not since:
        return []
    names = ", ".join(
        _("{file} (loaded {moment})").format(file=name, moment=_moment(at)) for name, at in since
    )
    return [
        ngettext(
            "{file}: this workbook was written on {moment} and since then {names} was loaded.",
            "{file}: this workbook was written on {moment} and since then {names} were loaded.",
            len(since),
        ).format(file=plan.file, moment=_moment(written), names=names)
        + " "
        + ngettext(
            "If this is an older copy, its {count} changed answer replaces a newer one (the replaced"
            " value is kept in the ledger's history); answers that later work depends on are refused.",
            "If this is an older copy, its {count} changed answers replace newer ones (the replaced"
            " values are kept in the ledger's history); answers that later work depends on are refused.",
            changed,
        ).format(count=changed)
    ]


def _moment(stamp: str) -> str:
    """A stored timestamp (ISO) as people read it: the day as the language writes it, and the time."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16].replace("T", " ")
    return f"{i18n.day(moment.date())} {moment:%H:%M}"
