"""`kansen init`: a campaign folder with a fully commented kansen.toml and an empty ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class InitResult:
    settings_file: Path
    preset: str
    kept_ledger: bool  # a ledger was there already and is left as it was
    templates: list[Path] = field(default_factory=list)  # letter templates copied for editing

    def as_json(self) -> dict[str, object]:
        return {
            "settings_file": str(self.settings_file),
            "preset": self.preset,
            "kept_ledger": self.kept_ledger,
            "templates": [str(p) for p in self.templates],
        }


def run(
    directory: Path, preset: str = "groningen", force: bool = False, templates: bool = False
) -> InitResult:
    """Write the settings of `preset` (refusing to replace them without `force`) and open the ledger;
    with `templates`, copy the packaged letter templates into the campaign to edit them there."""
    from kansen_cli import settings as st
    from kansen_cli.files import check_writable, write_text
    from kansen_cli.ledger import ledger_path, open_ledger
    from kansen_cli.letter_templates import copy_templates

    text = st.render_settings(st.preset(preset), preset)
    had_ledger = ledger_path(directory).exists()
    check_writable(st.settings_path(directory), force)
    if had_ledger:
        # A damaged or empty ledger is refused before anything is written beside it.
        open_ledger(directory, create=False).close()
    copied = copy_templates(directory, force) if templates else []
    write_text(st.settings_path(directory), text, force=force)
    open_ledger(directory, create=True).close()
    return InitResult(st.settings_path(directory), preset, had_ledger, copied)
