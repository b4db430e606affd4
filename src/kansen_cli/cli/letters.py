"""The letter clerk's commands: `kansen plan`, `kansen letters`."""

from __future__ import annotations
