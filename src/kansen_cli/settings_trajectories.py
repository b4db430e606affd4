"""The `[trajectories]` settings: the coaches who keep people in view, and the rhythm of it.

Its own module so that `settings.py` stays small; `settings.Settings` holds it as `trajectories`.
Persoonlijke begeleiding (Tilburg) gives every person one fixed professional coach with a
caseload of about 50; Meedoen Werkt! (Purmerend) lets ambassadors, themselves on benefit,
coach buddies. The lists a coach picks from (life domains, kinds of contact, end reasons) are
in the codebook.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kansen_cli.i18n import _

CoachKind = Literal["professional", "ambassadeur", "ervaringsdeskundige"]
COACH_KINDS: tuple[str, ...] = ("professional", "ambassadeur", "ervaringsdeskundige")
COACH_KIND_LABELS = {
    "professional": "Professional",
    "ambassadeur": "Ambassadeur",
    "ervaringsdeskundige": "Ervaringsdeskundige",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Coach(_Model):
    code: str = Field(description="Short code, used in file names and the ledger (letters, digits, _ and -).")
    name: str = Field(description="Name as the coach's workbook and the report show it.")
    kind: CoachKind = Field("professional", description="professional, ambassadeur or ervaringsdeskundige.")
    cap: int = Field(50, ge=1, le=500, description="Most people in this coach's caseload at once.")
    wijken: list[str] = Field(
        default_factory=list, description="Wijken this coach serves first; empty: every wijk."
    )
    client_id: str | None = Field(
        None,
        description="An ambassador who is on benefit: their client number, so that their own goals"
        " and outcomes are kept in the ledger too.",
    )

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value or not value.isascii() or not value.replace("_", "").replace("-", "").isalnum():
            raise ValueError(
                _("coach code {value!r} may hold letters, digits, _ and - only").format(value=value)
            )
        return value


class TrajectorySettings(_Model):
    coaches: list[Coach] = Field(
        default_factory=lambda: [
            Coach(code="cm1", name="Coach Meedoen 1"),
            Coach(code="cm2", name="Coach Meedoen 2"),
            Coach(code="cm3", name="Coach Meedoen 3"),
            Coach(code="cm4", name="Coach Meedoen 4"),
        ],
        description="The coaches: one fixed coach per person in a trajectory.",
    )
    baseline: int = Field(
        -1,
        ge=-2,
        le=2,
        description="Goal Attainment Scaling: the level a new goal starts at (-2 ... +2; 0 is the"
        " expected outcome).",
    )
    goal_reached: Literal["any", "all"] = Field(
        "any",
        description="A person reached their individual goal when 'any' or 'all' of their reviewed"
        " goals scored 0 (as expected) or better at the latest review.",
    )
    review_weeks: int = Field(
        13, ge=1, le=104, description="A review of the goals is due every this many weeks."
    )
    contact_weeks: int = Field(
        8, ge=1, le=104, description="`kansen inview` lists people without contact for longer than this."
    )

    @model_validator(mode="after")
    def _unique_codes(self) -> TrajectorySettings:
        seen: set[str] = set()
        for coach in self.coaches:
            if coach.code.casefold() in seen:
                raise ValueError(_("coach code {code!r} is used twice").format(code=coach.code))
            seen.add(coach.code.casefold())
        return self

    def coach(self, code: str) -> Coach | None:
        """The coach with this code (case-insensitive), or None."""
        return next((c for c in self.coaches if c.code.casefold() == code.casefold()), None)
