"""The GAS score and the Participatieladder rung as a coach may have typed them.

The dropdowns offer "number label" ("-1 Minder dan verwacht", "3 Deelname aan georganiseerde
activiteiten"), but a cell may also hold the number alone (as number or text, with a typed
minus sign of any kind) or the label alone. A number whose label disagrees with the text
after it ("-1 Zoals verwacht") is refused: which of the two was meant cannot be told.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.trajectory import GAS_LABELS, LADDER_LABELS
from kansen_cli.workbooks.cells import is_blank, norm

if TYPE_CHECKING:
    from kansen_cli.workbooks.plan import RowCheck

_NUMBER_FIRST = re.compile(r"([+-]?\d+)(?:[.,]0+)?(?:\s+(.*))?")
_MINUSES = str.maketrans({"−": "-", "–": "-", "—": "-"})


def choice(number: int, labels: dict[int, str]) -> str:
    """The dropdown's text of one level: "+1 Meer dan verwacht", "0 Zoals verwacht", "3 …"."""
    sign = "+" if number > 0 and min(labels) < 0 else ""
    return f"{sign}{number} {labels[number]}"


GAS_CHOICES: tuple[str, ...] = tuple(choice(n, GAS_LABELS) for n in sorted(GAS_LABELS))
LADDER_CHOICES: tuple[str, ...] = tuple(choice(n, LADDER_LABELS) for n in sorted(LADDER_LABELS))


def gas_allowed() -> str:
    """What a goal-score cell takes, in the current language."""
    return _("a goal score from -2 to +2: {choices}").format(choices=", ".join(GAS_CHOICES))


def ladder_allowed() -> str:
    """What a participation-ladder cell takes, in the current language."""
    return _("a rung of the participation ladder from 1 to 6: {choices}").format(
        choices=", ".join(LADDER_CHOICES)
    )


def words() -> frozenset[str]:
    """Every choice and label of both scales, normalised: shown as typed in a problem."""
    labels = [*GAS_LABELS.values(), *LADDER_LABELS.values(), *GAS_CHOICES, *LADDER_CHOICES]
    return frozenset(norm(text) for text in labels)


def level(value: Any, labels: dict[int, str]) -> int | None:
    """The number a cell stands for (in range or not), or None when it says no number at all."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    text = str(value).translate(_MINUSES).strip()
    match = _NUMBER_FIRST.fullmatch(text)
    if match is not None:
        number = int(match.group(1))
        rest = match.group(2)
        if rest and (number not in labels or norm(rest) != norm(labels[number])):
            return None
        return number
    by_label = {norm(label): number for number, label in labels.items()}
    return by_label.get(norm(text))


def scale(check: RowCheck, key: str, labels: dict[int, str], problem: str, allowed: str) -> int | None:
    """The level in the cell, or None when empty; a problem for anything not on the scale."""
    value = check.cell(key)
    if is_blank(value):
        return None
    number = level(value, labels)
    if number is None or number not in labels:
        check.problem(key, value, problem, allowed)
        return None
    return number


def gas(check: RowCheck, key: str) -> int | None:
    return scale(check, key, GAS_LABELS, "bad_score", gas_allowed())


def rung(check: RowCheck, key: str) -> int | None:
    return scale(check, key, LADDER_LABELS, "bad_rung", ladder_allowed())
