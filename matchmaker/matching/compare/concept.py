"""Concept comparison: shared thesaurus concepts, or a material meeting a process input."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
    matching_entries,
)
from matchmaker.matching.features import (
    BROADER1,
    BROADER2,
    DIRECT,
    RELATED,
    ConceptHit,
    ListingFeatures,
    ProcessEntry,
)
from matchmaker.matching.records import Reason
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus

# A second concept match is named as a reason only when it weighs at least this share of
# the best one (and comes from another word): a weak extra match would be noise.
SECOND_REASON_SHARE = 0.5


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
        """Matching entries as (contribution, supplier entry, receiver entry); and missing?

        Processing pairs meet the capability's process inputs. Other pairs meet the
        receiver's concepts — or, for a need that names its use, that process's inputs
        when they fit better (as the vectorised ``values`` takes the larger value)."""
        if pair.pair_type == "processing":
            return self._input_contributions(pair, ctx)
        shared, missing = self._shared_contributions(pair, ctx)
        if pair.receiver.process_inputs and pair.offer.concepts:
            use, _ = self._input_contributions(pair, ctx)
            if use and self.combine([c[0] for c in use]) > self.combine([c[0] for c in shared]):
                return use, False
        return shared, missing

    def _input_contributions(
        self, pair: Pair, ctx: CompareContext
    ) -> tuple[list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]], bool]:
        a, spec = pair.offer, ctx.specificity
        out: list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]] = []
        if not a.concepts or not pair.receiver.process_inputs:
            return out, True
        pf = self._proc_factor
        rp = self._receiver_map(pair.receiver, True)
        for ha in a.concepts:
            e = rp.get(ha.concept)
            if e is not None and pf[ha.type] > 0:
                out.append((ha.weight * e.weight * pf[ha.type] * spec(ha.concept), ha, e))
        return out, False

    def _shared_contributions(
        self, pair: Pair, ctx: CompareContext
    ) -> tuple[list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]], bool]:
        a, spec = pair.offer, ctx.specificity
        out: list[tuple[float, ConceptHit, ConceptHit | ProcessEntry]] = []
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
                self.name, level_named(self.levels, "missing"), self.settings.missing_concept_value, (), 0.0
            )
        if not contribs:
            return ComparisonResult(self.name, level_named(self.levels, "none"), 0.0, (), 0.0)
        value = self.combine([c[0] for c in contribs])
        ranked = sorted(contribs, key=lambda c: (-c[0], c[1].concept))
        reasons = [self.reason(ranked[0], pair, ctx)]
        best_level = self._level_of(ranked[0], pair)
        for extra in ranked[1:]:
            if len(reasons) >= 2 or extra[0] < SECOND_REASON_SHARE * ranked[0][0]:
                break
            if extra[1].via == ranked[0][1].via:
                continue  # the broader concept of the same word adds no news
            reasons.append(self.reason(extra, pair, ctx))
        return ComparisonResult(self.name, best_level, value, tuple(reasons), value)

    def _level_of(self, contrib: tuple[float, ConceptHit, ConceptHit | ProcessEntry], pair: Pair) -> Level:
        _, ha, hb = contrib
        if isinstance(hb, ProcessEntry):
            if hb.process and ha.type in (DIRECT, BROADER1, BROADER2):
                return level_named(self.levels, "process_input")
            return level_named(self.levels, "same_concept" if ha.type == DIRECT else "broader")
        if ha.type == RELATED or hb.type == RELATED:
            return level_named(self.levels, "related")
        if ha.type == DIRECT and hb.type == DIRECT:
            return level_named(self.levels, "same_concept")
        return level_named(self.levels, "broader")

    def reason(
        self, contrib: tuple[float, ConceptHit, ConceptHit | ProcessEntry], pair: Pair, ctx: CompareContext
    ) -> Reason:
        """The reason one match (contribution, supplier entry, receiver entry) gives."""
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
