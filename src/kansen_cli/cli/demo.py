"""`kansen demo`: the whole cycle on the sample data."""

from __future__ import annotations
