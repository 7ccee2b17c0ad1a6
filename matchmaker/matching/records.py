"""Input and output records of the matching engine (plain, immutable, DB-free)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, get_args

Direction = Literal["offer", "need"]
Kind = Literal["material", "by-product", "capability", "service", "energy"]
Frequency = Literal["once", "week", "month", "year", "continuous"]
PairType = Literal["supply", "processing", "service", "product"]

DIRECTIONS: tuple[str, ...] = get_args(Direction)
KINDS: tuple[str, ...] = get_args(Kind)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
PAIR_TYPES: tuple[str, ...] = get_args(PairType)
GOODS_KINDS = frozenset({"material", "by-product", "energy"})  # things (not capacity) offered or needed

ParamValue = str | float


@dataclass(frozen=True, slots=True)
class ListingRecord:
    """One listing as the engine sees it.

    ``lat``/``lon`` are the company's location (either may be ``None``). ``quantity`` is
    per ``frequency`` when that is given ("200 t" per "year").
    """

    listing_id: int
    company_id: int
    direction: Direction
    kind: Kind
    title: str
    description: str = ""
    quantity: float | None = None
    unit: str | None = None
    frequency: str | None = None
    lat: float | None = None
    lon: float | None = None
    active: bool = True
    #: the listing's sentence embedding (float16, little-endian; ``matchmaker.embedding``),
    #: when one is stored: it adds the semantic comparison and, for listings the thesaurus
    #: cannot read, candidates by meaning
    vector: bytes | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")

    @property
    def has_location(self) -> bool:
        return (
            self.lat is not None
            and self.lon is not None
            and -90.0 <= self.lat <= 90.0
            and -180.0 <= self.lon <= 180.0
            and self.lat == self.lat  # not NaN
            and self.lon == self.lon
        )

    def without_description(self) -> ListingRecord:
        """This record with an empty description: only the analysis reads the description,
        and an index keeps every record it analysed (44 MB of descriptions at 500,000
        synthetic listings, more for real ones). Field by field, not ``dataclasses.replace``:
        2 µs a record against 7, on every listing an index stores (a test compares the two)."""
        return ListingRecord(
            self.listing_id,
            self.company_id,
            self.direction,
            self.kind,
            self.title,
            "",
            self.quantity,
            self.unit,
            self.frequency,
            self.lat,
            self.lon,
            self.active,
            self.vector,
        )


@dataclass(frozen=True, slots=True)
class Reason:
    """A structured, language-neutral explanation; ``explain.render`` turns it into text."""

    code: str
    params: dict[str, ParamValue] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))


class Suggestion(NamedTuple):
    """A suggested pair. ``offer_*`` supplies, ``need_*`` receives.

    For ``pair_type == "processing"`` the receiving side is an *offered capability* (a
    company whose process takes the material as input), so ``need_listing_id`` is the id
    of that capability listing.

    A named tuple rather than a frozen dataclass: a full recompute creates millions, and
    a tuple is made in a quarter of the time.
    """

    offer_listing_id: int
    need_listing_id: int
    offer_company_id: int
    need_company_id: int
    pair_type: PairType
    score: float
    components: dict[str, float]
    distance_km: float | None
    reasons: tuple[Reason, ...]
    settings_version: str

    def sort_key(self) -> tuple[float, int, int]:
        return (-self.score, self.offer_listing_id, self.need_listing_id)

    def involves(self, listing_id: int) -> bool:
        return listing_id in (self.offer_listing_id, self.need_listing_id)

    def to_dict(self) -> dict[str, object]:
        return {
            "offer_listing_id": self.offer_listing_id,
            "need_listing_id": self.need_listing_id,
            "offer_company_id": self.offer_company_id,
            "need_company_id": self.need_company_id,
            "pair_type": self.pair_type,
            "score": self.score,
            "components": dict(self.components),
            "distance_km": self.distance_km,
            "reasons": [{"code": r.code, "params": dict(r.params)} for r in self.reasons],
            "settings_version": self.settings_version,
        }


class PairBatch:
    """Suggested pairs as columns — ids, score and distance as their ``Suggestion`` has them —
    with the ``Suggestion`` objects made only for the rows asked for: building one (its
    reasons) costs most of a pair's Python time, and a recompute that finds a pair stored
    unchanged needs none of it."""

    __slots__ = ("offer_ids", "need_ids", "scores", "distances", "versions", "_make")

    def __init__(
        self,
        offer_ids: list[int],
        need_ids: list[int],
        scores: list[float],
        distances: list[float | None],
        versions: list[str],
        make: Callable[[list[int]], list[Suggestion]],
    ) -> None:
        self.offer_ids, self.need_ids, self.scores = offer_ids, need_ids, scores
        self.distances, self.versions, self._make = distances, versions, make

    @classmethod
    def of(cls, found: Sequence[Suggestion]) -> PairBatch:
        """Suggestions made already, in the same shape."""
        return cls(
            [s.offer_listing_id for s in found],
            [s.need_listing_id for s in found],
            [s.score for s in found],
            [s.distance_km for s in found],
            [s.settings_version for s in found],
            lambda rows: [found[i] for i in rows],
        )

    def __len__(self) -> int:
        return len(self.offer_ids)

    def suggestions(self, rows: list[int]) -> list[Suggestion]:
        """The ``Suggestion`` objects of these rows, in their order."""
        return self._make(rows) if rows else []
