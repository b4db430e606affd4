"""The simulated consultants: plausible proportions, seeded, and workbooks that ingest cleanly."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kansen_cli.settings import Settings, preset
from kansen_cli.simulate import fill_followup, fill_registration, registration_answers
from kansen_cli.workbooks.registration import SHEET as REGISTRATION_SHEET
from registration_helpers import SENT_ON, TODAY, build_campaign, ledger_rows, send_letters


def test_proportions_are_like_groningen():
    settings = Settings()
    roles = settings.codebook.roles
    rng = random.Random(1)
    answers = [registration_answers(rng, settings, SENT_ON, None, TODAY) for _ in range(6000)]
    spoken = [a for a in answers if a["contact_result"] == roles.spoken]
    assert len(spoken) / len(answers) == pytest.approx(0.61, abs=0.03)
    classes = Counter(a["classification"] for a in spoken)
    assert classes[roles.active] / len(spoken) == pytest.approx(0.43, abs=0.03)
    assert classes[roles.work_potential] / len(spoken) == pytest.approx(0.08, abs=0.02)
    home = sum(a["location"] == "thuis" for a in spoken) / len(spoken)
    assert home == pytest.approx(0.90, abs=0.03)
    potential = Counter(a["participation_potential"] for a in spoken)
    share = (potential[roles.potential_self] + potential[roles.potential_support]) / len(spoken)
    assert share == pytest.approx((362 + 63) / 877, abs=0.05)
    referred = [a for a in spoken if a["referrals"]]
    assert all(a["consent"] == roles.consent_yes for a in referred)
    assert len(referred) / len(spoken) == pytest.approx(0.38, abs=0.06)
    destinations = Counter(d for a in referred for d in a["referrals"])
    assert destinations.most_common(1)[0][0] == "coach_meedoen"
    assert all(not a["activities"] or a["classification"] == roles.active for a in spoken)
    assert all(SENT_ON <= a["conversation_date"] <= TODAY for a in spoken)


@pytest.mark.parametrize("preset_name", ["groningen", "nijmegen"])
def test_filled_workbooks_ingest_cleanly(invoke, campaign: Path, small_register: Path, tmp_path, preset_name):
    settings = preset(preset_name)
    batch_id = build_campaign(invoke, campaign, small_register, preset=preset_name)
    send_letters(campaign, batch_id)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    sheet = campaign / "sheets" / f"{batch_id}-registratie.xlsx"
    filled = tmp_path / "gevuld.xlsx"
    counts = fill_registration(
        sheet, filled, seed=3, settings=settings, sent_on=SENT_ON, today=TODAY, blank_share=0.1
    )
    # Seeded: the same seed gives the same workbook contents.
    again = tmp_path / "nogmaals.xlsx"
    fill_registration(sheet, again, seed=3, settings=settings, sent_on=SENT_ON, today=TODAY, blank_share=0.1)
    rows_a = list(load_workbook(filled)[REGISTRATION_SHEET].iter_rows(values_only=True))
    rows_b = list(load_workbook(again)[REGISTRATION_SHEET].iter_rows(values_only=True))
    assert rows_a == rows_b
    # Labels as from the dropdowns, some dates typed as text.
    values = {v for row in rows_a[1:] for v in row}
    assert settings.codebook.contact_result[settings.codebook.roles.spoken] in values
    assert any(isinstance(v, str) and v.count("-") == 2 and v[:2].strip("-").isdigit() for v in values)
    # (by header: the sheet's pre-filled columns come first and may grow)
    spoke_on = rows_a[0].index("Datum gesprek")
    assert any(isinstance(row[spoke_on], dt.datetime) for row in rows_a[1:])

    result = invoke("ingest", filled, "-c", campaign, "--json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["rejected"] == 0
    assert data["new"] == sum(v for k, v in counts.items() if k != "blank")
    assert data["blank"] == counts.get("blank", 0)

    due = TODAY + dt.timedelta(days=200)
    listing = json.loads(invoke("followup", "--due", due.isoformat(), "-c", campaign, "--json").stdout)
    if listing["file"] is None:
        pytest.skip("this seed left nobody to follow up")
    called = tmp_path / "gebeld.xlsx"
    fill_followup(Path(listing["file"]), called, seed=4, settings=settings, called_on=TODAY)
    result = invoke("ingest", called, "-c", campaign, "--json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["rejected"] == 0 and data["new"] == listing["calls"] + listing["referrals"]
    codes = {r["result"] for r in ledger_rows(campaign, "SELECT result FROM followups")}
    assert codes <= set(settings.codebook.followup_result)
