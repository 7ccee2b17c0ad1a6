"""Fixtures the API tests share: the review tests' pair of companies, and a token for each
role (company A supplies, company B receives, the coordinator)."""

from __future__ import annotations

import pytest

from tests.api.api_support import bearer, token_for
from tests.review_support import make_pair


@pytest.fixture
def pair(session, two_companies):
    return make_pair(session, two_companies)


@pytest.fixture
def tokens(session, pair, coordinator):
    return {who: bearer(token_for(session, email)) for who, email in (
        ("a", "a@granli.example"), ("b", "b@vinger.example"), ("coordinator", coordinator.email))}
