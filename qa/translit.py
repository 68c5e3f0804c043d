"""Romanization of Ukrainian and Russian names, through maintained libraries.

Ukrainian: the national system (Cabinet of Ministers resolution No. 55 of 2010, "KMU-2010",
also BGN/PCGN 2019) from translitua, plus the older systems whose spellings still circulate.
Russian: BGN/PCGN and the simplified Wikipedia/press style from iuliia. The knowledge base uses
these to derive expected spellings from Cyrillic; names.system-mix uses them to tell which
system a spelling follows.
"""

from __future__ import annotations

import re
from functools import lru_cache

_APOSTROPHES = re.compile("['’ʼ`]")

# system name -> what it is, for messages
SYSTEMS = {
    "kmu2010": "Ukrainian national romanization (KMU 2010)",
    "uk-bgn1965": "BGN/PCGN 1965 romanization of Ukrainian",
    "uk-passport2007": "Ukrainian passport romanization of 2007",
    "uk-alalc": "ALA-LC (modified) romanization of Ukrainian",
    "ru-bgn": "BGN/PCGN romanization of Russian",
    "ru-press": "press-style romanization of Russian",
    "ru-icao": "ICAO (passport) romanization of Russian",
}
UKRAINIAN = ("kmu2010", "uk-bgn1965", "uk-passport2007", "uk-alalc")
RUSSIAN = ("ru-bgn", "ru-press", "ru-icao")


def kmu2010(cyrillic: str) -> str:
    """Ukrainian national romanization: Залужний -> Zaluzhnyi, Знам'янка -> Znamianka."""
    from translitua import translit

    return translit(_APOSTROPHES.sub("'", cyrillic))


@lru_cache(maxsize=4096)
def romanize(cyrillic: str, system: str) -> str:
    """`cyrillic` in one of SYSTEMS, with apostrophes and soft-sign marks dropped."""
    if system == "kmu2010":
        out = kmu2010(cyrillic)
    elif system in UKRAINIAN:
        import translitua

        table = {
            "uk-bgn1965": translitua.UkrainianBGN,
            "uk-passport2007": translitua.UkrainianPassport2007,
            "uk-alalc": translitua.UkrainianALALCModified,
        }[system]
        out = translitua.translit(_APOSTROPHES.sub("'", cyrillic), table)
    elif system in RUSSIAN:
        import iuliia

        schema = {"ru-bgn": iuliia.BGN_PCGN, "ru-press": iuliia.WIKIPEDIA, "ru-icao": iuliia.ICAO_DOC_9303}[
            system
        ]
        out = schema.translate(cyrillic)
    else:
        raise ValueError(f"unknown romanization system {system!r}")
    return _APOSTROPHES.sub("", out).replace("ʹ", "").replace("ʺ", "")


def romanizations(cyrillic: str, lang: str) -> dict[str, str]:
    """Every system's spelling of a name written in Ukrainian (uk) or Russian (ru) Cyrillic."""
    systems = UKRAINIAN if lang == "uk" else RUSSIAN if lang == "ru" else ()
    return {s: romanize(cyrillic, s) for s in systems}


@lru_cache(maxsize=1024)
def last_word_spellings(cyrillic: str, ru: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """The last word of a Ukrainian name as every Ukrainian system and (from its Russian form)
    every Russian system romanizes it, case-folded: (Ukrainian spellings, Russian spellings)."""
    ukrainian = frozenset(romanize(cyrillic, s).split()[-1].casefold() for s in UKRAINIAN)
    russian = frozenset(romanize(ru, s).split()[-1].casefold() for s in RUSSIAN) if ru else frozenset()
    return ukrainian, russian

