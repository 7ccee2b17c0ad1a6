"""Shared helpers for the API tests: tokens made through the service, bearer headers for each
role, and a company waiting for approval."""

from __future__ import annotations

from matchmaker.models import Company
from matchmaker.services import accounts, api_tokens
from tests.conftest import make_company


def token_for(session, email: str, name: str = "ERP", days: int = 0) -> str:
    user = accounts.find_user_by_email(session, email)
    return api_tokens.create(session, user, name, days)[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def is_problem(response, status: int) -> bool:
    body = response.get_json(silent=True) or {}
    return (response.status_code == status and response.mimetype == "application/problem+json"
            and body.get("status") == status and bool(body.get("title")))


def waiting_company(session) -> int:
    """A company that registered itself and still waits for the coordinator's approval."""
    company_id = make_company(session, "Venter AS", "venter@venter.example")
    company = session.get(Company, company_id)
    company.membership = "pending"
    session.add(company)
    session.commit()
    return company_id


ROLE_EMAILS = {"a": "a@granli.example", "b": "b@vinger.example",
               "coordinator": "koordinator@example.no"}


def role_tokens(session, **more: str) -> dict[str, dict[str, str]]:
    """Bearer headers of company A, company B and the coordinator (the conftest's users), and
    of any more users given as name=email."""
    return {who: bearer(token_for(session, email)) for who, email in {**ROLE_EMAILS, **more}.items()}
