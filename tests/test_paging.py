"""Paging in SQL: the count comes with the page, and a page out of range lands on a real one."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from matchmaker.models import Company, Listing
from matchmaker.services.paging import paginate
from tests.conftest import make_company


@pytest.fixture
def seven(session) -> None:
    for n in range(7):
        company_id = make_company(session, f"Firma {n}", f"post{n}@firma.example")
        session.add(Listing(company_id=company_id, direction="offer", kind="by-product",
                            title=f"Flis fra Firma {n}"))
    session.commit()


def _by_name():
    return select(Company).order_by(Company.name, Company.id)


COUNTS = pytest.mark.parametrize("with_page", [False, True], ids=["count apart", "count with page"])


@COUNTS
def test_a_page_of_one_entity_is_its_rows_and_the_count(session, seven, with_page):
    page = paginate(session, _by_name(), 2, 3, count_with_page=with_page)
    assert [c.name for c in page.items] == ["Firma 3", "Firma 4", "Firma 5"]
    assert (page.total, page.page, page.pages, page.first, page.last) == (7, 2, 3, 4, 6)


@COUNTS
def test_a_page_of_several_columns_is_tuples(session, seven, with_page):
    query = (select(Listing, Company).join(Company, col(Company.id) == Listing.company_id)
             .order_by(Company.name, Listing.id))
    page = paginate(session, query, 3, 3, count_with_page=with_page)
    assert [(listing.title, company.name) for listing, company in page.items] == [
        ("Flis fra Firma 6", "Firma 6")]
    assert page.total == 7


@COUNTS
def test_a_page_past_the_end_shows_the_last_page(session, seven, with_page):
    page = paginate(session, _by_name(), 99, 3, count_with_page=with_page)
    assert ([c.name for c in page.items], page.page, page.total) == (["Firma 6"], 3, 7)
    assert paginate(session, _by_name(), -4, 3, count_with_page=with_page).page == 1


@COUNTS
def test_no_rows_is_one_empty_page(session, seven, with_page):
    page = paginate(session, _by_name().where(Company.name == "nobody"), 5, 3, count_with_page=with_page)
    assert (page.items, page.total, page.page, page.pages) == ([], 0, 1, 1)


def test_a_count_the_caller_has_is_used_as_it_is(session, seven):
    page = paginate(session, _by_name(), 1, 3, total=7)
    assert ([c.name for c in page.items], page.pages) == (["Firma 0", "Firma 1", "Firma 2"], 3)


@pytest.mark.parametrize(("page", "pages", "shown"), [
    (1, 1, [1]),
    (1, 4, [1, 2, 3, 4]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (3250, 6500, [1, None, 3248, 3249, 3250, 3251, 3252, None, 6500]),
])
def test_a_pager_shows_the_ends_and_the_pages_near_this_one(page, pages, shown):
    from matchmaker.services.paging import Page

    assert Page([], pages * 50, page, pages, 50).window() == shown
