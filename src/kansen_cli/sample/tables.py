"""The tables the sample generator draws from: Groningen's wijken and their postcodes and
streets, surnames and initials with how common they are, languages, and the deliberately
wrong values. Data only; `kansen_cli.sample` says why they look as they do."""

from __future__ import annotations

NEIGHBOURHOODS: dict[str, tuple[str, ...]] = {
    "Selwerd": ("9741",),
    "Paddepoel": ("9742",),
    "Vinkhuizen": ("9743", "9746"),
    "Hoogkerk": ("9744", "9745"),
    "Beijum": ("9736", "9737"),
    "Lewenborg": ("9733", "9734", "9735"),
    "Korrewegwijk": ("9714",),
    "De Hoogte": ("9715",),
    "Indische buurt": ("9716",),
    "Oosterpark": ("9713",),
    "Schildersbuurt": ("9718",),
    "De Wijert": ("9721", "9722"),
    "Hoornse Meer": ("9727",),
    "Corpus den Hoorn": ("9728",),
}
"""Wijk name -> its 4-digit postcodes. Every postcode belongs to one wijk."""

# Relative sizes of the wijken (share of the register). The largest is about
# 3.5 times the smallest, so at 10,000 rows the selected people per wijk range
# from about 170 to about 630.
WIJK_WEIGHTS: dict[str, float] = {
    "Selwerd": 9.0,
    "Paddepoel": 8.0,
    "Vinkhuizen": 11.0,
    "Hoogkerk": 4.0,
    "Beijum": 12.5,
    "Lewenborg": 9.0,
    "Korrewegwijk": 8.0,
    "De Hoogte": 5.0,
    "Indische buurt": 4.0,
    "Oosterpark": 10.0,
    "Schildersbuurt": 3.5,
    "De Wijert": 7.0,
    "Hoornse Meer": 6.0,
    "Corpus den Hoorn": 6.0,
}

# fmt: off
# Street names follow each wijk's naming theme (trees in Selwerd, stars in
# Paddepoel, stones in Vinkhuizen, -heerd in Beijum, ship terms in Lewenborg ...).
STREETS: dict[str, tuple[str, ...]] = {
    "Selwerd": (
        "Berkenlaan", "Eikenlaan", "Mispellaan", "Esdoornlaan", "Lindenlaan",
        "Elzenlaan", "Iepenlaan", "Wilgenlaan", "Vlierlaan", "Acaciastraat",
    ),
    "Paddepoel": (
        "Kometenstraat", "Dierenriemstraat", "Morgensterlaan", "Planetenlaan",
        "Orionstraat", "Saturnusstraat", "Jupiterstraat", "Siriusstraat",
        "Castorstraat", "Polluxstraat",
    ),
    "Vinkhuizen": (
        "Diamantlaan", "Metaallaan", "Siersteenlaan", "Vuursteenstraat",
        "Granaatstraat", "Robijnstraat", "Smaragdstraat", "Saffierstraat",
        "Kwartslaan", "Koperstraat", "Platinastraat",
    ),
    "Hoogkerk": (
        "Kerkstraat", "Zuiderweg", "Hoendiep", "Suikerlaan", "Halmstraat",
        "Roegeweg", "Pelsterpark",
    ),
    "Beijum": (
        "Amkemaheerd", "Atensheerd", "Bentismaheerd", "Claremaheerd",
        "Framaheerd", "Fossemaheerd", "Grevingaheerd", "Isebrandtsheerd",
        "Menkemaheerd", "Wibenaheerd", "Ypemaheerd", "Beijumerweg",
    ),
    "Lewenborg": (
        "Kluiverboom", "Loefzijde", "Lijzijde", "Midscheeps", "Kajuit",
        "Sloep", "Toplicht", "Kombuis", "Stuurboordswal", "Bakboordswal",
        "Zonland",
    ),
    "Korrewegwijk": (
        "Korreweg", "Oosterhamrikkade", "Professor Rankestraat",
        "Kapteynstraat", "Bernoullistraat", "Van Houtenlaan",
        "Dirk Huizingastraat",
    ),
    "De Hoogte": (
        "Bedumerweg", "Warffumerstraat", "Kantensstraat", "Ulrumstraat",
        "Winsumerstraat", "Pieterburenstraat",
    ),
    "Indische buurt": (
        "Javastraat", "Sumatralaan", "Borneostraat", "Celebesstraat",
        "Balistraat", "Timorstraat", "Molukkenstraat",
    ),
    "Oosterpark": (
        "Wielewaalplein", "Zaagmuldersweg", "Oliemuldersweg", "Gorechtkade",
        "Pioenstraat", "Violenstraat", "Anemoonstraat", "Merelstraat",
        "Vinkenstraat", "Kievitstraat",
    ),
    "Schildersbuurt": (
        "Rembrandt van Rijnstraat", "Frans Halsstraat", "Jan Steenstraat",
        "Ferdinand Bolstraat", "Paulus Potterstraat", "Jozef Israëlsplein",
        "Hendrik Willem Mesdagstraat",
    ),
    "De Wijert": (
        "Van Schendelstraat", "Bilderdijklaan", "Lodewijk van Deysselstraat",
        "Multatulistraat", "Potgieterstraat",
        "Burgemeester van Ketwich Verschuurlaan",
    ),
    "Hoornse Meer": (
        "Tjeukemeerstraat", "Leekstermeerstraat", "Sneekermeerstraat",
        "Paterswoldsemeerstraat", "Zuidlaardermeerstraat",
        "Hoornsediep",
    ),
    "Corpus den Hoorn": (
        "Laan Corpus den Hoorn", "Van Swietenlaan", "Boerhaavelaan",
        "Paterswoldseweg", "Jonkheer Wolter Lewe van Aduardstraat",
    ),
}

# (tussenvoegsel, achternaam, origin, weight). The origin steers the language
# column. Weights are relative frequencies; very long names are rare on purpose.
SURNAMES: tuple[tuple[str, str, str, float], ...] = (
    *(("", name, "nl", 3.0) for name in (
        "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
        "Peters", "Hendriks", "Dekker", "Brouwer", "Kok", "Janssen",
        "Vermeulen", "Koster", "Schouten", "Prins", "Huisman", "Wolters",
        "Kramer", "Timmerman",
    )),
    *((prefix, name, "nl", 2.2) for prefix, name in (
        ("de", "Vries"), ("de", "Jong"), ("de", "Boer"), ("de", "Groot"),
        ("de", "Haan"), ("de", "Wit"), ("de", "Graaf"), ("van", "Dijk"),
        ("van", "Dam"), ("van", "Wijk"), ("van", "Beek"), ("van", "Leeuwen"),
        ("van der", "Meer"), ("van der", "Veen"), ("van der", "Laan"),
        ("van der", "Wal"), ("van den", "Berg"), ("van den", "Bosch"),
        ("van den", "Broek"), ("ter", "Horst"), ("ter", "Veen"),
        ("van 't", "Hof"), ("van 't", "Zand"), ("in 't", "Veld"),
    )),
    *(("", name, "nl", 2.0) for name in (
        "Dijkstra", "Hoekstra", "Postma", "Wiersma", "Zijlstra", "Boersma",
        "Bouma", "Huizinga", "Wierenga", "Kuipers", "Bosma", "Sikkema",
        "Feenstra", "Kloosterman", "Nienhuis", "Oosting", "Doornbos",
        "Zuidema", "Kamminga", "Hazenberg", "Schuiling", "Venema", "Mellema",
        "Tammeling", "Bolhuis", "Veldman", "Lubbers", "Stoker", "Vegter",
        "IJzerman",
    )),
    *(("", name, "tr", 1.0) for name in (
        "Çelik", "Yılmaz", "Öztürk", "Şahin", "Demir", "Kaya", "Aydın",
        "Arslan", "Doğan", "Koç",
    )),
    *(("", name, "ar", 1.0) for name in (
        "Benali", "El Amrani", "El Idrissi", "Bouzid", "Haddou", "Mohamed",
        "Ahmed", "Al-Hassan", "Haddad", "Aït Taleb", "El Khatib", "Ouali",
    )),
    *(("", name, "pl", 0.8) for name in (
        "Kowalczyk", "Nowak", "Wójcik", "Lewandowski", "Zieliński",
        "Wiśniewska",
    )),
    *(("", name, "er", 0.8) for name in (
        "Tesfay", "Ghebremedhin", "Tekle", "Haile", "Gebremariam", "Berhane",
        "Woldu",
    )),
    *(("", name, "so", 0.7) for name in (
        "Mahamud", "Abdi", "Abdullahi", "Osman", "Warsame", "Farah",
    )),
    *(("", name, "xx", 0.6) for name in (
        "Nguyễn", "Trần", "Phạm", "Müller", "Schäfer", "Šimić", "Kovačević",
        "Hadžić", "Ødegaard", "Østergaard", "Dos Santos", "Da Costa",
        "Fernandes", "García", "Lefèvre", "O'Brien", "D'Souza", "Popescu",
    )),
    # Very long names (up to 40 characters) so letter layouts get tested.
    ("", "Van Heemstra-Bouwmeester-Tjaarda", "nl", 0.12),
    ("", "Lycklama à Nijeholt-Hora Siccama", "nl", 0.12),
    ("", "Schimmelpenninck van der Oye-Wijnbergen", "nl", 0.12),
    ("", "Tjaarda-Rengers van Starkenborgh Wichers", "nl", 0.12),
    ("", "Gebremedhin-Woldemariam Tesfamariam", "er", 0.12),
)

# Initials and how common they are as a first letter of a Dutch given name.
INITIALS = "JAMHWGPRSKETCDLNBFIYZOV"
INITIAL_WEIGHTS = (
    12, 10, 9, 7, 5, 5, 5, 5, 6, 4, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1,
)

# fmt: on

LANGUAGES = (
    "Nederlands",
    "Arabisch",
    "Turks",
    "Engels",
    "Pools",
    "Tigrinya",
    "Somalisch",
)
# Probability of each language in LANGUAGES, per surname origin.
LANGUAGE_BY_ORIGIN: dict[str, tuple[float, ...]] = {
    "nl": (0.99, 0.0, 0.0, 0.01, 0.0, 0.0, 0.0),
    "tr": (0.45, 0.0, 0.55, 0.0, 0.0, 0.0, 0.0),
    "ar": (0.50, 0.50, 0.0, 0.0, 0.0, 0.0, 0.0),
    "pl": (0.30, 0.0, 0.0, 0.10, 0.60, 0.0, 0.0),
    "er": (0.20, 0.0, 0.0, 0.10, 0.0, 0.70, 0.0),
    "so": (0.25, 0.0, 0.0, 0.10, 0.0, 0.0, 0.65),
    "xx": (0.60, 0.0, 0.0, 0.40, 0.0, 0.0, 0.0),
}

ADDITIONS = ("", "A", "B", "bis", "1", "2")
ADDITION_WEIGHTS = (0.86, 0.04, 0.03, 0.01, 0.04, 0.02)

# The values of the deliberate defects (`invalid_rows`): a postcode or a date that is none.
BAD_POSTCODES = ("97XX", "974 AB", "9741 A", "onbekend")
BAD_DATES = ("31-02-2019", "onbekend", "30-13-2020", "00-00-0000")
