"""Composing the report from its sections; the checks, `--publish` and the JSON stay here.

A section is a function `(Context, Builder) -> Part` in its own module; `SECTIONS` lists them in
the order of the report. Each registers its counts and equations with the shared builder and
returns its tables and its part of the JSON (with references, see `cells`). Then, for all
sections at once: the equations between tables that count the same people, the consistency
checks, the suppression, and the JSON with the references filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _, day
from kansen_cli.report import (
    activities,
    approaches,
    bases,
    became_active,
    followup,
    funnel,
    locations,
    outcomes,
    reach,
    referrals,
    routes,
    satisfaction,
    trajectories,
    variants,
)
from kansen_cli.report.cells import Builder, Key, Report, Table, resolve
from kansen_cli.report.context import Context, Part, Section
from kansen_cli.suppression import suppress

if TYPE_CHECKING:
    from kansen_cli.ledger.reporting import ReportData
    from kansen_cli.settings import Settings

SECTIONS: tuple[Section, ...] = (
    reach.section,
    bases.section,
    routes.section,
    variants.section,
    approaches.section,
    outcomes.section,
    locations.section,
    activities.section,
    referrals.section,
    followup.section,
    became_active.section,
    satisfaction.section,
    trajectories.section,
    funnel.section,
)


def build_report(
    data: ReportData,
    settings: Settings,
    start: dt.date | None = None,
    end: dt.date | None = None,
    batch: str | None = None,
    publish: bool = False,
    sections: Sequence[Section] = SECTIONS,
) -> Report:
    """All tables and the JSON for one period (and optionally one batch)."""
    ctx = Context(data, settings, start, end, batch)
    b = Builder()
    parts = [section(ctx, b) for section in sections]
    if start is None and end is None:
        # Two tables that count the same people: a reader can equate them, so tell the suppression.
        for left, right in (pair for part in parts for pair in part.same_people):
            if left in b.values and right in b.values and b.values[left] == b.values[right]:
                b.equation(left, [right])
    b.check()
    tables = [table for part in parts for table in part.tables]
    hidden: set[Key] = set()
    if publish:
        hidden = suppress(b.values, b.equations, settings.report.publish_threshold)
        _apply_publish(tables, hidden, settings.report.min_denominator)
    head = {
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "batch": batch,
        "published": publish,
    }
    return Report(
        tables=tables,
        data=resolve({**head, **_json(parts)}, b.values, hidden),
        title=_("{campaign}: report").format(campaign=settings.campaign.name),
        subtitle=_subtitle(settings, start, end, batch, publish),
        published=publish,
        empty=len(data.letters) == 0,
        counts=dict(b.values),
        equations=list(b.equations),
        hidden=hidden,
    )


def _json(parts: list[Part]) -> dict[str, Any]:
    """The sections' summaries in section order, then their breakdown lists, each entry with the
    fields other sections add to it."""
    out: dict[str, Any] = {}
    for part in parts:
        out.update(part.summary)
    for part in parts:
        out.update(part.lists)
    for part in parts:
        for name, fields in part.extend.items():
            for entry in out.get(name, []):
                entry.update(fields(entry))
    return out


def _subtitle(
    settings: Settings, start: dt.date | None, end: dt.date | None, batch: str | None, publish: bool
) -> str:
    subtitle = f"{settings.campaign.municipality}, {_period_text(start, end)}" + (
        _(", batch {batch}").format(batch=batch) if batch else ""
    )
    if publish:
        subtitle += _(
            "; for publication: counts below {threshold} and what would reveal them are replaced "
            "by x, percentages only on a base of at least {base}"
        ).format(threshold=settings.report.publish_threshold, base=settings.report.min_denominator)
    return subtitle


def _period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return _("all data")
    if start is None:
        assert end is not None
        return _("up to {date}").format(date=day(end))
    if end is None:
        return _("from {date}").format(date=day(start))
    return _("{start} up to {end}").format(start=day(start), end=day(end))


def _apply_publish(tables: list[Table], hidden: set[Key], min_denominator: int) -> None:
    """Hide the suppressed counts, and every percentage or statistic that would reveal one."""
    for table in tables:
        for row in table.rows:
            for cell in row:
                if (cell.kind == "count" and cell.key in hidden) or (
                    cell.kind in ("pct", "stat")
                    and cell.inputs
                    and (any(k in hidden for k in cell.inputs) or (cell.base or 0) < min_denominator)
                ):
                    cell.hidden = True
