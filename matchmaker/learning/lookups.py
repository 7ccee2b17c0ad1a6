"""Look-ups to learn from: a listing, its candidates' component values, which are true.

From a labelled set: every listing a tuning pair names, with all its candidates in an
index of the whole set (true partners marked). From the coordinator's decisions: every
listing with an introduced (or further) pair, its partners of such pairs marked true and
the rest — those rejected among them — false. Components unknown for a pair (NaN) are
given ``NEUTRAL``, the middle of the scale, for the fit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np

from matchmaker.learning.fit import Lookup
from matchmaker.learning.labelled import LabelledSet
from matchmaker.matching.engine import MatchIndex

NEUTRAL = 0.5


def _lookup(index: MatchIndex, listing: int, true: set[int], group: str) -> Lookup | None:
    table = index.candidates(listing)
    if table.partner.size == 0:
        return None
    order = np.lexsort((table.partner, -table.score))  # best first, as the engine ranks
    values = np.nan_to_num(table.values[order], nan=NEUTRAL)
    is_true = np.isin(table.partner[order], list(true))
    if not is_true.any():
        return None  # the partner is not even a candidate: nothing a weight can change
    return Lookup(group, values, is_true)


def labelled_lookups(ls: LabelledSet, index: MatchIndex, part: str = "tuning") -> tuple[list[Lookup], int]:
    """Look-ups of a set's part, and how many had no true partner among the candidates."""
    partners: dict[int, set[int]] = defaultdict(set)
    group: dict[int, str] = {}
    for p in ls.part(part):
        partners[p.offer].add(p.need)
        partners[p.need].add(p.offer)
        group[p.offer] = group[p.need] = f"{ls.name}:{p.group}"
    out, silent = [], 0
    for listing, true in sorted(partners.items()):
        lk = _lookup(index, listing, true, group[listing])
        if lk is None:
            silent += 1
        else:
            out.append(lk)
    return out, silent


def decision_lookups(index: MatchIndex, decided: Iterable[tuple[int, int, bool]]) -> list[Lookup]:
    """Look-ups from (offer listing, need listing, accepted?) decisions of the coordinator."""
    accepted: Mapping[int, set[int]] = defaultdict(set)
    for offer, need, ok in decided:
        if ok:
            accepted[offer].add(need)
            accepted[need].add(offer)
    out = []
    for listing, true in sorted(accepted.items()):
        lk = _lookup(index, listing, true, f"decisions:{listing}")
        if lk is not None:
            out.append(lk)
    return out
