"""PNG charts for the council letter, drawn from the report's JSON (so --publish applies to them).

matplotlib is imported lazily with the Agg backend (no display needed); each chart is drawn on
a `Figure` (`draw_*`, which the tests inspect) and rendered to memory, then written atomically
through `files.write_bytes`. A value hidden by --publish or not computable (None) is left out of
the chart rather than drawn as zero.

What people read is in their language (`_()` when drawn) with its decimals (`i18n.number` on
every tick); every chart says its period and n under its title; an empty chart says so in words
instead of drawing an axis around nothing; the funnel is on a logarithmic scale when its stages
differ a lot, with each count written at its bar, so 63 next to 10.000 stays visible.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.i18n import N_, _

if TYPE_CHECKING:
    from kansen_cli.report import Report

CHART_FILES = ("respons_per_wijk.png", "actief_per_wijk.png", "trechter.png", "varianten.png")
# Drawn only when the report has a survey section.
SURVEY_CHART = "cijfers.png"
GROUP_NAMES = {"participant": N_("Participants"), "non_participant": N_("Non-participants")}
FUNNEL_LABELS = {
    "register": N_("Register export"),
    "selected": N_("Selected"),
    "selected_ever": N_("Ever selected"),
    "approached": N_("Approached"),
    "spoken": N_("Spoken"),
    "referred": N_("Referred"),
    "active": N_("Became active"),
}
DARK, LIGHT, RED = "#2f6f9f", "#9db9d3", "#c0392b"
# The funnel goes logarithmic when its largest stage is this many times its smallest.
LOG_RATIO = 20


def _figure(width: float = 7.5, height: float = 4.5) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Figure without pyplot: no global state, nothing left open between charts. Its own Agg
    # canvas, so that a test can draw it and measure what it shows.
    figure = Figure(figsize=(width, height), dpi=120, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def tick_text(value: float, _pos: Any = None) -> str:
    """A tick as people read it: 1.000 and 2,5 in Dutch (no more decimals than it needs)."""
    for digits in (0, 1, 2):
        if abs(value - round(value, digits)) < 1e-9:
            return i18n.number(value, digits)
    return i18n.number(value, 2)


def _ticks(axis: Any, integer: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(tick_text))


def period_text(period: dict[str, str | None]) -> str:
    """The report's period in words: 01-10-2026 – 20-01-2027, or all data."""
    start, end = (dt.date.fromisoformat(d) if d else None for d in (period.get("from"), period.get("to")))
    if start and end:
        return f"{i18n.day(start)} – {i18n.day(end)}"
    if start:
        return _("from {date}").format(date=i18n.day(start))
    if end:
        return _("up to {date}").format(date=i18n.day(end))
    return _("all data")


def _titles(figure: Any, axes: Any, title: str, data: dict[str, Any], n: int | None) -> None:
    """The title, and under it the period and n (x when --publish hides n)."""
    n_text = "x" if n is None else i18n.number(n)
    batch = data.get("batch")
    where = _(", batch {batch}").format(batch=batch) if batch else ""
    figure.suptitle(title, fontsize=13, fontweight="bold")
    axes.set_title(
        _("{period}{batch}, n = {n}").format(period=period_text(data["period"]), batch=where, n=n_text),
        fontsize=10,
        color="#444444",
    )


def _legend(figure: Any) -> None:
    """The legend under the chart, where it covers no bar."""
    figure.legend(loc="outside lower center", ncols=2, frameon=False)


def _empty(axes: Any, text: str | None = None) -> None:
    axes.text(
        0.5, 0.5, text or _("No data yet"), ha="center", va="center", transform=axes.transAxes, fontsize=14
    )
    axes.set_axis_off()


def draw_response(data: dict[str, Any]) -> Any:
    figure, axes = _figure()
    rows = [(r["neighbourhood"], r["response_rate"]) for r in data["by_neighbourhood"]]
    rows = [(n, 100 * v) for n, v in rows if v is not None]
    if rows:
        names, values = zip(*rows, strict=True)
        axes.barh(names, values, color=DARK)
        for y, value in enumerate(values):
            # At the start of the bar, clear of the line for all neighbourhoods; after a short bar.
            inside = value >= 15
            axes.text(
                1 if inside else value + 1,
                y,
                i18n.percent(value),
                va="center",
                color="white" if inside else "black",
                fontweight="bold" if inside else "normal",
            )
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        _ticks(axes.xaxis)
        axes.set_xlabel(_("Response (%)"))
        overall = data["response_rate"]
        if overall is not None:
            total = _("All neighbourhoods {rate}").format(rate=i18n.percent(100 * overall))
            axes.axvline(100 * overall, color=RED, linestyle="--", label=total)
            _legend(figure)
    else:
        _empty(axes)
    _titles(figure, axes, _("Response per neighbourhood"), data, data.get("approached"))
    return figure


def draw_active(data: dict[str, Any]) -> Any:
    import numpy as np

    figure, axes = _figure()
    rows = [
        (r["neighbourhood"], r.get("spoken_in_period"), r.get("maatschappelijk_actief"))
        for r in data["by_neighbourhood"]
    ]
    rows = [(n, s, a) for n, s, a in rows if s is not None and a is not None]
    if rows and any(s or a for _n, s, a in rows):
        y = np.arange(len(rows))
        spoken = axes.barh(y - 0.2, [s for _n, s, _a in rows], height=0.4, label=_("Spoken"), color=LIGHT)
        active = axes.barh(
            y + 0.2, [a for _n, _s, a in rows], height=0.4, label=_("Socially active"), color=DARK
        )
        for bars in (spoken, active):
            axes.bar_label(bars, labels=[i18n.number(v) for v in bars.datavalues], padding=3, fontsize=9)
        axes.set_yticks(y, [n for n, _s, _a in rows])
        axes.invert_yaxis()
        axes.set_xlim(0, 1.15 * max(max(s, a) for _n, s, a in rows))
        _ticks(axes.xaxis, integer=True)
        axes.set_xlabel(_("People"))
        _legend(figure)
    else:
        _empty(axes)
    _titles(
        figure, axes, _("Spoken and socially active per neighbourhood"), data, data.get("spoken_in_period")
    )
    return figure


def funnel_label(step: str) -> str:
    """A funnel step's name for people; an unknown step without its underscores, never the code."""
    return _(FUNNEL_LABELS[step]) if step in FUNNEL_LABELS else step.replace("_", " ").capitalize()


def draw_funnel(data: dict[str, Any]) -> Any:
    figure, axes = _figure()
    rows = [(funnel_label(s["step"]), s["count"]) for s in data["funnel"] if s["count"] is not None]
    if rows and any(c for _n, c in rows):
        names, values = zip(*rows, strict=True)
        bars = axes.barh(names, values, color=DARK)
        axes.bar_label(bars, labels=[i18n.number(v) for v in values], padding=4)
        axes.invert_yaxis()
        top = max(values)
        smallest = min((v for v in values if v > 0), default=top)
        if top >= LOG_RATIO * smallest:
            # symlog: logarithmic, yet a stage of 0 is a bar of nothing rather than an error.
            axes.set_xscale("symlog", linthresh=1)
            axes.set_xlim(0, top * 6)  # room for the largest bar's label inside the frame
            axes.set_xlabel(_("People (logarithmic scale)"))
        else:
            axes.set_xlim(0, top * 1.2)
            axes.set_xlabel(_("People"))
        _ticks(axes.xaxis)
        axes.xaxis.set_minor_formatter(lambda _v, _p: "")
    else:
        _empty(axes)
    approached = next(
        (s["count"] for s in data["funnel"] if s["step"] == "approached"), data.get("approached")
    )
    _titles(figure, axes, _("From register to active"), data, approached)
    return figure


def draw_variants(data: dict[str, Any]) -> Any:
    figure, axes = _figure(6, 4)
    rows = [r for r in data["by_variant"] if r["response_rate"] is not None]
    if rows:
        names = [_("Variant {variant}").format(variant=r["variant"]) for r in rows]
        rates = [100 * r["response_rate"] for r in rows]
        low = [100 * (r["response_rate"] - r["ci_low"]) if r["ci_low"] is not None else 0 for r in rows]
        high = [100 * (r["ci_high"] - r["response_rate"]) if r["ci_high"] is not None else 0 for r in rows]
        axes.bar(names, rates, yerr=[low, high], capsize=8, color=DARK)
        axes.set_ylim(0, 100)
        _ticks(axes.yaxis)
        axes.set_ylabel(_("Response (%), with 95% interval"))
    else:
        _empty(axes)
    _titles(figure, axes, _("Response per letter variant"), data, data.get("approached"))
    return figure


def draw_marks(data: dict[str, Any]) -> Any:
    """The survey's marks 1..10 per group, as shares of the group's marks (hidden counts left out)."""
    import numpy as np

    figure, axes = _figure()
    groups = data["satisfaction"]["groups"]
    x = np.arange(1, 11)
    drawn = 0
    for offset, (group, values) in zip((-0.2, 0.2), groups.items(), strict=False):
        total = values.get("marks")
        counts = [values["distribution"].get(str(m)) for m in x]
        if not total or any(c is None for c in counts):
            continue
        shares = [100 * c / total for c in counts]
        group_name = _(GROUP_NAMES[group]) if group in GROUP_NAMES else group.replace("_", " ")
        name = f"{group_name} (n = {i18n.number(total)})"
        axes.bar(x + offset, shares, width=0.4, label=name, color=DARK if offset < 0 else LIGHT)
        drawn += total
    if drawn:
        axes.set_xticks(x)
        _ticks(axes.xaxis)
        _ticks(axes.yaxis)
        axes.set_xlabel(_("Mark"))
        axes.set_ylabel(_("Share of the marks (%)"))
        _legend(figure)
    else:
        _empty(axes, _("No distribution to show"))
    _titles(figure, axes, _("Mark for the municipality, per group (survey)"), data, drawn or None)
    return figure


DRAWERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "response_per_neighbourhood": draw_response,
    "active_per_neighbourhood": draw_active,
    "funnel": draw_funnel,
    "variants": draw_variants,
    "marks": draw_marks,
}


def response_per_neighbourhood(data: dict[str, Any]) -> bytes:
    return _png(draw_response(data))


def active_per_neighbourhood(data: dict[str, Any]) -> bytes:
    return _png(draw_active(data))


def funnel(data: dict[str, Any]) -> bytes:
    return _png(draw_funnel(data))


def variants(data: dict[str, Any]) -> bytes:
    return _png(draw_variants(data))


def marks(data: dict[str, Any]) -> bytes:
    return _png(draw_marks(data))


def write_charts(report: Report, folder: Path, force: bool = False) -> list[Path]:
    """Write the four charts, and the survey's when there is one, into `folder`; returns their paths."""
    from kansen_cli.files import ensure_dir, write_bytes

    ensure_dir(folder)
    makers = (response_per_neighbourhood, active_per_neighbourhood, funnel, variants)
    written = []
    for name, make in zip(CHART_FILES, makers, strict=True):
        written.append(write_bytes(folder / name, make(report.data), force))
    if "groups" in report.data.get("satisfaction", {}):
        written.append(write_bytes(folder / SURVEY_CHART, marks(report.data), force))
    return written
