"""The codebook: the codes consultants, callers and coaches pick, with their Dutch labels,
and the roles that say which codes the report and the rules treat specially.

Its own module so that `settings.py` stays small; `settings.Settings` holds it as `codebook`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kansen_cli.i18n import _


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class CodebookRoles(_Model):
    """Which codes the report and the rules treat specially. Codes must exist in the codebook."""

    spoken: str = Field("gesproken", description="Contact result: the conversation took place.")
    not_applicable: list[str] = Field(
        default_factory=lambda: ["vervallen"],
        description="Contact results that leave the response denominator (moved, benefit ended).",
    )
    active: str = Field("maatschappelijk_actief", description="Classification: socially active.")
    work_potential: str = Field("arbeidspotentieel", description="Classification: work potential.")
    not_active: str = Field("niet_actief", description="Classification: not socially active.")
    potential_none: str = Field("geen", description="Participation potential: none.")
    potential_self: str = Field("zelf", description="Participation potential: on their own.")
    potential_support: str = Field("met_ondersteuning", description="Participation potential: with support.")
    referral_started: str = Field("gestart", description="Referral result: became active via referral.")
    referral_pending: list[str] = Field(
        default_factory=lambda: ["in_behandeling"],
        description="Referral results that are no answer yet: the referral stays on the follow-up list.",
    )
    followup_became_active: str = Field("actief_geworden", description="Follow-up: became active.")
    followup_no_contact: str = Field("geen_contact", description="Follow-up: not reached this round.")
    followup_closed: str = Field("niet_meer_bellen", description="Follow-up: never call this person again.")
    referral_closed: str = Field(
        "geen_resultaat_partner", description="Referral result: partner reports none."
    )
    consent_yes: str = Field("ja", description="Consent code that allows referral to partners.")
    survey_done: str = Field("afgenomen", description="Survey call: the questions were answered.")
    invite_again: list[str] = Field(
        default_factory=lambda: ["niet_thuis"],
        description="Contact results whose people are invited again in a later round (kansen batch --round).",
    )
    referral_without_conversation: list[str] = Field(
        default_factory=list,
        description="Referral destinations allowed without a conversation (who takes over those not"
        " reached).",
    )
    became_active: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per referral destination: the results that count as 'became active'; a destination"
        " not named here counts referral_started only.",
    )
    phone_appointment: str = Field(
        "afspraak_gemaakt", description="Phone outcome: an appointment was made (a confirmation letter goes)."
    )
    phone_reached: list[str] = Field(
        default_factory=lambda: ["afspraak_gemaakt", "geen_gesprek", "terugbellen"],
        description="Phone outcomes that mean the person was spoken to on the phone.",
    )
    phone_final: list[str] = Field(
        default_factory=lambda: ["afspraak_gemaakt", "geen_gesprek", "verkeerd_nummer"],
        description="Phone outcomes after which nobody calls again.",
    )
    phone_callback: str = Field("terugbellen", description="Phone outcome: call back on the day agreed.")
    phone_contact_result: dict[str, str] = Field(
        default_factory=lambda: {"geen_gesprek": "afgezegd"},
        description="Phone outcomes that settle the invitation: phone outcome -> the contact result it"
        " becomes when the call workbook is loaded (never over a conversation's result).",
    )


class Codebook(_Model):
    """Codes and their Dutch labels. Consultants pick labels; the ledger stores codes."""

    contact_result: dict[str, str] = Field(
        default_factory=lambda: {
            "gesproken": "Gesproken",
            "afgezegd": "Afgezegd",
            "niet_thuis": "Niet thuis (twee keer)",
            "niet_bereikt": "Niet bereikt",
            "vervallen": "Vervallen (verhuisd of uitkering beëindigd)",
        },
        description="Result of the invitation.",
    )
    location: dict[str, str] = Field(
        default_factory=lambda: {"thuis": "Thuis", "elders": "Elders"},
        description="Where the conversation took place.",
    )
    classification: dict[str, str] = Field(
        default_factory=lambda: {
            "maatschappelijk_actief": "Maatschappelijk actief",
            "arbeidspotentieel": "Arbeidspotentieel",
            "niet_actief": "Niet maatschappelijk actief",
        },
        description="One per person spoken to.",
    )
    activity_types: dict[str, str] = Field(
        default_factory=lambda: {
            "naaste_omgeving": "Zorg voor naaste omgeving",
            "vrijwilligerswerk": "Vrijwilligerswerk",
            "activiteiten": "Activiteiten en verenigingen",
            "deeltijdwerk": "Deeltijdwerk",
        },
        description="Activities of the socially active (several).",
    )
    participation_potential: dict[str, str] = Field(
        default_factory=lambda: {
            "geen": "Geen",
            "zelf": "Wil (meer) doen, zelf",
            "met_ondersteuning": "Wil (meer) doen, met ondersteuning",
        },
        description="Wants to become (more) active.",
    )
    referrals: dict[str, str] = Field(
        default_factory=lambda: {
            "coach_meedoen": "Coach Meedoen",
            "wijkwerkmakelaar": "Wijkwerkmakelaar",
            "centrum_naar_werk": "Centrum naar Werk",
            "wij_team": "WIJ-team",
            "ontheffing": "Beoordeling ontheffing",
        },
        description="Referral destinations (several).",
    )
    referral_result: dict[str, str] = Field(
        default_factory=lambda: {
            "gestart": "Gestart",
            "in_behandeling": "In behandeling",
            "geen_interesse": "Geen interesse",
            "niet_bereikbaar": "Niet bereikbaar",
            "hulpverlening": "Naar hulpverlening",
            "geen_resultaat_partner": "Geen resultaat van partner",
        },
        description="The partner's answer per referral.",
    )
    followup_result: dict[str, str] = Field(
        default_factory=lambda: {
            "actief_geworden": "Actief geworden",
            "gemeld_wij_team": "Gemeld bij WIJ-team",
            "stappen_gezet": "Stappen gezet, nog niet actief",
            "niet_actief": "Niet actief",
            "geen_contact": "Geen contact",
            "niet_meer_bellen": "Niet meer bellen",
        },
        description="Result of a follow-up call.",
    )
    consent: dict[str, str] = Field(
        default_factory=lambda: {"ja": "Ja", "nee": "Nee"},
        description="Consent to share with partners.",
    )
    survey_result: dict[str, str] = Field(
        default_factory=lambda: {
            "afgenomen": "Afgenomen",
            "niet_bereikt": "Niet bereikt",
            "geweigerd": "Wil niet meewerken",
        },
        description="Result of a survey call.",
    )
    survey_reason: dict[str, str] = Field(
        default_factory=lambda: {
            "al_actief": "Al actief",
            "geen_behoefte": "Geen behoefte",
            "slecht_moment": "Slecht moment",
            "geen_vertrouwen": "Geen vertrouwen in de gemeente",
            "brief_niet_ontvangen": "Brief niet ontvangen of niet herinnerd",
            "anders": "Anders",
        },
        description="Survey: the main reason for not taking part (non-participants only).",
    )
    life_domain: dict[str, str] = Field(
        default_factory=lambda: {
            "dagbesteding": "Dagbesteding",
            "werk": "Werk",
            "wonen": "Wonen",
            "gezondheid": "Gezondheid",
            "financien": "Financiën",
            "sociaal_netwerk": "Sociaal netwerk",
            "leren": "Leren",
        },
        description="Trajectories: the life domains a personal goal belongs to.",
    )
    contact_kind: dict[str, str] = Field(
        default_factory=lambda: {
            "huisbezoek": "Huisbezoek",
            "op_kantoor": "Op kantoor",
            "telefonisch": "Telefonisch",
            "samen_op_pad": "Samen op pad",
            "berichten": "Berichten (app, mail)",
        },
        description="Trajectories: kinds of contact moment.",
    )
    phone_outcome: dict[str, str] = Field(
        default_factory=lambda: {
            "afspraak_gemaakt": "Afspraak gemaakt",
            "geen_gesprek": "Wil geen gesprek",
            "geen_gehoor": "Geen gehoor",
            "voicemail": "Voicemail ingesproken",
            "verkeerd_nummer": "Verkeerd nummer",
            "terugbellen": "Terugbellen op",
        },
        description="Contact routes: the outcome of one phone call (kansen calls).",
    )
    trajectory_end: dict[str, str] = Field(
        default_factory=lambda: {
            "doel_bereikt": "Doel bereikt",
            "werk": "Werk gevonden",
            "vrijwilligerswerk": "Vrijwilligerswerk",
            "hulp_gevonden": "Passende hulp gevonden",
            "verhuisd": "Verhuisd",
            "gestopt": "Gestopt",
            "uitkering_beeindigd": "Uitkering beëindigd",
        },
        description="Trajectories: why a trajectory ended.",
    )
    roles: CodebookRoles = Field(default_factory=CodebookRoles, description="Codes with a meaning.")

    @model_validator(mode="after")
    def _roles_exist(self) -> Codebook:
        r = self.roles
        checks: list[tuple[str, str, dict[str, str]]] = [
            ("spoken", r.spoken, self.contact_result),
            ("active", r.active, self.classification),
            ("work_potential", r.work_potential, self.classification),
            ("not_active", r.not_active, self.classification),
            ("potential_none", r.potential_none, self.participation_potential),
            ("potential_self", r.potential_self, self.participation_potential),
            ("potential_support", r.potential_support, self.participation_potential),
            ("referral_started", r.referral_started, self.referral_result),
            ("followup_became_active", r.followup_became_active, self.followup_result),
            ("followup_no_contact", r.followup_no_contact, self.followup_result),
            ("followup_closed", r.followup_closed, self.followup_result),
            ("referral_closed", r.referral_closed, self.referral_result),
            ("consent_yes", r.consent_yes, self.consent),
            ("survey_done", r.survey_done, self.survey_result),
        ]
        checks += [
            ("phone_appointment", r.phone_appointment, self.phone_outcome),
            ("phone_callback", r.phone_callback, self.phone_outcome),
        ]
        checks += [("phone_reached", code, self.phone_outcome) for code in r.phone_reached]
        checks += [("phone_final", code, self.phone_outcome) for code in r.phone_final]
        checks += [("invite_again", code, self.contact_result) for code in r.invite_again]
        checks += [("phone_contact_result", code, self.phone_outcome) for code in r.phone_contact_result]
        checks += [
            (f"phone_contact_result.{phone}", code, self.contact_result)
            for phone, code in r.phone_contact_result.items()
        ]
        without = r.referral_without_conversation
        checks += [("referral_without_conversation", code, self.referrals) for code in without]
        checks += [("became_active", code, self.referrals) for code in r.became_active]
        checks += [
            (f"became_active.{dest}", code, self.referral_result)
            for dest, codes in r.became_active.items()
            for code in codes
        ]
        checks += [("not_applicable", code, self.contact_result) for code in r.not_applicable]
        checks += [("referral_pending", code, self.referral_result) for code in r.referral_pending]
        for role, code, table in checks:
            if code not in table:
                raise ValueError(
                    _("roles.{role} = {code!r} is not a code in its list ({table})").format(
                        role=role, code=code, table=", ".join(table)
                    )
                )
        if r.spoken in r.phone_contact_result.values():
            # A conversation's result comes with its answers (classification, referrals), from the sheet.
            raise ValueError(
                _(
                    "roles.phone_contact_result cannot make a call the conversation's result {spoken!r}"
                ).format(spoken=r.spoken)
            )
        return self
