"""Command-line interface: `kansen COMMAND`. See app.py for the shared parts."""

from __future__ import annotations

import sys

from kansen_cli.cli import register_commands as _register_commands  # noqa: F401
from kansen_cli.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app(args=_root_options_first(sys.argv[1:]), prog_name="kansen")


def _root_options_first(args: list[str]) -> list[str]:
    """--debug and --lang are accepted anywhere on the line, as users type them after the
    command; the root takes them, so they go to the front (--lang before --help, so that
    `kansen select --help --lang en` is English)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == "--debug" or arg.startswith("--lang="):
            front.append(arg)
        elif arg == "--lang" and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest
