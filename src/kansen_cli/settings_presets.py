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

# Persoonlijke begeleiding: one fixed professional coach per person, caseloads of about 50,
# attention to every life domain, small achievable goals.
TILBURG: dict[str, Any] = {
    "campaign": {"name": "Persoonlijke begeleiding", "municipality": "Gemeente Tilburg"},
    "letters": {
        "sender_department": "Team Persoonlijke begeleiding",
        "sender_address": ["Postbus 90155", "5000 LH Tilburg"],
        "phone": "013 123 45 67",
        "email": "persoonlijkebegeleiding@example.nl",
        "signature_title": "Teamleider Persoonlijke begeleiding",
    },
    "codebook": {
        "referrals": {
            "persoonlijke_begeleiding": "Persoonlijke begeleiding",
            "werkcoach": "Werkcoach",
            "wijkteam": "Wijkteam",
            "schuldhulp": "Schuldhulpverlening",
        },
        "followup_result": GENERIC["codebook"]["followup_result"],
        "life_domain": {
            "dagbesteding": "Dagbesteding",
            "wonen": "Woonsituatie",
            "gezondheid": "Gezondheid",
            "financien": "Financiën",
            "sociaal_netwerk": "Sociaal netwerk",
            "werk": "Werk en leren",
            "zelfzorg": "Zelfzorg",
        },
    },
    "trajectories": {
        "coaches": [
            {"code": "pb1", "name": "Coach Noord", "cap": 50, "wijken": ["Noord", "Reeshof"]},
            {"code": "pb2", "name": "Coach Oud-Noord", "cap": 50, "wijken": ["Oud-Noord"]},
            {"code": "pb3", "name": "Coach Centrum", "cap": 50, "wijken": ["Centrum", "Oud-Zuid"]},
            {"code": "pb4", "name": "Coach West", "cap": 50, "wijken": ["West", "Zuid"]},
        ],
    },
}

# Meedoen Werkt!: ambassadors, themselves on benefit, coach buddies (maatjes); everyone has
# individual goals in a Persoonlijk Ontwikkelplan. Ambassadors' caseloads are small.
PURMEREND: dict[str, Any] = {
    "campaign": {"name": "Meedoen Werkt!", "municipality": "Gemeente Purmerend"},
    "letters": {
        "sender_department": "Meedoen Werkt!",
        "sender_address": ["Postbus 15", "1440 AA Purmerend"],
        "phone": "0299 123 456",
        "email": "meedoenwerkt@example.nl",
        "signature_title": "Coördinator Meedoen Werkt!",
    },
    "codebook": {
        "referrals": {
            "maatje": "Maatje van een ambassadeur",
            "werkcoach": "Werkcoach",
            "vrijwilligerscentrale": "Vrijwilligerscentrale",
            "wijkteam": "Wijkteam",
        },
        "followup_result": GENERIC["codebook"]["followup_result"],
    },
    "trajectories": {
        "coaches": [
            {"code": "amb1", "name": "Ambassadeur 1", "kind": "ambassadeur", "cap": 5},
            {"code": "amb2", "name": "Ambassadeur 2", "kind": "ambassadeur", "cap": 5},
            {"code": "amb3", "name": "Ambassadeur 3", "kind": "ambassadeur", "cap": 5},
            {"code": "amb4", "name": "Ambassadeur 4", "kind": "ambassadeur", "cap": 5},
            {"code": "coord", "name": "Coördinator", "kind": "professional", "cap": 30},
        ],
    },
}
