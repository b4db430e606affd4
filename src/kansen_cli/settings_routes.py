"""Settings of the contact routes (issue 12): where conversations take place, phone first, rounds.

Its own module so that `settings.py` stays small. `planning.locations` and `planning.place`
say where people meet (`home`: the consultant visits, route-planned; `location`: a room at a
location, slots filled per room); `letters.approach` and `letters.place` let a letter variant
carry its own approach (`letter` or `phone_first`) and place, so that the random assignment of
variants within each batch compares them fairly; `[calls]` holds the retry rules of the phone
calls and `[rounds]` who sends the invitations of a later round.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kansen_cli.i18n import _

Place = Literal["home", "location"]
PLACES: tuple[str, ...] = ("home", "location")
Approach = Literal["letter", "phone_first"]
PartOfDay = Literal["ochtend", "middag", "avond"]
PARTS_OF_DAY: tuple[str, ...] = ("ochtend", "middag", "avond")
# Channels of a contact attempt, as the ledger stores them (contact_attempts.channel).
CHANNELS: tuple[str, ...] = ("letter", "phone", "doorstep", "reinvitation")
Weekday = Literal["ma", "di", "wo", "do", "vr", "za", "zo"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Location(_Model):
    """A place where conversations are held (Nijmegen's Bedrijvencentrum Groenestraat)."""

    code: str = Field(description="Short code, stored in the ledger (letters, digits, _ and -).")
    name: str = Field(description="Name as letters and workbooks show it.")
    address: list[str] = Field(
        default_factory=list, description="Address lines: street and number, postcode and town."
    )
    directions: str = Field("", description="How to get there, as the letter says it (bus, parking).")
    rooms: int = Field(1, ge=1, le=50, description="Conversations that can be held at the same time.")
    days: list[Weekday] = Field(
        default_factory=lambda: ["ma", "di", "wo", "do", "vr"],  # type: ignore[arg-type]
        min_length=1,
        description="Days the location is open (ma di wo do vr za zo).",
    )
    opens: dt.time = Field(dt.time(9, 0), description="First conversation starts at.")
    closes: dt.time = Field(dt.time(17, 0), description="Last conversation ends by.")
    closed_days: list[dt.date] = Field(
        default_factory=list, description="Days the location is closed (besides public holidays)."
    )
    wijken: list[str] = Field(
        default_factory=list, description="Wijken whose people come here first; empty: every wijk."
    )

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value or not value.isascii() or not value.replace("_", "").replace("-", "").isalnum():
            raise ValueError(
                _("location code {value!r} may hold letters, digits, _ and - only").format(value=value)
            )
        return value

    @model_validator(mode="after")
    def _hours(self) -> Location:
        if self.closes <= self.opens:
            raise ValueError(_("location {code}: closes must be after opens").format(code=self.code))
        return self

    def one_line_address(self) -> str:
        return ", ".join(line for line in self.address if line)


class CallSettings(_Model):
    """`[calls]`: the retry rules of phone-first calls (`kansen calls`)."""

    max_attempts: int = Field(
        3, ge=1, le=20, description="Calls without reaching someone before the invitation letter goes."
    )
    days_between: int = Field(2, ge=0, le=60, description="Days from one call to the next to one person.")
    vary_part_of_day: bool = Field(
        True, description="Call at another part of the day (ochtend, middag, avond) than the calls before."
    )
    same_day: bool = Field(False, description="Allow a second call to the same person on the same day.")


class RoundSettings(_Model):
    """`[rounds]`: invitations that do not give up (a later round for whom the codebook says so)."""

    max_round: int = Field(
        2, ge=1, le=9, description="Highest round `kansen batch --round` may make (1: no later rounds)."
    )
    template: str = Field(
        "herinvitatie",
        description="Letter template of a later round: templates/letters/<template>.html.j2.",
    )
    sender_department: str = Field("", description="Sender of a later round's letter; empty: as round 1.")
    signature_name: str = Field("", description="Name under a later round's letter; empty: as round 1.")
    signature_title: str = Field("", description="Title under that name; empty: as round 1.")

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        if not value.replace("_", "").replace("-", "").isalnum():
            raise ValueError(
                _("template name {value!r} may hold letters, digits, _ and - only").format(value=value)
            )
        return value
