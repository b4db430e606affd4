"""A mark from 1 to 10 as a caller may have typed it: the survey's and the follow-up call's.

Dutch schools and surveys give whole marks; "Geen cijfer" is how someone who gives none is
written down, so that an empty cell can still mean "not asked yet".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kansen_cli.i18n import _
from kansen_cli.workbooks.cells import cell_text, is_blank, norm

if TYPE_CHECKING:
    from kansen_cli.workbooks.plan import RowCheck

NO_MARK = "Geen cijfer"
MARKS = tuple(str(n) for n in range(1, 11))
CHOICES = (*MARKS, NO_MARK)


def allowed() -> str:
    """What a mark cell takes, in the current language."""
    return _("a whole mark from 1 to 10, or '{no_mark}'").format(no_mark=NO_MARK)


def grade(check: RowCheck, key: str, required: bool) -> int | None:
    """The mark 1..10 in the cell, or None for "Geen cijfer" or an empty optional cell.

    A problem for anything else (0, 11, 7.5, text), and for an empty cell when `required`.
    """
    value = check.cell(key)
    if is_blank(value):
        if required:
            check.problem(key, None, "missing", _("required; {allowed}").format(allowed=allowed()))
        return None
    if norm(value) == norm(NO_MARK):
        return None
    number: int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value) if float(value).is_integer() else None
    elif isinstance(value, str):
        text = cell_text(value)
        number = int(text) if text.isdigit() else None
    if number is None or not 1 <= number <= 10:
        check.problem(key, value, "bad_mark", allowed())
        return None
    return number
