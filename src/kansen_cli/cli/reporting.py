"""The council figures: `kansen report`."""

from __future__ import annotations
