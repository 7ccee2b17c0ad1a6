"""The thesaurus file format: concepts and processes as read from JSON, and merging files.

``merge_documents`` reads the shipped file and a coordinator's extra file on top (see
``thesaurus`` for the rules); ``Thesaurus`` indexes the result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

#: languages whose terms are shown (first two) and recognised (all)
DISPLAY_LANGS: tuple[str, ...] = ("nb", "en")
TERM_LANGS: tuple[str, ...] = ("nb", "en", "sv", "da", "fi")
#: concept roles that make a concept weak (it qualifies or generalises, it names no material)
WEAK_ROLES: frozenset[str] = frozenset({"modifier", "generic"})


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    domain: str
    nb: tuple[str, ...]
    en: tuple[str, ...]
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    role: str = ""  # "", "modifier" or "generic" (weak concepts, see the module doc)
    sv: tuple[str, ...] = ()
    da: tuple[str, ...] = ()
    fi: tuple[str, ...] = ()

    @property
    def weak(self) -> bool:
        return self.role in WEAK_ROLES

    def name(self, lang: str) -> str:
        """Display name: first term in ``lang``, else the other language, else the id."""
        first = self.nb if lang == "nb" else self.en
        other = self.en if lang == "nb" else self.nb
        if first:
            return first[0]
        if other:
            return other[0]
        return self.id.replace("_", " ")

    def terms(self) -> tuple[str, ...]:
        return self.nb + self.en + self.sv + self.da + self.fi

    def terms_by_lang(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (("nb", self.nb), ("en", self.en), ("sv", self.sv), ("da", self.da), ("fi", self.fi))


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    nb: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    sv: tuple[str, ...] = ()
    da: tuple[str, ...] = ()
    fi: tuple[str, ...] = ()


def strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value if isinstance(v, str) and v.strip())
    raise ValueError(f"expected a string or a list of strings, got {value!r}")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))



class Parts(NamedTuple):
    concepts: list[Concept]
    processes: list[Process]
    stopwords: dict[str, list[str]]
    version: str
    vocabulary: list[str]


def merge_documents(docs: list[Mapping[str, Any]]) -> Parts:
    """Concepts, processes, stop words and vocabulary of thesaurus documents, later over earlier."""
    concepts: dict[str, dict[str, Any]] = {}
    processes: dict[str, dict[str, Any]] = {}
    stopwords: dict[str, list[str]] = {}
    vocabulary: list[str] = []
    versions: list[str] = []
    for doc in docs:
        if not isinstance(doc, Mapping):
            raise ValueError("a thesaurus file must hold a JSON object")
        versions.append(str(doc.get("version", "0")))
        sw = doc.get("stopwords") or {}
        if isinstance(sw, Mapping):
            for lang, lang_words in sw.items():
                stopwords.setdefault(str(lang), []).extend(strs(lang_words))
        else:
            stopwords.setdefault("any", []).extend(strs(sw))
        vocabulary.extend(strs(doc.get("vocabulary")))
        for raw in doc.get("concepts") or []:
            cid = str(raw["id"])
            empty = {"domain": "", "broader": (), "related": (), "role": ""}
            cur = concepts.setdefault(cid, {**empty, **dict.fromkeys(TERM_LANGS, ())})
            for lang in TERM_LANGS:
                cur[lang] = _unique((*cur[lang], *strs(raw.get(lang))))
            if "domain" in raw:
                cur["domain"] = str(raw.get("domain") or "")
            if "role" in raw:
                role = str(raw.get("role") or "")
                if role and role not in WEAK_ROLES:
                    raise ValueError(f"concept {cid!r}: unknown role {role!r}")
                cur["role"] = role
            for rel in ("broader", "related"):
                if rel in raw:
                    cur[rel] = strs(raw.get(rel))
        for raw in doc.get("processes") or []:
            pid = str(raw["id"])
            cur = processes.setdefault(
                pid, {"inputs": (), "outputs": (), **dict.fromkeys(TERM_LANGS, ())}
            )
            for f in ("inputs", "outputs", *TERM_LANGS):
                cur[f] = _unique((*cur[f], *strs(raw.get(f))))
    known = set(concepts) | set(processes)
    concept_objs = []
    for cid, c in concepts.items():
        concept_objs.append(
            Concept(
                id=cid,
                domain=c["domain"],
                nb=c["nb"],
                en=c["en"],
                sv=c["sv"],
                da=c["da"],
                fi=c["fi"],
                broader=tuple(b for b in c["broader"] if b in known and b != cid),
                related=tuple(r for r in c["related"] if r in known and r != cid),
                role=c["role"],
            )
        )
    process_objs = [
        Process(pid, p["inputs"], p["outputs"], p["nb"], p["en"], p["sv"], p["da"], p["fi"])
        for pid, p in processes.items()
    ]
    return Parts(concept_objs, process_objs, stopwords, "+".join(versions), vocabulary)


def read_json(path: Path) -> Mapping[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: a thesaurus file must hold a JSON object")
    return data
