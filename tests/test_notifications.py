"""In-app notifications: made where things happen, one per match run and company, each user
reading only their own, with a badge in the header."""

from __future__ import annotations

from sqlmodel import select

from matchmaker.models import Notification
from matchmaker.services import accounts, notifications, review
from tests.conftest import PELLETS_NEED, SAWDUST, login, post_listing
from tests.flow_helpers import decide, notes_of, sawdust_pair

SHAVINGS_NEED = {**PELLETS_NEED, "title": "Sawdust and shavings for bedding"}


def _user(session, email):
    return accounts.find_user_by_email(session, email)



def test_a_match_run_tells_each_company_once_with_the_count(client, session, two_companies):
    post_listing(client, "a@granli.example", SAWDUST)
    a, b = _user(session, "a@granli.example"), _user(session, "b@vinger.example")
    assert notes_of(session, a.id) == []
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    [for_a], [for_b] = notes_of(session, a.id), notes_of(session, b.id)
    assert (for_a.kind, for_a.params) == (notifications.SUGGESTIONS, {"count": 1})
    assert (for_b.kind, for_b.params) == (notifications.SUGGESTIONS, {"count": 1})
    # a second need of b's: one more notification for each, not one per pair ever made
    post_listing(client, "b@vinger.example", SHAVINGS_NEED)
    assert [n.params["count"] for n in notes_of(session, a.id)] == [1, 1]


def test_a_confidential_partner_listing_is_not_counted(client, session, two_companies):
    post_listing(client, "a@granli.example", {**SAWDUST, "visibility": "coordinator"})
    post_listing(client, "b@vinger.example", PELLETS_NEED)
    b = _user(session, "b@vinger.example")
    assert notes_of(session, b.id) == []  # b may not see a's confidential offer
    assert [n.params for n in notes_of(session, _user(session, "a@granli.example").id)] == [
        {"count": 1}]


def test_answers_introductions_and_withdrawals_notify_the_right_people(app, session, two_companies,
                                                                       coordinator):
    a_id, b_id = two_companies
    s = sawdust_pair(session, a_id, b_id)
    a, b = _user(session, "a@granli.example"), _user(session, "b@vinger.example")
    review.answer(session, b, s.id, "interested")
    [answer] = notes_of(session, coordinator.id)
    assert answer.kind == notifications.ANSWER and answer.subject_id == s.id
    assert answer.params == {"company": "Vinger Pellets AS", "answer": "interested"}
    assert notes_of(session, a.id) == []  # the other company is not told of b's answer

    decide(app, session, coordinator, s.id, "introduced", note="Ring Per på sagbruket.")
    for user, partner in ((a, "Vinger Pellets AS"), (b, "Granli Sag AS")):
        [intro] = notes_of(session, user.id)
        assert intro.kind == notifications.INTRODUCED
        assert intro.params == {"partner": partner, "note": "Ring Per på sagbruket."}

    decide(app, session, coordinator, s.id, "suggested", note="Feil par.")
    assert notes_of(session, a.id) == [] and notes_of(session, b.id) == []


def test_the_badge_the_list_and_opening_one(app, client, session, two_companies, coordinator):
    a_id, b_id = two_companies
    s = sawdust_pair(session, a_id, b_id)
    decide(app, session, coordinator, s.id, "introduced", note="Ring Per på sagbruket.")
    login(client, "b@vinger.example")
    assert "1 ulest" in client.get("/company").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Koordinatoren har satt dere i kontakt med Granli Sag AS." in page
    assert "Ring Per på sagbruket." in page
    [note] = notes_of(session, _user(session, "b@vinger.example").id)
    response = client.get(f"/notifications/{note.id}")
    assert response.status_code == 302 and response.location.endswith(f"/partners/{s.id}")
    assert notes_of(session, note.user_id)[0].read_at is not None
    assert "ulest" not in client.get("/company").get_data(as_text=True)


def test_a_user_reads_only_their_own(app, client, session, two_companies, coordinator):
    a_id, b_id = two_companies
    s = sawdust_pair(session, a_id, b_id)
    decide(app, session, coordinator, s.id, "introduced", note="Hemmelig hilsen")
    [for_a] = notes_of(session, _user(session, "a@granli.example").id)
    login(client, "b@vinger.example")
    assert client.get(f"/notifications/{for_a.id}").status_code == 404
    assert notes_of(session, for_a.user_id)[0].read_at is None
    client.post("/notifications/read")
    assert notes_of(session, for_a.user_id)[0].read_at is None  # b's "all read" is b's only
    assert all(n.read_at for n in notes_of(session, _user(session, "b@vinger.example").id))


def test_the_list_is_paged_newest_first(client, session, two_companies):
    a = _user(session, "a@granli.example")
    for count in range(1, 26):
        session.add(Notification(user_id=a.id, kind=notifications.SUGGESTIONS,
                                 params={"count": count}))
        session.commit()
    login(client, "a@granli.example")
    first = client.get("/notifications").get_data(as_text=True)
    assert ">25 nye foreslåtte partnere." in first and ">5 nye foreslåtte partnere." not in first
    assert "Side 1 av 2" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert ">5 nye foreslåtte partnere." in second and ">25 nye" not in second
    assert client.get("/notifications?page=99").status_code == 200
    assert client.get("/notifications?page=abc").status_code == 200


def test_a_self_registration_reaches_the_coordinator_queue_through_the_list(client, session,
                                                                            coordinator):
    from tests.test_membership import NEWCOMER

    assert client.post("/register", data=NEWCOMER).status_code == 302
    client.post("/logout")
    login(client, "koordinator@example.no")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Nykommer Flis AS har registrert seg og venter på din godkjenning." in page
    [note] = session.exec(select(Notification).where(
        Notification.user_id == coordinator.id)).all()
    assert client.get(f"/notifications/{note.id}").location.endswith("/coordinator/members")


def test_the_english_list_is_english(client, session, two_companies):
    b = _user(session, "b@vinger.example")
    session.add(Notification(user_id=b.id, kind=notifications.SUGGESTIONS, params={"count": 2}))
    session.commit()
    login(client, "b@vinger.example")
    client.get("/language/en")
    page = client.get("/notifications").get_data(as_text=True)
    assert "2 new suggested partners." in page and "1 unread" in page


def test_a_full_recompute_is_one_run_too(app, session, two_companies):
    from matchmaker.services.matching import recompute_all
    from tests.flow_helpers import add_listing

    a_id, b_id = two_companies
    add_listing(session, a_id, "offer", "by-product", "Sagflis fra gran og furu", quantity=400.0,
                unit="m3", frequency="year")
    add_listing(session, b_id, "need", "by-product", "Sawdust for pellets",
                description="Dry sawdust and shavings")
    add_listing(session, b_id, "need", "by-product", "Sagflis og kutterflis til strø")
    matcher = app.extensions["matchmaker_matcher"]
    recompute_all(session, matcher)
    a = _user(session, "a@granli.example")
    [note] = notes_of(session, a.id)
    assert note.params == {"count": 2}
    recompute_all(session, matcher)  # nothing new: nothing to say
    assert len(notes_of(session, a.id)) == 1
