"""The presets' settings that differ from the defaults (Groningen's *Kansen in Kaart*).

Plain data: `settings.preset` validates them into the model, so a preset can never hold a
setting the model does not know.
"""

from __future__ import annotations

from typing import Any

# Doe je mee: conversations deliberately at another location, not at home; who twice did not
# show up or wanted no appointment is invited again by their klantmanager, who also takes over
# (without a conversation) whoever is not reached. Figures are shares of the people advised.
NIJMEGEN: dict[str, Any] = {
    "campaign": {"name": "Doe je mee", "municipality": "Gemeente Nijmegen"},
    "register": {"columns": {"care_team": "Bekend bij sociaal wijkteam"}},
    "planning": {
        "place": "location",
        "consultants": ["Consulent 1", "Consulent 2", "Consulent 3", "Consulent 4"],
        "locations": [
            {
                "code": "groenestraat",
                "name": "Bedrijvencentrum Groenestraat",
                "address": ["Groenestraat 1", "6531 AA  NIJMEGEN"],
                "directions": "Bus 5 en 10 stoppen voor de deur; parkeren kan op het terrein.",
                "rooms": 4,
            }
        ],
    },
    "rounds": {
        "sender_department": "Klantmanagers Werk en Inkomen",
        "signature_name": "Uw klantmanager",
        "signature_title": "Gemeente Nijmegen",
    },
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
        "roles": {
            "invite_again": ["niet_verschenen", "geen_afspraak"],
            # "Wil geen gesprek" on the phone is "did not want an appointment": invited again.
            "phone_contact_result": {"geen_gesprek": "geen_afspraak"},
            "referral_without_conversation": ["klantmanager"],
            # The klantmanager arranging care is help, not someone who became active.
            "became_active": {"klantmanager": []},
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
    "register": {"columns": {"care_team": "Bekend bij wijkteam"}},
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
    "register": {"columns": {"care_team": "Bekend bij wijkteam"}},
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
    "register": {"columns": {"care_team": "Bekend bij wijkteam"}},
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

# Mens in beeld: people not spoken to for a long time are phoned first, then invited; the
# conversation is "op locatie" in the neighbourhood, where the partners of the
# Wijkzorgnetwerken work too, so a referral there is a short walk.
AMSTERDAM: dict[str, Any] = {
    "campaign": {"name": "Mens in beeld", "municipality": "Gemeente Amsterdam"},
    "register": {"columns": {"care_team": "Bekend bij Wijkzorgnetwerk"}},
    "letters": {
        "sender_department": "Werk, Participatie en Inkomen",
        "sender_address": ["Postbus 2002", "1000 CA Amsterdam"],
        "phone": "020 123 45 67",
        "email": "mensinbeeld@example.nl",
        "signature_title": "Teamleider Mens in beeld",
        "approach": {"A": "phone_first", "B": "phone_first"},
    },
    "planning": {
        "place": "location",
        "consultants": ["Klantmanager 1", "Klantmanager 2", "Klantmanager 3", "Klantmanager 4"],
        "locations": [
            {
                "code": "noord",
                "name": "Buurtkamer Noord",
                "address": ["Buikslotermeerplein 1", "1025 XL  AMSTERDAM"],
                "directions": "Metro 52, halte Noord.",
                "rooms": 2,
                "wijken": ["Noord"],
            },
            {
                "code": "nieuw-west",
                "name": "Huis van de Wijk Nieuw-West",
                "address": ["Osdorpplein 1", "1068 EL  AMSTERDAM"],
                "directions": "Tram 1 en 17, halte Osdorpplein.",
                "rooms": 2,
                "wijken": ["Nieuw-West"],
            },
            {
                "code": "zuidoost",
                "name": "Buurthuis Zuidoost",
                "address": ["Bijlmerplein 1", "1102 DA  AMSTERDAM"],
                "directions": "Metro 50 en 54, halte Bijlmer ArenA.",
                "rooms": 2,
            },
        ],
    },
    "codebook": {
        "referrals": {
            "wijkzorgnetwerk": "Wijkzorgnetwerk",
            "participatiecoach": "Participatiecoach",
            "ervaringsdeskundige": "Ervaringsdeskundige (Bondgenoot)",
            "werkcoach": "Werkcoach",
        },
        "followup_result": {
            "actief_geworden": "Actief geworden",
            "gemeld_wijkzorgnetwerk": "Gemeld bij Wijkzorgnetwerk",
            "stappen_gezet": "Stappen gezet, nog niet actief",
            "niet_actief": "Niet actief",
            "geen_contact": "Geen contact",
            "niet_meer_bellen": "Niet meer bellen",
        },
        "roles": {
            "invite_again": ["niet_thuis"],
            # Help from the Wijkzorgnetwerk is care, not someone who became active.
            "became_active": {"wijkzorgnetwerk": []},
        },
    },
}
