"""Nijmegen's published shares out of the report, from row-level data (issue 12, "Done when").

Doe je mee (Nijmegen) published, after half a year, percentages of "560 geadviseerd": about 7 %
the klantmanager arranges care, 13 % referred to a participatiecoach, 8 % to WerkBedrijf; 13 %
twice did not show up and 16 % wanted no appointment (those two are invited again by the
klantmanager). Here a Nijmegen campaign goes through the tool's own steps and workbooks — init
with the preset, a synthetic register, select, batch, plan at the location, letters, the
registration sheets typed in with labels as consultants would, ingest — with the people laid
down so that exactly those counts result, and the report must print the base and the shares.

The expected percentages are computed below from the counts by hand (exact fractions, rounded
half up to one decimal as the council reads them), never read from the report's code. The report
rounds the float 100 · k / n with Python's round() (cells.pct), which takes an exact tie such as
357/560 = 63,75 % down to 63,7; so the counts here are chosen off the ties (checked below), and
both roundings agree on every figure asserted.
"""

from __future__ import annotations

import json
import random
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from registration_helpers import AS_OF, fill

# The sample register's size whose selection holds exactly 580 people (the preset's rules, the
# sample's default seed): 560 advised + 20 no longer applicable.
ROWS = 1096
APPROACHED = 580
NOT_APPLICABLE = 20
ADVISED = APPROACHED - NOT_APPLICABLE  # 560, Nijmegen's base
# People per contact result / referral, as Nijmegen's evaluation reports them of the 560.
REFERRED = {"Klantmanager": 39, "Participatiecoach": 73, "WerkBedrijf": 45}
NO_SHOW_TWICE, NO_APPOINTMENT = 73, 90
NOT_REACHED = 41  # not 40: 357/560 = 63,75 % would be a rounding tie (see above)
SPOKEN_NO_REFERRAL = ADVISED - sum(REFERRED.values()) - NO_SHOW_TWICE - NO_APPOINTMENT - NOT_REACHED  # 199
SPOKEN = SPOKEN_NO_REFERRAL + sum(REFERRED.values())  # 356

SENT_ON = "2026-10-01"
PLAN_START = "2026-10-12"
SPOKE_ON = "26-10-2026"  # as a consultant types it; after the letters, before the tests' today


def one_decimal(count: int, base: int) -> Decimal:
    """count / base as a percentage, rounded half up to one decimal."""
    exact = Fraction(100 * count, base)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def dutch(value: Decimal) -> str:
    """A percentage as the report prints it: a decimal comma."""
    return f"{value:.1f}".replace(".", ",")


def four_decimals(count: int, base: int) -> float:
    """The JSON's rate: the fraction to four decimals."""
    exact = Fraction(count, base)
    return float(
        (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    )


def _ok(result: Any) -> None:
    assert result.exit_code == 0, result.stdout + result.stderr


def test_no_asserted_share_is_a_rounding_tie() -> None:
    """Half up and the report's float round() differ only on an exact tie (k/n · 1000 ending in ,5)."""
    for n in (*REFERRED.values(), NO_SHOW_TWICE, NO_APPOINTMENT, NOT_REACHED, SPOKEN):
        assert Fraction(1000 * n, ADVISED) % 1 != Fraction(1, 2), n
        assert Fraction(100_000 * n, ADVISED) % 1 != Fraction(1, 2), n  # the JSON's four decimals


def _answers() -> list[dict[str, Any]]:
    """One registration row per approached person, as labels; shuffled so every batch has some of each."""
    spoken = {
        "contact_result": "Gesproken",
        "conversation_date": SPOKE_ON,
        "classification": "Niet maatschappelijk actief",
        "participation_potential": "Wil (meer) doen, met ondersteuning",
        "consent": "Ja",
    }
    rows: list[dict[str, Any]] = []
    for destination, n in REFERRED.items():
        rows += [{**spoken, f"referral:{destination.lower()}": "Ja"} for _ in range(n)]
    rows += [dict(spoken) for _ in range(SPOKEN_NO_REFERRAL)]
    rows += [{"contact_result": "Twee keer niet verschenen"} for _ in range(NO_SHOW_TWICE)]
    rows += [{"contact_result": "Geen afspraak gemaakt"} for _ in range(NO_APPOINTMENT)]
    rows += [{"contact_result": "Niet bereikt"} for _ in range(NOT_REACHED)]
    rows += [{"contact_result": "Vervallen (verhuisd of uitkering beëindigd)"} for _ in range(NOT_APPLICABLE)]
    assert len(rows) == APPROACHED
    random.Random(560).shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def nijmegen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole campaign through the CLI; returns the report (md and JSON) and the ledger's facts."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app

    runner = CliRunner()

    def invoke(*args: Any) -> Any:
        return runner.invoke(app, [str(a) for a in args])

    folder = tmp_path_factory.mktemp("nijmegen")
    campaign = folder / "campaign"
    _ok(invoke("init", campaign, "--preset", "nijmegen", "--force"))
    register = folder / "register.csv"
    _ok(invoke("sample", register, "--rows", ROWS, "-c", campaign))
    selected = invoke("select", register, "--as-of", AS_OF, "-c", campaign, "--json")
    _ok(selected)
    assert json.loads(selected.stdout)["selected"] == APPROACHED, (
        "the sample register changed: pick ROWS anew"
    )
    made = invoke("batch", "-c", campaign, "--json")
    _ok(made)
    batches = [b["batch"] for b in json.loads(made.stdout)["batches"]]

    answers = iter(_answers())
    filled: list[Path] = []
    for batch in batches:
        # The preset meets at Bedrijvencentrum Groenestraat: plan takes the place from it.
        _ok(invoke("plan", batch, "--start", PLAN_START, "-c", campaign))
        _ok(invoke("letters", batch, "--sent-on", SENT_ON, "--format", "html", "-c", campaign))
        blank, typed = folder / f"{batch}.xlsx", folder / f"{batch}-ingevuld.xlsx"
        _ok(invoke("sheet", batch, "--out", blank, "-c", campaign))
        with sqlite3.connect(campaign / "kansen.sqlite") as db:
            people = [
                r[0] for r in db.execute("SELECT client_id FROM batch_members WHERE batch_id = ?", (batch,))
            ]
        fill(blank, typed, {cid: next(answers) for cid in people})
        filled.append(typed)
    assert next(answers, None) is None  # every approached person has a row
    _ok(invoke("ingest", *filled, "-c", campaign))

    md = invoke("report", "--format", "md", "-c", campaign)
    _ok(md)
    js = invoke("report", "--format", "json", "-c", campaign)
    _ok(js)
    published = invoke("report", "--format", "json", "--publish", "-c", campaign)
    _ok(published)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        locations = {r[0] for r in db.execute("SELECT DISTINCT location FROM appointments")}
        invite_again = {
            cid
            for (cid,) in db.execute(
                "SELECT client_id FROM outcomes WHERE contact_result IN ('niet_verschenen', 'geen_afspraak')"
            )
        }
    round_two = invoke("batch", "--round", "2", "-c", campaign, "--json")
    _ok(round_two)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        in_round_two = [r[0] for r in db.execute("SELECT client_id FROM round_members")]
    return {
        "campaign": campaign,
        "md": md.stdout,
        "json": json.loads(js.stdout),
        "published": json.loads(published.stdout),
        "locations": locations,
        "invite_again": invite_again,
        "round_two": json.loads(round_two.stdout),
        "in_round_two": in_round_two,
    }


def _tables(markdown: str) -> dict[str, list[list[str]]]:
    """Per '## ' heading, the table's body rows as cell texts (header and rule left out)."""
    tables: dict[str, list[list[str]]] = {}
    title = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            tables[title] = []
        elif line.startswith("|") and title:
            tables[title].append([c.strip() for c in line.strip("|").split("|")])
    return {t: rows[2:] for t, rows in tables.items()}


def _row(table: list[list[str]], first: str) -> list[str]:
    [row] = [r for r in table if r[0] == first]
    return row


def test_the_campaign_met_at_the_location(nijmegen: dict[str, Any]) -> None:
    assert nijmegen["locations"] == {"groenestraat"}


def test_the_base_560_is_printed(nijmegen: dict[str, Any]) -> None:
    base = _tables(nijmegen["md"])["Basis voor de percentages"]
    assert _row(base, "Benaderd")[1] == "580"
    assert _row(base, "Niet meer van toepassing: vervallen")[1] == "20"
    assert _row(base, "**Geadviseerd (basis)**")[1] == "560"


def test_referral_shares_printed_as_nijmegen_published_them(nijmegen: dict[str, Any]) -> None:
    table = _tables(nijmegen["md"])["Verwijzingen per bestemming en hun resultaat"]
    # By hand: 39/560 = 6,96… → 7,0; 73/560 = 13,04… → 13,0; 45/560 = 8,04… → 8,0.
    expected = {"Klantmanager": "7,0", "Participatiecoach": "13,0", "WerkBedrijf": "8,0"}
    for destination, n in REFERRED.items():
        assert dutch(one_decimal(n, ADVISED)) == expected[destination]
        assert _row(table, destination)[1:3] == [str(n), expected[destination]]
    # Nijmegen printed whole percentages: 7, 13 and 8.
    assert [round(Fraction(100 * n, ADVISED)) for n in REFERRED.values()] == [7, 13, 8]


def test_contact_result_shares_printed(nijmegen: dict[str, Any]) -> None:
    table = _tables(nijmegen["md"])["Resultaat van de benadering (% van geadviseerd)"]
    # By hand: 73/560 = 13,04… → 13,0; 90/560 = 16,07… → 16,1; 356/560 = 63,57… → 63,6; 41/560 = 7,32… → 7,3.
    assert _row(table, "Twee keer niet verschenen")[1:] == ["73", "13,0"]
    assert _row(table, "Geen afspraak gemaakt")[1:] == ["90", "16,1"]
    assert _row(table, "Gesproken")[1:] == ["356", "63,6"]
    assert _row(table, "Niet bereikt")[1:] == ["41", "7,3"]
    assert _row(table, "**Geadviseerd (basis)**")[1:] == ["560", "100,0"]
    assert not [r for r in table if r[0].startswith("Vervallen")]  # outside the base
    assert [round(Fraction(100 * n, ADVISED)) for n in (NO_SHOW_TWICE, NO_APPOINTMENT)] == [13, 16]


def test_the_json_holds_the_same_shares(nijmegen: dict[str, Any]) -> None:
    data = nijmegen["json"]
    assert (data["approached"], data["advised"], data["not_applicable"]) == (580, 560, {"vervallen": 20})
    assert data["referrals"] == {"klantmanager": 39, "participatiecoach": 73, "werkbedrijf": 45}
    assert data["referral_shares"] == {
        "klantmanager": 0.0696,  # 39/560 = 0.069642…
        "participatiecoach": 0.1304,  # 73/560 = 0.130357…
        "werkbedrijf": 0.0804,  # 45/560 = 0.080357…
    }
    assert data["referral_shares"]["klantmanager"] == four_decimals(39, 560)
    shares = data["contact_result_shares"]
    assert shares["niet_verschenen"] == 0.1304 == four_decimals(NO_SHOW_TWICE, ADVISED)
    assert shares["geen_afspraak"] == 0.1607 == four_decimals(NO_APPOINTMENT, ADVISED)
    assert shares["gesproken"] == 0.6357 == four_decimals(SPOKEN, ADVISED)  # 356/560 = 0.635714…
    assert "vervallen" not in shares
    assert data["contact_results"]["niet_verschenen"] == NO_SHOW_TWICE
    assert data["contact_results"]["geen_afspraak"] == NO_APPOINTMENT


def test_the_13_and_16_percent_are_the_invite_again_results(nijmegen: dict[str, Any]) -> None:
    from kansen_cli.settings import load_settings

    roles = load_settings(nijmegen["campaign"]).codebook.roles
    assert set(roles.invite_again) == {"niet_verschenen", "geen_afspraak"}
    shares = nijmegen["json"]["contact_result_shares"]
    assert {code: shares[code] for code in roles.invite_again} == {
        "niet_verschenen": four_decimals(73, 560),
        "geen_afspraak": four_decimals(90, 560),
    }


def test_round_two_invites_exactly_the_73_plus_90_again(nijmegen: dict[str, Any]) -> None:
    made = nijmegen["round_two"]
    assert made["round"] == 2
    assert made["added"] == NO_SHOW_TWICE + NO_APPOINTMENT == 163
    assert sum(b["size"] for b in made["batches"]) == 163
    assert all(b["batch"] == f"{b['parent']}-r2" for b in made["batches"])
    in_round_two = nijmegen["in_round_two"]
    assert len(in_round_two) == len(set(in_round_two)) == 163
    assert set(in_round_two) == nijmegen["invite_again"]


def test_publishing_hides_none_of_these_shares(nijmegen: dict[str, Any]) -> None:
    """The council's figures are all far above the publication threshold: --publish prints them too."""
    data, published = nijmegen["json"], nijmegen["published"]
    assert published["published"] is True
    for key in ("advised", "not_applicable", "referrals", "referral_shares", "contact_result_shares"):
        assert published[key] == data[key], key
