"""What the cluster map shows a viewer: companies, the links between them, and place names.

Pure data, no HTML: the browser builds every label as text. Privacy is decided here, with the
rules the partner page uses: a member sees the directory's companies (profile fields only) and
only those links where its own company is a side and which ``partners`` lets it see — never a
rejected pair, never one hidden by the other side's confidential listing before the
introduction. The coordinator sees every link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from matchmaker.domain import workflow
from matchmaker.domain.trades import trade_of
from matchmaker.domain.vocab import Kind, Membership
from matchmaker.models import ClusterProject, Company, Listing, Suggestion, User
from matchmaker.services.partners import company_suggestions_query

KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
OPEN_PROJECT_STATUSES: tuple[str, ...] = ("idea", "active")  # highlighted on the map
# Shown unless the viewer asks otherwise: the pairs still alive, from suggestion to agreement.
DEFAULT_STATUSES: frozenset[str] = frozenset(workflow.STATUSES) - {workflow.Status.REJECTED,
                                                                   workflow.Status.NO_DEAL}


#: the coordinator sees every pair of the cluster; by default only those people acted on (all
#: suggestions at once are a hairball of a thousand lines), the rest one tick away
COORDINATOR_DEFAULT_STATUSES: frozenset[str] = DEFAULT_STATUSES - {workflow.Status.SUGGESTED,
                                                                   workflow.Status.DEFERRED}


def default_statuses(viewer: User) -> frozenset[str]:
    return COORDINATOR_DEFAULT_STATUSES if viewer.is_coordinator else DEFAULT_STATUSES


def statuses_for(viewer: User) -> tuple[str, ...]:
    """The statuses a viewer may filter on: a member never sees rejected pairs."""
    if viewer.is_coordinator:
        return workflow.STATUSES
    return tuple(s for s in workflow.STATUSES if s in workflow.COMPANY_VISIBLE)


@dataclass(frozen=True)
class MapFilters:
    statuses: frozenset[str] = DEFAULT_STATUSES
    kinds: frozenset[str] = frozenset(KINDS)

    @classmethod
    def parse(cls, viewer: User, statuses: Iterable[str] | None,
              kinds: Iterable[str] | None) -> MapFilters:
        """Known values only; None (no form sent) means the defaults."""
        allowed = statuses_for(viewer)
        chosen = (default_statuses(viewer) if statuses is None else frozenset(statuses))
        return cls(frozenset(s for s in chosen if s in allowed),
                   frozenset(KINDS) if kinds is None else frozenset(k for k in kinds if k in KINDS))


@dataclass(frozen=True)
class MapCompany:
    id: int
    name: str
    city: str
    municipality: str
    industry: str
    trade: str
    lat: float
    lon: float
    own: bool = False  # the viewer's company


@dataclass(frozen=True)
class MapLink:
    id: int  # the suggestion
    status: str
    kind: str  # of the offered listing: what flows
    pair_type: str
    score: float
    distance_km: float | None
    from_id: int  # supplying company
    to_id: int  # receiving company
    from_latlon: tuple[float, float]
    to_latlon: tuple[float, float]
    offer_title: str
    need_title: str


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ClusterMap:
    companies: list[MapCompany]
    links: list[MapLink]
    places: list[Place]
    # Value chains to highlight, each a list of suggestion ids: for the coordinator, the
    # cluster projects still open (their links are drawn whatever the status filter)
    chains: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _companies(session: Session, own_id: int | None, everyone: bool) -> list[MapCompany]:
    """The directory's companies that have a location, profile fields only; `everyone` (the
    coordinator) includes companies waiting for approval."""
    query = select(Company).where(col(Company.lat).is_not(None), col(Company.lon).is_not(None))
    if not everyone:
        query = query.where(or_(Company.membership == Membership.APPROVED.value,
                                Company.id == own_id))
    rows = session.exec(query.order_by(Company.name, Company.id))
    return [MapCompany(c.id, c.name, c.city, c.municipality, c.industry, trade_of(c.nace_code),
                       c.lat, c.lon, c.id == own_id) for c in rows]


def _all_pairs_query():  # noqa: ANN202
    offer, need = aliased(Listing), aliased(Listing)
    return (select(Suggestion, offer, need)
            .join(offer, offer.id == Suggestion.offer_listing_id)
            .join(need, need.id == Suggestion.need_listing_id))


def _link_rows(session: Session, viewer: User, filters: MapFilters) -> list:
    """(suggestion, offer listing, need listing) the viewer may see, filtered."""
    if not filters.statuses or not filters.kinds:
        return []
    if viewer.is_coordinator:
        query = _all_pairs_query()
    elif viewer.company_id is not None:
        query = company_suggestions_query(viewer.company_id)  # the partner page's privacy rule
    else:
        return []
    rows = session.exec(query.where(col(Suggestion.status).in_(sorted(filters.statuses)))
                        .order_by(Suggestion.id))
    return [(s, o, n) for s, o, n in rows if o.kind in filters.kinds]


def _places(companies: list[MapCompany]) -> list[Place]:
    """One label per town (the municipality where no town is given), where its companies are."""
    towns: dict[str, list[MapCompany]] = {}
    for c in companies:
        name = c.city or c.municipality
        if name:
            towns.setdefault(name, []).append(c)
    return [Place(name, round(sum(c.lat for c in cs) / len(cs), 5),
                  round(sum(c.lon for c in cs) / len(cs), 5))
            for name, cs in sorted(towns.items())]


def cluster_map(session: Session, viewer: User, filters: MapFilters) -> ClusterMap:
    """The map for one viewer; links whose ends have no location are left out."""
    companies = _companies(session, viewer.company_id, viewer.is_coordinator)
    where = {c.id: (c.lat, c.lon) for c in companies}
    rows = _link_rows(session, viewer, filters)
    chains: list[list[int]] = []
    if viewer.is_coordinator:
        chains = [[int(i) for i in p.suggestion_ids] for p in session.exec(
            select(ClusterProject).where(col(ClusterProject.status).in_(OPEN_PROJECT_STATUSES))
            .order_by(ClusterProject.id))]
        shown = {s.id for s, _, _ in rows}
        missing = {i for chain in chains for i in chain} - shown
        if missing:
            rows += list(session.exec(_all_pairs_query().where(col(Suggestion.id).in_(sorted(missing)))))
    links = [MapLink(s.id, s.status, offer.kind, s.pair_type, s.score, s.distance_km,
                     s.offer_company_id, s.need_company_id, where[s.offer_company_id],
                     where[s.need_company_id], offer.title, need.title)
             for s, offer, need in rows
             if s.offer_company_id in where and s.need_company_id in where]
    return ClusterMap(companies, links, _places(companies), chains)
