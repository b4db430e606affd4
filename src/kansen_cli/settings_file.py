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
from kansen_cli.i18n import _

# kansen.toml with every setting commented is about 10 KB; a key is one line.
MAX_SETTINGS_BYTES = 1 << 20


def read_small_text(path: Path, what: str, limit: int = MAX_SETTINGS_BYTES) -> str:
    """The UTF-8 text of the regular file `path`; `what` names it in the error."""
    try:
        if not path.exists():
            raise SettingsError(_("{what}: {path} does not exist").format(what=what, path=path))
        if path.is_dir():
            raise SettingsError(_("{what}: {path} is a folder, not a file").format(what=what, path=path))
        if not path.is_file():
            raise SettingsError(
                _("{what}: {path} is not a regular file (a device or a pipe?)").format(what=what, path=path)
            )
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SettingsError(
            _("{what}: cannot read {path} ({value})").format(what=what, path=path, value=exc.strerror or exc)
        ) from None
    if len(data) > limit:
        raise SettingsError(
            _("{what}: {path} is larger than {value} KB; this is not a settings file").format(
                what=what, path=path, value=limit // 1024
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            _("{what}: {path} is not UTF-8 text (byte {start}); save it as UTF-8 text").format(
                what=what, path=path, start=exc.start
            )
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    """kansen.toml as plain data; refused with the reason when it is no readable TOML."""
    text = read_small_text(path, str(path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(_("{path}: not valid TOML: {exc}").format(path=path, exc=exc)) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables by recursion: thousands of levels
        # exhaust the stack. No setting is nested more than three levels deep.
        raise SettingsError(
            _("{path}: a value is nested too deeply (arrays or tables inside each other)").format(path=path)
        ) from None
