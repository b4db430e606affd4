"""The charts as people see them: rendered, then looked at through matplotlib's artists.

Every chart of the golden report, of the survey's, of a funnel from 10.000 people down to 63,
of an empty campaign and of the demo: its size, its Dutch words (the README's glossary), the
period and n under the title, Dutch decimals on the ticks, and no text outside the figure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kansen_cli import charts, i18n

GOLDEN = Path(__file__).parent / "golden" / "report"
DPI = 120


def golden(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def tick_labels(axis: Any) -> list[Any]:
    """The tick labels drawn: those of ticks within the axis's view (matplotlib keeps others)."""
    low, high = sorted(axis.get_view_interval())
    ticks = zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=True)
    return [label for loc, label in ticks if low - 1e-9 <= loc <= high + 1e-9 and label.get_text()]


def drawn(figure: Any) -> list[Any]:
    """Every text the figure shows: titles, labels, bar labels, legend, the drawn tick labels."""
    figure.canvas.draw()
    out = [t for t in figure.texts if t.get_text()]
    out += [t for legend in figure.legends for t in legend.get_texts()]
    if figure._suptitle is not None:
        out.append(figure._suptitle)
    for axes in figure.axes:
        out += [t for t in (axes.title, axes._left_title, axes._right_title) if t.get_text()]
        out += [t for t in axes.texts if t.get_text()]
        if axes.axison:
            out += [axes.xaxis.label, axes.yaxis.label]
            out += tick_labels(axes.xaxis) + tick_labels(axes.yaxis)
        legend = axes.get_legend()
        if legend is not None:
            out += legend.get_texts()
    return [t for t in out if t.get_visible() and t.get_text()]


def texts(figure: Any) -> list[str]:
    return [t.get_text() for t in drawn(figure)]


def title_and_subtitle(figure: Any) -> tuple[str, str]:
    return figure._suptitle.get_text(), figure.axes[0].get_title()


def assert_inside(figure: Any) -> None:
    """Every text shown lies within the figure, and so does the whole drawing."""
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    for text in drawn(figure):
        extent = text.get_window_extent(renderer)
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, text.get_text()
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, text.get_text()
    tight = figure.get_tightbbox(renderer)  # in inches
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01
    assert tight.x1 <= figure.get_figwidth() + 0.01 and tight.y1 <= figure.get_figheight() + 0.01


def with_funnel(data: dict[str, Any], counts: list[tuple[str, int]]) -> dict[str, Any]:
    return {**data, "funnel": [{"step": s, "count": c} for s, c in counts]}


def empty_data() -> dict[str, Any]:
    """The JSON of a campaign with nobody approached: every figure zero or not computable."""
    data = golden("report.json")
    for row in data["by_neighbourhood"]:
        row.update(response_rate=None, spoken_in_period=0, maatschappelijk_actief=0)
    for row in data["by_variant"]:
        row.update(response_rate=None, ci_low=None, ci_high=None)
    data.update(response_rate=None, approached=0, spoken_in_period=0, funnel=[])
    return data


@pytest.fixture(autouse=True)
def dutch():
    with i18n.using("nl"):
        yield


# ---- each chart, Dutch ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "size", "title", "words"),
    [
        ("response_per_neighbourhood", (7.5, 4.5), "Respons per wijk", ["Respons (%)", "Noord", "Zuid"]),
        (
            "active_per_neighbourhood",
            (7.5, 4.5),
            "Gesproken en maatschappelijk actief per wijk",
            ["Personen"],
        ),
        ("funnel", (7.5, 4.5), "Van register tot actief", ["Registerbestand", "Benaderd", "Gesproken"]),
        ("variants", (6, 4), "Respons per briefvariant", ["Variant A", "Variant B"]),
    ],
)
def test_golden_charts_in_dutch(name: str, size: tuple[float, float], title: str, words: list[str]) -> None:
    figure = charts.DRAWERS[name](golden("report.json"))
    assert (figure.get_figwidth(), figure.get_figheight()) == size
    assert figure.dpi == DPI
    shown = texts(figure)
    assert title_and_subtitle(figure)[0] == title
    for word in words:
        assert word in shown
    assert_inside(figure)


def test_period_and_n_under_every_title() -> None:
    data = golden("report.json")  # 24 approached, 13 spoken in the period, no period given
    expected = {
        "response_per_neighbourhood": "alle gegevens, n = 24",
        "active_per_neighbourhood": "alle gegevens, n = 13",
        "funnel": "alle gegevens, n = 24",
        "variants": "alle gegevens, n = 24",
    }
    for name, subtitle in expected.items():
        assert title_and_subtitle(charts.DRAWERS[name](data))[1] == subtitle
    dated = {**data, "period": {"from": "2026-10-01", "to": "2027-01-20"}, "batch": "noord-1"}
    assert (
        title_and_subtitle(charts.draw_funnel(dated))[1] == "01-10-2026 – 20-01-2027, batch noord-1, n = 24"
    )
    with i18n.using("en"):
        assert (
            title_and_subtitle(charts.draw_funnel(dated))[1]
            == "1 Oct 2026 – 20 Jan 2027, batch noord-1, n = 24"
        )
    assert charts.period_text({"from": "2026-10-01", "to": None}) == "vanaf 01-10-2026"
    assert charts.period_text({"from": None, "to": "2027-01-20"}) == "tot en met 20-01-2027"


def test_dutch_decimals_on_the_ticks_and_the_labels() -> None:
    figure = charts.draw_response(golden("report.json"))
    texts(figure)
    axes = figure.axes[0]
    assert [t.get_text() for t in tick_labels(axes.xaxis)] == ["0", "20", "40", "60", "80", "100"]
    shown = texts(figure)
    # Noord 8 of 14 = 57,142… %, Zuid 5 of 8 = 62,5 %, all 13 of 22 = 59,09… % (README glossary: wijk)
    for label in ("57,1\u00a0%", "62,5\u00a0%", "Alle wijken 59,1\u00a0%"):
        assert label in shown
    assert not any("." in t and t.replace(".", "").isdigit() for t in shown)
    assert (
        charts.tick_text(2.5) == "2,5"
        and charts.tick_text(10000) == "10.000"
        and charts.tick_text(0.25) == "0,25"
    )
    with i18n.using("en"):
        assert charts.tick_text(2.5) == "2.5" and charts.tick_text(10000) == "10,000"


def test_the_funnel_shows_a_small_stage_next_to_a_big_one() -> None:
    counts = [("register", 10000), ("selected", 2400), ("approached", 250), ("spoken", 63), ("referred", 0)]
    figure = charts.draw_funnel(with_funnel(golden("report.json"), counts))
    axes = figure.axes[0]
    assert axes.get_xscale() == "symlog"
    shown = texts(figure)
    for label in ("10.000", "2.400", "250", "63", "0", "Doorverwezen"):
        assert label in shown
    # 63 is a bar one can see: on the log scale at least a third as long as 10.000's (linear: 0,6 %)
    bars = {round(p.get_width()): p.get_window_extent().width for p in axes.patches}
    assert bars[63] > bars[10000] / 3
    # and the largest bar's label is inside the frame, not over its edge
    renderer = figure.canvas.get_renderer()
    label = next(t for t in axes.texts if t.get_text() == "10.000")
    assert label.get_window_extent(renderer).x1 <= axes.get_window_extent(renderer).x1
    assert "Personen (logaritmische schaal)" in shown
    assert_inside(figure)


def test_the_funnel_never_shows_a_code() -> None:
    figure = charts.draw_funnel(
        with_funnel(golden("report.json"), [("selected_ever", 30), ("something_new", 3)])
    )
    shown = texts(figure)
    assert "Ooit geselecteerd" in shown and "Something new" in shown
    assert not any("_" in t for t in shown)


@pytest.mark.parametrize(
    "name", ["response_per_neighbourhood", "active_per_neighbourhood", "funnel", "variants"]
)
def test_an_empty_campaign_says_so(name: str) -> None:
    figure = charts.DRAWERS[name](empty_data())
    shown = texts(figure)
    assert "Nog geen gegevens" in shown
    assert title_and_subtitle(figure)[1] == "alle gegevens, n = 0"
    assert not any(t in shown for t in ("−0.04", "0.04", "−0,04", "0,04"))
    assert not figure.axes[0].axison
    assert_inside(figure)


def test_survey_marks_chart() -> None:
    figure = charts.draw_marks({**golden("report.json"), "satisfaction": golden("survey.json")})
    shown = texts(figure)
    assert title_and_subtitle(figure)[0] == "Cijfer voor de gemeente, per groep (enquête)"
    assert "Cijfer" in shown and "Deel van de cijfers (%)" in shown
    assert any(t.startswith("Deelnemers (n = ") for t in shown)
    assert_inside(figure)


def test_english_with_lang_en() -> None:
    with i18n.using("en"):
        figure = charts.draw_funnel(golden("report.json"))
        shown = texts(figure)
        assert title_and_subtitle(figure) == ("From register to active", "all data, n = 24")
        assert "Register export" in shown and "Approached" in shown
        empty = texts(charts.draw_response(empty_data()))
        assert "No data yet" in empty


def test_the_demo_charts(demo_run, invoke) -> None:
    campaign, _printed = demo_run
    result = invoke("report", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for draw in charts.DRAWERS.values():
        figure = draw(data)
        assert (figure.get_figwidth(), figure.get_figheight()) in ((7.5, 4.5), (6, 4))
        assert_inside(figure)
        assert title_and_subtitle(figure)[1].startswith("alle gegevens, n = ")
        assert "Nog geen gegevens" not in texts(figure)
    funnel = texts(charts.draw_funnel(data))
    assert "Actief geworden" in funnel and "Registerbestand" in funnel
