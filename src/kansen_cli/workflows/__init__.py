"""Workflows: one plain function per command, between the command line and the core.

Each module here is named after a command (`select`, `letters`, `ingest`, …) and has one public
function `run(...)`. It takes the campaign folder, the settings and the command's options as
plain values (dates as `datetime.date`, folders and files as `Path`), opens the ledger, calls
the pure core, writes files through `kansen_cli.files`, and returns a result dataclass (with
`as_json()` where the command has `--json`; `--json` prints exactly that).

A workflow never prints, never calls typer and never reads the clock: "today" is a parameter,
which the command line fills from `kansen_cli.clock.today()`. Long work reports progress
through an optional callback. Problems are raised as `KansenError` subclasses. SQL lives in
`kansen_cli.ledger` only; the demo and the tests call workflows, never typer commands.
"""
