"""Shared data for the review tests (partners page, queue, match detail, audit): two companies
with a matching offer and need, and helpers to add listings and suggestions directly."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from matchmaker.models import Listing, Suggestion, SuggestionEvent
from matchmaker.services import accounts

REASONS = [{"code": "synonym", "params": {"a": "sagflis", "b": "sawdust"}},
           {"code": "distance", "params": {"km": 30}}]


def add_listing(session, company_id: int, direction: str, kind: str, title: str,
                **fields) -> Listing:
    listing = Listing(company_id=company_id, direction=direction, kind=kind, title=title, **fields)
    session.add(listing)
    session.commit()
    return listing


def add_suggestion(session, offer: Listing, need: Listing, *, score: float = 0.8,
                   distance_km: float | None = 30.1, status: str = "suggested",
                   pair_type: str = "supply", **fields) -> Suggestion:
    suggestion = Suggestion(
        offer_listing_id=offer.id, need_listing_id=need.id, offer_company_id=offer.company_id,
        need_company_id=need.company_id, pair_type=pair_type, score=score,
        components={"text": 0.7, "distance": 0.9}, distance_km=distance_km, reasons=REASONS,
        settings_version="test", status=status, **fields)
    session.add(suggestion)
    session.commit()
    return suggestion


@dataclass
class Pair:
    a: int  # supplying company (Granli Sag, user a@granli.example, Bokmål)
    b: int  # receiving company (Vinger Pellets, user b@vinger.example, English)
    offer: Listing
    need: Listing
    suggestion: Suggestion


def make_pair(session, two_companies) -> Pair:
    a, b = two_companies
    user_b = accounts.find_user_by_email(session, "b@vinger.example")
    user_b.language = "en"
    session.add(user_b)
    session.commit()
    offer = add_listing(session, a, "offer", "by-product", "Sagflis fra gran", quantity=400.0,
                        unit="m3", frequency="year", description="Tørr sagflis")
    need = add_listing(session, b, "need", "by-product", "Sawdust for pellets",
                       description="Dry sawdust")
    return Pair(a, b, offer, need, add_suggestion(session, offer, need))


def fresh(session, model, ident):
    session.expire_all()
    return session.get(model, ident)


def events(session, suggestion_id: int) -> list[SuggestionEvent]:
    session.expire_all()
    return list(session.exec(select(SuggestionEvent).where(
        SuggestionEvent.suggestion_id == suggestion_id).order_by(SuggestionEvent.id)))


CONTACT_B = ("Kontakt Vinger Pellets AS", "b@vinger.example", "+47 62 00 00 00")


def _exports(client) -> tuple[str, str, str]:
    return (client.get("/partners").get_data(as_text=True),
            client.get("/partners.csv").get_data(as_text=True),
            client.get("/partners.json").get_data(as_text=True))
