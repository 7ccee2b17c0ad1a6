"""The bilingual concept thesaurus: concepts, their terms, hierarchy and processes.

JSON format::

    {"version": "...",
     "stopwords": {"nb": [...], "en": [...]},
     "concepts": [{"id", "domain", "nb": [...], "en": [...], "sv"?/"da"?/"fi"?: [...],
                   "broader"?: id|[ids], "related"?: [ids], "role"?: "modifier"|"generic"}],
     "processes": [{"id", "inputs": [ids], "outputs": [ids], "nb"?: [...], "en"?: [...], ...}],

Display names come from ``nb`` and ``en``; terms in the neighbours' languages (``sv``
Swedish, ``da`` Danish, ``fi`` Finnish) are recognised in listing text like the others, so
a cross-border cluster's "spillvärme" or "kaukolämpö" finds its concept.
     "vocabulary"?: [extra words that help compound splitting / typo repair]}

``Thesaurus.load(path=None, extra=None)`` reads the packaged ``data/thesaurus.json`` (or
``path``) and merges an optional extra file on top: concepts with a known id get the extra
terms appended (the base display names stay first) and fields the extra file sets
(domain, broader, related) replaced; new concepts and processes are added; stop words are
united. A coordinator can extend the vocabulary that way without touching code.

``role`` marks *weak* concepts that must not carry a match on their own: ``"modifier"``
for words that qualify a material rather than name it (species "gran"/"spruce", origin
"sau"/"sheep") and ``"generic"`` for very general words ("stein", "energi", "kapp"). A
listing that also names a non-weak concept (its head) counts its weak concepts at
``settings.weak_concept_weight`` (see ``features.Analyser``).

Terms are folded exactly like listing text (see ``folding.fold_token``) and indexed by
their folded words joined *without* spaces, so "sag flis", "sag-flis" and "sagflis" hit the
same concept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matchmaker.matching.folding import (
    DEFAULT_STOPWORDS,
    DEFAULT_STOPWORDS_EN,
    DEFAULT_STOPWORDS_NB,
    fold_phrase,
    fold_token,
)
from matchmaker.matching.thesaurus_data import (  # noqa: F401  (Concept, Process: part of this API)
    DISPLAY_LANGS,
    TERM_LANGS,
    WEAK_ROLES,
    Concept,
    Process,
    merge_documents,
    read_json,
    strs,
)

DEFAULT_PATH = Path(__file__).parent / "data" / "thesaurus.json"


class Thesaurus:
    """Concept lookup for folded phrases, plus hierarchy, processes and specificity."""

    def __init__(
        self,
        concepts: Iterable[Concept],
        processes: Iterable[Process] = (),
        stopwords: Iterable[str] | Mapping[str, Iterable[str]] = (),
        version: str = "0",
        extra_vocabulary: Iterable[str] = (),
    ) -> None:
        self.version = version
        self.concepts: dict[str, Concept] = {}
        for c in concepts:
            self.concepts[c.id] = c
        self.processes: dict[str, Process] = {p.id: p for p in processes}
        # A process without a concept of its own but with names becomes a concept, so text
        # that names the process ("pelletsproduksjon") can be recognised.
        for p in self.processes.values():
            if p.id not in self.concepts and (p.nb or p.en or p.sv or p.da or p.fi):
                self.concepts[p.id] = Concept(p.id, "process", p.nb, p.en, sv=p.sv, da=p.da, fi=p.fi)

        by_lang: dict[str, set[str]] = {"nb": set(DEFAULT_STOPWORDS_NB), "en": set(DEFAULT_STOPWORDS_EN)}
        if isinstance(stopwords, Mapping):
            for lang, lang_words in stopwords.items():
                by_lang.setdefault(str(lang), set()).update(fold_token(w) for w in strs(lang_words))
            explicit_stop = {fold_token(w) for ws in stopwords.values() for w in strs(ws)}
        else:
            explicit_stop = {fold_token(w) for w in stopwords}
        phrase_index: dict[str, list[str]] = {}
        vocabulary: set[str] = {fold_token(w) for w in extra_vocabulary}
        self.max_phrase_words = 1
        default_stop = set(DEFAULT_STOPWORDS)
        term_words: set[str] = set()
        for c in self.concepts.values():
            for term in c.terms():
                term_words.update(fold_phrase(term))
        # built-in stop words never hide a thesaurus word ("ved" = firewood); stop words the
        # thesaurus lists itself are taken as the author's decision.
        self.stopwords: frozenset[str] = frozenset((default_stop - term_words) | explicit_stop)
        self.stopwords_by_lang: dict[str, frozenset[str]] = {
            lang: frozenset(ws) for lang, ws in by_lang.items()
        }
        phrase_langs: dict[str, set[str]] = {}
        for c in self.concepts.values():
            for lang, terms in c.terms_by_lang():
                for term in terms:
                    parts = tuple(w for w in fold_phrase(term) if w not in self.stopwords)
                    if not parts:
                        continue
                    key = "".join(parts)
                    ids = phrase_index.setdefault(key, [])
                    if c.id not in ids:
                        ids.append(c.id)
                    phrase_langs.setdefault(key, set()).add(lang)
                    vocabulary.update(parts)
                    self.max_phrase_words = max(self.max_phrase_words, len(parts))
        # a term listed under a concept and under its broader one names the narrower: the
        # broader follows from it anyway ("lavtrykksdamp": LP steam, hence steam)
        self.phrase_index: dict[str, tuple[str, ...]] = {
            k: self._narrowest(v) if len(v) > 1 else tuple(v) for k, v in phrase_index.items()
        }
        #: proper prefixes of phrase keys: a word that is none of them cannot start a
        #: multi-word match, so recognition tries only the word itself (a big saving)
        self.phrase_prefixes: frozenset[str] = frozenset(
            k[:i] for k in phrase_index for i in range(2, len(k))
        )
        #: languages whose term lists contain the phrase (short foreign-only terms such as
        #: English "tar" are ignored in Norwegian text, where "tar" means "takes")
        self.phrase_langs: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in phrase_langs.items()}
        self.vocabulary: frozenset[str] = frozenset(w for w in vocabulary if w not in self.stopwords)

        # hierarchy
        self._narrower_count: dict[str, int] = dict.fromkeys(self.concepts, 0)
        for c in self.concepts.values():
            for b in c.broader:
                if b in self._narrower_count:
                    self._narrower_count[b] += 1
        # processes by their outputs (a capability that only says what it makes)
        by_output: dict[str, list[str]] = {}
        for p in self.processes.values():
            for cid in p.outputs:
                lst = by_output.setdefault(cid, [])
                if p.id not in lst:
                    lst.append(p.id)
        self._processes_by_output = {k: tuple(v) for k, v in by_output.items()}
        # what a product is made from: the inputs of the processes that make it without
        # taking it (flour from grain, pellets from sawdust; drying grain makes grain)
        made_from: dict[str, set[str]] = {}
        for p in self.processes.values():
            for cid in p.outputs:
                if cid not in p.inputs:
                    made_from.setdefault(cid, set()).update(c for c in p.inputs if c != cid)
        self._made_from = {k: tuple(sorted(v)) for k, v in made_from.items()}
        self.sources: frozenset[str] = frozenset(c for v in made_from.values() for c in v)
        self._names: dict[str, tuple[str, str]] = {}
        self._ancestors: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._covering: dict[tuple[str, int], tuple[str, ...]] = {}
        self.concept_ids: tuple[str, ...] = tuple(sorted(self.concepts))
        self.concept_index: dict[str, int] = {cid: i for i, cid in enumerate(self.concept_ids)}

    def _narrowest(self, ids: list[str]) -> tuple[str, ...]:
        """The ids that are no broader concept (at any depth) of another id in the list."""
        above: set[str] = set()
        for cid in ids:
            frontier, seen = [cid], {cid}
            while frontier:
                c = self.concepts.get(frontier.pop())
                for b in c.broader if c is not None else ():
                    if b not in seen:
                        seen.add(b)
                        above.add(b)
                        frontier.append(b)
        return tuple(c for c in ids if c not in above) or tuple(ids)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thesaurus:
        return cls._from_parts([data])

    @classmethod
    def load(cls, path: str | Path | None = None, extra: str | Path | None = None) -> Thesaurus:
        """Load ``path`` (default: the packaged thesaurus) and merge ``extra`` on top."""
        docs = [read_json(Path(path) if path is not None else DEFAULT_PATH)]
        if extra is not None:
            docs.append(read_json(Path(extra)))
        return cls._from_parts(docs)

    @classmethod
    def _from_parts(cls, docs: list[Mapping[str, Any]]) -> Thesaurus:
        return cls(*merge_documents(docs))

    # -- lookups -----------------------------------------------------------------------
    def lookup(self, folded_words: Iterable[str]) -> tuple[str, ...]:
        """Concept ids named by a sequence of folded words (joined without spaces)."""
        return self.phrase_index.get("".join(folded_words), ())

    def under(self, roots: Iterable[str], max_depth: int = 8) -> frozenset[str]:
        """The concepts that are one of ``roots`` or narrower (within ``max_depth`` steps)."""
        wanted = set(roots)
        return frozenset(
            c for c in self.concepts
            if c in wanted or any(a in wanted for a, _ in self.ancestors(c, max_depth))
        )

    def ancestors(self, cid: str, max_depth: int = 2) -> list[tuple[str, int]]:
        """Broader concepts of ``cid`` with their distance (1 = direct broader), nearest first."""
        cached = self._ancestors.get((cid, max_depth))
        if cached is not None:
            return cached
        out: list[tuple[str, int]] = []
        seen = {cid}
        frontier = [cid]
        for depth in range(1, max_depth + 1):
            nxt: list[str] = []
            for c in frontier:
                concept = self.concepts.get(c)
                if concept is None:
                    continue
                for b in concept.broader:
                    if b not in seen:
                        seen.add(b)
                        nxt.append(b)
                        out.append((b, depth))
            frontier = nxt
        self._ancestors[(cid, max_depth)] = out
        return out

    def family(self, cid: str) -> str:
        """The topmost broader concept of ``cid`` (first broader at each step), or ``cid``:
        spruce and birch are both wood, sheep and cattle both animals."""
        seen, c = {cid}, self.concepts.get(cid)
        while c is not None and c.broader and c.broader[0] not in seen:
            seen.add(c.broader[0])
            c = self.concepts.get(c.broader[0])
        return c.id if c is not None else cid

    def is_modifier(self, cid: str) -> bool:
        c = self.concepts.get(cid)
        return c is not None and c.role == "modifier"

    def is_weak(self, cid: str) -> bool:
        """A concept marked ``role: modifier|generic`` (it must not carry a match alone)."""
        c = self.concepts.get(cid)
        return c.weak if c is not None else False

    def related(self, cid: str) -> tuple[str, ...]:
        c = self.concepts.get(cid)
        return c.related if c else ()

    def processes_named_by(self, cid: str) -> tuple[str, ...]:
        """The process ``cid`` names itself ("pelletsproduksjon"), if it is one."""
        return (cid,) if cid in self.processes else ()

    def covering_inputs(self, pid: str, max_depth: int = 2) -> tuple[str, ...]:
        """A process's inputs without those a broader input already covers (within
        ``max_depth`` steps): an offered narrower material still meets the broader input
        through its broader concepts, and the list stays short ("organic waste" covers
        "potato peel" for a biogas plant)."""
        key = (pid, max_depth)
        hit = self._covering.get(key)
        if hit is None:
            inputs = self.processes[pid].inputs
            taken = set(inputs)
            hit = self._covering[key] = tuple(
                c for c in inputs if not any(a in taken for a, _ in self.ancestors(c, max_depth))
            )
        return hit

    def processes_making(self, cid: str) -> tuple[str, ...]:
        """Processes that have ``cid`` among their outputs."""
        return self._processes_by_output.get(cid, ())

    def made_from(self, cid: str) -> tuple[str, ...]:
        """What ``cid`` is made from (see ``__init__``): a product is not its own raw material."""
        return self._made_from.get(cid, ())

    def made_from_pairs(self) -> list[tuple[str, str]]:
        """Every (product, source) pair ``made_from`` knows."""
        return [(cid, src) for cid, sources in self._made_from.items() for src in sources]

    def structural_specificity(self, cid: str) -> float:
        """1.0 for a leaf concept; less for a general one with many narrower concepts."""
        n = self._narrower_count.get(cid, 0)
        return 1.0 if n == 0 else 1.0 / (1.0 + 0.15 * n) ** 0.5 * 0.9  # (in settings.engine_constants)

    def names(self, cid: str) -> tuple[str, str]:
        """(Bokmål, English) display names of a concept or process (cached)."""
        hit = self._names.get(cid)
        if hit is None:
            hit = self._names[cid] = (self.name(cid, "nb"), self.name(cid, "en"))
        return hit

    def name(self, cid: str, lang: str) -> str:
        c = self.concepts.get(cid)
        if c is not None:
            return c.name(lang)
        p = self.processes.get(cid)
        if p is not None:
            names = p.nb if lang == "nb" else p.en
            if names:
                return names[0]
        return cid.replace("_", " ")

    def fingerprint(self) -> str:
        payload = json.dumps(
            {
                "c": [
                    (c.id, c.domain, c.nb, c.en, c.broader, c.related, *((c.role,) if c.role else ()),
                     *((c.sv, c.da, c.fi) if c.sv or c.da or c.fi else ()))
                    for c in self.concepts.values()
                ],
                "p": [(p.id, p.inputs, p.outputs) for p in self.processes.values()],
                "v": sorted(self.vocabulary),
                "s": sorted(self.stopwords),
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def __repr__(self) -> str:
        return (
            f"Thesaurus(version={self.version!r}, concepts={len(self.concepts)}, "
            f"processes={len(self.processes)})"
        )
