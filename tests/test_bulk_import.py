"""A large import is written in bulk and matched by one full recompute in its transaction:
the same suggestions as `matchmaker match` would store, and nothing at all when it fails."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from matchmaker.domain.errors import InvalidData
from matchmaker.models import Company, Listing, ListingChange, Suggestion
from matchmaker.services import interchange
from matchmaker.services.matcher import bulk_is_faster
from matchmaker.services.matching import recompute_all

COMPANIES = 40  # 200 listings: more than an empty registry matches one by one
LISTINGS = (("offer", "by-product", "Sagflis fra gran"), ("need", "material", "Sagflis til pellets"),
            ("offer", "by-product", "Bark"), ("need", "material", "Flis til fyring"),
            ("offer", "energy", "Overskuddsvarme 60 °C"))


def _document() -> bytes:
    companies = [{"id": f"c{n}", "name": f"Bedrift {n} AS", "lat": 60.0 + n / 100, "lon": 12.0,
                  "listings": [{"id": f"l{k}", "direction": direction, "kind": kind,
                                "title": f"{title} {n}", "quantity": 10 * (k + 1), "unit": "t",
                                "frequency": "year"}
                               for k, (direction, kind, title) in enumerate(LISTINGS)]}
                 for n in range(1, COMPANIES + 1)]
    return json.dumps({"format": "matchmaker/v1", "companies": companies}).encode()


def _import(app, session, data: bytes):
    return interchange.import_document(session, data, "registry.json",
                                       app.extensions["matchmaker_locate"],
                                       app.extensions["matchmaker_matcher"])


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_rule_bulk_or_one_by_one():
    assert bulk_is_faster(200, 0)
    assert not bulk_is_faster(50, 0)
    assert not bulk_is_faster(500, 50_000)  # a few listings into a large registry
    assert bulk_is_faster(5_000, 50_000)


def test_a_bulk_import_stores_what_a_full_recompute_would(app, session):
    report = _import(app, session, _document())
    listings = _count(session, Listing)
    assert report.companies_created == COMPANIES and report.listings_created == listings
    assert bulk_is_faster(listings, 0)
    stored = _count(session, Suggestion)
    assert stored > 0
    assert _count(session, ListingChange) == listings  # other processes hear of every listing
    again = recompute_all(session, app.extensions["matchmaker_matcher"])
    assert (again.created, again.removed, again.updated) == (0, 0, 0)
    assert again.unchanged == stored

    # the same file again: every row updated, no duplicates, the same suggestions
    report = _import(app, session, _document())
    assert (report.companies_created, report.companies_updated) == (0, COMPANIES)
    assert (report.listings_created, report.listings_updated) == (0, listings)
    assert _count(session, Listing) == listings
    assert _count(session, Suggestion) == stored


def test_a_bulk_import_that_fails_in_matching_changes_nothing(app, session, monkeypatch):
    matcher = app.extensions["matchmaker_matcher"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("the index could not be built")

    monkeypatch.setattr(matcher, "rebuild", broken)
    with pytest.raises(RuntimeError):
        _import(app, session, _document())
    assert (_count(session, Company), _count(session, Listing), _count(session, Suggestion),
            _count(session, ListingChange)) == (0, 0, 0, 0)


def test_a_bulk_import_refused_by_a_rule_changes_nothing(app, session):
    session.add(Company(name="Annen AS", external_id="other", org_number="974760673"))
    session.commit()
    document = json.loads(_document())
    document["companies"][-1]["org_number"] = "974760673"
    with pytest.raises(InvalidData) as refused:
        _import(app, session, json.dumps(document).encode())
    assert refused.value.problems == [
        "company 40 (id 'c40'), field 'org_number': 974760673 belongs to 'Annen AS' already"]
    assert _count(session, Company) == 1 and _count(session, Listing) == 0


def _planner_knows_listing_table(session) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        return session.exec(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'listing'")).one()[0] > 0
    session.exec(text("SELECT pg_stat_clear_snapshot()"))
    return session.exec(text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                             "WHERE relname = 'listing' AND schemaname = current_schema()")).one()[0]


def test_a_bulk_import_leaves_the_query_planner_its_statistics(app, session):
    """Without them SQLite picks a poor index for a page's listings (see db.refresh_planner_statistics)."""
    _import(app, session, _document())
    assert _planner_knows_listing_table(session)


def test_a_recompute_refreshes_statistics_only_when_it_wrote(app, session, statements):
    """ANALYZE costs 0.6 s at 10,000 companies: a recompute that changes nothing skips it."""
    matcher = app.extensions["matchmaker_matcher"]
    _import(app, session, _document())

    def analyses() -> int:
        statements.clear()
        recompute_all(session, matcher)
        return sum(s.strip().upper() == "ANALYZE" for s in statements)

    assert analyses() == 0  # nothing to change
    listing = session.exec(select(Listing).where(Listing.title == "Bark 1")).one()
    listing.title = "Sagflis fra furu 1"
    session.commit()
    assert analyses() == 1


def _search_triggers(session) -> list[str]:
    return list(session.exec(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE '%fts%' ORDER BY name")).scalars())


def test_a_bulk_import_keeps_the_search_tables_by_one_rebuild(app, session, monkeypatch):
    """On SQLite a large import drops the trigram tables' triggers, rebuilds the tables once
    after its writes and makes the triggers again; the search finds what it wrote, and the
    triggers keep the tables after that. A failed one leaves the triggers where they were."""
    from matchmaker.services import text_index
    from matchmaker.services.companies import DirectoryFilters, directory

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the trigram tables and their triggers are SQLite's")
    triggers = _search_triggers(session)
    assert len(triggers) == 9
    monkeypatch.setattr(text_index, "BULK_MIN_ROWS", 100)  # the test's 200 listings are a bulk write
    assert text_index.defers_triggers(session, COMPANIES * len(LISTINGS))
    matcher = app.extensions["matchmaker_matcher"]
    with monkeypatch.context() as broken:
        broken.setattr(matcher, "rebuild", lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("no index")))
        with pytest.raises(RuntimeError):
            _import(app, session, _document())
    assert _search_triggers(session) == triggers and _count(session, Listing) == 0

    _import(app, session, _document())
    assert _search_triggers(session) == triggers
    count = session.connection().exec_driver_sql
    rows = {table: (count(f"SELECT count(*) FROM {table}_fts_docsize").scalar(),  # noqa: S608
                    count(f"SELECT count(*) FROM {table}").scalar())  # noqa: S608
            for table in ("company", "listing", "listingsearch")}
    assert all(indexed == stored for indexed, stored in rows.values()), rows  # one row each
    assert rows["listing"][1] == COMPANIES * len(LISTINGS)

    def found(query: str) -> set[str]:
        page = directory(session, DirectoryFilters(text=query, per_page=1000))
        return {company.name for company, _listings in page.items}

    assert found("Bedrift 17 AS") == {"Bedrift 17 AS"}
    assert "Bedrift 3 AS" in found("overskuddsvarme 60")
    listing = session.exec(select(Listing).where(Listing.title == "Bark 3")).one()
    listing.title = "Einerbark"  # the triggers are back: a later write reaches the search
    session.add(listing)
    session.commit()
    assert found("einerbark") == {"Bedrift 3 AS"}


def _suggestion_indexes(session) -> list[tuple[str, str]]:
    return [tuple(row) for row in session.exec(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'suggestion' "
        "ORDER BY name")).all()]


def test_a_first_match_builds_the_suggestion_indexes_once(app, session, monkeypatch):
    """On SQLite a registry's first match drops the suggestion table's secondary indexes,
    writes its rows and makes the same indexes again; a failed one leaves them as they were,
    and what is stored is what a recompute with the indexes in place finds unchanged."""
    from matchmaker.services import bulk_indexes, matching

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("indexes are set aside on SQLite only")
    indexes = _suggestion_indexes(session)
    cache = session.exec(text("PRAGMA cache_size")).one()[0]
    assert len(indexes) >= 8 and any(sql is None for _name, sql in indexes)  # the unique one too
    monkeypatch.setattr(bulk_indexes, "BULK_INDEX_MIN_ROWS", 100)  # the test's 200 listings
    assert bulk_indexes.sets_indexes_aside(session, "suggestion", COMPANIES * len(LISTINGS))
    dropped = []

    def failing_store(*_args, **_kwargs):
        dropped.append(_suggestion_indexes(session))
        assert session.exec(text("PRAGMA cache_size")).one()[0] == -bulk_indexes.BULK_CACHE_KIB
        raise RuntimeError("disk full")

    with monkeypatch.context() as broken:
        broken.setattr(matching, "store_suggestions", failing_store)
        with pytest.raises(RuntimeError):
            _import(app, session, _document())
    assert [name for name, sql in dropped[0] if sql is not None] == []  # set aside meanwhile
    assert _suggestion_indexes(session) == indexes and _count(session, Listing) == 0
    assert session.exec(text("PRAGMA cache_size")).one()[0] == cache  # the connection's own again

    _import(app, session, _document())
    assert _suggestion_indexes(session) == indexes
    assert session.exec(text("PRAGMA cache_size")).one()[0] == cache
    stored = _count(session, Suggestion)
    assert stored > COMPANIES
    assert not bulk_indexes.sets_indexes_aside(session, "suggestion", COMPANIES * len(LISTINGS))
    again = recompute_all(session, app.extensions["matchmaker_matcher"])
    assert (again.created, again.removed, again.updated, again.unchanged) == (0, 0, 0, stored)
