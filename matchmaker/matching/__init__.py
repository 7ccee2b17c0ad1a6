"""Pure matching engine: which listings of which companies should meet.

Pipeline (each step its own module, each separately tested):

1. ``normalise`` / ``features`` — folding (ø/o, å/aa/a, æ/ae), words, stop words, compound
   splitting, inflection and typo repair, thesaurus concepts, quantities;
2. ``blocking`` — candidate pairs from an inverted index over concepts and words, with a
   geographic radius per key (no all-pairs);
3. ``compare`` — text, concept, distance, kind and quantity comparisons with ordered levels,
   explicit missing values and reasons;
4. ``score`` — weighted score in 0..1 with an evidence gate, top-n ranking;
5. ``explain`` — reasons rendered in Norwegian Bokmål or English.

No Flask, no database: the caller passes ``ListingRecord``s and stores ``Suggestion``s.
"""

from matchmaker.matching.engine import MatchIndex
from matchmaker.matching.explain import explain, render
from matchmaker.matching.records import ListingRecord, Reason, Suggestion
from matchmaker.matching.settings import MatchSettings, Weights
from matchmaker.matching.thesaurus import Thesaurus

__all__ = [
    "ListingRecord",
    "MatchIndex",
    "MatchSettings",
    "Reason",
    "Suggestion",
    "Thesaurus",
    "Weights",
    "explain",
    "render",
]
