"""Step 1b — listing features: normalised texts, concept hits and quantities of a listing.

``Analyser.analyse(record)`` turns a ``ListingRecord`` into ``ListingFeatures``, the only
thing later steps look at. Concept recognition is a greedy longest-match over n-grams (up
to ``settings.max_ngram`` normalised words) against the thesaurus; every recognised
concept also implies its broader concepts (weaker, by depth) and its related concepts
(weaker still). Text that hits no concept keeps its words for fuzzy text matching.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from matchmaker.matching.normalise import (
    Normaliser,
    Quantity,
    Tok,
    detect_language,
    normalise_quantity,
)
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus

# entry types of a concept vector
DIRECT, BROADER1, BROADER2, RELATED = 0, 1, 2, 3
MAX_CONCEPT_ENTRIES = 10
MAX_PROCESS_ENTRIES = 10
MAX_TITLE_TOKENS = 8
GOODS = frozenset({"material", "by-product", "energy"})


@dataclass(frozen=True, slots=True)
class ConceptHit:
    concept: str
    weight: float  # title 1.0 / description lower / compound modifier lower; ambiguity lower
    type: int  # DIRECT, BROADER1, BROADER2 or RELATED
    surface: str  # words of the listing that named it (for explanations)
    via: str  # the directly named concept it was derived from (itself when DIRECT)
    key: str = ""  # the normalised term that matched ("sagflis"), for same-word checks
    in_title: bool = True  # named in the title (else only in the description)


@dataclass(frozen=True, slots=True)
class ProcessEntry:
    concept: str  # an input concept of a process the listing performs (or a concept it names)
    weight: float
    process: str  # process id, or "" for a concept the capability names itself
    in_title: bool = True


@dataclass(frozen=True, slots=True)
class ListingFeatures:
    record: ListingRecord
    title_text: str  # normalised words of the title, space separated
    full_text: str  # title + description words
    concepts: tuple[ConceptHit, ...]  # strongest first, at most MAX_CONCEPT_ENTRIES
    process_inputs: tuple[ProcessEntry, ...]  # only for offered capabilities
    free_tokens: tuple[str, ...]  # normalised words not part of any concept term
    corrections: tuple[tuple[str, str], ...]  # typo repairs (as written, understood as)
    quantity: Quantity | None
    title_tokens: tuple[str, ...] = ()  # distinct title words (3+ letters), at most MAX_TITLE_TOKENS

    def concept_map(self) -> dict[str, ConceptHit]:
        return {h.concept: h for h in self.concepts}

    def title_words(self) -> tuple[str, ...]:
        """Distinct title words (3+ letters) used for the shared-rare-word evidence."""
        return self.title_tokens

    @property
    def direct_concepts(self) -> tuple[str, ...]:
        return tuple(h.concept for h in self.concepts if h.type == DIRECT)


def _entry_order(h: ConceptHit) -> tuple[int, float, str]:
    return (h.type if h.type != RELATED else 9, -h.weight, h.concept)


class Analyser:
    """Normalisation + concept recognition for listings (one per thesaurus and settings)."""

    def __init__(self, thesaurus: Thesaurus, settings: MatchSettings) -> None:
        self.thesaurus = thesaurus
        self.settings = settings
        self.normaliser = Normaliser(
            thesaurus.vocabulary,
            thesaurus.stopwords,
            typo_cutoff=settings.typo_cutoff,
            typo_min_len=settings.typo_min_len,
            compound_min_part=settings.compound_min_part,
        )
        self.max_ngram = max(1, min(settings.max_ngram, thesaurus.max_phrase_words))
        self._stop_nb = thesaurus.stopwords_by_lang.get("nb", frozenset())
        self._stop_en = thesaurus.stopwords_by_lang.get("en", frozenset())

    def _recognise(
        self, toks: list[Tok], base_weight: float, lang: str | None
    ) -> tuple[list[tuple[str, float, str, bool, str]], list[str]]:
        """Greedy longest-match of n-grams -> (concept, weight, surface, ambiguous, key), free words."""
        hits: list[tuple[str, float, str, bool, str]] = []
        free: list[str] = []
        index = self.thesaurus.phrase_index
        langs = self.thesaurus.phrase_langs
        common = self.thesaurus.stopwords_by_lang
        prefixes = self.thesaurus.phrase_prefixes
        i, n_toks = 0, len(toks)
        while i < n_toks:
            longest = min(self.max_ngram, n_toks - i) if toks[i].norm in prefixes else 1
            for n in range(longest, 0, -1):
                window = toks[i : i + n]
                key = window[0].norm if n == 1 else "".join([t.norm for t in window])
                ids = index.get(key)
                if (
                    ids
                    and lang is not None
                    and key in common.get(lang, ())
                    and lang not in langs.get(key, (lang,))
                ):
                    ids = None  # a false friend: English "tar" in Norwegian text means "takes"
                if ids:
                    if n == 1:
                        surface, weight = window[0].surface, base_weight * window[0].weight
                    else:
                        surface = " ".join(dict.fromkeys([t.surface for t in window]))
                        weight = base_weight * max([t.weight for t in window])
                    for cid in ids:
                        hits.append((cid, weight, surface, len(ids) > 1, key))
                    i += n
                    break
            else:
                free.append(toks[i].norm)
                i += 1
        return hits, free

    def analyse(self, record: ListingRecord) -> ListingFeatures:
        s = self.settings
        norm = self.normaliser
        seen: list[str] = []
        goods = record.kind in GOODS
        title_toks, corr_t = norm.tokens(
            record.title or "", s.compound_modifier_weight, seen=seen, prepositions_modify=goods
        )
        desc_toks, corr_d = norm.tokens(
            record.description or "",
            s.compound_modifier_weight,
            limit=s.max_description_tokens,
            seen=seen,
            prepositions_modify=goods,
        )
        lang = detect_language(seen, self._stop_nb, self._stop_en)
        hits_t, free_t = self._recognise(title_toks, 1.0, lang)
        hits_d, free_d = self._recognise(desc_toks, s.description_weight, lang)
        raw_hits = hits_t + hits_d
        title_keys = {h[4] for h in hits_t}

        # ambiguous terms ("flis": wood chips / tiles): keep the readings whose domain agrees
        # with an unambiguous concept of the same listing, else keep all at reduced weight
        concepts = self.thesaurus.concepts
        sure_domains = {concepts[c].domain for c, _, _, amb, _ in raw_hits if not amb}
        readings: dict[str, list[str]] = {}
        for cid, _, surface, ambiguous, _ in raw_hits:
            if ambiguous:
                readings.setdefault(surface, []).append(cid)
        keep: dict[str, set[str]] = {
            surface: {c for c in ids if concepts[c].domain in sure_domains} or set(ids)
            for surface, ids in readings.items()
        }
        direct: dict[str, ConceptHit] = {}
        for cid, weight, surface, ambiguous, key in raw_hits:
            if ambiguous:
                if cid not in keep[surface]:
                    continue
                if len(keep[surface]) > 1:
                    weight *= 0.7
            old = direct.get(cid)
            in_title = key in title_keys
            if old is None or weight > old.weight:
                named_in_title = in_title or (old is not None and old.in_title)
                direct[cid] = ConceptHit(cid, weight, DIRECT, surface, cid, key, named_in_title)
            elif in_title and not old.in_title:
                direct[cid] = dataclasses.replace(old, in_title=True)

        # weak concepts (species, origin, generic words) qualify the head the listing names;
        # with a head present they count little, so they cannot carry a match alone
        is_weak = self.thesaurus.is_weak
        weak_factor = s.weak_concept_weight if any(not is_weak(c) for c in direct) else 1.0
        if weak_factor != 1.0:
            for cid, hit in list(direct.items()):
                if is_weak(cid):
                    direct[cid] = dataclasses.replace(hit, weight=hit.weight * weak_factor)

        derived: dict[str, ConceptHit] = {}
        for hit in sorted(direct.values(), key=lambda h: (-h.weight, h.concept)):
            for anc, depth in self.thesaurus.ancestors(hit.concept, s.max_broader_depth):
                if anc in direct:
                    continue
                t = BROADER1 if depth == 1 else BROADER2
                old = derived.get(anc)
                if old is None or (t, -hit.weight) < (old.type, -old.weight):
                    derived[anc] = ConceptHit(
                        anc, hit.weight, t, hit.surface, hit.concept, hit.key, hit.in_title
                    )
        for hit in sorted(direct.values(), key=lambda h: (-h.weight, h.concept)):
            for rel in self.thesaurus.related(hit.concept):
                if rel in direct or rel in derived:
                    continue
                derived[rel] = ConceptHit(
                    rel, hit.weight, RELATED, hit.surface, hit.concept, hit.key, hit.in_title
                )
        if weak_factor != 1.0:  # a generic broader concept ("energi" above "biogass") too
            for cid, hit in list(derived.items()):
                if is_weak(cid):
                    derived[cid] = dataclasses.replace(hit, weight=hit.weight * weak_factor)
        all_hits = sorted([*direct.values(), *derived.values()], key=_entry_order)[:MAX_CONCEPT_ENTRIES]

        process_inputs: tuple[ProcessEntry, ...] = ()
        if record.direction == "offer" and record.kind == "capability":
            process_inputs = self._process_inputs(direct)

        # words naming only a weak concept are left out of the texts too (unless nothing else
        # is left), so "rundball" / "gran" / "avfall" cannot carry a pair through the text
        weak_words = {h.key for h in direct.values() if is_weak(h.concept)}
        weak_words -= {h.key for h in direct.values() if not is_weak(h.concept)}
        title_text = " ".join(t.norm for t in title_toks if t.norm not in weak_words)
        desc_text = " ".join(t.norm for t in desc_toks if t.norm not in weak_words)
        if not title_text:
            title_text = " ".join(t.norm for t in title_toks)
        full_text = f"{title_text} {desc_text}".strip()
        return ListingFeatures(
            record=record,
            title_text=title_text,
            full_text=full_text,
            concepts=tuple(all_hits),
            process_inputs=process_inputs,
            free_tokens=tuple(dict.fromkeys(free_t + free_d)),
            corrections=tuple(dict.fromkeys(corr_t + corr_d)),
            quantity=normalise_quantity(record.quantity, record.unit, record.frequency),
            title_tokens=tuple(
                [t for t in dict.fromkeys(title_text.split()) if len(t) >= 3][:MAX_TITLE_TOKENS]
            ),
        )

    def _process_inputs(self, direct: dict[str, ConceptHit]) -> tuple[ProcessEntry, ...]:
        th = self.thesaurus
        entries: dict[str, ProcessEntry] = {}
        named: set[str] = set()
        ranked = sorted(direct.values(), key=lambda h: (-h.weight, h.concept))
        for hit in ranked:
            for pid in th.processes_named_by(hit.concept):
                proc = th.processes[pid]
                named.update((pid, *proc.outputs))
                for cid in proc.inputs:
                    old = entries.get(cid)
                    if old is None or hit.weight > old.weight:
                        entries[cid] = ProcessEntry(cid, hit.weight, pid, hit.in_title)
        # materials the capability names itself ("vi tar imot stålskrap") count as inputs too,
        # but not the process or its products ("pellets" is what a pellet plant makes)
        for hit in ranked:
            if hit.concept in named or hit.concept in entries:
                continue
            entries[hit.concept] = ProcessEntry(hit.concept, hit.weight * 0.8, "", hit.in_title)
        ordered = sorted(entries.values(), key=lambda e: (e.process == "", -e.weight, e.concept))
        return tuple(ordered[:MAX_PROCESS_ENTRIES])
