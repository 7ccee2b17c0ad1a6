"""Step 3 — comparisons. Each compares one aspect of a (supplier, receiver) pair.

Every comparison declares ORDERED LEVELS (highest rank = strongest agreement; the
``missing`` level, rank -1, is used when either side lacks the information) and has

* ``compare(pair) -> ComparisonResult``: one pair, with its level, value in 0..1 and
  structured reasons — the reference implementation, used for explanations;
* ``values(...) -> ndarray``: the same values for many pairs at once (numpy / rapidfuzz),
  used by the engine. Tests check both agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from matchmaker.matching.features import (
    BROADER1,
    BROADER2,
    DIRECT,
    RELATED,
    ConceptHit,
    ListingFeatures,
    ProcessEntry,
)
from matchmaker.matching.geo import haversine_km, haversine_many
from matchmaker.matching.normalise import DIMENSIONS, fold_token, normalise_quantity, words
from matchmaker.matching.records import KINDS, PairType, Reason
from matchmaker.matching.roles import PAIR_TYPE_CODE, PAIR_TYPE_ORDER
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


def _level(levels: tuple[Level, ...], name: str) -> Level:
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


# ---------------------------------------------------------------------------------------
# text


class TextComparison:
    """Textual similarity of the normalised words.

    ``max(fuzzy, rare)``: *fuzzy* is rapidfuzz ``token_set_ratio`` of the full normalised
    texts; *rare* is the rarity (IDF-like, 0..1) of the rarest word both titles share, so
    two listings naming the same uncommon thing ("hampeskjev") match even when the thesaurus
    does not know the word and the rest of their wording differs.
    """

    name = "text"
    levels = (
        Level("exact", 4, "same words (>= 97 %)"),
        Level("high", 3, "very similar wording, or a rare word in common (>= 85 %)"),
        Level("medium", 2, "similar wording (>= 70 %)"),
        Level("low", 1, "some words in common (>= 50 %)"),
        Level("none", 0, "different wording"),
        Level("missing", -1, "a listing has no usable words"),
    )
    thresholds = ((0.97, "exact"), (0.85, "high"), (0.70, "medium"), (0.50, "low"))

    def level_for(self, value: float, missing: bool = False) -> Level:
        if missing:
            return _level(self.levels, "missing")
        for threshold, name in self.thresholds:
            if value >= threshold:
                return _level(self.levels, name)
        return _level(self.levels, "none")

    @staticmethod
    def score_one(a: str, b: str) -> float:
        """Same number as ``values`` gives (rapidfuzz's batch API rounds to float32)."""
        if not a or not b:
            return 0.0
        return float(np.float32(fuzz.token_set_ratio(a, b))) / 100.0

    @staticmethod
    def rare_shared(
        a: ListingFeatures, b: ListingFeatures, rarity: Callable[[str], float]
    ) -> tuple[float, str]:
        words_b = set(b.title_words())
        best, word = 0.0, ""
        for w in a.title_words():
            if w in words_b:
                r = rarity(w)
                if r > best:
                    best, word = r, w
        return best, word

    def values(
        self,
        texts_a: list[str],
        texts_b: list[str],
        words_a: npt.NDArray[np.int32],
        words_b: npt.NDArray[np.int32],
        rarity: FloatArray,
        workers: int = 1,
    ) -> FloatArray:
        if not texts_a:
            return np.zeros(0, dtype=np.float64)
        out: FloatArray = np.maximum(
            self.fuzzy_values(texts_a, texts_b, workers), self.rare_values(words_a, words_b, rarity)
        )
        return out

    @staticmethod
    def fuzzy_values(
        texts_a: Sequence[str] | npt.NDArray[np.object_],
        texts_b: Sequence[str] | npt.NDArray[np.object_],
        workers: int = 1,
    ) -> FloatArray:
        if len(texts_a) == 0:
            return np.zeros(0, dtype=np.float64)
        raw = process.cpdist(texts_a, texts_b, scorer=fuzz.token_set_ratio, workers=workers)
        out: FloatArray = np.asarray(raw, dtype=np.float64) / 100.0
        return out

    @staticmethod
    def rare_values(
        words_a: npt.NDArray[np.int32], words_b: npt.NDArray[np.int32], rarity: FloatArray
    ) -> FloatArray:
        """The rare-shared-title-word part alone (cheap; a lower bound of the text value)."""
        rows, ia, _ = matching_entries(words_a, words_b)
        rare = np.zeros(words_a.shape[0], dtype=np.float64)
        if rows.size:
            np.maximum.at(rare, rows, rarity[words_a.ravel()[ia]])
        return rare

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        a, b = pair.offer, pair.receiver
        missing = not a.full_text or not b.full_text
        fuzzy = 0.0 if missing else self.score_one(a.full_text, b.full_text)
        rare, _ = (0.0, "") if missing else self.rare_shared(a, b, ctx.rarity)
        value = max(fuzzy, rare)
        return ComparisonResult(
            self.name, self.level_for(value, missing), value, self.reasons(pair, value, ctx), evidence=value
        )

    def reasons(self, pair: Pair, value: float, ctx: CompareContext) -> tuple[Reason, ...]:
        """Reasons for a pair whose text value is already known."""
        a, b = pair.offer, pair.receiver
        if value < 0.70 or not a.full_text or not b.full_text:
            return ()
        rare, word = self.rare_shared(a, b, ctx.rarity)
        if word and rare >= value:
            # a word that is (part of) a recognised term is already explained by "concept"
            if any(word in h.key for h in a.concepts if h.type == DIRECT):
                return ()
            return (Reason("shared_word", {"word": _surface_word(a, word)}),)
        return (
            Reason(
                "fuzzy_text",
                {"a": a.record.title.strip(), "b": b.record.title.strip(), "pct": round(value * 100)},
            ),
        )


def _surface_word(f: ListingFeatures, norm: str) -> str:
    """The word as the listing wrote it (first title word folding to ``norm``)."""
    for w in words(f.record.title):
        if fold_token(w) == norm:
            return w
    return norm


# ---------------------------------------------------------------------------------------
# concepts


def _type_factor(settings: MatchSettings) -> FloatArray:
    """Factor for a match between entry types (rows: supplier side, cols: receiver side)."""
    g = [1.0, settings.broader_weight, settings.broader_weight**2, settings.related_weight]
    f = np.zeros((4, 4), dtype=np.float64)
    for i in range(4):
        for j in range(4):
            if (i == RELATED and j != DIRECT) or (j == RELATED and i != DIRECT):
                continue  # related-of-related or related-of-broader is too loose
            f[i, j] = g[i] * g[j]
    return f


def _process_factor(settings: MatchSettings) -> FloatArray:
    """Factor for a material entry type meeting a process input (always type DIRECT)."""
    p = settings.process_broader_weight
    f = np.zeros((4, 4), dtype=np.float64)
    f[DIRECT, DIRECT] = 1.0
    f[BROADER1, DIRECT] = p
    f[BROADER2, DIRECT] = p * p
    return f


class ConceptComparison:
    """Shared thesaurus concepts (supply / service) or process-input fit (processing).

    Each matching concept contributes ``w_a * w_b * type_factor * specificity``; the
    contributions are combined by noisy-OR, so one strong match gives a high value and
    further matches add a little.
    """

    name = "concept"
    levels = (
        Level("same_concept", 4, "both name the same concept (or synonyms / translations)"),
        Level("process_input", 4, "the material is an input of the receiver's process"),
        Level("broader", 3, "one is a kind of the other, or both are kinds of one concept"),
        Level("related", 2, "related concepts"),
        Level("none", 0, "no concept in common"),
        Level("missing", -1, "a listing names no known concept"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings
        self.std_factor = _type_factor(settings)
        self.proc_factor = _process_factor(settings)
        self._std_factor: list[list[float]] = self.std_factor.tolist()
        self._memo: dict[tuple[int, bool], dict[str, Any]] | None = None
        self._proc_factor: list[float] = self.proc_factor[:, DIRECT].tolist()

    # -- scalar ----------------------------------------------------------------------
    def contributions(
        self, pair: Pair, ctx: CompareContext
    ) -> tuple[list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]], bool]:
        """Matching entries as (contribution, supplier entry, receiver entry); and missing?"""
        a = pair.offer
        out: list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]] = []
        spec = ctx.specificity
        if pair.pair_type == "processing":
            inputs = pair.receiver.process_inputs
            missing = not a.concepts or not inputs
            if missing:
                return out, True
            pf = self._proc_factor
            rp = self._receiver_map(pair.receiver, True)
            for ha in a.concepts:
                e = rp.get(ha.concept)
                if e is not None and pf[ha.type] > 0:
                    out.append((ha.weight * e.weight * pf[ha.type] * spec(ha.concept), ha, e))
            return out, False
        concepts_b = pair.receiver.concepts
        missing = not a.concepts or not concepts_b
        if missing:
            return out, True
        sf = self._std_factor
        rb = self._receiver_map(pair.receiver, False)
        for ha in a.concepts:
            hb = rb.get(ha.concept)
            if hb is not None:
                f = sf[ha.type][hb.type]
                if f > 0:
                    out.append((ha.weight * hb.weight * f * spec(ha.concept), ha, hb))
        return out, False

    def _receiver_map(self, f: ListingFeatures, processing: bool) -> dict[str, Any]:
        """concept -> entry of the receiving listing (memoised while a batch is explained)."""
        memo = self._memo
        if memo is not None:
            hit = memo.get((id(f), processing))
            if hit is not None:
                return hit
        entries: dict[str, Any] = (
            {e.concept: e for e in f.process_inputs} if processing else {h.concept: h for h in f.concepts}
        )
        if memo is not None:
            memo[(id(f), processing)] = entries
        return entries

    @contextmanager
    def memoised(self) -> Iterator[None]:
        """Within the block, each listing's concept map is built once (the listings must stay
        alive for the whole block: the memo is keyed by object identity)."""
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def combine(self, contributions: list[float]) -> float:
        acc = 0.0
        for t in contributions:
            acc += math.log1p(-min(t, 0.999999))
        return 1.0 - math.exp(acc)

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        contribs, missing = self.contributions(pair, ctx)
        if missing:
            return ComparisonResult(
                self.name, _level(self.levels, "missing"), self.settings.missing_concept_value, (), 0.0
            )
        if not contribs:
            return ComparisonResult(self.name, _level(self.levels, "none"), 0.0, (), 0.0)
        value = self.combine([c[0] for c in contribs])
        ranked = sorted(contribs, key=lambda c: (-c[0], c[1].concept))
        reasons = [self._reason(ranked[0], pair, ctx)]
        best_level = self._level_of(ranked[0], pair)
        for extra in ranked[1:]:
            if len(reasons) >= 2 or extra[0] < 0.5 * ranked[0][0]:
                break
            if extra[1].via == ranked[0][1].via:
                continue  # the broader concept of the same word adds no news
            reasons.append(self._reason(extra, pair, ctx))
        return ComparisonResult(self.name, best_level, value, tuple(reasons), value)

    def reasons(self, pair: Pair, ctx: CompareContext) -> tuple[Reason, ...]:
        """Just the reasons (the value comes from ``values``): the best one or two matches."""
        contribs, missing = self.contributions(pair, ctx)
        if missing or not contribs:
            return ()
        best = max(contribs, key=lambda c: (c[0], c[1].concept))
        reasons = [self._reason(best, pair, ctx)]
        if len(contribs) > 1:
            rest = [c for c in contribs if c[1].via != best[1].via and c[0] >= 0.5 * best[0]]
            if rest:
                reasons.append(self._reason(max(rest, key=lambda c: (c[0], c[1].concept)), pair, ctx))
        return tuple(reasons)

    def _level_of(self, contrib: tuple[float, ConceptHit, ConceptHit | ProcessEntry], pair: Pair) -> Level:
        _, ha, hb = contrib
        if isinstance(hb, ProcessEntry):
            if hb.process and ha.type in (DIRECT, BROADER1, BROADER2):
                return _level(self.levels, "process_input")
            return _level(self.levels, "same_concept" if ha.type == DIRECT else "broader")
        if ha.type == RELATED or hb.type == RELATED:
            return _level(self.levels, "related")
        if ha.type == DIRECT and hb.type == DIRECT:
            return _level(self.levels, "same_concept")
        return _level(self.levels, "broader")

    def _reason(
        self, contrib: tuple[float, ConceptHit, ConceptHit | ProcessEntry], pair: Pair, ctx: CompareContext
    ) -> Reason:
        _, ha, hb = contrib
        th = ctx.thesaurus
        cid = ha.concept
        nb, en = th.names(cid)
        names: dict[str, str | float] = {"concept": cid, "name_nb": nb, "name_en": en}
        if isinstance(hb, ProcessEntry) and hb.process:
            mat_nb, mat_en = th.names(ha.via)
            proc_nb, proc_en = th.names(hb.process)
            return Reason(
                "process_input",
                {
                    "material": ha.surface,
                    "material_nb": mat_nb,
                    "material_en": mat_en,
                    "process": hb.process,
                    "process_nb": proc_nb,
                    "process_en": proc_en,
                },
            )
        sb, kb = _surface_of(hb, pair, th)
        tb = hb.type if isinstance(hb, ConceptHit) else DIRECT
        if ha.type == RELATED or tb == RELATED:
            return Reason("related_concept", {"a": ha.surface, "b": sb, **names})
        if ha.type == DIRECT and tb == DIRECT:
            if ha.key == kb:
                return Reason("same_concept", {"term": ha.surface, **names})
            return Reason("synonym", {"a": ha.surface, "b": sb, **names})
        if ha.type == DIRECT:  # supplier names the broader concept the receiver's word is a kind of
            return Reason("narrower", {"a": sb, "b": ha.surface, **names})
        if tb == DIRECT:
            return Reason("narrower", {"a": ha.surface, "b": sb, **names})
        return Reason("broader_concept", {"a": ha.surface, "b": sb, **names})

    # -- vectorised ------------------------------------------------------------------
    def values(
        self,
        ids_a: npt.NDArray[np.int32],
        w_a: FloatArray,
        t_a: npt.NDArray[np.int8],
        ids_b: npt.NDArray[np.int32],
        w_b: FloatArray,
        t_b: npt.NDArray[np.int8],
        processing: bool,
        spec: FloatArray,
    ) -> tuple[FloatArray, FloatArray]:
        """(value, raw evidence) for m pairs given padded entry matrices (id -1 = empty)."""
        m = ids_a.shape[0]
        factor = self.proc_factor if processing else self.std_factor
        missing = (ids_a[:, 0] < 0) | (ids_b[:, 0] < 0)
        rows, ia, ib = matching_entries(ids_a, ids_b)
        ca = ids_a.ravel()[ia]
        ta, tb = t_a.ravel()[ia], t_b.ravel()[ib]
        t = w_a.ravel()[ia] * w_b.ravel()[ib] * factor[ta, tb] * spec[ca]
        logs = np.log1p(-np.minimum(t, 0.999999))
        acc = np.bincount(rows, weights=logs, minlength=m)
        raw = 1.0 - np.exp(acc)
        value = np.where(missing, self.settings.missing_concept_value, raw)
        raw = np.where(missing, 0.0, raw)
        return value, raw


def _surface_of(entry: ConceptHit | ProcessEntry, pair: Pair, th: Thesaurus) -> tuple[str, str]:
    """(words the receiver used, matched term key) for a receiver-side entry."""
    if isinstance(entry, ConceptHit):
        return entry.surface, entry.key
    for hit in pair.receiver.concepts:
        if hit.concept == entry.concept:
            return hit.surface, hit.key
    return th.name(entry.concept, "nb"), ""


# ---------------------------------------------------------------------------------------
# distance


class DistanceComparison:
    """Great-circle distance, decaying by half every ``distance_half_decay_km``."""

    name = "distance"
    levels = (
        Level("very_near", 4, "<= 10 km"),
        Level("near", 3, "<= 30 km"),
        Level("regional", 2, "<= 75 km"),
        Level("far", 1, "within the search radius"),
        Level("beyond", 0, "outside the search radius"),
        Level("missing", -1, "a company has no known location"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings

    def level_for(self, km: float | None) -> Level:
        if km is None:
            return _level(self.levels, "missing")
        for limit, name in ((10.0, "very_near"), (30.0, "near"), (75.0, "regional")):
            if km <= limit:
                return _level(self.levels, name)
        return _level(self.levels, "far" if km <= self.settings.radius_km else "beyond")

    def value_for(self, km: float | None) -> float:
        if km is None:
            return self.settings.missing_distance_value
        return float(0.5 ** (km / self.settings.distance_half_decay_km))

    def km(self, pair: Pair) -> float | None:
        a, b = pair.offer.record, pair.receiver.record
        if not (a.has_location and b.has_location):
            return None
        return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        km = self.km(pair)
        return ComparisonResult(self.name, self.level_for(km), self.value_for(km), self.reasons(km))

    @staticmethod
    def reasons(km: float | None) -> tuple[Reason, ...]:
        if km is None:
            return (Reason("distance_unknown", {}),)
        return (Reason("distance", {"km": round(km)}),)

    def values(
        self, lat_a: FloatArray, lon_a: FloatArray, lat_b: FloatArray, lon_b: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """(value, km with NaN for unknown)."""
        km = haversine_many(lat_a, lon_a, lat_b, lon_b)
        value = np.where(
            np.isnan(km),
            self.settings.missing_distance_value,
            np.power(0.5, km / self.settings.distance_half_decay_km),
        )
        return value, km


# ---------------------------------------------------------------------------------------
# kind compatibility

KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}


def _kind_table() -> tuple[FloatArray, npt.NDArray[np.int8]]:
    n_p, n_k = len(PAIR_TYPE_ORDER), len(KINDS)
    values = np.zeros((n_p, n_k, n_k), dtype=np.float64)
    ranks = np.full((n_p, n_k, n_k), -1, dtype=np.int8)

    def put(pt: str, a: str, b: str, value: float, rank: int) -> None:
        values[PAIR_TYPE_CODE[pt], KIND_CODE[a], KIND_CODE[b]] = value
        ranks[PAIR_TYPE_CODE[pt], KIND_CODE[a], KIND_CODE[b]] = rank

    goods = ("material", "by-product")
    for a in goods:
        for b in goods:
            put("supply", a, b, 1.0 if a == b else 0.9, 2 if a == b else 1)
        put("supply", a, "energy", 0.6, 0)
        put("supply", "energy", a, 0.6, 0)
    put("supply", "energy", "energy", 1.0, 2)
    put("processing", "by-product", "capability", 1.0, 2)
    put("processing", "material", "capability", 0.9, 1)
    for a in ("capability", "service"):
        for b in ("capability", "service"):
            put("service", a, b, 1.0 if a == b else 0.85, 2 if a == b else 1)
    return values, ranks


class KindComparison:
    """How naturally the two listing kinds fit the pair type."""

    name = "kind"
    levels = (
        Level("same", 2, "the kinds fit exactly (e.g. by-product -> material need of that kind)"),
        Level("compatible", 1, "compatible kinds (material <-> by-product, capability <-> service)"),
        Level("weak", 0, "a loose fit (goods <-> energy)"),
    )

    def __init__(self) -> None:
        self.table, self.ranks = _kind_table()
        self._py: dict[tuple[str, str, str], tuple[float, int]] = {
            (pt, a, b): (
                float(self.table[i, KIND_CODE[a], KIND_CODE[b]]),
                int(self.ranks[i, KIND_CODE[a], KIND_CODE[b]]),
            )
            for i, pt in enumerate(PAIR_TYPE_ORDER)
            for a in KINDS
            for b in KINDS
        }

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        value, rank = self._py[(pair.pair_type, pair.offer.record.kind, pair.receiver.record.kind)]
        level = {2: self.levels[0], 1: self.levels[1]}.get(rank, self.levels[2])
        return ComparisonResult(self.name, level, value, self.reasons(pair))

    def reasons(self, pair: Pair) -> tuple[Reason, ...]:
        a, b = pair.offer.record.kind, pair.receiver.record.kind
        if self._py[(pair.pair_type, a, b)][1] >= 2:
            return ()
        return (Reason("kind", {"offer": a, "need": b}),)

    def values(
        self, pair_type: npt.NDArray[np.int8], kind_a: npt.NDArray[np.int8], kind_b: npt.NDArray[np.int8]
    ) -> FloatArray:
        out: FloatArray = self.table[pair_type, kind_a, kind_b]
        return out


# ---------------------------------------------------------------------------------------
# quantity

DIMENSION_CODE: dict[str, int] = {d: i for i, d in enumerate(DIMENSIONS)}


class QuantityComparison:
    """Share of the receiver's stated quantity (need, or process capacity) the offer covers."""

    name = "quantity"
    levels = (
        Level("covers", 4, "the offer covers the whole stated quantity"),
        Level("mostly", 3, "covers at least half"),
        Level("partly", 2, "covers at least a tenth"),
        Level("marginal", 1, "covers less than a tenth"),
        Level("units_differ", 0, "units cannot be converted (e.g. t vs m3)"),
        Level("missing", -1, "a side states no quantity"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings

    def ratio(self, pair: Pair) -> tuple[str, float | None]:
        qa, qb = pair.offer.quantity, pair.receiver.quantity
        if qa is None or qb is None:
            return "missing", None
        if qa.dimension != qb.dimension:
            return "units_differ", None
        ya, yb = qa.annual(), qb.annual()
        if ya is not None and yb is not None:
            return "ok", ya / yb
        return "ok", qa.amount / qb.amount

    def value_for(self, status: str, ratio: float | None) -> float:
        if status == "missing" or ratio is None:
            return (
                self.settings.missing_quantity_value
                if status == "missing"
                else self.settings.unit_mismatch_value
            )
        return 1.0 if ratio >= 1.0 else math.sqrt(ratio)

    def reasons(self, pair: Pair) -> tuple[Reason, ...]:
        status, ratio = self.ratio(pair)
        if status == "missing":
            return ()
        if status == "units_differ" or ratio is None:
            return (
                Reason(
                    "quantity_units",
                    {"a": pair.offer.record.unit or "", "b": pair.receiver.record.unit or ""},
                ),
            )
        pct = min(100.0, ratio * 100.0)
        pct_shown = round(pct / 5.0) * 5 if pct >= 10 else max(1, round(pct))
        return (
            Reason(
                "quantity_capacity" if pair.pair_type == "processing" else "quantity_cover",
                {"pct": pct_shown},
            ),
        )

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        status, ratio = self.ratio(pair)
        value = self.value_for(status, ratio)
        if status == "missing":
            return ComparisonResult(self.name, _level(self.levels, "missing"), value)
        if status == "units_differ" or ratio is None:
            reason = Reason(
                "quantity_units", {"a": pair.offer.record.unit or "", "b": pair.receiver.record.unit or ""}
            )
            return ComparisonResult(self.name, _level(self.levels, "units_differ"), value, (reason,))
        name = (
            "covers"
            if ratio >= 1.0
            else "mostly"
            if ratio >= 0.5
            else "partly"
            if ratio >= 0.1
            else "marginal"
        )
        return ComparisonResult(self.name, _level(self.levels, name), value, self.reasons(pair))

    def values(
        self,
        amount_a: FloatArray,
        dim_a: npt.NDArray[np.int8],
        annual_a: FloatArray,
        amount_b: FloatArray,
        dim_b: npt.NDArray[np.int8],
        annual_b: FloatArray,
    ) -> FloatArray:
        s = self.settings
        both = (dim_a >= 0) & (dim_b >= 0)
        same = both & (dim_a == dim_b)
        use_annual = same & ~np.isnan(annual_a) & ~np.isnan(annual_b)
        ra = np.where(use_annual, annual_a, amount_a)
        rb = np.where(use_annual, annual_b, amount_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(same, ra / np.where(same, rb, 1.0), 1.0)
        value = np.where(ratio >= 1.0, 1.0, np.sqrt(np.clip(ratio, 0.0, 1.0)))
        value = np.where(same, value, s.unit_mismatch_value)
        out: FloatArray = np.where(both, value, s.missing_quantity_value)
        return out


def quantity_columns(
    amount: float | None, unit: str | None, frequency: str | None
) -> tuple[float, int, float]:
    """(amount in base unit or NaN, dimension code or -1, annual amount or NaN) for storage."""
    q = normalise_quantity(amount, unit, frequency)
    if q is None:
        return math.nan, -1, math.nan
    annual = q.annual()
    return q.amount, DIMENSION_CODE[q.dimension], math.nan if annual is None else annual


ALL_COMPARISONS = ("text", "concept", "distance", "kind", "quantity")
