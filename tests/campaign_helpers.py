"""A campaign folder for tests: since issue 15 a ledger is only made where kansen.toml is."""

from __future__ import annotations

from pathlib import Path

MINIMAL_SETTINGS = "# A test campaign: every setting at its default (the Groningen preset).\n"


def make_campaign(folder: Path) -> Path:
    """`folder`, made if need be, with a kansen.toml that keeps every default (as no file did
    before): what `kansen init` makes, without the ledger, so the first command still makes it."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "kansen.toml"
    if not settings.exists():
        settings.write_text(MINIMAL_SETTINGS, encoding="utf-8")
    return folder
