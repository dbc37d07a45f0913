"""Dutch word stems for the quick start's SQLite search, as PostgreSQL's 'dutch' text search makes them.

PostgreSQL stems with the Snowball Dutch (Porter) stemmer and drops the Snowball Dutch stop words;
this module does the same in Python, so "vertragingen" finds "vertraging" on both databases.
Framework-free: plain functions on strings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# The Snowball Dutch stop words, the list PostgreSQL's 'dutch' configuration uses.
STOP_WORDS = frozenset(
    [
        "aan",
        "al",
        "alles",
        "als",
        "altijd",
        "andere",
        "ben",
        "bij",
        "daar",
        "dan",
        "dat",
        "de",
        "der",
        "deze",
        "die",
        "dit",
        "doch",
        "doen",
        "door",
        "dus",
        "een",
        "eens",
        "en",
        "er",
        "ge",
        "geen",
        "geweest",
        "haar",
        "had",
        "heb",
        "hebben",
        "heeft",
        "hem",
        "het",
        "hier",
        "hij",
        "hoe",
        "hun",
        "iemand",
        "iets",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "kan",
        "kon",
        "kunnen",
        "maar",
        "me",
        "meer",
        "men",
        "met",
        "mij",
        "mijn",
        "moet",
        "na",
        "naar",
        "niet",
        "niets",
        "nog",
        "nu",
        "of",
        "om",
        "omdat",
        "onder",
        "ons",
        "ook",
        "op",
        "over",
        "reeds",
        "te",
        "tegen",
        "toch",
        "toen",
        "tot",
        "u",
        "uit",
        "uw",
        "van",
        "veel",
        "voor",
        "want",
        "waren",
        "was",
        "wat",
        "werd",
        "wezen",
        "wie",
        "wil",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zelf",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zonder",
        "zou",
    ]
)
# Words: runs of letters and digits. A hyphenated word ("GroenLinks-PvdA") counts as its parts, as
# the SQLite index's tokenizer splits it; PostgreSQL keeps the whole too, which finds the same rows.
WORD = re.compile(r"\w+")
_STEMMER = snowballstemmer.stemmer("dutch_porter")


def fold(word: str) -> str:
    """Lower case without accents ("financiën" -> "financien"), as the index stores words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def stem(word: str) -> str | None:
    """The word's stem, or None for a stop word (never indexed, never searched for)."""
    folded = fold(word)
    return None if folded in STOP_WORDS else _STEMMER.stemWord(folded)


def stems(text: str) -> str:
    """The stems of every word of `text`, space-separated: what the SQLite index holds."""
    return " ".join(s for s in map(stem, WORD.findall(text or "")) if s)
