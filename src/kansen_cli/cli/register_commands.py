"""Importing the command modules registers their commands on the app."""

from kansen_cli.cli import selecting, setup  # noqa: F401
