"""The demo cluster and the user commands, as a newcomer would run them."""

import json
from collections import Counter

from sqlmodel import select

from matchmaker import SEED_DIR
from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD
from matchmaker.models import ClusterProject, Company, Listing, Suggestion, User
from tests.conftest import login

REGION = {"Kongsvinger", "Sør-Odal", "Nord-Odal", "Eidskog", "Grue", "Åsnes", "Våler"}


def test_demo_data_is_a_realistic_fictional_cluster():
    document = json.loads((SEED_DIR / "demo_cluster.json").read_text(encoding="utf-8"))
    assert "fictional" in document["note"].lower() or "fiktive" in document["note"].lower()
    companies = document["companies"]
    assert len(companies) >= 35
    assert {c.get("municipality") for c in companies} >= REGION
    assert all(3 <= len(c["listings"]) <= 8 for c in companies)
    assert all(any(lst.get("quantity") for lst in c["listings"]) for c in companies)


def test_seed_loads_the_demo_and_its_logins_work(runner, session, client):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    companies = session.exec(select(Company)).all()
    assert len(companies) >= 35
    assert Counter(c.municipality for c in companies).keys() >= REGION
    assert sum(c.lat is None for c in companies) == 0  # the two without coordinates were found
    assert session.exec(select(Listing).where(Listing.visibility == "coordinator")).first()
    member = session.exec(select(User).where(User.role == "member")).first()
    assert login(client, member.email, DEMO_PASSWORD).status_code == 302
    assert client.get("/company").status_code == 200
    client.post("/logout")
    assert login(client, DEMO_COORDINATOR, DEMO_PASSWORD).status_code == 302
    assert client.get("/coordinator/").status_code == 200
    # the demo's history: designed pairs walked through the workflow, with agreed volumes
    decided = Counter(s.status for s in session.exec(select(Suggestion)) if s.status != "suggested")
    assert decided == {"agreement": 9, "in_dialogue": 2, "introduced": 2, "no_deal": 1}
    assert all(s.outcome_volume for s in session.exec(
        select(Suggestion).where(Suggestion.status == "agreement")))
    assert [(p.title, p.status, len(p.suggestion_ids)) for p in session.exec(
        select(ClusterProject).order_by(ClusterProject.id))] == [
        ("Fra potetskrell til grønnsaker", "active", 2), ("Stålskrap i kretsløp", "idea", 2)]
    # Seeding again updates; it does not duplicate.
    assert runner.invoke(args=["seed"]).exit_code == 0
    session.expire_all()
    assert len(session.exec(select(Company)).all()) == len(companies)
    assert Counter(s.status for s in session.exec(select(Suggestion))
                   if s.status != "suggested") == decided


def test_seed_refuses_demo_accounts_in_production(database_url):
    from matchmaker import create_app

    app = create_app({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": database_url,
                      "MATCHMAKER_SECRET_KEY": "p" * 40})
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 1 and "production" in result.output


def test_create_user_makes_a_coordinator(runner, session):
    result = runner.invoke(args=["create-user", "--email", "Kari@Cluster.example", "--role",
                                 "coordinator", "--password", "langt-nok-passord"])
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "kari@cluster.example")).one()
    assert user.role == "coordinator" and user.company_id is None


def test_create_user_reports_bad_input(runner):
    assert runner.invoke(args=["create-user", "--email", "a@b.example", "--role", "member",
                               "--password", "langt-nok-passord"]).exit_code == 1
    result = runner.invoke(args=["create-user", "--email", "a@b.example", "--password", "kort"])
    assert result.exit_code == 1 and "password" in result.output
    runner.invoke(args=["create-user", "--email", "c@b.example", "--password", "langt-nok-pw1"])
    result = runner.invoke(args=["create-user", "--email", "c@b.example", "--password",
                                 "langt-nok-pw1"])
    assert result.exit_code == 1 and "registered already" in result.output
