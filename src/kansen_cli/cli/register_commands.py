# ruff: noqa: I001, E402
"""Importing the command modules registers their commands on the app, in the order of the cycle."""

import sys

from kansen_cli import preload

# `kansen check WORKBOOK`: calamine parses the sheet on the second core while typer, the
# settings, pandas and pyarrow are imported (see kansen_cli.preload); nothing else changes.
preload.start_from_argv(sys.argv[1:])

from kansen_cli.cli import (  # noqa: F401
    setup,
    selecting,
    letters,
    registration,
    surveying,
    calls,
    trajectories,
    caseload,
    status,
    reporting,
    privacy,
    demo,
)
