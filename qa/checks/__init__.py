"""Check kinds, in the order the engine runs them. A pack entry picks one with `kind:`."""

from __future__ import annotations

from .article_sound import ArticleSoundCheck
from .base import Check
from .characters import CharactersCheck
from .conjoined_repeat import ConjoinedRepeatCheck
from .doubled_word import DoubledWordCheck
from .first_reference import FirstReferenceCheck
from .grammar import LanguageToolCheck
from .literal_names import LiteralNameCheck
from .lost_quote import LostQuoteCheck
from .name_variants import NameVariantsCheck
from .page_chrome import PageChromeCheck
from .pattern import PatternCheck
from .quotes import QuoteBalanceCheck
from .spelling import SpellingCheck
from .substitution import SubstitutionCheck
from .system_mix import TransliterationMixCheck
from .titles import TitlesCheck
from .unused_suppression import UnusedSuppressionCheck
from .word_order import WordOrderCheck

KINDS: dict[str, type[Check]] = {
    "pattern": PatternCheck,
    "page-chrome": PageChromeCheck,
    "doubled-word": DoubledWordCheck,
    "conjoined-repeat": ConjoinedRepeatCheck,
    "quote-balance": QuoteBalanceCheck,
    "lost-quote": LostQuoteCheck,
    "substitution": SubstitutionCheck,
    "name-variants": NameVariantsCheck,
    "literal-name": LiteralNameCheck,
    "transliteration-mix": TransliterationMixCheck,
    "spelling": SpellingCheck,
    "first-reference": FirstReferenceCheck,
    "characters": CharactersCheck,
    "word-order": WordOrderCheck,
    "article-sound": ArticleSoundCheck,
    "titles": TitlesCheck,
    "languagetool": LanguageToolCheck,
    "unused-suppression": UnusedSuppressionCheck,
}
