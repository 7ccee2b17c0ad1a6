"""Import and export through the API: who may do which, over the command line's own import
and export (``services.interchange``), so the format's rules and the all-or-nothing write
exist once. The coordinator imports and exports the whole cluster; a company exports only
its own entry, so it can keep its data in its own systems and hand it back."""

from __future__ import annotations

from sqlmodel import Session

from matchmaker import security_log
from matchmaker.domain import interchange
from matchmaker.domain.errors import Forbidden
from matchmaker.geo.locator import Locate
from matchmaker.models import User
from matchmaker.services.interchange import ImportReport, export_companies, import_document
from matchmaker.services.matching import Matcher

SOURCE = "api"  # how the security log names an import through the API (the CLI: the file)


def import_body(session: Session, user: User, body: bytes, locate: Locate,
                matcher: Matcher) -> ImportReport:
    """A `matchmaker/v1` JSON document, all or nothing; coordinators only (Forbidden before
    the body is parsed, so a company learns nothing about it)."""
    if not user.is_coordinator:
        raise Forbidden("import")
    return import_document(session, body, SOURCE, locate, matcher)


def export_text(session: Session, user: User) -> str:
    """The document `matchmaker export` writes: everything for the coordinator, the caller's
    own company (with all its listings) for a company, nothing for an account without one."""
    if user.is_coordinator:
        companies = export_companies(session)
    elif user.company_id is not None:
        companies = export_companies(session, user.company_id)
    else:
        companies = []
    text = interchange.to_json(companies)
    security_log.event("export", file=SOURCE, companies=len(companies))
    return text
