"""Membership: a company that registers itself waits for the coordinator's approval.

Until then it edits its own profile and listings, but sees no other member's listings, and
its own listings are not matched (the matcher indexes only approved companies), so no
suggestion, chain, map link or digest shows it to anyone. Approving it matches its listings.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from matchmaker.domain.errors import Conflict, NotFound
from matchmaker.domain.vocab import Membership
from matchmaker.models import Company, Listing, User
from matchmaker.models._time import utcnow
from matchmaker.services.matching import Matcher, refresh_listings


def waiting_state(session: Session, user: User) -> str:
    """"" when the user may see the other members' listings (staff, users of approved
    companies); else the company's membership: "pending" or "rejected"."""
    if user.is_coordinator or user.company_id is None:
        return ""
    company = session.get(Company, user.company_id)
    return "" if company is None or company.approved else company.membership


def may_see_members(session: Session, user: User) -> bool:
    return not waiting_state(session, user)


def pending_companies(session: Session) -> list[Company]:
    return list(session.exec(select(Company).where(
        Company.membership == Membership.PENDING.value).order_by(col(Company.created_at),
                                                                 col(Company.id))))


def _waiting(session: Session, company_id: int) -> Company:
    company = session.exec(select(Company).where(Company.id == company_id)
                           .with_for_update()).first()
    if company is None:
        raise NotFound("company")
    if company.membership != Membership.PENDING:
        session.rollback()
        raise Conflict(f"the company is {company.membership!r}, not pending")
    return company


def approve(session: Session, company_id: int, matcher: Matcher) -> Company:
    """The company becomes a member; its active listings are matched at once."""
    company = _waiting(session, company_id)
    company.membership = Membership.APPROVED.value
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    listing_ids = list(session.exec(select(Listing.id).where(Listing.company_id == company.id)))
    if listing_ids:
        refresh_listings(session, matcher, listing_ids)
    session.commit()
    return company


def reject(session: Session, company_id: int) -> Company:
    """Not a member: it keeps its own pages but never sees, or is seen by, the others."""
    company = _waiting(session, company_id)
    company.membership = Membership.REJECTED.value
    company.updated_at = utcnow()
    session.add(company)
    session.commit()
    return company
