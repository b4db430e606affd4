"""`kansen init`: a campaign folder with a fully commented kansen.toml and an empty ledger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InitResult:
    settings_file: Path
    preset: str
    kept_ledger: bool  # a ledger was there already and is left as it was


def run(directory: Path, preset: str = "groningen", force: bool = False) -> InitResult:
    """Write the settings of `preset` (refusing to replace them without `force`) and open the ledger."""
    from kansen_cli import settings as st
    from kansen_cli.files import write_text
    from kansen_cli.ledger import ledger_path, open_ledger

    text = st.render_settings(st.preset(preset), preset)
    had_ledger = ledger_path(directory).exists()
    write_text(st.settings_path(directory), text, force=force)
    open_ledger(directory, create=True).close()
    return InitResult(st.settings_path(directory), preset, had_ledger)
