"""Blocking keys: which keys a listing posts under, which keys meet, and the posting lists.

A listing posts under keys per (pair type, side) it can take (``roles_of``): concepts,
broader concepts, description concepts, free words, and the semantic keys. ``partner_keys``
says which keys on the other side a key meets. ``Bucket`` holds one key's postings on one
side, sorted by latitude. ``BlockingIndex`` (``blocking``) joins them into candidate pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matchmaker.matching.features import DIRECT, RELATED, ListingFeatures
from matchmaker.matching.roles import PAIR_TYPE_CODE, PAIR_TYPE_ORDER, Side, takes_side

IntArray = npt.NDArray[np.int64]

SIDES: tuple[Side, Side] = ("left", "right")


def blocking_keys(f: ListingFeatures, pair_type: str, side: Side, by_meaning: bool = False) -> list[str]:
    """Keys a listing posts under for one (pair type, side).

    * ``c:<concept>`` for concepts its title names (for a processing capability: the inputs
      of its processes), ``b:<concept>`` for their broader concepts;
    * ``d:<concept>`` for concepts only its description names (when the title names any):
      they block only while the concept is uncommon (``description_key_max_df``), so
      "levert i container" does not pair every listing that mentions containers;
    * ``w:<word>`` for normalised words that are not part of a recognised term;
    * ``v:`` when the listing has a sentence vector, and ``e:`` when it has one but its title
      names nothing the thesaurus knows (``known_title``) — or for every listing with a
      vector when the whole registry is paired by meaning (``by_meaning``: a cluster or a
      region small enough to compare every pair in its radius).

    ``c:`` meets ``c:``, ``b:`` and ``d:``; ``d:`` meets ``c:`` and ``d:``; ``b:`` never meets
    ``b:`` (mere siblings are too loose to block on; they still score when another key brings
    them together). ``e:`` meets ``v:`` (and ``v:`` meets ``e:``) when the two vectors'
    cosine reaches ``semantic_candidate_min``: a listing in words the thesaurus does not know
    is paired by meaning with everything in its radius, so it is never left without
    candidates; listings the thesaurus reads are paired by their keys (which keeps a large
    registry from turning into all pairs).
    """
    entries: list[tuple[str, int, bool]]
    if pair_type == "processing" and side == "right":
        entries = [(e.concept, DIRECT, e.in_title) for e in f.process_inputs]
    else:
        entries = [(h.concept, h.type, h.in_title) for h in f.concepts if h.type != RELATED]
        if side == "right":  # a need's use: what its process takes (see ``features``)
            entries += [(e.concept, DIRECT, e.in_title) for e in f.process_inputs]
    titled = any(t for _, _, t in entries)
    keys: list[str] = []
    for concept, typ, in_title in entries:
        if in_title or not titled:
            keys.append(("c:" if typ == DIRECT else "b:") + concept)
        elif typ == DIRECT:
            keys.append("d:" + concept)
    keys.extend("w:" + w for w in f.free_tokens if len(w) >= 3)
    if f.record.vector is not None:
        keys.append(VECTOR_KEY)
        if by_meaning or not f.known_title:
            keys.append(UNREAD_KEY)
    return list(dict.fromkeys(keys))


VECTOR_KEY, UNREAD_KEY = "v:", "e:"  # has a sentence vector / ... and a title the thesaurus cannot read
SEMANTIC_KEYS = frozenset({VECTOR_KEY, UNREAD_KEY})


def partner_keys(key: str) -> tuple[str, ...]:
    """Keys on the other side a key meets (before the description-key rarity rule)."""
    if key == UNREAD_KEY:
        return (VECTOR_KEY,)
    if key == VECTOR_KEY:
        return (UNREAD_KEY,)
    kind, rest = key[:2], key[2:]
    if kind == "c:":
        return (key, "b:" + rest, "d:" + rest)
    if kind == "b:":
        return ("c:" + rest,)
    if kind == "d:":
        return ("c:" + rest, key)
    return (key,)


def roles_of(f: ListingFeatures) -> list[tuple[int, int]]:
    """(pair type code, side index) pairs the listing takes part in."""
    r = f.record
    if not r.active:
        return []
    key = (r.direction, r.kind)
    roles = _ROLES.get(key)
    if roles is None:
        roles = []
        for pt in PAIR_TYPE_ORDER:
            for si, side in enumerate(SIDES):
                if takes_side(r.direction, r.kind, pt, side):
                    roles.append((PAIR_TYPE_CODE[pt], si))
        _ROLES[key] = roles = tuple(roles)
    return list(roles)


_ROLES: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}  # (direction, kind) -> roles_of


@dataclass(slots=True)
class Bucket:
    """Postings of one key on one side: located slots sorted by latitude + unlocated slots."""

    lats: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    slots: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unloc: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return int(self.slots.shape[0] + self.unloc.shape[0])

    def add(self, slot: int, lat: float) -> None:
        if math.isnan(lat):
            self.unloc = np.append(self.unloc, slot)
            return
        i = int(np.searchsorted(self.lats, lat, side="right"))
        self.lats = np.insert(self.lats, i, lat)
        self.slots = np.insert(self.slots, i, slot)

    def remove(self, slot: int) -> None:
        hit = np.flatnonzero(self.slots == slot)
        if hit.size:
            self.lats = np.delete(self.lats, hit)
            self.slots = np.delete(self.slots, hit)
        hit = np.flatnonzero(self.unloc == slot)
        if hit.size:
            self.unloc = np.delete(self.unloc, hit)

    def all_slots(self) -> IntArray:
        return np.concatenate([self.slots, self.unloc])


