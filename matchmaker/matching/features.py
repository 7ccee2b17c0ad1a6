"""Step 1b — listing features: normalised texts, concept hits and quantities of a listing.

``Analyser.analyse(record)`` turns a ``ListingRecord`` into ``ListingFeatures``, the only
thing later steps look at. Concept recognition is a greedy longest-match over n-grams (up
to ``settings.max_ngram`` normalised words) against the thesaurus; every recognised
concept also implies its broader concepts (weaker, by depth) and its related concepts
(weaker still). Text that hits no concept keeps its words for fuzzy text matching.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from matchmaker.matching.attributes import FUEL_ROOTS, NO_ATTRIBUTES, Attributes
from matchmaker.matching.folding import detect_language
from matchmaker.matching.listing_attributes import AttributeReader
from matchmaker.matching.normalise import Normaliser, Tok
from matchmaker.matching.quantities import Quantity, normalise_quantity
from matchmaker.matching.records import GOODS_KINDS, ListingRecord
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus

# entry types of a concept vector
DIRECT, BROADER1, BROADER2, RELATED = 0, 1, 2, 3
MAX_CONCEPT_ENTRIES = 10
MAX_PROCESS_ENTRIES = 32
MAX_TITLE_TOKENS = 8
#: thesaurus domains that say how goods travel: named in a goods listing's description only,
#: their concepts count as weak ones
DELIVERY_DOMAINS: tuple[str, ...] = ("logistics",)


# Concept hits and process entries are named tuples, not frozen dataclasses: a build makes
# hundreds of thousands, and a frozen dataclass sets each field through object.__setattr__
# (four times the time). They compare and hash by their fields alike.
class ConceptHit(NamedTuple):
    concept: str
    weight: float  # title 1.0 / description lower / compound modifier lower; ambiguity lower
    type: int  # DIRECT, BROADER1, BROADER2 or RELATED
    surface: str  # words of the listing that named it (for explanations)
    via: str  # the directly named concept it was derived from (itself when DIRECT)
    key: str = ""  # the normalised term that matched ("sagflis"), for same-word checks
    in_title: bool = True  # named in the title (else only in the description)


class ProcessEntry(NamedTuple):
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
    #: offered capability: the inputs of the processes it performs (and materials it names);
    #: need: the inputs of the processes it names as its use ("råstoff til biogassanlegget")
    process_inputs: tuple[ProcessEntry, ...]
    free_tokens: tuple[str, ...]  # normalised words not part of any concept term
    corrections: tuple[tuple[str, str], ...]  # typo repairs (as written, understood as)
    quantity: Quantity | None
    title_tokens: tuple[str, ...] = ()  # distinct title words (3+ letters), at most MAX_TITLE_TOKENS
    #: the title names a concept that is not only a qualifier: the thesaurus can read the
    #: listing. Listings it cannot read are also paired by meaning (``blocking``).
    known_title: bool = True
    attributes: Attributes = NO_ATTRIBUTES  # temperature, pressure, purity, treatment stated
    fuel: bool = False  # an energy listing whose title names a fuel and no carrier (FUEL_ROOTS)

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


def _weight_order(h: ConceptHit) -> tuple[float, str]:
    return (-h.weight, h.concept)


def _reweighted(h: ConceptHit, weight: float) -> ConceptHit:
    return ConceptHit(h.concept, weight, h.type, h.surface, h.via, h.key, h.in_title)


#: title tokens, typo repairs, folded words, and per detected language the concept hits
_TitleInfo = tuple[
    list[Tok],
    list[tuple[str, str]],
    list[str],
    dict["str | None", tuple[list[tuple[str, float, str, bool, str]], list[str]]],
]
_CACHE_LIMIT = 100_000  # quantities cached per analyser before the cache is emptied
_TITLE_CACHE_LIMIT = 50_000  # titles likewise (about 1 kB each)


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
        self._weak: frozenset[str] = frozenset(c for c in thesaurus.concepts if thesaurus.is_weak(c))
        self._delivery: frozenset[str] = frozenset(
            c for c, concept in thesaurus.concepts.items() if concept.domain in DELIVERY_DOMAINS
        )
        self.attributes = AttributeReader(thesaurus, settings, self._weak)
        self._fuels = thesaurus.under(FUEL_ROOTS) - self.attributes.carriers
        # titles repeat a lot in a registry: their tokens (and concept hits, per language) are
        # kept by (title, goods); quantities by their raw fields (both emptied when full)
        self._title_cache: dict[tuple[str, bool], _TitleInfo] = {}
        self._quantity_cache: dict[tuple[object, ...], Quantity | None] = {}

    def _recognise(
        self, toks: list[Tok], base_weight: float, lang: str | None
    ) -> tuple[list[tuple[str, float, str, bool, str]], list[str]]:
        """Greedy longest-match of n-grams -> (concept, weight, surface, ambiguous, key), free words."""
        hits: list[tuple[str, float, str, bool, str]] = []
        free: list[str] = []
        index = self.thesaurus.phrase_index
        langs = self.thesaurus.phrase_langs
        common = self.thesaurus.stopwords_by_lang.get(lang, ()) if lang is not None else ()
        prefixes = self.thesaurus.phrase_prefixes
        max_ngram = self.max_ngram
        norms = [t.norm for t in toks]
        i, n_toks = 0, len(toks)
        while i < n_toks:
            first = norms[i]
            longest = min(max_ngram, n_toks - i) if first in prefixes else 1
            for n in range(longest, 0, -1):
                key = first if n == 1 else "".join(norms[i : i + n])
                ids = index.get(key)
                if ids and key in common and lang not in langs.get(key, (lang,)):
                    ids = None  # a false friend: English "tar" in Norwegian text means "takes"
                if ids:
                    if n == 1:
                        tok = toks[i]
                        surface, weight = tok.surface, base_weight * tok.weight
                    else:
                        window = toks[i : i + n]
                        surface = " ".join(dict.fromkeys([t.surface for t in window]))
                        weight = base_weight * max([t.weight for t in window])
                    ambiguous = len(ids) > 1
                    for cid in ids:
                        hits.append((cid, weight, surface, ambiguous, key))
                    i += n
                    break
            else:
                free.append(first)
                i += 1
        return hits, free

    def _title(self, title: str, goods: bool) -> _TitleInfo:
        key = (title, goods)
        info = self._title_cache.get(key)
        if info is None:
            seen: list[str] = []
            toks, corr = self.normaliser.tokens(
                title, self.settings.compound_modifier_weight, seen=seen, prepositions_modify=goods
            )
            if len(self._title_cache) >= _TITLE_CACHE_LIMIT:
                self._title_cache.clear()
            info = self._title_cache[key] = (toks, corr, seen, {})
        return info

    def _quantity(self, record: ListingRecord) -> Quantity | None:
        q = record.quantity
        if type(q) is not float and type(q) is not int:
            return normalise_quantity(q, record.unit, record.frequency)
        key = (q, record.unit, record.frequency)
        cache = self._quantity_cache
        if key in cache:
            return cache[key]
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        out = cache[key] = normalise_quantity(q, record.unit, record.frequency)
        return out

    def analyse(self, record: ListingRecord) -> ListingFeatures:
        s = self.settings
        norm = self.normaliser
        goods = record.kind in GOODS_KINDS
        title_toks, corr_t, seen_t, title_hits = self._title(record.title or "", goods)
        seen = list(seen_t)
        desc_toks, corr_d = norm.tokens(
            record.description or "",
            s.compound_modifier_weight,
            limit=s.max_description_tokens,
            seen=seen,
            prepositions_modify=goods,
        )
        lang = detect_language(seen, self._stop_nb, self._stop_en)
        recognised = title_hits.get(lang)
        if recognised is None:
            recognised = title_hits[lang] = self._recognise(title_toks, 1.0, lang)
        hits_t, free_t = recognised
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
                    weight *= s.ambiguous_term_weight
            old = direct.get(cid)
            in_title = key in title_keys
            if old is None or weight > old.weight:
                named_in_title = in_title or (old is not None and old.in_title)
                direct[cid] = ConceptHit(cid, weight, DIRECT, surface, cid, key, named_in_title)
            elif in_title and not old.in_title:
                direct[cid] = ConceptHit(
                    old.concept, old.weight, old.type, old.surface, old.via, old.key, True
                )

        # weak concepts (species, origin, generic words) qualify the head the listing names;
        # with a head present they count little, so they cannot carry a match alone
        weak = self._weak
        if goods and not self._delivery.isdisjoint(direct):
            # "bulkbil", "storsekk" in a description say how goods travel, not what they are
            weak = weak | {c for c in self._delivery.intersection(direct) if not direct[c].in_title}
        any_weak = not weak.isdisjoint(direct)
        has_head = bool(direct) and (not any_weak or any(c not in weak for c in direct))
        weak_factor = s.weak_concept_weight if has_head else 1.0
        if weak_factor != 1.0 and any_weak:
            for cid, hit in list(direct.items()):
                if cid in weak:
                    direct[cid] = _reweighted(hit, hit.weight * weak_factor)

        derived: dict[str, ConceptHit] = {}
        ranked_direct = sorted(direct.values(), key=_weight_order)
        ancestors = self.thesaurus.ancestors
        max_depth = s.max_broader_depth
        for hit in ranked_direct:
            for anc, depth in ancestors(hit.concept, max_depth):
                if anc in direct:
                    continue
                t = BROADER1 if depth == 1 else BROADER2
                old = derived.get(anc)
                if old is None or (t, -hit.weight) < (old.type, -old.weight):
                    derived[anc] = ConceptHit(
                        anc, hit.weight, t, hit.surface, hit.concept, hit.key, hit.in_title
                    )
        related = self.thesaurus.related
        for hit in ranked_direct:
            for rel in related(hit.concept):
                if rel in direct or rel in derived:
                    continue
                derived[rel] = ConceptHit(
                    rel, hit.weight, RELATED, hit.surface, hit.concept, hit.key, hit.in_title
                )
        if weak_factor != 1.0 and not weak.isdisjoint(derived):  # a generic broader concept too
            for cid, hit in list(derived.items()):  # ("energi" above "biogass")
                if cid in weak:
                    derived[cid] = _reweighted(hit, hit.weight * weak_factor)
        all_hits = sorted([*direct.values(), *derived.values()], key=_entry_order)[:MAX_CONCEPT_ENTRIES]

        process_inputs: tuple[ProcessEntry, ...] = ()
        if record.direction == "offer" and record.kind == "capability":
            process_inputs = self._process_inputs(direct)
        elif record.direction == "need":
            process_inputs = self._purpose_inputs(direct)

        th = self.thesaurus
        purposes = record.direction == "need"  # a need naming only a use has said no material
        # words naming only a weak concept are left out of the texts too (unless nothing else
        # is left), so "rundball" / "gran" / "avfall" cannot carry a pair through the text
        if any_weak:
            weak_words = {h.key for h in direct.values() if h.concept in weak}
            weak_words -= {h.key for h in direct.values() if h.concept not in weak}
        else:
            weak_words = set()
        if weak_words:
            title_text = " ".join([t.norm for t in title_toks if t.norm not in weak_words])
            desc_text = " ".join([t.norm for t in desc_toks if t.norm not in weak_words])
        else:
            title_text = " ".join([t.norm for t in title_toks])
            desc_text = " ".join([t.norm for t in desc_toks])
        if not title_text:
            title_text = " ".join(t.norm for t in title_toks)
        full_text = f"{title_text} {desc_text}".strip()
        fuel = record.kind == "energy" and self._names_fuel_not_carrier(direct)
        return ListingFeatures(
            record=record,
            title_text=title_text,
            full_text=full_text,
            concepts=tuple(all_hits),
            process_inputs=process_inputs,
            free_tokens=tuple(dict.fromkeys(free_t + free_d)),
            corrections=tuple(dict.fromkeys(corr_t + corr_d)),
            quantity=self._quantity(record),
            attributes=self.attributes.read(record, direct, process_inputs, fuel),
            known_title=any(
                h.in_title and h.concept not in weak and not (purposes and h.concept in th.processes)
                for h in direct.values()
            ),
            title_tokens=tuple(
                [t for t in dict.fromkeys(title_text.split()) if len(t) >= 3][:MAX_TITLE_TOKENS]
            ),
            fuel=fuel,
        )

    def _names_fuel_not_carrier(self, direct: dict[str, ConceptHit]) -> bool:
        """The title names a fuel and no carrier ("Bränsle till barkpannan", "Flis og
        biobrensle til varmesentralen"; not "Overskuddsvarme fra biokjel")."""
        titled = [h.concept for h in direct.values() if h.in_title]
        return any(c in self._fuels for c in titled) and self.attributes.carriers.isdisjoint(titled)

    def _purpose_inputs(self, direct: dict[str, ConceptHit]) -> tuple[ProcessEntry, ...]:
        """A need's use: the inputs of the processes it names, as a capability's are."""
        th = self.thesaurus
        weight = self.settings.purpose_weight
        # a need whose title names what it wants at full weight ("GBFS ... for intergrinding";
        # not "til gjødsling av grønnsaker") wants that first: what its use could also take
        # counts less, as for a capability
        factor = 1.0
        if any(h.in_title and h.weight >= 1.0 and h.concept not in self._weak
               and h.concept not in th.processes for h in direct.values()):
            factor = self.settings.unnamed_input_weight
        entries: dict[str, ProcessEntry] = {}
        for hit in sorted(direct.values(), key=lambda h: (-h.weight, h.concept)):
            for pid in th.processes_named_by(hit.concept):
                w = max(hit.weight, weight) * factor
                for cid in th.covering_inputs(pid, self.settings.max_broader_depth):
                    if cid not in entries and cid not in direct:
                        entries[cid] = ProcessEntry(cid, w, pid, hit.in_title)
        ordered = sorted(entries.values(), key=lambda e: (-e.weight, e.concept))
        return tuple(ordered[:MAX_PROCESS_ENTRIES])

    def _process_inputs(self, direct: dict[str, ConceptHit]) -> tuple[ProcessEntry, ...]:
        th = self.thesaurus
        entries: dict[str, ProcessEntry] = {}
        named: dict[str, float] = {}  # a process named and its products -> the weight it was named with
        ranked = sorted(direct.values(), key=lambda h: (-h.weight, h.concept))
        for hit in ranked:
            for pid in th.processes_named_by(hit.concept):
                proc = th.processes[pid]
                for cid in (pid, *proc.outputs):
                    named[cid] = max(named.get(cid, 0.0), hit.weight)
                for cid in th.covering_inputs(pid, self.settings.max_broader_depth):
                    old = entries.get(cid)
                    if old is None or hit.weight > old.weight:
                        entries[cid] = ProcessEntry(cid, hit.weight, pid, hit.in_title)
        # materials the capability names itself ("vi tar imot stålskrap") count as inputs too,
        # but not the process or its products ("pellets" is what a pellet plant makes) unless
        # named more strongly than that process: "stale bread" in the title of an insect farm
        # whose description takes by-products "from bakeries"
        for hit in ranked:
            if named.get(hit.concept, 0.0) >= hit.weight or hit.concept in entries:
                continue
            weight = hit.weight * self.settings.named_input_weight
            entries[hit.concept] = ProcessEntry(hit.concept, weight, "", hit.in_title)
        # a capability whose title names what it takes ("slag drying and grinding") takes that
        # first: its processes' other inputs (anything can be dried or ground) count less
        factor = self.settings.unnamed_input_weight
        if factor != 1.0 and any(
            e.process == "" and e.in_title and e.concept not in self._weak for e in entries.values()
        ):
            for cid, e in list(entries.items()):
                if e.process != "":
                    entries[cid] = e._replace(weight=e.weight * factor)
        # what the capability names itself is its most specific statement: it comes first
        ordered = sorted(entries.values(), key=lambda e: (e.process != "", -e.weight, e.concept))
        return tuple(ordered[:MAX_PROCESS_ENTRIES])
