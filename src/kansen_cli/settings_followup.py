"""The `[followup]` settings: when people are called, and when a line on the lists ends.

Its own module so that `settings.py` stays small; `settings.Settings` holds it as `followup`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FollowupSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    months: int = Field(3, ge=0, le=36, description="Call people acting on their own this many months later.")
    rounds: int = Field(2, ge=1, le=5, description="Call rounds before 'no contact' is final.")
    referral_rounds: int = Field(
        3,
        ge=1,
        le=24,
        description="A referral leaves the list after this many follow-up workbooks loaded without"
        " the partner's answer.",
    )
    call_referred: bool = Field(
        False,
        description="Also call people acting on their own who were referred to a partner (they are"
        " followed through the referral already).",
    )
