"""The engine as a ranker over a labelled set (every listing's own ranked partner list)."""

from __future__ import annotations

from collections.abc import Sequence

from matchmaker.learning.metrics import Ranking
from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Thesaurus


def engine_rankings(
    records: Sequence[ListingRecord],
    settings: MatchSettings | None = None,
    thesaurus: Thesaurus | None = None,
) -> Ranking:
    """``MatchIndex.ranked_for`` of every listing: all its candidates with score >= min_score."""
    index = MatchIndex.build(records, settings or MatchSettings(), thesaurus or Thesaurus.load())
    out: Ranking = {}
    for r in records:
        out[r.listing_id] = [
            s.need_listing_id if s.offer_listing_id == r.listing_id else s.offer_listing_id
            for s in index.ranked_for(r.listing_id)
        ]
    return out
