"""Command-line interface: `kansen COMMAND`. See app.py for the shared parts."""

from __future__ import annotations

import sys

from kansen_cli.cli import register_commands as _register_commands  # noqa: F401
from kansen_cli.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    # --debug is accepted anywhere on the line, as users type it after the command.
    args = sys.argv[1:]
    if "--debug" in args:
        args = ["--debug", *[a for a in args if a != "--debug"]]
    app(args=args, prog_name="kansen")
