"""`kansen init` writes the whole settings model out as a commented TOML file: every setting
with its explanation, so the file a municipality edits lists them all."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from kansen_cli.settings import Settings


def render_settings(settings: Settings, preset_name: str) -> str:
    """The whole model as TOML, each setting preceded by its explanation."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"kansen_cli settings, preset '{preset_name}'."))
    doc.add(tomlkit.comment("Every setting is listed with its default; change what differs for you."))
    doc.add(tomlkit.nl())
    _render_model(doc, settings)
    return tomlkit.dumps(doc)


def _render_model(container: Any, model: BaseModel) -> None:
    import tomlkit

    fields = type(model).model_fields
    # Scalars first: TOML needs a table's own keys before its sub-tables.
    nested: list[tuple[str, Any, Any]] = []
    for attr, info in fields.items():
        value = getattr(model, attr)
        name = info.alias or attr
        if isinstance(value, BaseModel) or (
            isinstance(value, list) and value and isinstance(value[0], BaseModel)
        ):
            nested.append((name, info, value))
            continue
        plain = _plain(value)
        if info.description and not isinstance(plain, dict):
            container.add(tomlkit.comment(info.description))
        if isinstance(plain, dict):
            table = tomlkit.table()
            if info.description:
                table.add(tomlkit.comment(info.description))
            for key, item in plain.items():
                table.add(key, item)
            nested.append((name, info, table))
            continue
        container.add(name, plain)
    for name, info, value in nested:
        if isinstance(value, list):
            if info.description:
                container.add(tomlkit.comment(info.description))
            array = tomlkit.aot()
            for item in value:
                sub = tomlkit.table()
                for key, val in item.model_dump(exclude_none=True, by_alias=True).items():
                    sub.add(key, _plain(val))
                array.append(sub)
            container.add(name, array)
            continue
        if isinstance(value, BaseModel):
            table = tomlkit.table()
            doc_line = info.description or (type(value).__doc__ or "").strip().splitlines()[0:1]
            if isinstance(doc_line, list):
                doc_line = doc_line[0] if doc_line else ""
            if doc_line:
                table.add(tomlkit.comment(doc_line))
            _render_model(table, value)
            container.add(name, table)
        else:
            container.add(name, value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
