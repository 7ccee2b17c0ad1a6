"""Value chains for the pages and the CLI: eligible links from the database, chains from the finder.

Privacy is decided here, in the query that loads the links: the coordinator's chains use every
usable suggestion; a member's chains use only links it may see — both listings public, or its
own, or a pair it is a side of that the coordinator has introduced — so a chain never shows
another company's confidential listing. Chains carry company names and municipalities, never
contact details.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from matchmaker.chains.finder import (
    DEFAULT_MIN_SCORE,
    GOODS_FLOW,
    START_KINDS,
    UNUSABLE_STATUSES,
    Chain,
    ChainGraph,
    Link,
    rank,
)
from matchmaker.domain import workflow
from matchmaker.domain.vocab import Direction, Visibility
from matchmaker.models import Company, Listing, Suggestion
from matchmaker.services.matching import reason_text
from matchmaker.services.partners import csv_text, evidence_strength


@dataclass(frozen=True)
class CompanyInfo:
    id: int
    name: str
    municipality: str
    external_id: str | None = None


@dataclass(frozen=True)
class LinkView:
    link: Link
    offer_company: CompanyInfo
    need_company: CompanyInfo


@dataclass(frozen=True)
class ChainView:
    chain: Chain
    links: tuple[LinkView, ...]

    @property
    def companies(self) -> tuple[CompanyInfo, ...]:
        return (self.links[0].offer_company, *(v.need_company for v in self.links))

    @property
    def key(self) -> str:
        """The chain's suggestion ids as one form value ("12-40-7")."""
        return "-".join(str(i) for i in self.chain.suggestion_ids)


def _visible_to(company_id: int, offer, need):  # noqa: ANN001, ANN202
    """SQL: a member may use this link in its chains."""
    def shown(listing):  # noqa: ANN001, ANN202
        return or_(listing.visibility == Visibility.PUBLIC.value, listing.company_id == company_id)

    introduced = and_(col(Suggestion.status).in_([s.value for s in workflow.INTRODUCED_STATUSES]),
                      or_(Suggestion.offer_company_id == company_id,
                          Suggestion.need_company_id == company_id))
    return or_(and_(shown(offer), shown(need)), introduced)


def load_links(session: Session, viewer_company_id: int | None = None) -> list[Link]:
    """Every usable link in one query; ``viewer_company_id`` None: the coordinator's view."""
    offer, need = aliased(Listing), aliased(Listing)
    query = (
        select(Suggestion.id, Suggestion.offer_listing_id, Suggestion.need_listing_id,
               Suggestion.offer_company_id, Suggestion.need_company_id, Suggestion.pair_type,
               Suggestion.score, Suggestion.distance_km, Suggestion.status, offer.kind, need.kind,
               offer.title, need.title, Suggestion.reasons)
        .join(offer, offer.id == Suggestion.offer_listing_id)
        .join(need, need.id == Suggestion.need_listing_id)
        .where(col(Suggestion.pair_type).in_(sorted(GOODS_FLOW)))
        .where(col(Suggestion.status).not_in(sorted(UNUSABLE_STATUSES)))
        .where(offer.active, need.active)
    )
    if viewer_company_id is not None:
        query = query.where(_visible_to(viewer_company_id, offer, need))
    return [Link(sid, ol, nl, oc, nc, pt, score, km, status, ok, nk, True, ot, nt,
                 tuple(reasons or ()))
            for sid, ol, nl, oc, nc, pt, score, km, status, ok, nk, ot, nt, reasons
            in session.exec(query)]


def _views(session: Session, chains: Sequence[Chain]) -> list[ChainView]:
    ids = {c for chain in chains for c in chain.companies}
    companies = {c.id: CompanyInfo(c.id, c.name, c.municipality, c.external_id)
                 for c in session.exec(select(Company).where(col(Company.id).in_(ids)))} if ids else {}
    return [ChainView(chain, tuple(LinkView(x, companies[x.offer_company_id],
                                            companies[x.need_company_id]) for x in chain.links))
            for chain in chains]


FILTER_MAX = 100  # the longest material or municipality filter the page and the API accept


def _matches(view: ChainView, material: str, municipality: str) -> bool:
    if material and material.casefold() not in view.chain.links[0].offer_title.casefold():
        return False
    return not municipality or any(c.municipality.casefold() == municipality.casefold()
                                   for c in view.companies)


def all_chains(session: Session, *, material: str = "", municipality: str = "",
               min_score: float = DEFAULT_MIN_SCORE) -> list[ChainView]:
    """The coordinator's chains (confidential listings included), best first, filtered."""
    chains = ChainGraph(load_links(session), min_score).forward()
    return [v for v in _views(session, chains) if _matches(v, material.strip(), municipality.strip())]


def company_chains(session: Session, company_id: int, *, viewer_company_id: int | None = None,
                   min_score: float = DEFAULT_MIN_SCORE, material: str = "",
                   municipality: str = "") -> list[ChainView]:
    """Chains the company takes part in: from its offers, to its needs, or through it; filtered
    as ``all_chains``.

    ``viewer_company_id`` is the member looking (the company itself); None for the coordinator.
    """
    graph = ChainGraph(load_links(session, viewer_company_id), min_score)
    own = list(session.exec(select(Listing.id, Listing.direction)
                            .where(Listing.company_id == company_id, Listing.active)))
    found = {c.suggestion_ids: c for c in graph.forward() if company_id in c.companies}
    found.update((c.suggestion_ids, c) for c in graph.forward(
        [lid for lid, d in own if d == Direction.OFFER.value]))
    found.update((c.suggestion_ids, c) for c in graph.reverse(
        [lid for lid, d in own if d == Direction.NEED.value]))
    return [v for v in _views(session, rank(found.values()))
            if _matches(v, material.strip(), municipality.strip())]


def municipalities(session: Session) -> list[str]:
    return sorted(m for m in set(session.exec(select(Company.municipality))) if m)


@dataclass(frozen=True)
class UnprocessedOffer:
    listing: Listing
    company: CompanyInfo
    weak_candidates: int  # 0: no local taker at all


def unprocessed_offers(session: Session) -> list[UnprocessedOffer]:
    """Active raw-material and by-product offers no local company takes: no usable pair within
    the engine's radius, or only pairs on weak evidence (the engine gives every listing its
    best candidates, however weak, so "no pair at all" alone would miss most of them)."""
    need = aliased(Listing)
    pairs = session.exec(
        select(Suggestion.offer_listing_id, Suggestion.origin, Suggestion.components)
        .join(need, need.id == Suggestion.need_listing_id)
        .where(col(Suggestion.pair_type).in_(sorted(GOODS_FLOW)), need.active,
               col(Suggestion.status).not_in(sorted(UNUSABLE_STATUSES))))
    weak: dict[int, int] = {}
    taken: set[int] = set()
    for listing_id, origin, components in pairs:
        if evidence_strength(origin, components) == "weak":
            weak[listing_id] = weak.get(listing_id, 0) + 1
        else:
            taken.add(listing_id)
    rows = session.exec(
        select(Listing, Company).join(Company, Company.id == Listing.company_id)
        .where(Listing.direction == Direction.OFFER.value, Listing.active,
               col(Listing.kind).in_(sorted(START_KINDS)))
        .order_by(Company.name, Listing.title, Listing.id))
    return [UnprocessedOffer(listing, CompanyInfo(c.id, c.name, c.municipality, c.external_id),
                             weak.get(listing.id, 0))
            for listing, c in rows if listing.id not in taken]


# --- export (CLI) and the API's shape -------------------------------------------------------------

CSV_COLUMNS = ("chain", "weakest", "total_km", "link", "suggestion_id", "pair_type", "score",
               "distance_km", "status", "offer_listing_id", "offer_title", "offer_company_id",
               "offer_company", "need_listing_id", "need_title", "need_company_id", "need_company",
               "reasons")


def _end_dict(listing_id: int, kind: str, title: str, company: CompanyInfo,
              coordinator: bool) -> dict[str, object]:
    return {"listing_id": listing_id, "kind": kind, "title": title, "company_id": company.id,
            "company_external_id": company.external_id if coordinator else None,
            "company": company.name, "company_municipality": company.municipality}


def _link_dict(v: LinkView, language: str, viewer_company_id: int | None) -> dict[str, object]:
    """One link; a member sees the status of its own pairs only (the web shows it none)."""
    x = v.link
    coordinator = viewer_company_id is None
    own = coordinator or viewer_company_id in (x.offer_company_id, x.need_company_id)
    return {"suggestion_id": x.suggestion_id, "pair_type": x.pair_type, "score": x.score,
            "distance_km": x.distance_km, "status": x.status if own else None,
            "offer": _end_dict(x.offer_listing_id, x.offer_kind, x.offer_title, v.offer_company,
                               coordinator),
            "need": _end_dict(x.need_listing_id, x.need_kind, x.need_title, v.need_company,
                              coordinator),
            "reasons": [reason_text(r, language) for r in x.reasons]}


def chain_dict(view: ChainView, rank: int, language: str = "nb",
               viewer_company_id: int | None = None) -> dict[str, object]:
    """One chain as the JSON export and the API show it; ``viewer_company_id`` as in
    ``company_chains`` (None: the coordinator, who sees every status and interchange id)."""
    return {"rank": rank, "key": view.key, "weakest": view.chain.weakest,
            "total_km": round(view.chain.total_km, 1),
            "companies": [c.name for c in view.companies],
            "links": [_link_dict(lv, language, viewer_company_id) for lv in view.links]}


def chains_export(views: Iterable[ChainView], fmt: str, language: str = "nb") -> str:
    """Chains as JSON (one object per chain) or CSV (one row per link; cells neutralised)."""
    views = list(views)
    if fmt == "json":
        return json.dumps({"format": "matchmaker/chains-v1", "chains": [
            chain_dict(v, n, language) for n, v in enumerate(views, 1)]},
            ensure_ascii=False, indent=2) + "\n"
    rows = []
    for n, v in enumerate(views, 1):
        for i, lv in enumerate(v.links, 1):
            x = lv.link
            rows.append((n, v.chain.weakest, round(v.chain.total_km, 1), i, x.suggestion_id,
                         x.pair_type, x.score, x.distance_km, x.status, x.offer_listing_id,
                         x.offer_title, x.offer_company_id, lv.offer_company.name,
                         x.need_listing_id, x.need_title, x.need_company_id,
                         lv.need_company.name,
                         "; ".join(reason_text(r, language) for r in x.reasons)))
    return csv_text(CSV_COLUMNS, rows)
