"""Migration 0012's indexes: the directory's text search finds what the scan found, the
trigram tables follow every write, and the searches and the queue's sorts read an index
(on SQLite and, with MATCHMAKER_TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, or_, select

from matchmaker.db import casefold
from matchmaker.domain.vocab import Membership, Visibility
from matchmaker.models import Company, Listing, ListingSearch
from matchmaker.services import queue
from matchmaker.services.companies import DirectoryFilters, directory
from matchmaker.services.text_index import CASED_BELOW, trigram_match, unsure_characters, words_match
from tests.conftest import make_company
from tests.review_support import add_listing

QUERIES = (
    "sagflis", "SAGFLIS", "agfl", "sag", "sa", "s", "tr", "flis", "åsnes", "ÅSNES TREHUS", "sne",
    "økologisk", "ØKOLOGISK HALM", "øko", "æ", "blåbær", "kirkenær", "straße", "STRASSE",
    "strasse", "ss", "fisk", "ﬁsk", "FISK", "50%", "50 %", "%", "_", "a_b", "a%b", "100_",
    'sitat "flis"', "'", "\\", "halm", "trehus", "granli", "nothing at all", "é", "café",
    "CAFÉ", "kelvin", "ıi", "İstanbul", "istanbul", "ἀι", "ᾳ",
)


def _scan(session: Session, query: str, include_confidential: bool) -> set[int]:
    """The directory's text search as it was before migration 0012: `LIKE` over every row."""
    query = query.strip()
    fold = func.lower if query.isascii() else casefold
    folded = query.casefold()

    def holds(column):  # noqa: ANN001, ANN202
        return fold(column).contains(folded, autoescape=True)

    listing_filter = [col(Listing.active)]
    if not include_confidential:
        listing_filter.append(Listing.visibility == Visibility.PUBLIC.value)
    statement = select(Company.id).where(or_(
        holds(Company.name), holds(Company.description), holds(Company.industry),
        holds(Company.city), col(Company.id).in_(select(Listing.company_id).where(
            *listing_filter, or_(holds(Listing.title), holds(Listing.description))))))
    if not include_confidential:
        statement = statement.where(Company.membership == Membership.APPROVED.value)
    return set(session.exec(statement))


def _found(session: Session, query: str, include_confidential: bool = False) -> set[int]:
    page = directory(session, DirectoryFilters(text=query, include_confidential=include_confidential,
                                               per_page=1000))
    return {company.id for company, _listings in page.items}


@pytest.fixture
def registry(session):
    """Companies and listings with text that tests the folding and the wildcards."""
    ids = {
        "granli": make_company(session, "Granli Sag AS", "a@granli.example",
                               description="Sagbruk; 50% gran, 50 % furu", industry="Sagbruk"),
        "asnes": make_company(session, "Åsnes Trehus AS", "post@asnes.example", city="Flisa"),
        "eda": make_company(session, "Eda Plast AS", "post@eda.example", city="Kirkenær"),
        "strasse": make_company(session, "Holz Straße GmbH", "post@holz.example",
                                description="ﬁskeavfall og kaffe fra CAFÉ"),
        "upper": make_company(session, "STRASSE TRANSPORT", "post@strasse.example",
                              industry="a_b 100_ \\ 'sitat \"flis\"'"),
        "turk": make_company(session, "İstanbul Tekstil", "post@ist.example",
                             description="KELVIN \u212a ıi"),
        "greek": make_company(session, "Ἀθήνα ᾼ ᾳ", "post@gr.example"),
        "secret": make_company(session, "Hemmelig AS", "post@hemmelig.example"),
    }
    add_listing(session, ids["eda"], "need", "material", "ØKOLOGISK HALM",
                description="Blåbær-lyng og halm, tørr")
    add_listing(session, ids["granli"], "offer", "by-product", "Sagflis",
                description="Tørr SAGFLIS fra gran, 30 m3 i uka")
    add_listing(session, ids["secret"], "offer", "by-product", "Hemmelig blåbærflis",
                visibility=Visibility.COORDINATOR.value)
    add_listing(session, ids["secret"], "offer", "by-product", "Sagflis, ikke aktiv", active=False)
    return ids


def test_the_indexed_search_finds_what_the_scan_found(session, registry):
    for query in QUERIES:
        for coordinator in (False, True):
            assert _found(session, query, coordinator) == _scan(session, query, coordinator), \
                (query, coordinator)
    # and what it found is what people expect
    if session.get_bind().dialect.name == "sqlite":  # (PostgreSQL's lower() keeps ß and ﬁ)
        assert _found(session, "straße") == {registry["strasse"], registry["upper"]}
        assert _found(session, "ﬁsk") == _found(session, "ﬁskeavfall") == {registry["strasse"]}
    assert _found(session, "strasse") == {registry["upper"]}  # an ASCII query folds ASCII only
    assert _found(session, "åsnes") == {registry["asnes"]}
    assert _found(session, "blåbær") == {registry["eda"]}  # the confidential one is not found
    assert _found(session, "blåbær", include_confidential=True) == {registry["eda"], registry["secret"]}
    assert _found(session, "50%") == {registry["granli"]} and _found(session, "%") == {registry["granli"]}
    assert _found(session, "a_b") == {registry["upper"]} and _found(session, "ikke aktiv") == set()


def test_the_trigram_tables_follow_every_write(session, registry):
    eda = registry["eda"]
    listing = session.exec(select(Listing).where(Listing.company_id == eda)).one()
    assert _found(session, "økologisk halm") == {eda}
    listing.title = "Rent treverk"
    session.add(listing)
    session.commit()
    assert _found(session, "økologisk halm") == set() and _found(session, "rent treverk") == {eda}
    listing.visibility = Visibility.COORDINATOR.value
    session.add(listing)
    session.commit()
    assert _found(session, "rent treverk") == set()
    assert _found(session, "rent treverk", include_confidential=True) == {eda}
    listing.visibility = Visibility.PUBLIC.value
    listing.description = "Tyttebær"
    session.add(listing)
    session.commit()
    assert _found(session, "rent treverk") == {eda} and _found(session, "TTEBÆ") == {eda}
    session.delete(listing)
    session.commit()
    assert _found(session, "rent treverk", include_confidential=True) == set()

    company = session.get(Company, registry["asnes"])
    company.name, company.city = "Nordre Trehus AS", "Kongsvinger"
    session.add(company)
    session.commit()
    assert _found(session, "åsnes") == set() and _found(session, "nordre trehus") == {company.id}
    granli = registry["granli"]
    session.delete(session.get(Company, granli))  # its listings go with it (a cascade)
    session.commit()
    assert _found(session, "sagflis") == set() and _found(session, "gran") == set()
    for query in QUERIES:
        assert _found(session, query, True) == _scan(session, query, True), query
    if session.get_bind().dialect.name == "sqlite":  # no row left behind in the trigram tables
        count = session.connection().exec_driver_sql
        assert count("SELECT count(*) FROM company_fts_docsize").scalar() == \
            count("SELECT count(*) FROM company").scalar()
        assert count("SELECT count(*) FROM listing_fts_docsize").scalar() == \
            count("SELECT count(*) FROM listing").scalar()


def test_trigram_pieces_cannot_miss_a_row():
    assert trigram_match("tr") is None and trigram_match("  ") is None
    assert trigram_match("Sagflis") == '"sagflis"'
    assert trigram_match('50% "a"') == '"50% ""a"""'
    assert trigram_match("Straße") == '"strasse"' and trigram_match("ÅSNES") == '"åsnes"'
    unsure = unsure_characters()
    assert all(chr(cp).casefold() == chr(cp) for cp in range(CASED_BELOW, 0x110000)
               if not 0xD800 <= cp <= 0xDFFF)
    assert not unsure & set("abcdefghijklmnopqrstuvwxyzæøåäöüé")  # Norwegian text is never cut
    assert "\0" in unsure and "ι" in unsure  # Greek's iota subscripts fold to two letters
    assert trigram_match("ᾳᾳᾳ") is None
    assert words_match([["#flis"], ["tørr", "gran"]]) == '(" #flis ") OR (" tørr " AND " gran ")'


def _plan(session: Session, statement) -> str:  # noqa: ANN001
    """The database's plan for `statement` (with PostgreSQL told to avoid a scan and a sort
    where it can: a test table is too small for it to prefer an index by itself)."""
    connection = session.connection()
    compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
    if connection.dialect.name == "sqlite":
        # the suite shares one database: statistics an earlier test's recompute left (ANALYZE
        # of a few rows) make a scan of eight companies look cheapest. Without them the
        # planner reasons as for a registry of any size, as ANALYZE of a real one does.
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
            connection.exec_driver_sql("DELETE FROM sqlite_stat1")
            connection.exec_driver_sql("ANALYZE sqlite_master")  # the planner rereads them
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        return "\n".join(row[-1] for row in rows)
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL enable_sort = off"))
    try:
        return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
    finally:
        connection.execute(text("RESET enable_seqscan"))
        connection.execute(text("RESET enable_sort"))


@pytest.mark.parametrize("sort,index", [
    ("distance_asc", "ix_suggestion_distance"), ("distance_desc", "ix_suggestion_distance"),
    ("newest", "ix_suggestion_created_desc"), ("updated", "ix_suggestion_updated_desc"),
])
def test_a_queue_page_in_each_sort_reads_an_index_in_that_order(session, sort, index, monkeypatch):
    statements = []

    class Result(list):  # what a registry of a million suggestions would answer
        def one(self) -> int:
            return 1_000_000

    monkeypatch.setattr(Session, "exec", lambda _s, statement: statements.append(statement) or Result())
    queue.review_queue(session, queue.QueueFilters(sort=sort, page=3))
    monkeypatch.undo()
    statement = next(st for st in statements if st._order_by_clauses)  # the page's ids
    plan = _plan(session, statement.offset(100))
    assert index in plan, plan
    ties_sorted = sort == "distance_desc"  # a backward walk: the equal distances sorted by id
    if session.get_bind().dialect.name == "sqlite":
        assert "SCAN suggestion USING" in plan or "SEARCH suggestion USING" in plan, plan
        assert ("TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plan) == ties_sorted, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    else:
        assert "Seq Scan" not in plan and ("Incremental Sort" in plan) == ties_sorted, plan
        assert not re.search(r"(^|->\s+)Sort\s+\(", plan, re.MULTILINE), plan  # no full sort


def test_a_queue_page_is_the_same_through_the_sort_index_or_a_sort(session, two_companies,
                                                                     monkeypatch):
    from datetime import UTC, datetime, timedelta

    from tests.review_support import add_suggestion

    a, b = two_companies
    offers = [add_listing(session, a, "offer", "by-product", f"Tilbud {i}") for i in range(6)]
    needs = [add_listing(session, b, "need", "by-product", f"Behov {i}") for i in range(6)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i, (offer, need) in enumerate((o, n) for o in offers for n in needs):
        add_suggestion(session, offer, need, score=(i % 4) / 4, distance_km=(None, 12.5, 3.0)[i % 3],
                       status=("suggested", "introduced")[i % 5 == 0],
                       created_at=start + timedelta(days=i % 3), updated_at=start + timedelta(hours=i % 4))
    for sort in queue.SORTS:
        for statuses in ((), ("introduced",)):
            pages = []
            for rows in (0, 10**9):  # through the sort's index; sorted rows (SQLite)
                monkeypatch.setattr(queue, "ORDER_INDEX_MIN_ROWS", rows)
                pages.append([[row.suggestion.id for row in queue.review_queue(session, queue.QueueFilters(
                    sort=sort, statuses=statuses, page=page, per_page=5)).rows]
                    for page in range(1, 9 if not statuses else 3)])
            assert pages[0] == pages[1], (sort, statuses)
            every = [i for page in pages[0] for i in page]
            assert len(every) == len(set(every)) == (36 if not statuses else 8), (sort, statuses)
    rows = queue.review_queue(session, queue.QueueFilters(sort="distance_desc", per_page=100)).rows
    distances = [row.suggestion.distance_km for row in rows]
    assert distances == sorted(distances, key=lambda d: (d is None, -(d or 0)))  # unknown last
    ids = [row.suggestion.id for row in rows if row.suggestion.distance_km == 12.5]
    assert ids == sorted(ids)  # ties by id


def test_a_few_filtered_suggestions_are_sorted_not_walked_in_index_order(session):
    """With few rows under the filters (two introduced pairs of 300,000), walking a sort
    index reads every row: SQLite, which cannot tell a rare status from a common one,
    is told to sort them instead."""
    f = queue.QueueFilters(sort="distance_asc", statuses=("introduced",))
    statement = (queue._filtered(select(queue.Suggestion.id), f)
                 .order_by(*queue._order(f.sort, by_index=False)).limit(50))
    if session.get_bind().dialect.name == "sqlite":
        plan = _plan(session, statement)
        assert "ix_suggestion_distance" not in plan and "ix_suggestion_status" in plan, plan


def test_the_directory_search_reads_the_text_indexes(session, registry, monkeypatch):
    statements = []
    monkeypatch.setattr("matchmaker.services.companies.paginate",
                        lambda _s, query, *a, **k: statements.append(query) or _empty())
    directory(session, DirectoryFilters(text="sagflis"))
    directory(session, DirectoryFilters(text="blåbær"))
    sqlite = session.get_bind().dialect.name == "sqlite"
    for statement in statements:
        plan = _plan(session, statement)
        if sqlite:
            assert "company_fts VIRTUAL TABLE" in plan and "listing_fts VIRTUAL TABLE" in plan, plan
            for step in plan.splitlines():  # companies and listings are read by id only
                assert not step.startswith("SCAN ") or "VIRTUAL TABLE" in step or "(subquery" in step, plan
                assert not step.startswith("SEARCH ") or "rowid=?" in step, plan
        else:
            assert "ix_company_text_trgm" in plan and "Seq Scan" not in plan, plan
            # a test's few listings are cheaper read by `active` (every listing at 10k): the
            # text index answers when that one is not there (dropped in a savepoint, undone)
            with session.begin_nested() as savepoint:
                session.connection().exec_driver_sql("DROP INDEX ix_listing_active")
                plan = _plan(session, statement)
                savepoint.rollback()
            assert "ix_listing_text_trgm" in plan and "Seq Scan" not in plan, plan


def test_the_search_table_words_read_their_index(session, registry):
    from matchmaker.services.listing_search import _contains

    listing = session.exec(select(Listing).where(Listing.title == "Sagflis")).one()
    session.add(ListingSearch(listing_id=listing.id, terms=" #sagflis tørr sagflis gran "))
    session.commit()
    statement = select(ListingSearch.listing_id).where(or_(_contains("#sagflis"), _contains("gran")))
    if session.get_bind().dialect.name == "sqlite":
        from matchmaker.services.text_index import matching_rowids

        statement = statement.where(col(ListingSearch.listing_id).in_(
            matching_rowids("listingsearch_fts", words_match([["#sagflis"], ["gran"]]))))
        assert "listingsearch_fts VIRTUAL TABLE" in _plan(session, statement)
    else:
        assert "ix_listingsearch_terms_trgm" in _plan(session, statement)
    assert set(session.exec(statement)) == {listing.id}


def _empty():
    from matchmaker.services.paging import Page

    return Page([], 0, 1, 1, 20)
