"""Text comparison: fuzzy wording, or a rare word both titles share."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
    matching_entries,
)
from matchmaker.matching.features import DIRECT, ListingFeatures
from matchmaker.matching.folding import fold_token, words
from matchmaker.matching.records import Reason

# From the "medium" level up the wording is similar enough to be named as a reason.
TEXT_REASON_MIN = 0.70


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
        Level("medium", 2, f"similar wording (>= {round(TEXT_REASON_MIN * 100)} %)"),
        Level("low", 1, "some words in common (>= 50 %)"),
        Level("none", 0, "different wording"),
        Level("missing", -1, "a listing has no usable words"),
    )
    thresholds = ((0.97, "exact"), (0.85, "high"), (TEXT_REASON_MIN, "medium"), (0.50, "low"))

    def level_for(self, value: float, missing: bool = False) -> Level:
        if missing:
            return level_named(self.levels, "missing")
        for threshold, name in self.thresholds:
            if value >= threshold:
                return level_named(self.levels, name)
        return level_named(self.levels, "none")

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
        if value < TEXT_REASON_MIN or not a.full_text or not b.full_text:
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
