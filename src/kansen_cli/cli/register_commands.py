# ruff: noqa: I001
"""Importing the command modules registers their commands on the app, in the order of the cycle."""

from kansen_cli.cli import (  # noqa: F401
    setup,
    selecting,
    letters,
    registration,
    surveying,
    status,
    reporting,
    privacy,
    demo,
)
