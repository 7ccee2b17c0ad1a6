"""Stored suggestions: made in the same request as the change, idempotent, respectful of people."""

import json

from sqlmodel import delete, select

from matchmaker import create_app
from matchmaker.models import Listing, Suggestion
from matchmaker.services.matching import recompute_all
from tests.conftest import PELLETS_NEED, SAWDUST, login, post_listing


def _suggestions(session):
    session.expire_all()
    return list(session.exec(select(Suggestion)))



def test_a_new_listing_gets_its_suggestions_in_the_same_request(client, session, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    assert _suggestions(session) == []
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [pair] = _suggestions(session)
    offer = session.get(Listing, pair.offer_listing_id)
    assert offer.title == "Sagflis fra gran og furu"
    assert (pair.offer_company_id, pair.need_company_id) == two_companies
    assert pair.status == "suggested" and pair.pair_type == "supply"
    assert 0 < pair.score <= 1 and 25 < pair.distance_km < 40
    assert pair.settings_version
    codes = {r["code"] for r in pair.reasons}
    assert "distance" in codes and codes & {"synonym", "same_concept"}


def test_editing_and_deactivating_update_the_pairs(client, session, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    offer_id = _suggestions(session)[0].offer_listing_id
    login(client, "a@granli.example")
    client.post(f"/listings/{offer_id}/edit",
                data={**SAWDUST, "title": "Betongknust pukk", "kind": "material"})
    assert _suggestions(session) == []  # no longer a sawdust offer: the untouched pair goes
    client.post(f"/listings/{offer_id}/edit", data=SAWDUST)
    assert len(_suggestions(session)) == 1
    client.post(f"/listings/{offer_id}/active", data={"active": "0"})
    assert _suggestions(session) == []


def test_recompute_is_idempotent_and_keeps_what_people_decided(app, client, session,
                                                                two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [pair] = _suggestions(session)
    pair.status = "introduced"
    session.add(pair)
    session.commit()
    matcher = app.extensions["matchmaker_matcher"]
    first = recompute_all(session, matcher)
    second = recompute_all(session, matcher)
    assert first.created == second.created == 0 and second.kept == 1
    [after] = _suggestions(session)
    assert (after.id, after.status) == (pair.id, "introduced")


def test_a_full_recompute_drops_stale_untouched_pairs_only(app, client, session, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [pair] = _suggestions(session)
    fields = {"offer_company_id": pair.need_company_id, "need_company_id": pair.offer_company_id,
              "pair_type": "supply", "score": 0.5, "settings_version": "old"}
    # pairs the engine no longer suggests (here: the two listings the wrong way round)
    session.add(Suggestion(offer_listing_id=pair.need_listing_id, need_listing_id=pair.offer_listing_id,
                           status="suggested", **fields))
    session.commit()
    matcher = app.extensions["matchmaker_matcher"]
    report = recompute_all(session, matcher)
    assert (report.removed, report.unchanged, report.created) == (1, 1, 0)
    assert [s.id for s in _suggestions(session)] == [pair.id]
    # one a person acted on stays; a pair the run (re)creates is not mistaken for a stale one
    session.add(Suggestion(offer_listing_id=pair.need_listing_id, need_listing_id=pair.offer_listing_id,
                           status="deferred", **fields))
    session.execute(delete(Suggestion).where(Suggestion.id == pair.id))
    session.commit()
    report = recompute_all(session, matcher)
    assert (report.removed, report.created) == (0, 1)
    assert sorted(s.status for s in _suggestions(session)) == ["deferred", "suggested"]


def test_a_rejected_pair_returns_only_after_a_material_change(app, client, session,
                                                               two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [pair] = _suggestions(session)
    pair.status = "rejected"
    session.add(pair)
    session.commit()
    recompute_all(session, app.extensions["matchmaker_matcher"])
    assert _suggestions(session)[0].status == "rejected"
    login(client, "a@granli.example")
    client.post(f"/listings/{pair.offer_listing_id}/edit", data=SAWDUST)  # saved unchanged
    assert _suggestions(session)[0].status == "rejected"
    client.post(f"/listings/{pair.offer_listing_id}/edit", data={**SAWDUST, "quantity": "900"})
    assert _suggestions(session)[0].status == "suggested"


def test_a_company_that_moves_gets_new_distances(client, session, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    before = _suggestions(session)[0].distance_km
    login(client, "a@granli.example")
    response = client.post("/company/edit", data={"name": "Granli Sag AS", "country": "NO",
                                                  "city": "Kirkenær", "municipality": "Grue"})
    assert response.status_code == 302
    after = _suggestions(session)[0].distance_km
    assert before > 25 and after < 5


def test_two_workers_agree_through_the_change_feed(app, client, session, database_url,
                                                   two_companies):
    other_worker = create_app({"MATCHMAKER_ENV": "testing",
                               "MATCHMAKER_DATABASE_URL": database_url,
                               "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    post_listing(client, "a@granli.example", SAWDUST)  # worker 1 builds its index
    other = other_worker.test_client()
    post_listing(other, "b@vinger.example", PELLETS_NEED)  # worker 2: its own index
    assert len(_suggestions(session)) == 1
    # Worker 1 has not seen the need yet; it replays the feed before matching.
    login(client, "a@granli.example")
    client.post("/listings/new", data={**SAWDUST, "title": "Tørr sagflis av gran"})
    assert len(_suggestions(session)) == 2
    other_worker.extensions["matchmaker_engine"].dispose()


def test_export_matches_json_and_csv(runner, session, client, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    assert runner.invoke(args=["match"]).exit_code == 0
    result = runner.invoke(args=["export-matches", "--format", "json", "--lang", "en"])
    [match] = json.loads(result.output)["matches"]
    assert set(match) >= {"id", "score", "distance_km", "status", "reasons", "offer", "need"}
    assert match["offer"]["company"]["name"] == "Granli Sag AS"
    assert set(match["offer"]["company"]) == {"id", "external_id", "name"}
    assert match["offer"]["title"] == "Sagflis fra gran og furu"
    assert match["need"]["direction"] == "need" and match["need"]["kind"] == "by-product"
    assert any("km apart" in reason for reason in match["reasons"])
    csv_out = runner.invoke(args=["export-matches", "--format", "csv"]).output
    header, row = csv_out.strip().splitlines()
    assert header.startswith("id,score,distance_km,status")
    assert "Granli Sag AS" in row and "km unna" in row


def test_match_command_prints_counts_and_time(runner, client, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    result = runner.invoke(args=["match"])
    assert result.exit_code == 0
    assert "active listings" in result.output and " s" in result.output


def test_match_with_worker_processes_stores_the_same_suggestions(runner, session, client, two_companies,
                                                                  monkeypatch):
    import matchmaker.matching.parallel as parallel

    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    assert runner.invoke(args=["match", "--processes", "1"]).exit_code == 0
    single = [(s.offer_listing_id, s.need_listing_id, s.score, s.reasons) for s in _suggestions(session)]
    session.execute(delete(Suggestion))
    session.commit()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_LISTINGS", 0)  # fork even for two listings
    result = runner.invoke(args=["match", "--processes", "2"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    forked = [(s.offer_listing_id, s.need_listing_id, s.score, s.reasons) for s in _suggestions(session)]
    assert forked == single and len(single) == 1
    assert runner.invoke(args=["match", "--processes", "0"]).exit_code == 2  # a clear usage error


def test_company_page_shows_ranked_partners_with_reasons(client, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    login(client, "a@granli.example")
    client.get("/language/en")
    page = client.get("/company").get_data(as_text=True)
    assert "Vinger Pellets AS" in page and "Sawdust for pellets" in page
    assert "km apart" in page and "30 km" in page
    assert "b@vinger.example" not in page  # no contact details before an introduction


def test_a_change_committed_out_of_order_is_still_replayed(app, session, two_companies):
    """Feed ids are taken before commit: a late commit can land below the newest id seen."""
    from matchmaker.models import ListingChange

    matcher = app.extensions["matchmaker_matcher"]
    session.add(ListingChange(id=50, listing_id=999_999))  # a change already committed
    session.commit()
    index = matcher.current(session)  # the worker has now seen up to id 50
    listing = Listing(company_id=two_companies[0], direction="offer", kind="by-product",
                      title="Sagflis")
    session.add(listing)
    session.flush()
    session.add(ListingChange(id=49, listing_id=listing.id))  # committed late, below 50
    session.commit()
    assert listing.id not in index
    assert listing.id in matcher.current(session)


def test_match_prunes_old_feed_rows_and_idle_workers_rebuild(app, session, two_companies):
    from datetime import timedelta

    from matchmaker.models import ListingChange
    from matchmaker.models._time import utcnow
    from matchmaker.services import matcher as matcher_module

    matcher = app.extensions["matchmaker_matcher"]
    old = matcher.current(session)
    session.add(ListingChange(listing_id=1, created_at=utcnow() - timedelta(days=2)))
    session.add(ListingChange(listing_id=2))
    session.commit()
    recompute_all(session, matcher)
    assert [c.listing_id for c in session.exec(select(ListingChange))] == [2]
    fresh = matcher.current(session)
    matcher._caught_up_at -= matcher_module.REPLAY_LIMIT + 1  # idle for longer than the feed is kept
    assert matcher.current(session) is not fresh and fresh is not old


def test_a_full_recompute_in_small_batches_merges_with_every_stored_row(app, runner, session,
                                                                         monkeypatch):
    """The stored rows are read range by range of offer ids: stale rows before the first,
    between and after the last offer the engine suggests anything for all go, in any batching."""
    from matchmaker.matching.engine import MatchIndex

    assert runner.invoke(args=["seed", "--no-accounts"]).exit_code == 0
    matcher = app.extensions["matchmaker_matcher"]
    recompute_all(session, matcher)
    wanted = {(s.offer_listing_id, s.need_listing_id, s.score) for s in _suggestions(session)}
    # a listing after every other (inactive: the engine never suggests anything for it)
    last = Listing(company_id=session.exec(select(Listing)).first().company_id, direction="need",
                   kind="service", title="Utgått behov", active=False)
    session.add(last)
    session.commit()
    ids = sorted(lst.id for lst in session.exec(select(Listing)))
    offers = sorted({s.offer_listing_id for s in _suggestions(session)})
    not_offers = [i for i in ids if i not in offers]
    before = [i for i in not_offers if i < offers[0]]
    between = [i for i in not_offers if offers[0] < i < offers[-1]]
    after = [i for i in not_offers if i > offers[-1]]
    assert between and after
    firsts = [*before[:1], between[0], between[-1], after[-1]]
    extra = [(offer, offers[0] if offer != offers[0] else offers[1]) for offer in firsts]
    companies = {lst.id: lst.company_id for lst in session.exec(select(Listing))}
    for offer, need in extra:
        session.add(Suggestion(offer_listing_id=offer, need_listing_id=need,
                               offer_company_id=companies[offer], need_company_id=companies[need],
                               pair_type="supply", score=0.5, settings_version="old"))
    session.commit()
    original = MatchIndex.iter_pair_batches
    monkeypatch.setattr(MatchIndex, "iter_pair_batches",
                        lambda self, batch_size=7, by_offer=False: original(self, 7, by_offer))
    report = recompute_all(session, matcher)
    assert report.removed == len(extra) and report.created == 0
    assert {(s.offer_listing_id, s.need_listing_id, s.score) for s in _suggestions(session)} == wanted


def test_a_full_store_refuses_pairs_out_of_offer_order(app, client, session, two_companies):
    import pytest

    from matchmaker.services.matching import store_suggestions

    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [found] = app.extensions["matchmaker_matcher"].current(session).match_all()
    later = found._replace(offer_listing_id=found.offer_listing_id + 1000)
    with pytest.raises(ValueError, match="ordered by offer"):
        store_suggestions(session, [[later], [found]], scope=None)


def test_a_small_reason_cache_stores_the_same_reasons(app, runner, session, monkeypatch):
    """The recompute's JSON cache of reasons is emptied when it grows (it keeps its reasons
    alive): what is stored stays the same."""
    import matchmaker.services.suggestion_rows as suggestion_rows

    assert runner.invoke(args=["seed", "--no-accounts"]).exit_code == 0
    matcher = app.extensions["matchmaker_matcher"]
    recompute_all(session, matcher)
    stored = {(s.offer_listing_id, s.need_listing_id): s.reasons for s in _suggestions(session)}
    session.execute(delete(Suggestion))
    session.commit()
    monkeypatch.setattr(suggestion_rows, "REASON_CACHE_MAX", 3)
    recompute_all(session, matcher)
    again = {(s.offer_listing_id, s.need_listing_id): s.reasons for s in _suggestions(session)}
    assert again == stored and len(stored) > 100


def test_a_recompute_makes_suggestion_objects_for_new_and_changed_pairs_only(app, runner, session,
                                                                            monkeypatch):
    """Stored pairs the engine finds unchanged are compared by ids, score, distance and
    version; their reasons are not built again. A deleted row comes back, an edited score is
    put right, each from its own suggestion object."""
    from matchmaker.matching.reasons import SuggestionBuilder

    assert runner.invoke(args=["seed", "--no-accounts"]).exit_code == 0
    matcher = app.extensions["matchmaker_matcher"]
    recompute_all(session, matcher)
    stored = {(s.offer_listing_id, s.need_listing_id): (s.score, s.reasons) for s in _suggestions(session)}
    made: list[int] = []
    original = SuggestionBuilder.suggestions

    def counted(self, pairs, sort=True):
        made.append(len(pairs))
        return original(self, pairs, sort)

    monkeypatch.setattr(SuggestionBuilder, "suggestions", counted)
    report = recompute_all(session, matcher)
    assert sum(made) == 0 and report.unchanged == len(stored) > 100

    gone, edited = sorted(_suggestions(session), key=lambda s: s.id)[:2]
    session.delete(gone)
    edited.score = 0.01
    session.add(edited)
    session.commit()
    report = recompute_all(session, matcher)
    assert sum(made) == 2 and (report.created, report.updated) == (1, 1)
    assert {(s.offer_listing_id, s.need_listing_id): (s.score, s.reasons)
            for s in _suggestions(session)} == stored
