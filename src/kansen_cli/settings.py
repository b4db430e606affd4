"""Settings: `kansen.toml` in the campaign folder, loaded into one typed model.

Every field has a default (Groningen's *Kansen in Kaart*), so every command works without a
settings file. `kansen init --preset` writes the whole model out as a commented TOML file,
so the file a municipality edits always lists every setting with its explanation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kansen_cli.errors import SettingsError
from kansen_cli.i18n import N_, _
from kansen_cli.settings_codebook import Codebook as Codebook  # re-exported: its old home
from kansen_cli.settings_codebook import CodebookRoles as CodebookRoles
from kansen_cli.settings_followup import FollowupSettings
from kansen_cli.settings_letters import AdditionStyle, HouseStyle, LetterLanguages, check_salutation
from kansen_cli.settings_render import render_settings as render_settings  # its old home
from kansen_cli.settings_routes import Approach, CallSettings, Location, Place, RoundSettings
from kansen_cli.settings_trajectories import TrajectorySettings

SETTINGS_FILE = "kansen.toml"
PRESETS = ("groningen", "nijmegen", "amsterdam", "tilburg", "purmerend", "generic")
Weekday = Literal["ma", "di", "wo", "do", "vr", "za", "zo"]
WEEKDAYS: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
# Headers that name a BSN (letters and digits only, lower case): never the client id.
BSN_HEADERS = frozenset(
    {"bsn", "bsnnummer", "bsnnr", "burgerservicenummer", "burgerservicenr", "sofinummer", "sofinr"}
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class CampaignSettings(_Model):
    name: str = Field("Kansen in Kaart", description="Name of the programme, used in letters and reports.")
    municipality: str = Field("Gemeente Groningen", description="Municipality, as it signs letters.")


class ColumnMap(_Model):
    """Header in the register export for each field the tool knows."""

    client_id: str = Field("Klantnummer", description="Client number (required).")
    bsn: str = Field("BSN", description="Citizen service number; checked, shown masked only.")
    initials: str = Field("Voorletters", description="Initials.")
    prefix: str = Field("Tussenvoegsel", description="Surname prefix (van, de, ...).")
    surname: str = Field("Achternaam", description="Surname.")
    street: str = Field("Straat", description="Street.")
    house_number: str = Field("Huisnummer", description="House number.")
    house_number_addition: str = Field("Toevoeging", description="House number addition.")
    postcode: str = Field("Postcode", description="Postcode, any spacing or case.")
    city: str = Field("Woonplaats", description="Town.")
    neighbourhood: str = Field("Wijk", description="Neighbourhood; or give --wijken FILE.")
    birth_date: str = Field("Geboortedatum", description="Date of birth.")
    benefit_start: str = Field("Ingangsdatum uitkering", description="Start of the benefit.")
    last_contact: str = Field("Datum laatste gesprek", description="Date of the last conversation.")
    last_guidance: str = Field(
        "Einddatum laatste traject", description="End of the last guidance or trajectory."
    )
    active_guidance: str = Field("Actieve begeleiding", description="Under active guidance now.")
    care_team: str = Field("Bekend bij WIJ-team", description="Known to the care team.")
    phone: str = Field("Telefoonnummer", description="Phone number, for the reminder call.")
    email: str = Field("E-mailadres", description="E-mail address.")
    language: str = Field("Taal", description="Preferred language.")

    @model_validator(mode="after")
    def _client_id_is_no_bsn(self) -> ColumnMap:
        # Letter files are named by the client id and exports print it, whatever store_bsn says.
        header = "".join(ch for ch in self.client_id.casefold() if ch.isalnum())
        if header == "".join(ch for ch in self.bsn.casefold() if ch.isalnum()) or header in BSN_HEADERS:
            raise ValueError(
                _(
                    "client_id = {client_id!r} names the BSN column: letter files are named "
                    "by the client id and exports print it, so a BSN must never be used for "
                    "that; map another column, such as the client number (Klantnummer)"
                ).format(client_id=self.client_id)
            )
        return self


class RegisterSettings(_Model):
    columns: ColumnMap = Field(default_factory=ColumnMap, description="Register headers.")
    store_bsn: bool = Field(
        False,
        description="Keep the BSN in the ledger. Off: the BSN is checked on reading and dropped.",
    )


class Exclusion(_Model):
    bucket: str = Field(description="Funnel bucket name for people this rule excludes.")
    min_age: int | None = Field(None, description="Exclude people this age or older on the as-of date.")
    max_age: int | None = Field(None, description="Exclude people this age or younger.")

    @model_validator(mode="after")
    def _one_rule(self) -> Exclusion:
        if self.min_age is None and self.max_age is None:
            raise ValueError(_("an exclusion needs min_age or max_age"))
        return self


class SelectionSettings(_Model):
    years: int = Field(2, ge=0, le=50, description="No conversation or guidance for this many years.")
    exclusions: list[Exclusion] = Field(
        default_factory=lambda: [Exclusion(bucket="pension_age", min_age=67)],
        description="Extra exclusions after the standard funnel, in order.",
    )

    def needs_birth_date(self) -> bool:
        """An age rule needs the birth date column; `check` and `select` require it alike."""
        return any(e.min_age is not None or e.max_age is not None for e in self.exclusions)


class BatchSettings(_Model):
    size: int = Field(250, ge=1, description="Target number of people per batch.")
    seed: int = Field(2015, description="Seed for the random assignment of letter variants.")


class LetterSettings(_Model):
    variants: dict[str, str] = Field(
        default_factory=lambda: {
            "A": "Voorstel van een afspraak",
            "B": "Voorstel van een afspraak, met nadruk op vrijwilligheid",
        },
        description="Letter variants: code -> description. Template: templates/letters/<code>.html.j2.",
    )
    sender_department: str = Field("Team Kansen in Kaart", description="Department in the sender block.")
    sender_address: list[str] = Field(
        default_factory=lambda: ["Postbus 30026", "9700 RM Groningen"],
        description="Return address lines.",
    )
    phone: str = Field("050 123 45 67", description="Phone number to move or cancel the appointment.")
    email: str = Field("kanseninkaart@example.nl", description="E-mail address for the same.")
    phone_hours: str = Field("op werkdagen van 9.00 tot 17.00 uur", description="When the phone is answered.")
    signature_name: str = Field("M. de Boer", description="Name under the letter.")
    signature_title: str = Field("Programmaleider Kansen in Kaart", description="Title under the name.")
    addition_style: AdditionStyle = Field(
        "auto",
        description="House number and addition: auto (12-2 for a number, 12 A for a letter),"
        " dash (12-2, 12-A) or space (12 2, 12 A).",
    )
    salutation: str = Field(
        "Beste {title} {surname}",
        description="Salutation; {title} is heer or mevrouw (from the register's gender, when it"
        " has one), {initials}, {surname} (with its prefix: Van der Veen), {name} (J.A. van der Veen).",
    )
    salutation_fallback: str = Field(
        "Beste heer/mevrouw {surname}",
        description="Salutation when a field the first one uses is unknown (no gender, no initials);"
        " without a surname the letter says Geachte heer/mevrouw.",
    )
    privacy_url: str = Field(
        "https://gemeente.example.nl/privacy",
        description="Web page on the privacy of the conversation, named in the privacy paragraph.",
    )
    house_style: HouseStyle = Field(default_factory=HouseStyle)
    language: LetterLanguages = Field(default_factory=LetterLanguages)
    approach: dict[str, Approach] = Field(
        default_factory=dict,
        description="Per variant: letter (the invitation is posted) or phone_first (called first,"
        " `kansen calls`); a variant not named here is a letter.",
    )
    place: dict[str, Place] = Field(
        default_factory=dict,
        description="Per variant: home or location; a variant not named here follows planning.place.",
    )
    confirmation_template: str = Field(
        "bevestiging",
        description="Template of the letter confirming an appointment made by phone:"
        " templates/letters/<name>.html.j2.",
    )
    min_working_days: int = Field(
        5,
        ge=0,
        description="Working days (no public holiday or closed day) needed from the day the letters "
        "go out up to the batch's first appointment (that day not counted): Monday to Monday is 5.",
    )

    @field_validator("salutation", "salutation_fallback")
    @classmethod
    def _salutation(cls, value: str) -> str:
        return check_salutation(value)

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError(_("at least one letter variant is needed"))
        for code in value:
            if not code.replace("_", "").isalnum():
                raise ValueError(
                    _("variant code {code!r} may hold letters, digits and _ only").format(code=code)
                )
        return value


class PlanningSettings(_Model):
    consultants: list[str] = Field(
        default_factory=lambda: [
            "Anouk Dijkstra",
            "Bram Hoekstra",
            "Fatima el Idrissi",
            "Jeroen Postma",
            "Sanne Wiersma",
            "Yusuf Demir",
        ],
        min_length=1,
        description="Conversation specialists who visit people.",
    )
    working_days: list[Weekday] = Field(
        default_factory=lambda: ["ma", "di", "wo", "do", "vr"],  # type: ignore[arg-type]
        min_length=1,
        description="Days on which visits are planned (ma di wo do vr za zo).",
    )
    day_start: dt.time = Field(dt.time(9, 0), description="First appointment starts at.")
    day_end: dt.time = Field(dt.time(17, 0), description="Last appointment ends by.")
    conversation_minutes: int = Field(60, ge=10, le=240, description="Length of a conversation.")
    travel_minutes: int = Field(30, ge=0, le=240, description="Travel time between two visits.")
    closed_days: list[dt.date] = Field(
        default_factory=list, description="Extra days without visits (besides public holidays)."
    )
    place: Place = Field(
        "home",
        description="Where conversations take place: home (the consultant visits, route-planned)"
        " or location (a room at one of the locations below).",
    )
    locations: list[Location] = Field(
        default_factory=list,
        description="Locations for conversations ([[planning.locations]]); a wijk's own location first.",
    )

    @model_validator(mode="after")
    def _hours(self) -> PlanningSettings:
        if self.day_end <= self.day_start:
            raise ValueError(_("day_end must be after day_start"))
        codes = [loc.code for loc in self.locations]
        if len(set(codes)) != len(codes):
            raise ValueError(_("two locations have the same code"))
        if self.place == "location" and not self.locations:
            raise ValueError(_("place = 'location' needs at least one [[planning.locations]]"))
        return self

    def location(self, code: str) -> Location | None:
        return next((loc for loc in self.locations if loc.code == code), None)


class SurveySettings(_Model):
    size: int = Field(25, ge=1, le=10_000, description="People per group (participants, non-participants).")
    seed: int = Field(2016, description="Seed of the random sample: the same seed draws the same people.")
    questions: dict[str, str] = Field(
        default_factory=lambda: {
            "brief_duidelijk": "Was de brief duidelijk?",
            "duur_bekend": "Wist u hoe lang het gesprek zou duren?",
            "datum_kiezen": "Had u de datum zelf willen kiezen?",
        },
        description="Yes/no questions: key -> the question as the caller reads it.",
    )

    @field_validator("questions")
    @classmethod
    def _question_keys(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not key.replace("_", "").isalnum() or not key.isascii():
                raise ValueError(
                    _("question key {key!r} may hold letters, digits and _ only").format(key=key)
                )
        return value


class ReportSettings(_Model):
    publish_threshold: int = Field(5, ge=1, description="--publish hides counts below this.")
    min_denominator: int = Field(10, ge=1, description="--publish shows percentages only from this base.")


class PrivacySettings(_Model):
    pseudonym_key_env: str = Field(
        "KANSEN_PSEUDONYM_KEY",
        description="Environment variable holding the secret for `kansen purge` pseudonyms.",
    )
    pseudonym_key_file: str = Field(
        "",
        description="Or: a file outside the campaign folder holding that secret.",
    )


class Settings(_Model):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)

    campaign: CampaignSettings = Field(default_factory=CampaignSettings)
    # `register` is a BaseModel attribute; the TOML section keeps the natural name.
    register_: RegisterSettings = Field(default_factory=RegisterSettings, alias="register")
    selection: SelectionSettings = Field(default_factory=SelectionSettings)
    batch: BatchSettings = Field(default_factory=BatchSettings)
    letters: LetterSettings = Field(default_factory=LetterSettings)
    planning: PlanningSettings = Field(default_factory=PlanningSettings)
    codebook: Codebook = Field(default_factory=Codebook)
    followup: FollowupSettings = Field(default_factory=FollowupSettings)
    calls: CallSettings = Field(default_factory=CallSettings)
    rounds: RoundSettings = Field(default_factory=RoundSettings)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    trajectories: TrajectorySettings = Field(default_factory=TrajectorySettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)

    @model_validator(mode="after")
    def _variant_routes(self) -> Settings:
        variants = self.letters.variants
        for key in ("approach", "place"):
            for code in getattr(self.letters, key):
                if code not in variants:
                    known = ", ".join(variants)
                    raise ValueError(
                        _("letters.{key}: {code!r} is not a letter variant ({known})").format(
                            key=key, code=code, known=known
                        )
                    )
        if "location" in self.letters.place.values() and not self.planning.locations:
            raise ValueError(_("letters.place names 'location' but there is no [[planning.locations]]"))
        return self

    def approach_of(self, variant: str) -> str:
        """`letter` or `phone_first`: how the people of this variant are approached first."""
        return self.letters.approach.get(variant, "letter")

    def place_of(self, variant: str) -> str:
        """`home` or `location`: where the people of this variant are invited to."""
        return self.letters.place.get(variant, self.planning.place)


def preset(name: str) -> Settings:
    """The built-in settings of a preset (groningen is also the default without a file)."""
    from kansen_cli.settings_presets import AMSTERDAM, GENERIC, NIJMEGEN, PURMEREND, TILBURG

    overrides = {
        "groningen": {},
        "nijmegen": NIJMEGEN,
        "amsterdam": AMSTERDAM,
        "tilburg": TILBURG,
        "purmerend": PURMEREND,
        "generic": GENERIC,
    }.get(name)
    if overrides is None:
        raise SettingsError(
            _("unknown preset {name!r}; choose one of: {PRESETS}").format(
                name=name, PRESETS=", ".join(PRESETS)
            )
        )
    return Settings.model_validate(overrides)


def settings_path(campaign: Path) -> Path:
    return Path(campaign) / SETTINGS_FILE


def load_settings(campaign: Path) -> Settings:
    """Read kansen.toml from the campaign folder, or the Groningen defaults when absent."""
    from kansen_cli.settings_file import read_toml

    path = settings_path(campaign)
    if not path.exists() and not path.is_symlink():
        return Settings()
    return parse_settings(read_toml(path), str(path))


def parse_settings(data: dict[str, Any], source: str = SETTINGS_FILE) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = [_setting_problem(err) for err in exc.errors()]
        raise SettingsError(_("{file}: {problems}").format(file=source, problems="; ".join(lines))) from None


# pydantic's common complaints in words kansen translates; others keep pydantic's (English) text.
_PYDANTIC_MESSAGES = {
    "extra_forbidden": N_("{key}: unknown setting"),
    "missing": N_("{key}: this setting is required"),
    "int_parsing": N_("{key}: {value!r} is not a whole number"),
    "int_type": N_("{key}: {value!r} is not a whole number"),
    "float_parsing": N_("{key}: {value!r} is not a number"),
    "bool_parsing": N_("{key}: {value!r} is not true or false"),
    "string_type": N_("{key}: {value!r} is not text; write it between quotes"),
    "greater_than_equal": N_("{key}: {value!r} is too small; the least is {limit}"),
    "less_than_equal": N_("{key}: {value!r} is too large; the most is {limit}"),
    "greater_than": N_("{key}: {value!r} is too small; it must be more than {limit}"),
    "less_than": N_("{key}: {value!r} is too large; it must be less than {limit}"),
    "literal_error": N_("{key}: {value!r} is not allowed; use one of {expected}"),
    "date_from_datetime_parsing": N_("{key}: {value!r} is not a date; write it as YYYY-MM-DD"),
    "date_parsing": N_("{key}: {value!r} is not a date; write it as YYYY-MM-DD"),
    "time_parsing": N_("{key}: {value!r} is not a time; write it as HH:MM"),
}


def _setting_problem(err: Any) -> str:
    """One pydantic complaint as a person reads it: the key, the value and what would do."""
    key = ".".join(str(part) for part in err["loc"]) or _("(top level)")
    ctx = err.get("ctx") or {}
    if err["type"] == "value_error" and "error" in ctx:
        # kansen's own validators raise messages that are translated already.
        return _("{key}: {error}").format(key=key, error=ctx["error"])
    template = _PYDANTIC_MESSAGES.get(err["type"])
    if template is None:
        return _("{key}: {error}").format(key=key, error=err["msg"])
    limit = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt", ""))))
    return _(template).format(key=key, value=err.get("input"), limit=limit, expected=ctx.get("expected", ""))
