"""Mail through the outbox, delivered to a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlmodel import Session, select

from matchmaker.models import OutboxMail, Suggestion, SuggestionEvent, User
from matchmaker.services import accounts, mail, review
from tests.conftest import login, make_company
from tests.review_support import CONTACT_B, add_listing, add_suggestion, make_pair
from tests.smtp_server import SmtpServer, body, free_port, point_mail_at

CONTACT_A = ("Kontakt Granli Sag AS", "a@granli.example")


@pytest.fixture
def pair(session, two_companies):
    return make_pair(session, two_companies)


def outbox(session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)))


def test_the_whole_path_from_suggestion_to_outcome(client, runner, session, smtp, pair,
                                                   coordinator):
    s_id = pair.suggestion.id
    # Both companies answer.
    login(client, "a@granli.example")
    client.post(f"/partners/{s_id}/answer", data={"answer": "interested"})
    client.post("/logout")
    login(client, "b@vinger.example")
    client.post(f"/partners/{s_id}/answer", data={"answer": "interested"})
    client.post("/logout")

    # The coordinator sees both answers and introduces the pair.
    login(client, coordinator.email)
    queue = client.get("/coordinator/matches?answers=both_interested").get_data(as_text=True)
    assert f"#{s_id}<" in queue
    response = client.post(f"/coordinator/matches/{s_id}/transition",
                           data={"to": "introduced", "note": "Snakk sammen om sagflis!"})
    assert response.status_code == 302

    # Each side gets one mail with the other's contact details, in its own language; the
    # coordinator gets a copy.
    smtp.wait_for(3)
    assert len(smtp.messages) == 3
    [to_a] = smtp.to("a@granli.example")
    [to_b] = smtp.to("b@vinger.example")
    [copy] = smtp.to(coordinator.email)
    text_a, text_b, text_copy = body(to_a), body(to_b), body(copy)
    assert to_a["From"] == "matchmaker@klynge.example" and "Vinger Pellets AS" in to_a["Subject"]
    for secret in CONTACT_B:
        assert secret in text_a
    for secret in CONTACT_A:
        assert secret in text_b and secret not in text_a
    for text in (text_a, text_b, text_copy):
        assert "Sagflis fra gran" in text and "Sawdust for pellets" in text
        assert "Snakk sammen om sagflis!" in text
    assert "30 km unna" in text_a and "30 km apart" in text_b  # in the reader's language
    assert "E-post: b@vinger.example" in text_a and "Email: a@granli.example" in text_b
    assert "https://matchmaker.example/partners" in text_a
    assert "b@vinger.example" in text_copy and "a@granli.example" in text_copy
    assert all(m.status == "sent" and m.attempts == 1 for m in outbox(session))
    assert {m.dedupe_key for m in outbox(session)} == {
        f"intro:{s_id}:{u.id}" for u in session.exec(select(User))}

    # After the introduction both companies see each other's contact details.
    client.post("/logout")
    login(client, "b@vinger.example")
    page = client.get("/partners").get_data(as_text=True)
    assert all(secret in page for secret in CONTACT_A)
    client.post("/logout")

    # The coordinator records the outcome.
    login(client, coordinator.email)
    url = f"/coordinator/matches/{s_id}/transition"
    assert client.post(url, data={"to": "in_dialogue"}).status_code == 302
    assert client.post(url, data={"to": "agreement", "volume": "250", "unit": "m3",
                                  "note": "Leveranse fra mars"}).status_code == 302
    session.expire_all()
    s = session.get(Suggestion, s_id)
    assert (s.status, s.outcome_volume, s.outcome_unit) == ("agreement", 250.0, "m3")
    assert s.introduced_at is not None
    history = session.exec(select(SuggestionEvent).where(SuggestionEvent.suggestion_id == s_id)
                           .order_by(SuggestionEvent.id)).all()
    assert [(e.action, e.from_status, e.to_status) for e in history] == [
        ("answer", None, None), ("answer", None, None),
        ("transition", "suggested", "introduced"), ("transition", "introduced", "in_dialogue"),
        ("transition", "in_dialogue", "agreement")]

    # Nothing is sent twice.
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 0 and "0 sent" in result.output
    assert len(smtp.messages) == 3


def test_the_outbox_survives_a_dead_mail_server(app, client, runner, session, pair, coordinator):
    port = free_port()  # nothing listens here yet
    point_mail_at(app, port)
    login(client, coordinator.email)
    response = client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                           data={"to": "introduced"})
    assert response.status_code == 302  # the decision stands, the mail waits

    session.expire_all()
    assert session.get(Suggestion, pair.suggestion.id).status == "introduced"
    waiting = outbox(session)
    assert len(waiting) == 3
    for m in waiting:
        assert (m.status, m.attempts, m.sent_at) == ("pending", 1, None)
        assert "Connection" in m.last_error or "refused" in m.last_error.lower()

    result = runner.invoke(args=["send-outbox"])  # still dead: retried, still pending
    assert "3 to retry" in result.output
    assert {m.attempts for m in outbox(session)} == {2}

    with SmtpServer(port) as smtp:
        result = runner.invoke(args=["send-outbox"])
        assert result.exit_code == 0 and "3 sent" in result.output
        smtp.wait_for(3)
        assert sorted(m["To"] for m in smtp.messages) == sorted(
            ["a@granli.example", "b@vinger.example", coordinator.email])
        assert all((m.status, m.last_error) == ("sent", "") for m in outbox(session))

        result = runner.invoke(args=["send-outbox"])
        assert "0 sent" in result.output
        assert len(smtp.messages) == 3


def test_a_refused_address_fails_for_good_and_the_rest_still_goes(session, app, smtp):
    mail.enqueue(session, key="test:bounce", to="bounce@nowhere.example", subject="x", body="x")
    mail.enqueue(session, key="test:ok", to="ok@granli.example", subject="Hei", body="Hei på deg")
    assert mail.enqueue(session, key="test:ok", to="other@x.example", subject="y", body="y") is None
    session.commit()
    with app.app_context():
        report = mail.send_outbox(session, app.config["MATCHMAKER"])
        assert (report.sent, report.retry, report.failed) == (1, 0, 1)
        assert mail.send_outbox(session, app.config["MATCHMAKER"]).sent == 0
    bounced, ok = outbox(session)
    assert bounced.status == "failed" and "550" in bounced.last_error
    assert ok.status == "sent"
    [message] = smtp.messages
    assert body(message).strip() == "Hei på deg"


def test_without_an_smtp_host_mail_goes_to_the_log(app, session, pair, coordinator, caplog):
    assert app.config["MATCHMAKER"].smtp_host == ""
    with app.app_context(), caplog.at_level(logging.INFO, logger="matchmaker.mail"):
        decision = review.transition(session, coordinator, pair.suggestion.id, "introduced",
                                     settings=app.config["MATCHMAKER"])
    assert decision.mails_queued == decision.mails_logged == 3 and decision.mails_sent == 0
    assert "Kontakt Vinger Pellets AS" in caplog.text
    assert all(m.status == "logged" for m in outbox(session))  # nobody received them


def test_digests_list_only_new_visible_suggestions_and_respect_the_opt_out(
        app, runner, session, smtp, pair):
    b = pair.b
    secret_need = add_listing(session, b, "need", "by-product", "Hemmelig flisbehov",
                              visibility="coordinator")
    add_suggestion(session, pair.offer, secret_need, score=0.9)  # hidden from A
    make_company(session, "Odal Stål AS", "c@odal.example")  # nothing for C: no mail
    user_b = accounts.find_user_by_email(session, "b@vinger.example")
    user_b.digest_enabled = False
    session.add(user_b)
    session.commit()

    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0 and "1 queued" in result.output and "1 sent" in result.output
    smtp.wait_for(1)
    [digest] = smtp.messages
    assert digest["To"] == "a@granli.example"
    text = body(digest)
    assert "Vinger Pellets AS" in text and "Sawdust for pellets" in text
    assert "Hemmelig" not in text and "b@vinger.example" not in text
    assert "30 km unna" in text and "https://matchmaker.example/partners" in text

    result = runner.invoke(args=["send-digests"])  # nothing new since the last digest
    assert "0 queued" in result.output and len(smtp.messages) == 1

    newer = add_listing(session, b, "need", "by-product", "Kutterflis til strø")
    add_suggestion(session, pair.offer, newer, score=0.7)
    runner.invoke(args=["send-digests"])
    smtp.wait_for(2)
    assert len(smtp.messages) == 2
    text = body(smtp.messages[1])
    assert "Kutterflis til strø" in text and "Sawdust for pellets" not in text
    session.expire_all()
    assert accounts.find_user_by_email(session, "a@granli.example").last_digest_at is not None
    assert accounts.find_user_by_email(session, "b@vinger.example").last_digest_at is None


def test_two_senders_at_once_deliver_each_mail_exactly_once(app, session, smtp):
    for i in range(12):
        mail.enqueue(session, key=f"test:{i}", to=f"m{i}@granli.example", subject=f"Nr {i}",
                     body="Hei")
    session.commit()
    engine = app.extensions["matchmaker_engine"]
    settings = app.config["MATCHMAKER"]
    reports = []

    def sender() -> None:
        with Session(engine, expire_on_commit=False) as own:
            reports.append(mail.send_outbox(own, settings))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    smtp.wait_for(12)
    assert sum(r.sent for r in reports) == 12
    assert sorted(m["Subject"] for m in smtp.messages) == sorted(f"Nr {i}" for i in range(12))
    assert all((m.status, m.attempts) == ("sent", 1) for m in outbox(session))


def test_a_line_break_cannot_smuggle_a_header_into_a_mail(session):
    queued = mail.enqueue(session, key="test:header", to=" x@granli.example ",
                          subject="Hei\r\nBcc: evil@example.com", body="x")
    assert (queued.subject, queued.to_address) == ("Hei Bcc: evil@example.com", "x@granli.example")


def test_without_a_mail_server_the_page_says_the_mails_went_to_the_log(client, session, pair,
                                                                        coordinator, caplog):
    """No MATCHMAKER_SMTP_HOST: nobody receives the introduction, and the page must not claim so."""
    caplog.set_level(logging.INFO, logger="matchmaker.mail")
    login(client, "koordinator@example.no")
    response = client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                           data={"to": "introduced"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 e-poster ble skrevet til serverloggen, ikke sendt" in page
    assert "sendt." not in page.replace("ikke sendt.", "")
    session.expire_all()
    assert {m.status for m in outbox(session)} == {"logged"}
    assert "no MATCHMAKER_SMTP_HOST, not sent" in caplog.text
