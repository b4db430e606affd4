"""The presets' settings that differ from the defaults (Groningen's *Kansen in Kaart*).

Plain data: `settings.preset` validates them into the model, so a preset can never hold a
setting the model does not know.
"""

from __future__ import annotations

from typing import Any

NIJMEGEN: dict[str, Any] = {
    "campaign": {"name": "Doe je mee", "municipality": "Gemeente Nijmegen"},
    "letters": {
        "sender_department": "Team Doe je mee",
        "sender_address": ["Postbus 9105", "6500 HG Nijmegen"],
        "phone": "024 123 45 67",
        "email": "doejemee@example.nl",
        "signature_title": "Projectleider Doe je mee",
    },
    "codebook": {
        "contact_result": {
            "gesproken": "Gesproken",
            "afgezegd": "Afgezegd",
            "niet_verschenen": "Twee keer niet verschenen",
            "geen_afspraak": "Geen afspraak gemaakt",
            "niet_bereikt": "Niet bereikt",
            "vervallen": "Vervallen (verhuisd of uitkering beëindigd)",
        },
        "referrals": {
            "klantmanager": "Klantmanager",
            "participatiecoach": "Participatiecoach",
            "werkbedrijf": "WerkBedrijf",
        },
        "followup_result": {
            "actief_geworden": "Actief geworden",
            "gemeld_wijkteam": "Gemeld bij sociaal wijkteam",
            "stappen_gezet": "Stappen gezet, nog niet actief",
            "niet_actief": "Niet actief",
            "geen_contact": "Geen contact",
            "niet_meer_bellen": "Niet meer bellen",
        },
    },
}

GENERIC: dict[str, Any] = {
    "campaign": {"name": "In beeld", "municipality": "Gemeente"},
    "letters": {
        "sender_department": "Team Participatie",
        "sender_address": ["Postbus 1", "1234 AB Gemeente"],
        "phone": "14 000",
        "email": "participatie@example.nl",
        "signature_title": "Teamleider Participatie",
    },
    "codebook": {
        "referrals": {
            "participatiecoach": "Participatiecoach",
            "werkcoach": "Werkcoach",
            "wijkteam": "Wijkteam",
            "schuldhulp": "Schuldhulpverlening",
            "ontheffing": "Beoordeling ontheffing",
        },
        "followup_result": {
            "actief_geworden": "Actief geworden",
            "gemeld_wijkteam": "Gemeld bij wijkteam",
            "stappen_gezet": "Stappen gezet, nog niet actief",
            "niet_actief": "Niet actief",
            "geen_contact": "Geen contact",
            "niet_meer_bellen": "Niet meer bellen",
        },
    },
}
