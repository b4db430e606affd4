"""Retention: `kansen purge`."""

from __future__ import annotations
