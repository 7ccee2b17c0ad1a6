"""Pure matching engine: which listings of which companies should meet.

Pipeline (each step its own module, each separately tested):

1. ``folding`` / ``normalise`` / ``quantities`` / ``features`` — folding (ø/o, å/aa/a,
   æ/ae), words, stop words, compound splitting, inflection and typo repair, thesaurus
   concepts, quantities;
2. ``blocking`` — candidate pairs from an inverted index over concepts and words, with a
   geographic radius per key (no all-pairs);
3. ``compare`` — text, concept, distance, kind and quantity comparisons with ordered levels,
   explicit missing values and reasons;
4. ``score`` / ``scoring`` — weighted score in 0..1 with an evidence gate, for many pairs;
5. ``ranking`` / ``incremental`` — the top_n of either listing, for the whole registry or
   after one listing changed;
6. ``reasons`` / ``explain`` — suggestions with structured reasons, rendered in Norwegian
   Bokmål or English.

``engine.MatchIndex`` ties them together (``parallel`` runs the heavy steps in workers).
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
