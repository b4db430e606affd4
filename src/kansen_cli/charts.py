"""PNG charts for the council letter, drawn from the report's JSON (so --publish applies to them).

matplotlib is imported lazily with the Agg backend (no display needed); each chart is rendered
to memory and written atomically through `files.write_bytes`. A value hidden by --publish or not
computable (None) is left out of the chart rather than drawn as zero.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kansen_cli.report import Report

CHART_FILES = ("respons_per_wijk.png", "actief_per_wijk.png", "trechter.png", "varianten.png")
# Drawn only when the report has a survey section.
SURVEY_CHART = "cijfers.png"
GROUP_NAMES = {"participant": "Deelnemers", "non_participant": "Niet-deelnemers"}
FUNNEL_LABELS = {
    "register": "Register",
    "selected": "Geselecteerd",
    "approached": "Benaderd",
    "spoken": "Gesproken",
    "referred": "Verwezen",
    "active": "Actief geworden",
}


def _figure(width: float = 7.5, height: float = 4.5) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # Figure without pyplot: no global state, nothing left open between charts.
    figure = Figure(figsize=(width, height), dpi=120, layout="constrained")
    return figure, figure.add_subplot()


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _empty(axes: Any, text: str = "Nog geen gegevens") -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()


def response_per_neighbourhood(data: dict[str, Any]) -> bytes:
    figure, axes = _figure()
    rows = [(r["neighbourhood"], r["response_rate"]) for r in data["by_neighbourhood"]]
    rows = [(n, 100 * v) for n, v in rows if v is not None]
    if rows:
        names, values = zip(*rows, strict=True)
        axes.barh(names, values, color="#2f6f9f")
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel("Respons (%)")
        overall = data["response_rate"]
        if overall is not None:
            axes.axvline(
                100 * overall, color="#c0392b", linestyle="--", label=f"Totaal {100 * overall:.1f} %"
            )
            axes.legend(loc="lower right")
    else:
        _empty(axes)
    axes.set_title("Respons per wijk")
    return _png(figure)


def active_per_neighbourhood(data: dict[str, Any]) -> bytes:
    import numpy as np

    figure, axes = _figure()
    rows = [
        (r["neighbourhood"], r.get("spoken_in_period"), r.get("maatschappelijk_actief"))
        for r in data["by_neighbourhood"]
    ]
    rows = [(n, s, a) for n, s, a in rows if s is not None and a is not None]
    if rows:
        names = [n for n, _, _ in rows]
        y = np.arange(len(rows))
        axes.barh(y - 0.2, [s for _, s, _ in rows], height=0.4, label="Gesproken", color="#9db9d3")
        axes.barh(
            y + 0.2, [a for _, _, a in rows], height=0.4, label="Maatschappelijk actief", color="#2f6f9f"
        )
        axes.set_yticks(y, names)
        axes.invert_yaxis()
        axes.set_xlabel("Personen")
        axes.legend(loc="lower right")
    else:
        _empty(axes)
    axes.set_title("Gesproken en maatschappelijk actief per wijk")
    return _png(figure)


def funnel(data: dict[str, Any]) -> bytes:
    figure, axes = _figure()
    rows = [(FUNNEL_LABELS.get(s["step"], s["step"]), s["count"]) for s in data["funnel"]]
    rows = [(n, c) for n, c in rows if c is not None]
    if rows and any(c for _, c in rows):
        names, values = zip(*rows, strict=True)
        bars = axes.barh(names, values, color="#2f6f9f")
        axes.bar_label(bars, labels=[f"{v:,}".replace(",", ".") for v in values], padding=3)
        axes.invert_yaxis()
        axes.set_xlabel("Personen")
    else:
        _empty(axes)
    axes.set_title("Van register tot actief")
    return _png(figure)


def variants(data: dict[str, Any]) -> bytes:
    figure, axes = _figure(6, 4)
    rows = [r for r in data["by_variant"] if r["response_rate"] is not None]
    if rows:
        names = [f"Variant {r['variant']}" for r in rows]
        rates = [100 * r["response_rate"] for r in rows]
        low = [100 * (r["response_rate"] - r["ci_low"]) if r["ci_low"] is not None else 0 for r in rows]
        high = [100 * (r["ci_high"] - r["response_rate"]) if r["ci_high"] is not None else 0 for r in rows]
        axes.bar(names, rates, yerr=[low, high], capsize=8, color="#2f6f9f")
        axes.set_ylim(0, 100)
        axes.set_ylabel("Respons (%), met 95%-interval")
    else:
        _empty(axes)
    axes.set_title("Respons per briefvariant")
    return _png(figure)


def marks(data: dict[str, Any]) -> bytes:
    """The survey's marks 1..10 per group, as shares of the group's marks (hidden counts left out)."""
    import numpy as np

    figure, axes = _figure()
    groups = data["satisfaction"]["groups"]
    x = np.arange(1, 11)
    drawn = False
    for offset, (group, values) in zip((-0.2, 0.2), groups.items(), strict=False):
        total = values.get("marks")
        counts = [values["distribution"].get(str(m)) for m in x]
        if not total or any(c is None for c in counts):
            continue
        shares = [100 * c / total for c in counts]
        name = f"{GROUP_NAMES.get(group, group)} (n = {total})"
        axes.bar(x + offset, shares, width=0.4, label=name, color="#2f6f9f" if offset < 0 else "#9db9d3")
        drawn = True
    if drawn:
        axes.set_xticks(x)
        axes.set_xlabel("Cijfer")
        axes.set_ylabel("Deel van de cijfers (%)")
        axes.legend(loc="upper left")
    else:
        _empty(axes, "Geen verdeling te tonen")
    axes.set_title("Cijfer voor de gemeente, per groep (enquête)")
    return _png(figure)


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
