"""Helpers for the membership, notification and outcome tests: listings and pairs as data."""

from __future__ import annotations

from sqlmodel import select

from matchmaker.models import Listing, Notification, Suggestion

REASONS = [{"code": "distance", "params": {"km": 30}}]


def add_listing(session, company_id: int, direction: str, kind: str, title: str,
                **fields) -> Listing:
    listing = Listing(company_id=company_id, direction=direction, kind=kind, title=title, **fields)
    session.add(listing)
    session.commit()
    return listing


def add_suggestion(session, offer: Listing, need: Listing, status: str = "suggested"
                   ) -> Suggestion:
    suggestion = Suggestion(
        offer_listing_id=offer.id, need_listing_id=need.id, offer_company_id=offer.company_id,
        need_company_id=need.company_id, pair_type="supply", score=0.8,
        components={"text": 0.7}, distance_km=30.0, reasons=REASONS, settings_version="test",
        status=status)
    session.add(suggestion)
    session.commit()
    return suggestion


def sawdust_pair(session, a: int, b: int, status: str = "suggested") -> Suggestion:
    offer = add_listing(session, a, "offer", "by-product", "Sagflis fra gran", quantity=400.0,
                        unit="m3", frequency="year")
    need = add_listing(session, b, "need", "by-product", "Sawdust for pellets")
    return add_suggestion(session, offer, need, status)


def notes_of(session, user_id: int) -> list[Notification]:
    session.expire_all()
    return list(session.exec(select(Notification).where(Notification.user_id == user_id)
                             .order_by(Notification.id)))


def decide(app, session, coordinator, suggestion_id: int, to: str, note: str = "") -> None:
    """The coordinator's move (an introduction renders its mails: it needs the app)."""
    from matchmaker.services import review

    with app.app_context():
        review.transition(session, coordinator, suggestion_id, to, note=note)
