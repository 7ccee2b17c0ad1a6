"""A normal page view logs nothing and warns nothing: the log is for what needs a look."""

import logging
import warnings

from tests.conftest import login
from tests.review_support import make_pair

MEMBER_PAGES = ["/company", "/company/edit", "/partners", "/directory",
                "/map", "/chains", "/listings/new?direction=offer"]
COORDINATOR_PAGES = ["/coordinator/", "/coordinator/matches", "/coordinator/audit",
                     "/coordinator/impact", "/coordinator/chains", "/map", "/directory"]


def _view(client, pages, caplog) -> None:
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.INFO):
        warnings.simplefilter("always")
        for url in pages:
            with client.get(url) as response:  # closed, as a server closes a served file
                assert response.status_code == 200, url
    assert [record.getMessage() for record in caplog.records] == []
    assert [str(warning.message) for warning in caught] == []


def test_normal_page_views_log_nothing(client, session, two_companies, coordinator, caplog):
    pair = make_pair(session, two_companies)
    _view(client, ["/", "/favicon.ico", "/login", "/register"], caplog)
    login(client, "a@granli.example")
    _view(client, MEMBER_PAGES, caplog)
    client.post("/logout")
    login(client, coordinator.email)
    _view(client, [*COORDINATOR_PAGES, f"/coordinator/matches/{pair.suggestion.id}"], caplog)
