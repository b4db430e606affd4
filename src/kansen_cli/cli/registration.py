"""The coordinator's registration commands: `kansen sheet`, `kansen ingest`, `kansen followup`."""

from __future__ import annotations
