"""Tunable parameters of the matching engine, frozen and fingerprinted.

Every number that changes a score lives here. ``version`` names a released set of
numbers; ``PINNED_FINGERPRINTS`` records the fingerprint each released version had, so a
test fails when someone changes a weight without also bumping ``version``. Suggestions
carry ``settings.version_label()``, which is the plain version for a pinned set and
``"<version>+<fingerprint>"`` for any ad-hoc variation (so stored suggestions always say
exactly which numbers made them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

COMPONENTS: tuple[str, ...] = ("text", "concept", "distance", "kind", "quantity", "semantic", "grade")
#: components a pair may lack (no vectors, nothing comparable stated): a missing value is NaN
#: and is left out of the weighted mean instead of counting as good or bad
OPTIONAL_COMPONENTS: frozenset[str] = frozenset({"semantic", "grade"})


@dataclass(frozen=True, slots=True)
class Weights:
    """Relative weights of the score components; they are normalised by their sum."""

    # fitted by `matchmaker learn` on the tuning parts of the labelled sets (2026.12-6)
    text: float = 0.0855
    concept: float = 0.2482
    distance: float = 0.1218
    kind: float = 0.278
    quantity: float = 0.0785
    semantic: float = 0.1325
    grade: float = 0.0556

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def total(self) -> float:
        return sum(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class MatchSettings:
    version: str = "2026.12-7"

    # geography
    radius_km: float = 150.0
    distance_half_decay_km: float = 40.0  # the distance component halves every this many km
    missing_distance_value: float = 0.5  # neutral-ish value when either side lacks a location

    # scoring
    weights: Weights = field(default_factory=Weights)
    min_score: float = 0.25  # chosen by `matchmaker learn` with the weights
    top_n: int = 10
    min_concept_evidence: float = 0.3  # a pair needs this concept value ...
    min_text_evidence: float = 0.6  # ... or this text value, else it is no suggestion
    missing_concept_value: float = 0.25  # when either side hit no concept at all
    # the level values below marked "chosen" were chosen by `matchmaker learn --levels` (2026.12-3)
    missing_quantity_value: float = 0.7  # chosen
    unit_mismatch_value: float = 0.3  # chosen

    # local scaling (``scaling``): a suggestion's score less ``local_scaling_weight`` times how
    # far the mean of both listings' ``local_scaling_k`` best raw scores lies above the centre
    local_scaling_weight: float = 1.0  # chosen on the tuning parts (2026.12-7); 0 turns it off
    local_scaling_k: int = 3  # chosen
    local_scaling_centre: float = 0.65  # about the median best-score mean: scores keep their range

    # meaning (sentence vectors): cosines between semantic_low and semantic_high map to 0..1
    semantic_low: float = 0.0
    semantic_high: float = 0.70
    # (both lowered in 2026.12-4 from 0.3 / 0.20, by the tuning parts: two symbiosis look-ups
    # whose partner had not been suggested at all; the nearest values on a 0.05 grid that
    # rescue them; see the README, section Quality)
    min_semantic_evidence: float = 0.25  # a semantic value this high is evidence enough, too
    semantic_candidate_min: float = 0.15  # cosine (centred vectors) that pairs by meaning
    # a registry up to this size pairs every listing by meaning within its radius; a larger
    # one only the listings whose titles the thesaurus cannot read (all pairs would cost too much)
    meaning_for_all_max_listings: int = 5_000

    # grade (temperature, pressure, purity, treatment): fits 1, falls short 0, and
    grade_boost_value: float = 0.6  # ... up to BOOST_MARGIN_C too cold, a heat pump can lift it
    falls_short_factor: float = 0.5  # a grade that cannot serve the need scales the whole score

    # concept evidence
    broader_weight: float = 0.8  # chosen; per step up the broader chain (supply / service pairs)
    process_broader_weight: float = 0.9  # a narrower kind of a process input is nearly as good
    related_weight: float = 0.4
    ambiguous_term_weight: float = 0.7  # each reading of a term with several ("flis": chips / tiles)
    named_input_weight: float = 1.0  # chosen; a material a capability names itself, as its input
    # chosen; its processes' other inputs, when a capability's title names what it takes
    unnamed_input_weight: float = 0.7
    # chosen; a need naming a use ("til biogassanlegget") takes that process's inputs
    purpose_weight: float = 0.6
    description_weight: float = 0.5  # chosen; concepts found only in the description count less
    compound_modifier_weight: float = 0.5  # "gran" in "granbark": the head "bark" counts fully
    # a weak concept (thesaurus role modifier/generic: species, origin, "stein", "energi")
    # counts this much when its listing also names a non-weak concept (the head)
    weak_concept_weight: float = 0.5  # chosen
    max_broader_depth: int = 2

    # normalisation
    typo_cutoff: float = 85.0
    typo_min_len: int = 5
    compound_min_part: int = 3
    max_ngram: int = 3
    max_description_tokens: int = 40

    # blocking
    key_budget: int = 100  # keys with more postings than this get a proportionally smaller radius
    min_radius_fraction: float = 0.1  # ... but never below this share of radius_km
    stop_key_fraction: float = 0.02  # a word key held by more than this share of a side is ignored
    stop_key_min_df: int = 50  # ... once it has at least this many postings
    description_key_max_df: int = 200  # concepts only descriptions name block while this rare
    missing_location_max_df: int = 400  # located<->unlocated pairs only via keys at most this common
    chunk_pairs: int = 100_000  # pairs scored per vectorised batch

    def fingerprint(self) -> str:
        """Stable hash of every parameter (version included) and of the engine's constants
        that change a score but are no setting (``engine_constants``)."""
        payload = json.dumps(
            {**_plain(asdict(self)), "constants": _plain(engine_constants())},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def version_label(self, thesaurus_fingerprint: str | None = None) -> str:
        """What a suggestion stores: the version when every number is the released one, else
        ``version+<settings fingerprint>``; and ``+t<thesaurus fingerprint>`` when the
        thesaurus is not the one released with it (a coordinator's extra file, an edit)."""
        label, fingerprint = self.version, self.fingerprint()
        if PINNED_FINGERPRINTS.get(self.version) != fingerprint:
            label = f"{label}+{fingerprint[:8]}"
        if thesaurus_fingerprint is not None and PINNED_THESAURI.get(self.version) != thesaurus_fingerprint:
            label = f"{label}+t{thesaurus_fingerprint[:8]}"
        return label

    def with_changes(self, **changes: Any) -> MatchSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter, weights as a nested object (the settings-file layout)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchSettings:
        """Settings from a settings file's object: unknown keys are an error (a typo must not
        pass silently), missing ones keep their defaults."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known - {"fit"})
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        values = {k: v for k, v in data.items() if k in known}
        if "weights" in values:
            w = values["weights"]
            bad = sorted(set(w) - set(COMPONENTS))
            if bad:
                raise ValueError(f"unknown weights: {', '.join(bad)}")
            values["weights"] = Weights(**{k: float(v) for k, v in w.items()})
        return cls(**values)

    @classmethod
    def load(cls, path: str | Path) -> MatchSettings:
        """A settings file written by ``matchmaker learn --write`` (or by hand)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a settings file holds a JSON object")
        return cls.from_dict(data)

    def __post_init__(self) -> None:
        if self.radius_km <= 0 or self.distance_half_decay_km <= 0:
            raise ValueError("radius_km and distance_half_decay_km must be positive")
        if self.top_n < 1:
            raise ValueError("top_n must be at least 1")
        if self.local_scaling_k < 1:  # (at most top_n count: a listing's top_n best are known)
            raise ValueError("local_scaling_k must be at least 1")
        if self.local_scaling_weight < 0:
            raise ValueError("local_scaling_weight must not be negative")
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError("min_score must be within 0..1")
        if self.weights.total() <= 0 or any(v < 0 for v in self.weights.as_dict().values()):
            raise ValueError("weights must be non-negative with a positive sum")
        if not self.semantic_low < self.semantic_high:
            raise ValueError("semantic_low must be below semantic_high")


def engine_constants() -> dict[str, Any]:
    """Numbers in the engine's code that change a score without being a setting (list sizes,
    the kind table, grade margins, the specificity curve, the sentence-embedding model): they
    are part of the fingerprint, so changing one shows in every stored suggestion's version."""
    from matchmaker import embedding
    from matchmaker.matching import attributes, features, listing_attributes, normalise
    from matchmaker.matching.compare.kind import KindComparison

    return {
        "max_entries": (features.MAX_CONCEPT_ENTRIES, features.MAX_PROCESS_ENTRIES,
                        features.MAX_TITLE_TOKENS, listing_attributes.MAX_KINDS,
                        listing_attributes.MAX_PRODUCTS, listing_attributes.MAX_GOODS,
                        listing_attributes.MAX_WANTS),
        "kind_table": KindComparison().table.round(6).tolist(),
        "grade": (attributes.BOOST_MARGIN_C, attributes.HIGH_PRESSURE_BAR, attributes.LOW_PRESSURE_BAR,
                  attributes.CARRIER_ROOTS, attributes.FOOD_GRADE_WORDS, attributes.FEED_GRADE_WORDS),
        "specificity": (0.15, 0.9),  # Thesaurus.structural_specificity
        "fuel_roots": (attributes.FUEL_ROOTS, attributes.WASTE_FUEL_ROOTS),
        "embedding_model": embedding.MODEL_NAME,
        "reading": (normalise.UNKNOWN_MODIFIER_HEAD_MIN, features.DELIVERY_DOMAINS),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return value


#: the fingerprint of the thesaurus each version was released with (``Thesaurus.fingerprint``)
PINNED_THESAURI: dict[str, str] = {
    "2026.12-1": "75561007030df450",
    "2026.12-2": "75561007030df450",
    "2026.12-3": "ec253a0feaba6a4e",
    "2026.12-4": "ec253a0feaba6a4e",
    "2026.12-5": "a3112b4dc91faf56",  # fuel chips a biofuel; sv/da/fi terms; 44 uses, 104 materials more
    "2026.12-6": "a3112b4dc91faf56",
    "2026.12-7": "a3112b4dc91faf56",
}

#: fingerprint of each released default settings version; bump ``version`` and add a line
#: here whenever a default changes (tests/matching/test_settings.py enforces it).
PINNED_FINGERPRINTS: dict[str, str] = {
    "2026.11-1": "a7a6e608ea699f31",
    "2026.11-2": "d0b9375700d5c1b4",  # + weak_concept_weight (thesaurus roles modifier/generic)
    "2026.12-1": "3069d8a92e1e3ff9",  # + semantic component; unread listings paired by meaning
    "2026.12-2": "3cddb49528731a5c",  # + product pairs (a maker's capability -> a need for what it makes)
    "2026.12-3": "f2b6d729c47e05cf",  # level values chosen by learn --levels; grades of carriers only
    "2026.12-4": "4945fb7ab43dd5ec",  # + feed grade vs food/malting; made from what is wanted; semantic gates
    "2026.12-5": "6f3ea3d03f6dde18",  # + an energy listing naming a fuel, no carrier: "fuel"
    "2026.12-6": "233e196000614f59",  # + unnamed_input_weight; weights refit with symbiosis3's tuning part
    "2026.12-7": "a99a8219cb072ec7",  # + local scaling; needs naming what they want; delivery words weak
}
