"""Value chains and cluster projects as the API shows them, through the web's services.

A company's chains come from ``chains.company_chains`` with the company as the viewer, so the
web's privacy rule holds unchanged: no other company's confidential listing unless the two were
introduced. Each chain has the JSON export's shape (``chains.chain_dict``). Projects are the
coordinator's, as on the web; the views let only the coordinator reach them.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session

from matchmaker.models import User
from matchmaker.services import chains as chain_service
from matchmaker.services import projects as project_service
from matchmaker.services.paging import Page, paginate_list


def chains(session: Session, user: User, *, material: str, municipality: str, min_score: float,
           page: int, per_page: int) -> Page[dict]:
    """A page of chains, best first: all of them for the coordinator, a company's own for it
    (none for a user of no company)."""
    if user.is_coordinator:
        views = chain_service.all_chains(session, material=material, municipality=municipality,
                                         min_score=min_score)
    elif user.company_id is None:
        views = []
    else:
        views = chain_service.company_chains(session, user.company_id,
                                             viewer_company_id=user.company_id,
                                             min_score=min_score, material=material,
                                             municipality=municipality)
    shown = paginate_list(views, page, per_page)
    viewer = None if user.is_coordinator else user.company_id
    return Page([chain_service.chain_dict(v, shown.first + n, user.language, viewer)
                 for n, v in enumerate(shown.items)],
                shown.total, shown.page, shown.pages, shown.per_page)


def _project(view: project_service.ProjectView) -> dict:
    p = view.project
    return {"id": p.id, "title": p.title, "note": p.note, "status": p.status,
            "suggestion_ids": [int(i) for i in p.suggestion_ids], "created_at": p.created_at,
            "updated_at": p.updated_at,
            "links": [{**asdict(link), "gone": link.gone} for link in view.links]}


def projects(session: Session, page: int, per_page: int) -> Page[dict]:
    """A page of the projects, newest first."""
    shown = paginate_list(project_service.projects(session), page, per_page)
    return Page([_project(v) for v in shown.items], shown.total, shown.page, shown.pages,
                shown.per_page)


def save_project(session: Session, user: User, title: str, note: str, chain: str) -> dict:
    """Save a chain (its key, as the web's form sends it) as a project; InvalidData for a key
    that is not 2 to 4 ids or names a pair that does not exist."""
    ids = project_service.parse_suggestion_ids(chain)
    saved = project_service.save_project(session, user, title, note, ids)
    return _project(project_service.project(session, saved.id))


def set_status(session: Session, project_id: int, status: str) -> dict:
    project_service.set_status(session, project_id, status)
    return _project(project_service.project(session, project_id))
