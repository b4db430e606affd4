"""kansen.toml: presets written by `kansen init` load back exactly; mistakes name the key."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from campaign_helpers import MINIMAL_SETTINGS, make_campaign
from kansen_cli.errors import SettingsError
from kansen_cli.ledger.schema import MIGRATIONS
from kansen_cli.settings import PRESETS, Settings, load_settings, parse_settings, preset, render_settings

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "register_minimal.csv"


@pytest.mark.parametrize("name", PRESETS)
def test_init_writes_a_commented_file_that_loads_back_exactly(invoke, tmp_path, name):
    folder = tmp_path / name
    result = invoke("init", folder, "--preset", name)
    assert result.exit_code == 0, result.stderr
    text = (folder / "kansen.toml").read_text(encoding="utf-8")
    assert load_settings(folder) == preset(name)
    # Commented: every described field's description appears above it.
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 60
    assert "# Target number of people per batch." in text
    assert "[register.columns]" in text
    # An empty ledger at the current schema.
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT count(*) FROM selection_runs").fetchone()[0] == 0
    assert (folder / "kansen.toml").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name", PRESETS)
def test_render_is_valid_toml_for_every_preset(name):
    data = tomllib.loads(render_settings(preset(name), name))
    assert parse_settings(data) == preset(name)


def test_presets_differ_where_municipalities_do():
    assert preset("groningen") == Settings()
    assert "klantmanager" in preset("nijmegen").codebook.referrals
    assert preset("generic").campaign.municipality == "Gemeente"
    # Tilburg: one fixed professional coach per person, caseloads of about 50, every life domain.
    tilburg = preset("tilburg").trajectories.coaches
    assert tilburg and {(c.kind, c.cap) for c in tilburg} == {("professional", 50)}
    assert "wonen" in preset("tilburg").codebook.life_domain
    # Purmerend: ambassadors (themselves on benefit) coach maatjes.
    purmerend = preset("purmerend")
    assert "ambassadeur" in {c.kind for c in purmerend.trajectories.coaches}
    assert "maatje" in purmerend.codebook.referrals
    with pytest.raises(SettingsError, match="onbekende voorinstelling 'utrecht'"):
        preset("utrecht")


def test_init_does_not_overwrite_without_force(invoke, tmp_path):
    assert invoke("init", tmp_path, "--preset", "generic").exit_code == 0
    path = tmp_path / "kansen.toml"
    path.write_text("# mine\n", encoding="utf-8")
    again = invoke("init", tmp_path)
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert invoke("init", tmp_path, "--force").exit_code == 0
    assert load_settings(tmp_path) == preset("groningen")


def test_init_unknown_preset_is_usage_error(invoke, tmp_path):
    result = invoke("init", tmp_path / "x", "--preset", "utrecht")
    assert result.exit_code == 2
    assert not (tmp_path / "x" / "kansen.toml").exists()


@pytest.mark.parametrize(
    ("toml", "key", "what"),
    [
        ("[batch]\nsizes = 3\n", "batch.sizes", "onbekende instelling"),
        ("[batch]\nsize = 'groot'\n", "batch.size", "'groot' is geen geheel getal"),
        ("[register.columns]\nklant = 'Nr'\n", "register.columns.klant", "onbekende instelling"),
        ("[register]\nstore_bsn = 'misschien'\n", "register.store_bsn", "'misschien' is niet true of false"),
        ("[planning]\nworking_days = ['ma', 'zondag']\n", "planning.working_days.1", "'ma'"),
        ("[planning]\nday_start = '25:00'\n", "planning.day_start", "'25:00' is geen tijd"),
        ("colour = 'blue'\n", "colour", "onbekende instelling"),
        ("[selection]\nyears = -1\n", "selection.years", "-1 is te klein; het minimum is 0"),
    ],
)
def test_mistakes_name_the_key(tmp_path, invoke, toml, key, what):
    (tmp_path / "kansen.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert f"{key}:" in message
    assert what in message
    result = invoke("check", MINIMAL, "--campaign", tmp_path)
    assert result.exit_code == 1
    assert key in result.stderr
    assert "Traceback" not in result.stderr


def test_codebook_roles_must_exist(tmp_path):
    (tmp_path / "kansen.toml").write_text("[codebook.roles]\nspoken = 'gepraat'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"roles\.spoken = 'gepraat' is geen code"):
        load_settings(tmp_path)


def test_broken_toml(tmp_path, invoke):
    (tmp_path / "kansen.toml").write_text("[batch\nsize = 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="geen geldige TOML"):
        load_settings(tmp_path)
    assert invoke("check", MINIMAL, "-c", tmp_path).exit_code == 1


def test_partial_file_keeps_other_defaults(tmp_path):
    (tmp_path / "kansen.toml").write_text("[batch]\nsize = 100\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.batch.size == 100
    assert settings.selection == Settings().selection


def test_settings_take_effect(tmp_path, invoke):
    (tmp_path / "kansen.toml").write_text(
        "[register.columns]\nclient_id = 'Relatie'\n[selection]\nexclusions = []\n", encoding="utf-8"
    )
    register = tmp_path / "own.csv"
    register.write_bytes(MINIMAL.read_bytes().replace(b"Klantnummer", b"Relatie"))
    result = invoke("select", register, "-c", tmp_path, "--as-of", "2026-10-01", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"pension_age"' not in result.stdout


def test_every_command_works_with_a_settings_file_that_sets_nothing(tmp_path, invoke):
    folder = tmp_path / "bare"
    folder.mkdir()
    # check reads only: it works in any folder. A ledger needs a campaign (issue 15) ...
    assert invoke("check", MINIMAL, "-c", folder).exit_code == 0
    assert invoke("select", MINIMAL, "-c", folder, "--as-of", "2026-10-01").exit_code == 1
    # ... but its kansen.toml may leave every setting at its default.
    make_campaign(folder)
    assert invoke("select", MINIMAL, "-c", folder, "--as-of", "2026-10-01").exit_code == 0
    assert invoke("batch", "-c", folder).exit_code == 0
    assert invoke("export", "selection", "-c", folder).exit_code == 0
    assert invoke("export", "batches", "-c", folder).exit_code == 0
    assert (folder / "kansen.toml").read_text(encoding="utf-8") == MINIMAL_SETTINGS


def test_init_templates_copies_the_letter_templates_to_edit(invoke, tmp_path) -> None:
    campaign = tmp_path / "campagne"
    result = invoke("init", campaign, "--templates")
    assert result.exit_code == 0, result.stderr
    copied = {p.name for p in (campaign / "templates" / "letters").iterdir()}
    # The variants and the parts a municipality changes most, each its own file to edit.
    assert {"A.html.j2", "B.html.j2", "base.html.j2", "waar.html.j2", "afzender.html.j2"} <= copied
    assert {"ondertekening.html.j2", "huisstijl.css"} <= copied
    # A second init without --force changes nothing and says so.
    again = invoke("init", campaign, "--templates")
    assert again.exit_code == 1 and "bestaat al" in again.stderr


def test_presets_name_their_own_care_team_column_and_contact_routes():
    # From the programmes' own documents: Nijmegen meets at Bedrijvencentrum Groenestraat and
    # its klantmanager re-invites; Amsterdam phones first and meets in the neighbourhood.
    headers = {name: preset(name).register_.columns.care_team for name in PRESETS}
    assert headers["groningen"] == "Bekend bij WIJ-team"
    assert headers["nijmegen"] == "Bekend bij sociaal wijkteam"
    assert headers["amsterdam"] == "Bekend bij Wijkzorgnetwerk"
    nijmegen = preset("nijmegen")
    assert nijmegen.planning.place == "location"
    assert [loc.name for loc in nijmegen.planning.locations] == ["Bedrijvencentrum Groenestraat"]
    assert set(nijmegen.codebook.roles.invite_again) == {"niet_verschenen", "geen_afspraak"}
    assert nijmegen.codebook.roles.referral_without_conversation == ["klantmanager"]
    amsterdam = preset("amsterdam")
    assert {amsterdam.approach_of(v) for v in amsterdam.letters.variants} == {"phone_first"}
    assert "wijkzorgnetwerk" in amsterdam.codebook.referrals
    assert preset("groningen").approach_of("A") == "letter"
    assert preset("groningen").place_of("A") == "home"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"letters": {"approach": {"Z": "phone_first"}}}, "letters.approach: 'Z'"),
        ({"letters": {"place": {"A": "location"}}}, "geen [[planning.locations]]"),
        ({"planning": {"place": "location"}}, "heeft minstens één [[planning.locations]] nodig"),
        ({"codebook": {"roles": {"invite_again": ["weg"]}}}, "roles.invite_again = 'weg'"),
        (
            {"codebook": {"roles": {"became_active": {"wij_team": ["klaar"]}}}},
            "roles.became_active.wij_team = 'klaar'",
        ),
        (
            {"planning": {"locations": [{"code": "a b", "name": "X"}]}},
            "locatiecode 'a b'",
        ),
        (
            {"planning": {"locations": [{"code": "x", "name": "X", "opens": "17:00", "closes": "09:00"}]}},
            "closes moet na opens liggen",
        ),
    ],
)
def test_contact_route_settings_refuse_what_cannot_work(data, key):
    with pytest.raises(SettingsError, match=re.escape(key)):
        parse_settings(data)


def test_a_sample_register_is_written_with_the_campaigns_headers(invoke, tmp_path):
    # Nijmegen names the care-team column its own way; its sample must still select.
    folder = tmp_path / "nijmegen"
    assert invoke("init", folder, "--preset", "nijmegen").exit_code == 0
    register = folder / "register.csv"
    result = invoke("sample", register, "--rows", "40", "--campaign", folder)
    assert result.exit_code == 0, result.stderr
    header = register.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert "Bekend bij sociaal wijkteam" in header
    assert "Bekend bij WIJ-team" not in header
    checked = invoke("check", register, "--campaign", folder, "--json")
    assert checked.exit_code == 0, checked.stderr
