"""Every page a visitor, a member and the coordinator can open, in Bokmål and English, reads
as words: no raw code in either language, no English left in the Bokmål one (tests/ui_text)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from matchmaker import SEED_DIR
from matchmaker.domain.vocab import Role
from matchmaker.models import Company, Listing, Notification, Suggestion
from matchmaker.services import accounts, review
from matchmaker.services.demo_history import apply_demo_history
from tests.conftest import PASSWORD, login
from tests.ui_text import raw_codes, untranslated, visible_nodes

MEMBER = "post@granli-sag.example"
COORDINATOR = "koordinator@demo.example"
# Not pages: files, machine data, redirects and the vendored map library; the JSON API and
# its Swagger UI docs (for developers, in English).
SKIPPED = {"api_docs.docs", "api_docs.asset", "api-docs.openapi_json",
           "static", "map.vendor_file", "map.data", "main.healthz", "main.language",
           "review.audit_export", "review.partners_export", "impact.export_all",
           "impact.export_table", "impact.chart", "companies.postcode"}


@pytest.fixture
def demo(app, runner, session) -> dict[str, list[str]]:
    """The demo cluster with its history, a member's answers, a note, a hand-made pair and
    listings in written units; returns the values to fill each URL parameter with."""
    assert runner.invoke(args=["seed", "--no-accounts"]).exit_code == 0
    with app.test_request_context():  # introductions render their mails
        return _history(session)


def _history(session) -> dict[str, list[str]]:
    coordinator = accounts.create_user(session, email=COORDINATOR, password=PASSWORD,
                                       role=Role.COORDINATOR, name="Kari Koordinator")
    granli = session.exec(select(Company).where(Company.email == MEMBER)).one()
    member = accounts.create_user(session, email=MEMBER, password=PASSWORD, role=Role.MEMBER,
                                  company_id=granli.id, name="Torstein")
    apply_demo_history(session, coordinator,
                       json.loads((SEED_DIR / "demo_history.json").read_text(encoding="utf-8")))
    open_pairs = list(session.exec(select(Suggestion).where(
        Suggestion.status == "suggested",
        (Suggestion.offer_company_id == granli.id) | (Suggestion.need_company_id == granli.id))))
    review.answer(session, member, open_pairs[0].id, "not_relevant", "wrong_quality")
    review.answer(session, member, open_pairs[1].id, "interested")
    review.add_note(session, coordinator, open_pairs[1].id, "Ring dem i neste uke.")
    review.transition(session, coordinator, open_pairs[2].id, "deferred", note="Etter jul.")
    own = session.exec(select(Listing).where(Listing.company_id == granli.id,
                                             Listing.direction == "offer")
                       .order_by(Listing.kind)).all()  # by-product first
    own[0].unit_written, own[0].unit, own[1].unit = "lm3/år", "m3", "pallets"
    session.add_all(own[:2])
    session.commit()
    others_listing = session.exec(select(Listing).where(
        Listing.company_id != granli.id, Listing.visibility == "public",
        Listing.direction == "need", Listing.kind == "by-product")).first()
    other = session.get(Company, others_listing.company_id)
    manual, _ = review.create_manual(session, coordinator, own[0].id, others_listing.id,
                                     "Kjent fra før.")
    decided = session.exec(select(Suggestion.id).where(Suggestion.status == "agreement")).first()
    dated = session.exec(select(Listing.id).where(Listing.company_id == granli.id,
                                                  Listing.available_from.is_not(None))).first()
    # a sawmill that registered itself and waits for the coordinator (membership queue, notices)
    accounts.register_company(session, company=Company(name="Nysag AS", email="post@nysag.example"),
                              email="post@nysag.example", password=PASSWORD, self_registered=True)
    notices = session.exec(select(Notification.id).order_by(Notification.id)).all()
    return {
        "company_id": [str(granli.id), str(other.id)],
        "listing_id": [str(own[0].id), str(others_listing.id), str(dated)],
        "suggestion_id": [str(s) for s in (decided, open_pairs[0].id, open_pairs[1].id, manual.id)],
        "token": ["not-a-token"],
        "notification_id": [str(n) for n in notices[:1] + notices[-1:]],
    }


def _urls(app, fill: dict[str, list[str]]) -> Iterator[str]:
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if not rule.arguments:
            yield rule.rule
            continue
        [name] = rule.arguments  # every page here takes at most one parameter
        for value in fill[name]:
            yield rule.rule.replace(f"<int:{name}>", value).replace(f"<{name}>", value)


def _problems(client, urls: list[str], lang: str) -> tuple[list[str], int]:
    client.get(f"/language/{lang}")
    problems, seen = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue  # another role's page, or a redirect to the login
        seen += 1
        nodes = visible_nodes(response.get_data(as_text=True))
        problems += [f"{lang} {url}: raw code {node!r}" for node in raw_codes(nodes)]
        if lang == "nb":
            problems += [f"nb {url}: English {node!r}" for node in untranslated(nodes)]
    return problems, seen


def test_every_page_reads_as_words_in_both_languages(app, demo):
    # one test for the three readers: the demo is seeded once
    urls = sorted(set(_urls(app, demo)))
    problems = []
    for who, least_pages in ((None, 4), (MEMBER, 12), (COORDINATOR, 16)):
        client = app.test_client()
        if who:
            login(client, who)
        for lang in ("nb", "en"):
            found, seen = _problems(client, urls, lang)
            assert seen >= least_pages, f"{who or 'visitor'} saw only {seen} pages in {lang}"
            problems += found
    assert problems == [], "\n".join(sorted(set(problems)))
    _codes_read_as_words(app, demo)


def _codes_read_as_words(app, demo) -> None:
    """Where the codes were, the words are (the walk above only shows the codes are gone)."""
    client = app.test_client()
    login(client, COORDINATOR)
    decided, answered = demo["suggestion_id"][:2]
    audit = " ".join(visible_nodes(client.get("/coordinator/audit").get_data(as_text=True)))
    assert "Svar fra bedrift" in audit and "Status endret" in audit
    assert ": Ikke relevant (Feil kvalitet)" in audit
    page = client.get(f"/coordinator/matches/{decided}").get_data(as_text=True)
    assert "Ordlikhet" in page and "av 100" in page and "Avtale inngått" in page
    pairing = client.get("/coordinator/matches/new").get_data(as_text=True)
    assert "(Tilbud, Biprodukt / restråstoff)" in pairing
    member = app.test_client()
    login(member, MEMBER)
    own = member.get("/company").get_data(as_text=True)
    assert "lm3/år" in own and "paller" in own
    listing = member.get(f"/listings/{demo['listing_id'][2]}").get_data(as_text=True)
    assert "1. des. 2026" in listing  # the demo's timber transport, from 2026-12-01


def test_the_detectors_catch_what_they_should():
    page = ("<p>Hva</p><td>transition</td><p>need: not_relevant (wrong_quality)</p>"
            "<p>text 0.39 · concept 0.91</p><option>Granli — Flis (offer, material)</option>"
            "<p>15 pcs per uke</p><p>Suggested partners</p>"
            "<p>mail@an_example.no https://x.example/a_b</p><script>var not_shown = 1</script>")
    nodes = visible_nodes(page)
    assert raw_codes(nodes) == ["transition", "need: not_relevant (wrong_quality)",
                                "text 0.39 · concept 0.91", "Granli — Flis (offer, material)",
                                "15 pcs per uke"]
    assert untranslated(nodes) == ["Suggested partners"]
