"""Why a CSV record spans more than one line, and refusing the reasons that lose people.

A quoted value may hold a line break (a note, an address over two lines): that is the one
legitimate reason for a register to have more lines than rows. A stray quote (`"Nee` without
its closing quote) looks the same to a CSV parser, but swallows the lines after it into one
value: up to the next quote, or to the end of the file. Those people would silently drop out
of the funnel, so such a record is refused, naming the line where the quote opens and how many
lines it swallowed, never the value (it may hold a name).

A value spanning lines is taken for a stray quote when the quote is never closed, when the row
it ends up in has another number of fields than the header, or when it holds the header's
number of delimiters or more (the swallowed lines were rows). A register has ten columns or
more, so a real note with nine or more semicolons over several lines is not expected; should
one occur, it is refused with a message that says where to look.

Quotes count as a parser sees them: only at the start of a field; `""` inside a quoted value is
a quote; after the closing quote the field runs on to the next delimiter (csv's lenient mode).
Only records that span lines come here, so the Python loop over fields costs nothing for the
usual register, and str.find jumps over long values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _, ngettext


@dataclass(frozen=True)
class SpanningQuote:
    """A quoted value that holds a line break: its field and where its quotes are."""

    field: int  # index of the field in its record
    opens: int  # offset of the opening quote in the text
    closes: int | None  # offset of the closing quote; None when it is never closed


def line_breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """Line breaks in text[start:end], as the csv module and pyarrow split lines: CR LF, LF, CR."""
    chunk = text[start:end]
    return chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")


def spanning_quote(text: str, start: int, end: int, delimiter: str) -> SpanningQuote | None:
    """The first quoted value of the record text[start:end] that encloses a line break."""
    field, i = 0, start
    while i < end:
        if text[i] == '"':
            closes = _closing_quote(text, i + 1, end)
            if line_breaks(text, i, end if closes is None else closes):
                return SpanningQuote(field, i, closes)
            if closes is None:
                return None
            i = closes + 1
        stop = _field_end(text, i, end, delimiter)
        if stop >= end or text[stop] != delimiter:
            return None  # the record's line ends without a quoted line break
        field, i = field + 1, stop + 1
    return None


def refuse_stray_quote(
    text: str,
    start: int,
    end: int,
    first_line: int,
    fields: int | None,
    headers: list[str],
    delimiter: str,
    file: str,
) -> None:
    """Raise when the record text[start:end] (from file line `first_line`, read as `fields`
    fields, None when not read) spans lines for any reason but a quoted line break in a value
    of its own."""
    quote = spanning_quote(text, start, end, delimiter)
    width = len(headers)
    if quote is None:
        raise InputFileError(
            _(
                "{file}: line {first_line}: a row runs on over the next {count} line "
                "break(s) without a quoted value; export it again"
            ).format(file=file, first_line=first_line, count=line_breaks(text, start, end) - 1)
        )
    line = first_line + line_breaks(text, start, quote.opens)
    column = (
        _("column {header!r}").format(header=headers[quote.field])
        if quote.field < width
        else _("field {number}").format(number=quote.field + 1)
    )
    value_end = end if quote.closes is None else quote.closes
    swallowed = line_breaks(text, quote.opens, value_end)
    if quote.closes is None:
        if value_end > start and text[value_end - 1] in "\r\n":
            swallowed -= 1  # the file's own last line end
        raise InputFileError(
            _(
                '{file}: line {line}: a quote (") opens a value in {column} and is never '
                "closed, so it swallows the {lines} after it, to the end of "
                "the file; remove the stray quote (or close it) and export again"
            ).format(file=file, line=line, column=column, lines=_lines(swallowed))
        )
    rows_inside = text.count(delimiter, quote.opens, value_end) >= max(1, width - 1)
    if fields in (width, None) and not rows_inside:
        return  # a quoted line break in a value of its own: allowed
    why = (
        _("holding whole rows")
        if rows_inside
        else _("leaving that row with {fields} fields where the header has {width}").format(
            fields=fields, width=width
        )
    )
    raise InputFileError(
        _(
            '{file}: line {line}: a quote (") opens a value in {column} that '
            "swallows the {lines} after it, up to line {last}, {why}; "
            "remove the stray quote and export again"
        ).format(
            file=file,
            line=line,
            column=column,
            lines=_lines(swallowed),
            last=line + swallowed,
            why=why,
        )
    )


def refuse_unreadable(
    text: str, start: int, first_line: int, headers: list[str], delimiter: str, path: Path, error: Exception
) -> NoReturn:
    """The csv module gave up on the record at text[start:] (a value over its size limit): the
    usual cause is a stray quote swallowing the rest of the file."""
    if spanning_quote(text, start, len(text), delimiter) is not None:
        refuse_stray_quote(text, start, len(text), first_line, None, headers, delimiter, str(path))
    raise InputFileError(
        _("{path}: line {first_line}: cannot be read as CSV ({error})").format(
            path=path, first_line=first_line, error=error
        )
    )


def _closing_quote(text: str, start: int, end: int) -> int | None:
    """Offset of the quote closing a value that opened before `start`; `""` is a quote."""
    while True:
        found = text.find('"', start, end)
        if found < 0:
            return None
        if found + 1 < end and text[found + 1] == '"':
            start = found + 2
            continue
        return found


def _field_end(text: str, start: int, end: int, delimiter: str) -> int:
    """Offset of the delimiter or line break that ends the unquoted rest of a field (or `end`)."""
    ends = [text.find(mark, start, end) for mark in (delimiter, "\n", "\r")]
    found = [e for e in ends if e >= 0]
    return min(found) if found else end


def _lines(count: int) -> str:
    return ngettext("{count} line", "{count} lines", count).format(count=count)
