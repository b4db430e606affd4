"""Invitation letters: the fields of each letter, the pre-flight, the mail merge and call list.

Every letter field is text, formatted the way the letter prints it (dates written out in
Dutch by babel), so the same fields feed the templates, the mail-merge workbook and the
reminder-call list. Where the templates are and how a campaign overrides them is
`letter_templates`; rendering to HTML and PDF is `letter_render`.

Before anything is written, `preflight` checks every field every template needs for every
person, and reports all gaps at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import TemplateFieldError
from kansen_cli.i18n import N_, _, day
from kansen_cli.letter_format import address_line as address_line  # re-exported: its old home
from kansen_cli.letter_format import format_postcode as format_postcode
from kansen_cli.letter_format import postcode_city, salutation
from kansen_cli.letter_format import text as _text
from kansen_cli.letter_templates import letter_template, template_name, template_variables

if TYPE_CHECKING:
    import pandas as pd
    from jinja2.sandbox import SandboxedEnvironment

    from kansen_cli.planning import Calendar
    from kansen_cli.settings import LetterSettings, Settings

Fields = dict[str, str | None]

# Fields that may be empty for some people without anything being wrong (most people have
# no surname prefix or house number addition); a template using them just prints nothing.
OPTIONAL_FIELDS = frozenset(
    {"initials", "prefix", "house_number_addition", "phone", "email", "language", "language_code"}
)
# Fields that come from the plan, not the register: their absence means "run kansen plan".
APPOINTMENT_FIELDS = frozenset(
    {"date", "date_numeric", "date_en", "time", "start_time", "end_time", "consultant", "call_date"}
)
ADDRESS_FIELDS = frozenset({"street", "house_number", "street_line", "postcode", "city", "postcode_city"})
# Where the conversation is: empty for people seen at home, so the packaged waar.html.j2 can
# name them for everyone and the pre-flight asks them only of people who come to a location.
LOCATION_FIELDS = frozenset({"location_name", "location_address", "location_directions"})
# A location need not say how to reach it; the letter then leaves that sentence out.
OPTIONAL_LOCATION_FIELDS = frozenset({"location_directions"})


# --- fields -------------------------------------------------------------------------------


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def format_time(value: dt.time) -> str:
    """Dutch clock time in a letter: 9.00 uur."""
    return f"{value.hour}.{value.minute:02d} uur"


def duration_text(minutes: int) -> str:
    """How long the conversation takes, in plain Dutch."""
    if minutes == 60:
        return "ongeveer een uur"
    if minutes == 90:
        return "ongeveer anderhalf uur"
    if minutes % 60 == 0:
        return f"ongeveer {minutes // 60} uur"
    return f"ongeveer {minutes} minuten"


def long_date(day: dt.date, locale: str = "nl") -> str:
    """25 november 2026."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=locale))


def full_date(day: dt.date, locale: str = "nl") -> str:
    """maandag 2 november 2026 (in English: Monday, 2 November 2026)."""
    from babel.dates import format_date

    return str(format_date(day, format="full", locale=locale))


def sender_fields(settings: Settings, sent_on: dt.date) -> dict[str, str]:
    """What every letter of the campaign shares: sender block, contact details, signature."""
    letters = settings.letters
    return {
        "letter_date": long_date(sent_on),
        "letter_date_en": long_date(sent_on, "en_GB"),
        "municipality": settings.campaign.municipality,
        "campaign_name": settings.campaign.name,
        "sender_department": letters.sender_department,
        "sender_address": ", ".join(letters.sender_address),
        "office_phone": letters.phone,
        "office_email": letters.email,
        "phone_hours": letters.phone_hours,
        "signature_name": letters.signature_name,
        "signature_title": letters.signature_title,
        "privacy_url": letters.privacy_url,
        "duration": duration_text(settings.planning.conversation_minutes),
        "duration_minutes": str(settings.planning.conversation_minutes),
    }


def person_fields(
    row: Mapping[str, Any],
    calendar: Calendar | None = None,
    sent_on: dt.date | None = None,
    letters: LetterSettings | None = None,
) -> Fields:
    """The letter fields of one person (a row of `ledger.letters.letter_people`).

    The reminder call (`call_date`) is on the open day before the appointment, but never
    before the letter goes out (`sent_on`): nobody is phoned about a letter not yet sent.
    The address and salutation follow `letters` ([letters] settings; the defaults without).
    """
    if letters is None:
        from kansen_cli.settings import LetterSettings

        letters = LetterSettings()
    initials, prefix, surname = (
        _text(row.get("initials")),
        _text(row.get("prefix")),
        _text(row.get("surname")),
    )
    street, number = _text(row.get("street")), _text(row.get("house_number"))
    addition = _text(row.get("house_number_addition"))
    postcode, city = format_postcode(_text(row.get("postcode"))), _text(row.get("city"))
    language = _text(row.get("language"))
    name = _join(initials, prefix, surname) if surname else None
    fields: Fields = {
        "batch_id": _text(row.get("batch_id")),
        "client_id": _text(row.get("client_id")),
        "variant": _text(row.get("variant")),
        # The template this person's letter is made from: the variant's own, unless the route
        # says otherwise (a confirmation after a phone call, a later round's letter).
        "template": _text(row.get("template")) or _text(row.get("variant")),
        "initials": initials,
        "prefix": prefix,
        "surname": surname,
        "name": name,
        "salutation": salutation(
            letters.salutation,
            letters.salutation_fallback,
            initials=initials,
            prefix=prefix,
            surname=surname,
            gender=row.get("gender"),
        )
        if surname
        else None,
        "street": street,
        "house_number": number,
        "house_number_addition": addition,
        "street_line": address_line(street, number, addition, letters.addition_style)
        if street and number
        else None,
        "postcode": postcode,
        "city": city,
        "postcode_city": postcode_city(postcode, city),
        "phone": _text(row.get("phone")),
        "email": _text(row.get("email")),
        "language": language,
        # The code of the person's language ([letters.language] codes): their letter comes with
        # a translation when the campaign has a template in that language.
        "language_code": letters.language.code_of(language),
    }
    date_text, start_text = _text(row.get("appointment_date")), _text(row.get("appointment_start"))
    end_text, consultant = _text(row.get("appointment_end")), _text(row.get("consultant"))
    if date_text and start_text and end_text and consultant:
        day = dt.date.fromisoformat(date_text)
        fields.update(
            date=full_date(day),
            date_numeric=f"{day:%d-%m-%Y}",
            date_en=full_date(day, "en_GB"),
            time=format_time(dt.time.fromisoformat(start_text)),
            start_time=f"{dt.time.fromisoformat(start_text):%H:%M}",
            end_time=format_time(dt.time.fromisoformat(end_text)),
            consultant=consultant,
            call_date=full_date(call_day(calendar, day, sent_on)) if calendar else None,
        )
    else:
        fields.update(dict.fromkeys(sorted(APPOINTMENT_FIELDS)))
    return fields


def call_day(calendar: Calendar, appointment: dt.date, sent_on: dt.date | None) -> dt.date:
    """The open day before the appointment, or the send date when that open day lies before it
    (a letter sent on Saturday for Monday: the call is on Saturday, not on the Friday before)."""
    day = calendar.previous_open_day(appointment)
    return day if sent_on is None else max(day, sent_on)


def place_fields(row: Mapping[str, Any], settings: Settings) -> Fields:
    """Where a person meets: `place` (home or location) and the location's name, address (one
    line) and directions. From the appointment's location when planned, else the variant's
    place; a location person not yet planned has no location fields (the pre-flight says so)."""
    code = _text(row.get("location"))
    planned = _text(row.get("appointment_date")) is not None
    place = (
        "location" if code else ("home" if planned else settings.place_of(_text(row.get("variant")) or ""))
    )
    location = settings.planning.location(code) if code else None
    if place == "home":
        return {"place": place, "location_name": "", "location_address": "", "location_directions": ""}
    return {
        "place": place,
        "location_name": location.name if location else None,
        "location_address": (location.one_line_address() or None) if location else None,
        "location_directions": location.directions if location else "",
    }


def sort_key(fields: Fields) -> tuple[str, int, str, str]:
    """Post-room order: postcode, house number, addition."""
    number = fields.get("house_number") or ""
    return (
        fields.get("postcode") or "~",
        int(number) if number.isdigit() else 0,
        fields.get("house_number_addition") or "",
        fields.get("client_id") or "",
    )


def later_round_fields(settings: Settings) -> dict[str, str]:
    """A later round's letter: the `[rounds]` template, and its sender where one is set (the
    klantmanager inviting again); an empty override keeps round 1's."""
    rounds = settings.rounds
    overrides = {
        "sender_department": rounds.sender_department,
        "signature_name": rounds.signature_name,
        "signature_title": rounds.signature_title,
    }
    return {"template": rounds.template} | {k: v for k, v in overrides.items() if v}


def letter_fields(people: pd.DataFrame, settings: Settings, sent_on: dt.date) -> list[Fields]:
    """Every person's letter fields (person + sender), sorted by postcode for the post room."""
    from kansen_cli.planning import Calendar

    calendar = Calendar(settings.planning, sent_on.year)
    shared = sender_fields(settings, sent_on)
    later = later_round_fields(settings)
    out = []
    for row in people.to_dict("records"):
        fields = person_fields(row, calendar, sent_on, settings.letters)
        fields.update(place_fields(row, settings))
        fields.update(shared)
        if int(row.get("round") or 1) > 1:
            fields.update(later)
        out.append(fields)
    return sorted(out, key=sort_key)


# --- pre-flight ---------------------------------------------------------------------------


def _hint(field: str, batch_id: str) -> str:
    if field in APPOINTMENT_FIELDS:
        return _("no appointment; run `kansen plan {batch} --start DATE`").format(batch=batch_id)
    if field in LOCATION_FIELDS:
        return _(
            "no location; run `kansen plan {batch} --start DATE`, or fill in [[planning.locations]]"
        ).format(batch=batch_id)
    if field in ADDRESS_FIELDS or field in ("name", "salutation", "surname"):
        return _("missing in the register export")
    return _("no such field; see the mail-merge workbook's columns for the fields there are")


def _fields_templates_need(
    env: SandboxedEnvironment, letters: Sequence[Fields], problems: list[str]
) -> dict[str, set[str]]:
    """The fields each letter template and translation template asks for; a template that is
    missing or does not parse is added to `problems`."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    from kansen_cli.letter_templates import translation_template

    needed: dict[str, set[str]] = {}
    others = sorted({o for f in letters if (o := translation_template(env, f))})
    for template in sorted({letter_template(f) for f in letters}):
        try:
            needed[template] = template_variables(env, template_name(template))
        except TemplateNotFound as exc:
            problems.append(
                _(
                    "no template {name!r} for letter {template!r}; "
                    "add templates/letters/{file} to the campaign folder"
                ).format(name=exc.name, template=template, file=template_name(template))
            )
        except TemplateSyntaxError as exc:
            problems.append(
                _("template {name} line {line}: {error}").format(
                    name=exc.name or template_name(template), line=exc.lineno, error=exc.message
                )
            )
    for other in others:
        try:
            needed[other] = template_variables(env, other)
        except TemplateSyntaxError as exc:
            problems.append(
                _("template {name} line {line}: {error}").format(
                    name=exc.name or other, line=exc.lineno, error=exc.message
                )
            )
    return needed


def preflight(
    env: SandboxedEnvironment,
    letters: Sequence[Fields],
    batch_id: str,
    sent_on: dt.date | None = None,
) -> None:
    """Check every field every person's template needs, for all people, before writing anything.

    Raises TemplateFieldError listing each field that is missing or empty and for how many
    people; also when a variant has no template, or an appointment is not after the letter date.
    """
    from kansen_cli.letter_templates import translation_template

    problems: list[str] = []
    needed = _fields_templates_need(env, letters, problems)
    missing: dict[str, int] = {}
    for fields in letters:
        translation = translation_template(env, fields) or ""
        wanted = needed.get(letter_template(fields), set()) | needed.get(translation, set())
        for name in sorted(wanted):
            if name in OPTIONAL_FIELDS and name in fields:
                continue
            # Home people have no location; a location need not give directions.
            at_home = fields.get("place") == "home"
            if name in LOCATION_FIELDS and name in fields and (at_home or name in OPTIONAL_LOCATION_FIELDS):
                continue
            if fields.get(name) in (None, ""):
                missing[name] = missing.get(name, 0) + 1
    for name, count in sorted(missing.items()):
        problems.append(
            _("field {name!r} is missing or empty for {count} of {total} people ({hint})").format(
                name=name, count=count, total=len(letters), hint=_hint(name, batch_id)
            )
        )
    if sent_on is not None and "date_numeric" not in missing:
        early = sum(
            1
            for f in letters
            if f.get("date_numeric")
            and dt.datetime.strptime(str(f["date_numeric"]), "%d-%m-%Y").date() <= sent_on
        )
        if early:
            problems.append(
                _(
                    "{early} people have an appointment on or before the letter date {date}; "
                    "plan again with `kansen plan {batch} --start DATE --force` or change --sent-on"
                ).format(early=early, date=day(sent_on), batch=batch_id)
            )
    if problems:
        raise TemplateFieldError(
            _("letters for batch {batch!r} not made, nothing written: {problems}").format(
                batch=batch_id, problems="; ".join(problems)
            )
        )


# --- workbooks ----------------------------------------------------------------------------

# The call list's columns: letter field -> header (translated when written). `call_result` is
# no letter field: the caller picks the call's result there from a dropdown.
CALL_COLUMNS = {
    "call_date": N_("Call date"),
    "date": N_("Appointment"),
    "time": N_("Time"),
    "client_id": N_("Client number"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "consultant": N_("Consultant"),
    "location_name": N_("Location"),
    "location_address": N_("Location address"),
    "call_result": N_("Result of the call"),
}
CALL_SHEET = N_("Call list")
NO_PHONE_SHEET = N_("No phone number")


def mailmerge_frame(letters: Sequence[Fields]) -> pd.DataFrame:
    """One row per person, every letter field as text, for Word's mail merge; the columns are
    the fixed merge field names (`workbooks.tables.MERGE_FIELDS`)."""
    import pandas as pd

    from kansen_cli.workbooks.tables import merge_field

    columns = list(letters[0]) if letters else [k for k in CALL_COLUMNS if k != "call_result"]
    return pd.DataFrame(
        [[f.get(c) or "" for c in columns] for f in letters],
        columns=[merge_field(c) for c in columns],
        dtype=object,
    )


def call_lists(letters: Sequence[Fields]) -> dict[str, pd.DataFrame]:
    """The reminder-call list: per appointment day who to phone the open day before; no phone apart.
    Headers and sheet names in the language of the moment."""
    import pandas as pd

    def order(f: Fields) -> tuple[str, str, str]:
        numeric = f.get("date_numeric") or "00-00-0000"
        day = f"{numeric[6:]}{numeric[3:5]}{numeric[:2]}"
        start = f.get("time") or ""
        return day, start.rjust(9, "0"), f.get("client_id") or ""

    ordered = sorted(letters, key=order)
    with_phone = [f for f in ordered if f.get("phone")]
    without = [f for f in ordered if not f.get("phone")]

    def frame(rows: list[Fields], columns: dict[str, str]) -> pd.DataFrame:
        return pd.DataFrame(
            [[r.get(c) or "" for c in columns] for r in rows],
            columns=[_(header) for header in columns.values()],
            dtype=object,
        )

    no_phone_columns = {k: v for k, v in CALL_COLUMNS.items() if k not in ("phone", "call_result")}
    no_phone_columns.update(street_line=N_("Address"), postcode_city=N_("Postcode and city"))
    return {
        _(CALL_SHEET): frame(with_phone, CALL_COLUMNS),
        _(NO_PHONE_SHEET): frame(without, no_phone_columns),
    }
