"""Step 1 — normalisation: tokens, compounds, inflection, typos, negation, proper nouns.

Everything here is deterministic and pure. ``Normaliser`` holds a vocabulary (the folded
words of the thesaurus) and caches its per-token decisions, so a registry with a
repetitive vocabulary is normalised at dictionary-lookup speed. Folding and the word lists
are in ``folding``; units and quantities in ``quantities``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process

from matchmaker.matching.folding import (
    COORDINATORS,
    DEFAULT_STOPWORDS,
    MODIFYING_PREPOSITIONS,
    NEGATION_BRIDGES,
    NEGATIONS,
    SUBSCRIPTS,
    WORDS,
    fold_token,
    stem_variants,
    words,
)

TokenHow = Literal["known", "inflected", "compound", "typo", "unknown"]


@dataclass(frozen=True, slots=True)
class TokenAnalysis:
    """How one folded word was understood: the vocabulary words it stands for."""

    token: str
    parts: tuple[str, ...]  # vocabulary words (compound parts in order, head last); or (token,)
    how: TokenHow
    corrected_to: str | None = None  # set when how == "typo"


class Tok(NamedTuple):
    """A normalised token in a text, with the original word it came from."""

    norm: str
    surface: str
    weight: float  # 1.0, or the compound-modifier weight for non-head parts
    position: int  # index of the original word


# what a word does in ``Normaliser.tokens`` (by its folded form)
_CONTENT, _SKIP, _PREPOSITION, _COORDINATOR, _NEGATION = 0, 1, 2, 3, 4


#: the head of a compound with an unknown modifier has this many letters at least: a 3-letter
#: word plus an ending ("ilt|a", oxygen in Danish) would read foreign inflections as compounds
#: (Finnish "naapuri|lta", from a neighbour)
UNKNOWN_MODIFIER_HEAD_MIN = 4


class Normaliser:
    """Folds, filters and repairs words against a vocabulary (cached per distinct word)."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        stopwords: Iterable[str] = DEFAULT_STOPWORDS,
        *,
        typo_cutoff: float = 85.0,
        typo_min_len: int = 5,
        compound_min_part: int = 3,
    ) -> None:
        self.stopwords: frozenset[str] = frozenset(fold_token(s) for s in stopwords)
        vocab = {fold_token(v) for v in vocabulary}
        self.vocabulary: frozenset[str] = frozenset(
            v for v in vocab if len(v) >= 2 and v not in self.stopwords
        )
        self._vocab_list: list[str] = sorted(self.vocabulary)
        # stem -> vocabulary word: lets "pellet" find "pellets" and "sponet" find "spon"
        stems: dict[str, str] = {}
        for v in self._vocab_list:
            for s in stem_variants(v):
                stems.setdefault(s, v)
        self._stems = stems
        self.typo_cutoff = typo_cutoff
        self.typo_min_len = typo_min_len
        self.compound_min_part = compound_min_part
        self._cache: dict[str, TokenAnalysis] = {}
        self._typo_by_len: dict[tuple[int, str], list[str]] = {}
        self._vocab_by_first: dict[str, list[str]] | None = None  # made at the first typo
        self._fold_cache: dict[str, str] = {}
        self._word_cache: dict[str, tuple[str, int, tuple[tuple[str, bool], ...], str | None]] = {}

    # -- single words ---------------------------------------------------------------
    def _inflected(self, token: str) -> str | None:
        """A vocabulary word this is an inflected form of ("sponene" -> "spon")."""
        if token in self._stems:  # vocabulary word minus its ending ("pellet" -> "pellets")
            return self._stems[token]
        variants = stem_variants(token)
        for s in variants:
            if s in self.vocabulary:
                return s
        for s in variants:  # both inflected ("plankene" / "planker"): only on a long stem
            if len(s) >= 5 and s in self._stems:
                return self._stems[s]
        return None

    def _known(self, token: str, allow_inflection: bool) -> str | None:
        if token in self.vocabulary:
            return token
        if allow_inflection and len(token) >= 4:
            return self._inflected(token)
        return None

    def split_compound(self, token: str) -> tuple[str, ...] | None:
        """Split a compound into known vocabulary words (fewest parts, longest head).

        Parts are at least ``compound_min_part`` letters; a linking "s" or "e" may sit
        between parts ("skog+s+avfall"); the last part may be inflected ("bark+en").
        Returns ``None`` when no full split exists.
        """
        n = len(token)
        m = self.compound_min_part
        if n < 2 * m:
            return None
        # best[i] = (parts, head_len) for token[i:], computed right to left
        best: list[tuple[tuple[str, ...], int] | None] = [None] * (n + 1)
        for i in range(n - m, -1, -1):
            candidates: list[tuple[tuple[str, ...], int]] = []
            tail = self._known(token[i:], allow_inflection=True) if i > 0 else None
            if tail is not None:
                candidates.append(((tail,), n - i))
            for j in range(i + m, n - m + 1):
                head = self._known(token[i:j], allow_inflection=False)
                if head is None:
                    continue
                for k in (j, j + 1):
                    if k > j and token[j] not in "se":
                        continue
                    rest = best[k] if k <= n else None
                    if rest is not None:
                        candidates.append(((head, *rest[0]), rest[1]))
            if candidates:
                best[i] = min(candidates, key=lambda c: (len(c[0]), -c[1], c[0]))
        result = best[0]
        if result is None or len(result[0]) < 2:
            return None
        parts = result[0]
        if len(parts) == 2:
            # "spon|platekapp" -> "sponplate|kapp": a modifier that forms a known word with
            # the first part of a compound head binds to it, and the head is the last part
            inner = self.split_compound(parts[1]) if len(parts[1]) >= 2 * m else None
            if inner is not None and len(inner) == 2:
                left = self._known(parts[0] + inner[0], allow_inflection=False)
                if left is not None and token.endswith(inner[1]):
                    return (left, inner[1])
        return parts

    def split_head(self, token: str) -> tuple[str, ...] | None:
        """Right-headed compound with an unknown modifier: "hestemøkk" -> ("heste", "mokk").

        The head (the longest known word ending the token, ``UNKNOWN_MODIFIER_HEAD_MIN`` letters
        or more, possibly inflected) carries the meaning; the modifier (3+ letters) is kept as a
        word of its own.
        """
        m = self.compound_min_part
        for i in range(m, len(token) - 3):
            head = self._known(token[i:], allow_inflection=True)
            if head is not None and len(head) >= UNKNOWN_MODIFIER_HEAD_MIN:
                return (token[:i], head)
        return None

    def correct_typo(self, token: str) -> str | None:
        """The vocabulary word ``token`` is most likely a misspelling of, if any.

        rapidfuzz ``ratio`` >= ``typo_cutoff``; the first letter must agree and the lengths
        differ by at most two (real words outside the vocabulary are left alone more often).
        """
        if len(token) < self.typo_min_len or not self._vocab_list:
            return None
        best = process.extractOne(
            token, self._typo_choices(len(token), token[0]), scorer=fuzz.ratio, score_cutoff=self.typo_cutoff
        )
        return None if best is None else str(best[0])

    def _typo_choices(self, n: int, first: str) -> list[str]:
        """The vocabulary words (in order) that may be what an ``n``-letter word starting with
        ``first`` was meant to be: the same first letter, at most two letters longer or
        shorter, and a length that lets ``fuzz.ratio`` reach ``typo_cutoff`` at all
        (ratio <= 100 * (1 - |len difference| / len sum)). Kept per (length, letter): a large
        vocabulary is then searched in a small slice."""
        key = (n, first)
        choices = self._typo_by_len.get(key)
        if choices is None:
            by_first = self._vocab_by_first
            if by_first is None:  # (in order: a slice of the sorted vocabulary per letter)
                by_first = self._vocab_by_first = {}
                for v in self._vocab_list:
                    by_first.setdefault(v[0], []).append(v)
            cutoff = self.typo_cutoff - 1e-6
            choices = self._typo_by_len[key] = [
                v
                for v in by_first.get(first, ())
                if abs(len(v) - n) <= 2 and 100.0 * (1.0 - abs(len(v) - n) / (len(v) + n)) >= cutoff
            ]
        return choices

    def analyse_token(self, token: str) -> TokenAnalysis:
        """Understand one folded, non-stop word (cached)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result: TokenAnalysis
        if token in self.vocabulary:
            result = TokenAnalysis(token, (token,), "known")
        elif (infl := self._known(token, allow_inflection=True)) is not None:
            result = TokenAnalysis(token, (infl,), "inflected")
        elif (parts := self.split_compound(token)) is not None:
            result = TokenAnalysis(token, parts, "compound")
        elif (fixed := self.correct_typo(token)) is not None:
            result = TokenAnalysis(token, (fixed,), "typo", corrected_to=fixed)
        elif (parts := self.split_head(token)) is not None:
            result = TokenAnalysis(token, parts, "compound")
        else:
            result = TokenAnalysis(token, (token,), "unknown")
        self._cache[token] = result
        return result

    # -- texts ----------------------------------------------------------------------
    def fold(self, word: str) -> str:
        """``fold_token`` with a cache (a registry repeats its words a lot)."""
        folded = self._fold_cache.get(word)
        if folded is None:
            folded = self._fold_cache[word] = fold_token(word)
        return folded

    def _word_info(self, surface: str) -> tuple[str, int, tuple[tuple[str, bool], ...], str | None]:
        """Per distinct surface word (cached): (folded, role, (part, is head) pairs without
        stop words, typo correction) — everything ``tokens`` needs that does not depend on context."""
        folded = self.fold(surface)
        parts: tuple[tuple[str, bool], ...] = ()
        typo_to: str | None = None
        if folded in MODIFYING_PREPOSITIONS:
            role = _PREPOSITION
        elif folded in COORDINATORS:
            role = _COORDINATOR
        elif folded in NEGATIONS:
            role = _NEGATION
        elif len(folded) < 2 or folded in self.stopwords:
            role = _SKIP
        else:
            role = _CONTENT
            analysis = self.analyse_token(folded)
            if analysis.how == "typo":
                typo_to = analysis.corrected_to
            last = len(analysis.parts) - 1
            parts = tuple(
                (part, i == last) for i, part in enumerate(analysis.parts) if part not in self.stopwords
            )
        info = (folded, role, parts, typo_to)
        self._word_cache[surface] = info
        return info

    def tokens(
        self,
        text: str,
        modifier_weight: float = 0.5,
        limit: int | None = None,
        typo_weight: float = 0.8,
        seen: list[str] | None = None,
        prepositions_modify: bool = True,
    ) -> tuple[list[Tok], list[tuple[str, str]]]:
        """Normalised tokens of ``text`` plus the typo corrections made (surface, word).

        ``seen`` (if given) receives every folded word, stop words included. With
        ``prepositions_modify`` a word right after "av/fra/til/med/i/of/from/with/in" counts as a
        modifier (goods: "bark fra gran" is bark), and so does a word coordinated with it
        ("fra gran og furu"); for services and capabilities the word after "av" is what
        they work on ("gjenvinning av isopor") and keeps full weight. The content word after
        a negation ("ikke", "uten", "not", "without") is dropped.
        """
        out: list[Tok] = []
        corrections: list[tuple[str, str]] = []
        position = 0
        word_cache = self._word_cache
        append = out.append
        after_preposition = False
        last_modified = False  # the previous content word was a modifier after a preposition
        negated = False  # the next content word is negated
        last_negated = False  # the previous content word was (a coordinated one is too)
        text_words = words(text)
        proper = _proper_nouns(text, text_words)
        for i_word, surface in enumerate(text_words):
            info = word_cache.get(surface)
            if info is None:
                info = self._word_info(surface)
            folded, role, parts, typo_to = info
            if seen is not None:
                seen.append(folded)
            if proper and i_word in proper:  # "på Flisa", "to Oslo and Sweden": a place, not "flis"/"swede"
                continue
            if role != _CONTENT:
                if role == _SKIP:
                    continue
                if role == _PREPOSITION:
                    after_preposition = prepositions_modify
                    continue
                if role == _COORDINATOR:
                    after_preposition = after_preposition or last_modified
                    negated = negated or last_negated
                    continue
                # _NEGATION
                negated = True
                continue
            if negated:  # "ikke impregnert", "uten tungmetaller": not what the listing is
                if folded in NEGATION_BRIDGES:  # "ikke egnet til pellets eller strø"
                    continue
                negated = after_preposition = last_modified = False
                last_negated = True
                position += 1
                continue
            last_negated = False
            last_modified = after_preposition
            if typo_to is not None:
                corrections.append((surface, typo_to))
                certainty = typo_weight
            else:
                certainty = 1.0
            if after_preposition:  # "bark fra gran", "aske fra flis": the head comes first
                certainty *= modifier_weight
                after_preposition = False
            for part, is_head in parts:
                append(Tok(part, surface, certainty * (1.0 if is_head else modifier_weight), position))
            position += 1
            if limit is not None and position >= limit:
                break
        return out, corrections


_NO_PROPER: frozenset[int] = frozenset()
_SENTENCE_BREAKS = frozenset(".!?:;()[]\"'/\n–—-•*")


def _proper_nouns(text: str, text_words: list[str] | None = None) -> frozenset[int]:
    """Indexes (into ``words(text)``) of capitalised words inside a sentence: proper nouns.

    Only for ordinary sentence case: in Title Case text ("Steel Scrap For Melting") or for
    all-caps words (PP, MDF, GROT) capitals say nothing, and the first word of a sentence
    is capitalised anyway.
    """
    if text.islower() or not any(c.isupper() for c in text):
        return _NO_PROPER
    matches = list(WORDS.finditer(text.translate(SUBSCRIPTS)))
    if text_words is None:
        text_words = words(text)
    if len(matches) != len(text_words):  # casefolding split a word (rare letters): give up
        return frozenset()
    inner: list[tuple[int, str]] = []  # words that do not start a sentence
    for i, m in enumerate(matches):
        j = m.start() - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] not in _SENTENCE_BREAKS and not text[j].isdigit():
            inner.append((i, m.group(0)))
    longer = [w for _, w in inner if len(w) > 3 and not w.isupper()]
    if sum(1 for w in longer if w[0].isupper()) * 2 > len(longer):
        return frozenset()  # Title Case (or nothing to judge by)
    return frozenset(i for i, w in inner if len(w) > 1 and w[0].isupper() and not w.isupper())


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """Convenience view used by tests and tools: the normalised words of one text."""

    tokens: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def normalise_text(normaliser: Normaliser, text: str) -> NormalisedText:
    toks, corrections = normaliser.tokens(text)
    return NormalisedText(tuple(t.norm for t in toks), tuple(corrections))
