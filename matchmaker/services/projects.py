"""Cluster projects: value chains the coordinator saved to pursue, with a note and a status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from matchmaker.domain.errors import InvalidData, NotFound
from matchmaker.models import ClusterProject, Company, Listing, Suggestion, User
from matchmaker.models._time import utcnow

STATUSES: tuple[str, ...] = ("idea", "active", "done", "dropped")
TITLE_MAX, NOTE_MAX = 200, 4000  # the columns' lengths: the form and the API refuse longer ones
CHAIN_KEY_MAX = 100  # "12-40-7": up to four ids, checked by ``parse_suggestion_ids``
CHAIN_KEY_PATTERN = r"^[0-9]{1,18}(-[0-9]{1,18}){1,3}$"  # its shape, as the API's document says it


@dataclass(frozen=True)
class ProjectLink:
    """One link of a saved chain as it is now; ``None`` fields: the pair no longer exists."""

    suggestion_id: int
    offer_title: str | None = None
    offer_company: str | None = None
    need_title: str | None = None
    need_company: str | None = None
    status: str | None = None

    @property
    def gone(self) -> bool:
        return self.offer_title is None


@dataclass(frozen=True)
class ProjectView:
    project: ClusterProject
    links: tuple[ProjectLink, ...]


def parse_suggestion_ids(text: str) -> list[int]:
    """ "12-40-7" (a chain's key) → [12, 40, 7]; InvalidData unless 2..4 distinct positive ids."""
    parts = [p for p in (text or "").split("-") if p]
    if not 2 <= len(parts) <= 4 or not all(p.isascii() and p.isdigit() and len(p) < 19
                                            for p in parts):
        raise InvalidData(["suggestion_ids: a chain of 2 to 4 suggestion ids"])
    ids = [int(p) for p in parts]
    if len(set(ids)) != len(ids) or 0 in ids:
        raise InvalidData(["suggestion_ids: a chain of 2 to 4 distinct suggestion ids"])
    return ids


def save_project(session: Session, user: User, title: str, note: str,
                 suggestion_ids: list[int]) -> ClusterProject:
    """Save a chain as a project; every link must exist."""
    title = (title or "").strip()
    if not title:
        raise InvalidData(["title: required"])
    found = set(session.exec(select(Suggestion.id).where(col(Suggestion.id).in_(suggestion_ids))))
    if found != set(suggestion_ids):
        raise InvalidData(["suggestion_ids: unknown suggestion"])
    project = ClusterProject(title=title[:TITLE_MAX], note=(note or "").strip()[:NOTE_MAX],
                             suggestion_ids=list(suggestion_ids), created_by_user_id=user.id)
    session.add(project)
    session.commit()
    return project


def set_status(session: Session, project_id: int, status: str) -> ClusterProject:
    if status not in STATUSES:
        raise InvalidData([f"status: one of {', '.join(STATUSES)}"])
    project = session.get(ClusterProject, project_id)
    if project is None:
        raise NotFound("project")
    project.status, project.updated_at = status, utcnow()
    session.add(project)
    session.commit()
    return project


def projects(session: Session) -> list[ProjectView]:
    """Every project, newest first, with its links as they are today."""
    return _views(session, list(session.exec(select(ClusterProject).order_by(
        col(ClusterProject.created_at).desc(), col(ClusterProject.id).desc()))))


def project(session: Session, project_id: int) -> ProjectView:
    """One project with its links as they are today; NotFound if there is none."""
    found = session.get(ClusterProject, project_id)
    if found is None:
        raise NotFound("project")
    return _views(session, [found])[0]


def _views(session: Session, items: list[ClusterProject]) -> list[ProjectView]:
    ids = {i for p in items for i in p.suggestion_ids}
    suggestions = {s.id: s for s in session.exec(
        select(Suggestion).where(col(Suggestion.id).in_(ids)))} if ids else {}
    listing_ids = {x for s in suggestions.values() for x in (s.offer_listing_id, s.need_listing_id)}
    listings = {x.id: x for x in session.exec(
        select(Listing).where(col(Listing.id).in_(listing_ids)))} if listing_ids else {}
    company_ids = {x.company_id for x in listings.values()}
    companies = {c.id: c.name for c in session.exec(
        select(Company).where(col(Company.id).in_(company_ids)))} if company_ids else {}

    def link(sid: int) -> ProjectLink:
        s = suggestions.get(sid)
        if s is None:
            return ProjectLink(sid)
        offer, need = listings[s.offer_listing_id], listings[s.need_listing_id]
        return ProjectLink(sid, offer.title, companies[offer.company_id], need.title,
                           companies[need.company_id], s.status)

    return [ProjectView(p, tuple(link(int(i)) for i in p.suggestion_ids)) for p in items]
