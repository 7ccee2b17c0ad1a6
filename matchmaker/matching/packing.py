"""Listing features as plain tuples, for analysis in worker processes (``parallel``).

A pickled dataclass costs several times a tuple, and most listings share their concept
hits: ``pack_features`` sends each distinct hit, entry and quantity once and per listing
the positions into those tables; ``ListingStore.add_packed`` turns them back into shared
objects.
"""

from __future__ import annotations

from matchmaker.matching.attributes import NO_ATTRIBUTES, Attributes
from matchmaker.matching.features import ListingFeatures

#: ``pack_features`` output: distinct concept hits, process entries and quantities as plain
#: tuples, and per listing its texts and words with positions into those tables
PackedFeatures = tuple[
    list[tuple[str, float, int, str, str, str, bool]],
    list[tuple[str, float, str, bool]],
    list[tuple[float, str, str, "str | None"]],
    list[
        tuple[
            str,
            str,
            tuple[int, ...],
            tuple[int, ...],
            tuple[str, ...],
            tuple[tuple[str, str], ...],
            int,
            tuple[str, ...],
            bool,
            "Attributes | None",
            bool,
        ]
    ],
]


def pack_features(feats: list[ListingFeatures]) -> PackedFeatures:
    """Features as plain tuples, for analysis in worker processes: a pickled dataclass costs
    several times a tuple, and most listings share their concept hits. The records are left
    out (the receiver has them); ``ListingStore.add_packed`` turns the result back."""
    hits: dict[tuple[str, float, int, str, str, str, bool], int] = {}
    entries: dict[tuple[str, float, str, bool], int] = {}
    quantities: dict[tuple[float, str, str, str | None], int] = {}
    hit_at, entry_at, quantity_at = hits.setdefault, entries.setdefault, quantities.setdefault
    rows = []
    for f in feats:
        hit_ids = [hit_at(tuple(h), len(hits)) for h in f.concepts]
        entry_ids = [entry_at(tuple(e), len(entries)) for e in f.process_inputs]
        q = f.quantity
        q_id = -1 if q is None else quantity_at((q.amount, q.dimension, q.unit, q.frequency), len(quantities))
        row = (f.title_text, f.full_text, tuple(hit_ids), tuple(entry_ids), f.free_tokens, f.corrections,
               q_id, f.title_tokens, f.known_title,
               None if f.attributes is NO_ATTRIBUTES else f.attributes,  # (the one "nothing" stays one)
               f.fuel)
        rows.append(row)
    return list(hits), list(entries), list(quantities), rows
