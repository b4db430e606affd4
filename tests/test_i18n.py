"""One language per user: the Dutch catalogue is complete and compiled, the language is chosen
by --lang, KANSEN_LANG or the default (Dutch), and numbers and dates read as people write them."""

from __future__ import annotations

import datetime as dt
import gettext
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansen_cli import i18n, i18n_catalog


def test_every_message_has_a_dutch_translation():
    missing = i18n_catalog.untranslated(i18n_catalog.read_catalogue(), i18n_catalog.wanted())
    assert missing == [], f"{len(missing)} without Dutch: run `make translations`; first: {missing[:5]}"


def test_the_compiled_catalogue_is_the_po_files():
    shipped = gettext.GNUTranslations(i18n_catalog.MO_PATH.open("rb"))
    fresh = gettext.GNUTranslations(io.BytesIO(i18n_catalog.compiled(i18n_catalog.read_catalogue())))
    assert shipped._catalog == fresh._catalog, "run `make translations` to compile the .po files"  # type: ignore[attr-defined]


def test_a_message_translated_two_ways_is_refused(tmp_path):
    for name, text in (("a.po", "een"), ("b.po", "twee")):
        (tmp_path / name).write_text(f'msgid "one"\nmsgstr "{text}"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="differently"):
        i18n_catalog.read_catalogue(sorted(tmp_path.glob("*.po")))


def test_untranslated_sees_empty_and_fuzzy_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid "done"\nmsgstr "klaar"\n\nmsgid "empty"\nmsgstr ""\n\n#, fuzzy\nmsgid "guess"\nmsgstr "gok"\n',
        encoding="utf-8",
    )
    catalogue = i18n_catalog.read_catalogue([po])
    assert i18n_catalog.untranslated(catalogue, ["done", "empty", "guess", "absent"]) == [
        "empty",
        "guess",
        "absent",
    ]


def test_dutch_is_the_default_and_english_is_chosen(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    with i18n.using("nl"):
        assert i18n._("Options") == "Opties"
    monkeypatch.setenv(i18n.LANG_ENV, "en_GB.UTF-8")
    assert i18n.set_language(None) == "en"
    assert i18n._("Options") == "Options"
    monkeypatch.setenv(i18n.LANG_ENV, "klingon")  # not a language kansen has: the default
    assert i18n.set_language(None) == "nl"
    with pytest.raises(i18n.UnknownLanguage):
        i18n.set_language("fr")


@pytest.mark.parametrize(
    ("lang", "value", "digits", "expected"),
    [
        ("nl", 27.55, 1, "27,6"),  # half up, as by hand (half to even would give 27,6 too: see next)
        ("nl", 0.125, 2, "0,13"),  # half to even would say 0,12
        ("nl", 12345.5, 0, "12.346"),
        ("en", 12345.5, 1, "12,345.5"),
        ("en", 2.5, 0, "3"),
    ],
)
def test_numbers_read_as_people_write_them(lang, value, digits, expected):
    with i18n.using(lang):
        assert i18n.number(value, digits) == expected


def test_percent_says_when_nothing_is_known_yet():
    with i18n.using("nl"):
        assert i18n.percent(None) == "nog geen resultaat"
        assert i18n.percent(58.24) == "58,2\u00a0%"
    with i18n.using("en"):
        assert i18n.percent(None) == "no result yet"


def test_dates_read_as_people_write_them():
    with i18n.using("nl"):
        assert i18n.day(dt.date(2026, 10, 12)) == "12-10-2026"
    with i18n.using("en"):
        assert i18n.day(dt.date(2026, 10, 12)) == "12 Oct 2026"


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=99))
def test_dutch_numbers_round_trip(whole, hundredths):
    value = whole + (hundredths / 100 if whole >= 0 else -hundredths / 100)
    with i18n.using("nl"):
        text = i18n.number(value, 2)
    # A second plain reading: drop the thousands dots, the comma is the decimal point.
    assert round(float(text.replace(".", "").replace(",", ".")), 2) == round(value, 2)


def test_usage_errors_are_said_in_dutch(invoke):
    result = invoke("select")
    assert result.exit_code == 2
    assert "Argument 'REGISTER' ontbreekt." in result.stderr and "Gebruik:" in result.stderr


def test_lang_en_keeps_english(invoke):
    result = invoke("--lang", "en", "select")
    assert result.exit_code == 2
    assert "Missing argument 'REGISTER'." in result.stderr


def test_an_unknown_language_is_a_usage_error(invoke):
    result = invoke("--lang", "fr", "--help")
    assert result.exit_code == 2 and "nl of en" in result.stderr


def test_a_json_usage_error_is_a_json_object_on_stderr(invoke):
    import json

    result = invoke("select", "x.csv", "--as-of", "2026-13-01", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    error = json.loads(result.stderr)
    assert error["exit_code"] == 2 and error["error"]["kind"] == "usage"
    assert "--as-of" in error["error"]["message"]


def test_root_options_go_first_wherever_typed():
    from kansen_cli.cli import _root_options_first

    assert _root_options_first(["select", "--help", "--lang", "en", "--debug"]) == [
        "--lang",
        "en",
        "--debug",
        "select",
        "--help",
    ]
    assert _root_options_first(["select", "--", "--lang"]) == ["select", "--", "--lang"]


def test_version_is_the_installed_package(invoke):
    from importlib.metadata import version

    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"kansen {version('kansen_cli')}"
