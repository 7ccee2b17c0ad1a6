"""The cluster's impact figures, computed from plain rows: no Flask, no database.

Kept pure so that the page, the charts and every CSV show the very same numbers, and so that
tests can check them against a small dataset worked out by hand.

Assumptions, stated on the page as well:

* Volumes are reported in three units: tonnes (t, kg), cubic metres (m3, l) and MWh (kWh, MWh,
  GWh). Other units (pieces, pallets, hours, …) are kept as they are and never added to these.
* A listing's quantity is made annual from its frequency: per week ×52, per month ×12, per year
  ×1. A quantity without a frequency, a one-off lot or a continuous flow is taken as stated.
* An agreement's volume is the one the coordinator recorded with the outcome, as it is.
* Distances are the engine's straight-line distances; roads are longer, so transport work and
  CO₂ are underestimated for the local pairs and the savings are conservative only as far as
  the reference distance is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from matchmaker.domain.rules import canonical_unit
from matchmaker.domain.vocab import Direction, Kind
from matchmaker.domain.workflow import INTRODUCED_STATUSES, Status

#: canonical unit -> (reported unit, factor)
REPORTED: dict[str, tuple[str, float]] = {
    "t": ("t", 1.0), "kg": ("t", 0.001),
    "m3": ("m3", 1.0), "l": ("m3", 0.001),
    "MWh": ("MWh", 1.0), "kWh": ("MWh", 0.001), "GWh": ("MWh", 1000.0),
}
REPORTED_UNITS: tuple[str, ...] = ("t", "m3", "MWh")
PER_YEAR: dict[str, float] = {"week": 52.0, "month": 12.0, "year": 1.0}
#: offers whose quantity counts towards what could be processed within the region
MATERIAL_KINDS: frozenset[str] = frozenset({Kind.MATERIAL.value, Kind.BY_PRODUCT.value})
#: a pair still alive or made: the offer has a partner within reach
PARTNER_STATUSES: frozenset[str] = frozenset({Status.SUGGESTED, Status.DEFERRED, Status.INTRODUCED,
                                               Status.IN_DIALOGUE, Status.AGREEMENT})
FUNNEL_STAGES: tuple[str, ...] = ("suggested", "answered", "introduced", "agreement", "no_deal")
EVENT_STAGES: tuple[str, ...] = FUNNEL_STAGES[1:]
LOCAL_TIME = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Assumptions:
    """The settings behind the transport and CO₂ figures, shown beside them."""

    reference_km: float = 300.0
    co2_kg_per_tkm: float = 0.1
    co2_source: str = ""
    radius_km: float = 150.0


@dataclass(frozen=True)
class CompanyRow:
    id: int
    municipality: str
    trade: str  # industry, else the NACE code, else ""


@dataclass(frozen=True)
class ListingRow:
    id: int
    company_id: int
    direction: str
    kind: str
    active: bool = True
    quantity: float | None = None
    unit: str | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class SuggestionRow:
    id: int
    offer_listing_id: int
    offer_company_id: int
    need_company_id: int
    status: str
    created_at: datetime
    distance_km: float | None = None
    answered: bool = False
    material: str = ""  # the offer's title: what flows
    outcome_volume: float | None = None
    outcome_unit: str | None = None


@dataclass(frozen=True)
class EventRow:
    """One step of a suggestion in the audit log: stage is one of EVENT_STAGES."""

    suggestion_id: int
    stage: str
    created_at: datetime


@dataclass(frozen=True)
class Amount:
    value: float
    unit: str


def reported(value: float | None, unit: str | None) -> Amount | None:
    """A volume in t, m3 or MWh; in its own canonical unit when it has no such conversion."""
    if value is None or not unit:
        return None
    canon = canonical_unit(unit)
    if canon is None:
        return None
    to_unit, factor = REPORTED.get(canon, (canon, 1.0))
    return Amount(value * factor, to_unit)


def annual(quantity: float | None, unit: str | None, frequency: str | None) -> Amount | None:
    amount = reported(quantity, unit)
    if amount is None:
        return None
    return Amount(amount.value * PER_YEAR.get(frequency or "", 1.0), amount.unit)


def tonnes(value: float | None, unit: str | None) -> float | None:
    amount = reported(value, unit)
    return amount.value if amount is not None and amount.unit == "t" else None


def month_of(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIME).strftime("%Y-%m")


def month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class MonthRow:
    month: str
    counts: dict[str, int]  # stage -> suggestions reaching it that month


@dataclass(frozen=True)
class VolumeRow:
    material: str
    unit: str
    agreements: int
    volume: float


@dataclass(frozen=True)
class PotentialRow:
    unit: str
    offered: float  # per year, all offered raw materials and by-products
    local: float  # per year, of those with a partner within the radius
    listings: int
    local_listings: int


@dataclass(frozen=True)
class TransportRow:
    pairs: str  # "suggested" | "agreed"
    count: int
    total_km: float
    average_km: float | None
    reference_km: float

    @property
    def shorter_km(self) -> float | None:
        """How much shorter than the reference haul the average local pair is."""
        return None if self.average_km is None else self.reference_km - self.average_km


@dataclass(frozen=True)
class Co2:
    agreements: int  # agreements with tonnes and a distance: the ones counted
    not_counted: int  # agreements without a mass volume or a distance
    tonnes: float
    tkm: float
    reference_tkm: float
    kg_per_tkm: float

    @property
    def co2_t(self) -> float:
        return self.tkm * self.kg_per_tkm / 1000.0

    @property
    def reference_co2_t(self) -> float:
        return self.reference_tkm * self.kg_per_tkm / 1000.0

    @property
    def saved_t(self) -> float:
        return self.reference_co2_t - self.co2_t


@dataclass(frozen=True)
class GroupRow:
    """One municipality or trade: who is there and what they made of the suggestions."""

    key: str
    members: int
    listings: int
    suggestions: int
    agreements: int
    tonnes_supplied: float
    tonnes_received: float


@dataclass(frozen=True)
class Impact:
    members: int
    municipalities: int
    listings: dict[tuple[str, str], int]  # (direction, kind) -> active listings
    funnel: dict[str, int]
    months: list[MonthRow]
    volumes: list[VolumeRow]
    potential: list[PotentialRow]
    transport: list[TransportRow]
    co2: Co2
    by_municipality: list[GroupRow]
    by_trade: list[GroupRow]
    assumptions: Assumptions = field(default_factory=Assumptions)

    @property
    def active_offers(self) -> int:
        return sum(n for (direction, _), n in self.listings.items() if direction == Direction.OFFER)

    @property
    def active_needs(self) -> int:
        return sum(n for (direction, _), n in self.listings.items() if direction == Direction.NEED)

    @property
    def agreed_tonnes(self) -> float:
        return sum(v.volume for v in self.volumes if v.unit == "t")

    def potential_in(self, unit: str) -> PotentialRow | None:
        return next((p for p in self.potential if p.unit == unit), None)


def funnel(suggestions: Sequence[SuggestionRow]) -> dict[str, int]:
    """Where the pairs are now: every pair counts once at each stage it reached."""
    return {
        "suggested": len(suggestions),
        "answered": sum(1 for s in suggestions if s.answered),
        "introduced": sum(1 for s in suggestions if s.status in INTRODUCED_STATUSES),
        "agreement": sum(1 for s in suggestions if s.status == Status.AGREEMENT),
        "no_deal": sum(1 for s in suggestions if s.status == Status.NO_DEAL),
    }


def months(suggestions: Sequence[SuggestionRow], events: Iterable[EventRow]) -> list[MonthRow]:
    """Per month: pairs suggested, and pairs answered/introduced/closed (each pair once a month)."""
    seen: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for s in suggestions:
        seen[month_of(s.created_at)]["suggested"].add(s.id)
    for e in events:
        if e.stage in EVENT_STAGES:
            seen[month_of(e.created_at)][e.stage].add(e.suggestion_id)
    if not seen:
        return []
    return [MonthRow(m, {stage: len(seen[m][stage]) if m in seen else 0 for stage in FUNNEL_STAGES})
            for m in month_range(min(seen), max(seen))]


def agreements(suggestions: Iterable[SuggestionRow]) -> list[SuggestionRow]:
    return [s for s in suggestions if s.status == Status.AGREEMENT]


def volumes(suggestions: Iterable[SuggestionRow]) -> list[VolumeRow]:
    """Agreed volumes by material (the offer's title, compared case-blind) and reported unit."""
    totals: dict[tuple[str, str], list[float]] = {}
    names: dict[str, str] = {}
    for s in agreements(suggestions):
        amount = reported(s.outcome_volume, s.outcome_unit)
        if amount is None:
            continue
        key = s.material.strip().casefold()
        names.setdefault(key, s.material.strip())
        totals.setdefault((key, amount.unit), []).append(amount.value)
    order = {u: i for i, u in enumerate(REPORTED_UNITS)}
    rows = [VolumeRow(names[k], unit, len(vs), sum(vs)) for (k, unit), vs in totals.items()]
    return sorted(rows, key=lambda r: (order.get(r.unit, len(order)), r.unit, -r.volume, r.material))


def potential(listings: Iterable[ListingRow], suggestions: Iterable[SuggestionRow],
              radius_km: float) -> list[PotentialRow]:
    """Offered raw materials and by-products per year, and the part with a partner within reach."""
    reachable = {s.offer_listing_id for s in suggestions if s.status in PARTNER_STATUSES
                 and s.distance_km is not None and s.distance_km <= radius_km}
    offered: Counter[str] = Counter()
    local: Counter[str] = Counter()
    count: Counter[str] = Counter()
    local_count: Counter[str] = Counter()
    for listing in listings:
        if not (listing.active and listing.direction == Direction.OFFER
                and listing.kind in MATERIAL_KINDS):
            continue
        amount = annual(listing.quantity, listing.unit, listing.frequency)
        if amount is None or amount.unit not in REPORTED_UNITS:
            continue
        offered[amount.unit] += amount.value
        count[amount.unit] += 1
        if listing.id in reachable:
            local[amount.unit] += amount.value
            local_count[amount.unit] += 1
    return [PotentialRow(u, offered[u], local[u], count[u], local_count[u])
            for u in REPORTED_UNITS if count[u]]


def transport(suggestions: Sequence[SuggestionRow], reference_km: float) -> list[TransportRow]:
    """Distances of the pairs still on the table (not rejected) and of the agreed ones."""
    groups = {
        "suggested": [s.distance_km for s in suggestions
                      if s.status != Status.REJECTED and s.distance_km is not None],
        "agreed": [s.distance_km for s in agreements(suggestions) if s.distance_km is not None],
    }
    return [TransportRow(name, len(ds), sum(ds), sum(ds) / len(ds) if ds else None, reference_km)
            for name, ds in groups.items()]


def co2(suggestions: Sequence[SuggestionRow], reference_km: float, kg_per_tkm: float) -> Co2:
    """Transport work and CO₂ of the agreed tonnes: locally and had they gone the reference haul."""
    counted = [(t, s.distance_km) for s in agreements(suggestions)
               if (t := tonnes(s.outcome_volume, s.outcome_unit)) is not None
               and s.distance_km is not None]
    return Co2(agreements=len(counted), not_counted=len(agreements(suggestions)) - len(counted),
               tonnes=sum(t for t, _ in counted), tkm=sum(t * d for t, d in counted),
               reference_tkm=sum(t * reference_km for t, _ in counted), kg_per_tkm=kg_per_tkm)


def groups(companies: Sequence[CompanyRow], listings: Sequence[ListingRow],
           suggestions: Sequence[SuggestionRow], key: str) -> list[GroupRow]:
    """Figures per municipality or trade (`key` is the CompanyRow field); a pair between two
    companies of one group counts once for it."""
    group_of = {c.id: getattr(c, key) for c in companies}
    members = Counter(group_of.values())
    active = Counter(group_of.get(li.company_id, "") for li in listings if li.active)
    pairs: dict[str, set[int]] = defaultdict(set)
    agreed: dict[str, set[int]] = defaultdict(set)
    supplied: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for s in suggestions:
        sides = {group_of.get(s.offer_company_id, ""), group_of.get(s.need_company_id, "")}
        for g in sides:
            pairs[g].add(s.id)
        if s.status == Status.AGREEMENT:
            for g in sides:
                agreed[g].add(s.id)
            t = tonnes(s.outcome_volume, s.outcome_unit) or 0.0
            supplied[group_of.get(s.offer_company_id, "")] += t
            received[group_of.get(s.need_company_id, "")] += t
    keys = sorted(set(members) | set(pairs), key=lambda k: (k == "", -members[k], k.casefold()))
    return [GroupRow(k, members[k], active[k], len(pairs[k]), len(agreed[k]), supplied[k], received[k])
            for k in keys]


def compute(companies: Sequence[CompanyRow], listings: Sequence[ListingRow],
            suggestions: Sequence[SuggestionRow], events: Iterable[EventRow],
            assumptions: Assumptions) -> Impact:
    listing_counts = Counter((li.direction, li.kind) for li in listings if li.active)
    return Impact(
        members=len(companies),
        municipalities=len({c.municipality for c in companies if c.municipality}),
        listings=dict(sorted(listing_counts.items())),
        funnel=funnel(suggestions),
        months=months(suggestions, events),
        volumes=volumes(suggestions),
        potential=potential(listings, suggestions, assumptions.radius_km),
        transport=transport(suggestions, assumptions.reference_km),
        co2=co2(suggestions, assumptions.reference_km, assumptions.co2_kg_per_tkm),
        by_municipality=groups(companies, listings, suggestions, "municipality"),
        by_trade=groups(companies, listings, suggestions, "trade"),
        assumptions=assumptions,
    )


@dataclass(frozen=True)
class PublicFigures:
    """What the landing page may show anyone: counts and sums over the whole cluster only."""

    members: int
    municipalities: int
    agreements: int
    tonnes_local: float


def public_figures(members: int, municipalities: int,
                   agreed: Iterable[tuple[float | None, str | None]]) -> PublicFigures:
    volumes_ = list(agreed)
    return PublicFigures(members, municipalities, len(volumes_),
                         sum(tonnes(v, u) or 0.0 for v, u in volumes_))
