"""Reading the small text files the settings come from, kansen.toml and the pseudonym key file:
every way such a file can fail to be text ends in one `SettingsError` that says which.

A device (`/dev/zero`), a FIFO or a huge file would make a plain `read_text` hang or fill the
memory, so only regular files are read, and no more than a settings file can sensibly hold.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kansen_cli.errors import SettingsError

# kansen.toml with every setting commented is about 10 KB; a key is one line.
MAX_SETTINGS_BYTES = 1 << 20


def read_small_text(path: Path, what: str, limit: int = MAX_SETTINGS_BYTES) -> str:
    """The UTF-8 text of the regular file `path`; `what` names it in the error."""
    try:
        if not path.exists():
            raise SettingsError(f"{what}: {path} does not exist")
        if path.is_dir():
            raise SettingsError(f"{what}: {path} is a folder, not a file")
        if not path.is_file():
            raise SettingsError(f"{what}: {path} is not a regular file (a device or a pipe?)")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SettingsError(f"{what}: cannot read {path} ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise SettingsError(f"{what}: {path} is larger than {limit // 1024} KB; this is not a settings file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{what}: {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 text"
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    """kansen.toml as plain data; refused with the reason when it is no readable TOML."""
    text = read_small_text(path, str(path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables by recursion: thousands of levels
        # exhaust the stack. No setting is nested more than three levels deep.
        raise SettingsError(
            f"{path}: a value is nested too deeply (arrays or tables inside each other)"
        ) from None
