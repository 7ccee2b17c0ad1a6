"""What every comparison shares: levels, results, the pair and its context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaker.matching.features import ListingFeatures
from matchmaker.matching.records import PairType, Reason
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    rank: int  # higher = stronger agreement; the missing level has rank -1
    description: str  # what the level means (for docs / debugging)


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    component: str
    level: Level
    value: float
    reasons: tuple[Reason, ...] = ()
    evidence: float = 0.0  # raw evidence for the "is this a suggestion at all" gate


@dataclass(frozen=True, slots=True)
class Pair:
    """A (supplier, receiver) pair of analysed listings."""

    offer: ListingFeatures
    receiver: ListingFeatures
    pair_type: PairType


@dataclass(frozen=True, slots=True)
class CompareContext:
    settings: MatchSettings
    thesaurus: Thesaurus
    specificity: Callable[[str], float]  # concept id -> 0..1 (IDF-like)
    rarity: Callable[[str], float] = lambda _word: 0.0  # normalised word -> 0..1 (IDF-like)


_LEVEL_CACHE: dict[tuple[int, str], Level] = {}


def level_named(levels: tuple[Level, ...], name: str) -> Level:
    key = (id(levels), name)
    hit = _LEVEL_CACHE.get(key)
    if hit is None:
        hit = _LEVEL_CACHE[key] = next(lv for lv in levels if lv.name == name)
    return hit


def matching_entries(
    ids_a: npt.NDArray[np.int32], ids_b: npt.NDArray[np.int32]
) -> tuple[IntArray, IntArray, IntArray]:
    """Equal ids between row i of ``ids_a`` and row i of ``ids_b``.

    Rows hold distinct ids in ascending order with ``-1`` padding (as the store keeps
    them). Returns (row, flat index into ids_a, flat index into ids_b) of every match, in
    row order and, within a row, in ascending id order. Sort-merge, no m x w x w tensor.
    """
    m = ids_a.shape[0]
    span = np.int64(max(int(ids_a.max(initial=0)), int(ids_b.max(initial=0))) + 1)
    flat_a = np.flatnonzero(ids_a.ravel() >= 0)
    flat_b = np.flatnonzero(ids_b.ravel() >= 0)
    if flat_a.size == 0 or flat_b.size == 0 or m == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    row_a = flat_a // ids_a.shape[1]
    row_b = flat_b // ids_b.shape[1]
    key_a = row_a * span + ids_a.ravel()[flat_a]
    key_b = row_b * span + ids_b.ravel()[flat_b]
    pos = np.searchsorted(key_b, key_a)
    np.minimum(pos, key_b.size - 1, out=pos)
    hit = key_b[pos] == key_a
    return row_a[hit], flat_a[hit], flat_b[pos[hit]]
