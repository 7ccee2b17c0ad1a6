"""The landing page says what the cluster is, how it works, who sees what and how to reach the
coordinator; the cluster's name, logo and contact come from settings. A favicon, no 404."""

import pytest

from matchmaker import create_app
from matchmaker.config import ConfigError, Settings

TEST_ENV = {"MATCHMAKER_ENV": "testing", "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789",
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def test_the_landing_page_explains_the_cluster_in_three_steps(client):
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Kongsvinger industriklynge</h1>" in page
    assert "<title>Velkommen · Kongsvinger industriklynge</title>" in page
    assert page.count('<ol class="steps">') == 1 and page.count("<li><strong>") == 3
    assert "Hvem ser hva" in page and "Kontaktopplysninger og konfidensielle oppføringer" in page
    assert 'href="mailto:koordinator@demo.example"' in page and 'href="tel:+4740000000"' in page
    assert 'src="/static/cluster-logo.svg"' in page
    english = client.get("/language/en", follow_redirects=True).get_data(as_text=True)
    assert "How it works" in english and "Talk to the coordinator" in english


def test_name_logo_and_contact_come_from_settings(database_url):
    app = create_app({**TEST_ENV, "MATCHMAKER_DATABASE_URL": database_url,
                      "MATCHMAKER_CLUSTER_NAME": "Solør Næringsklynge",
                      "MATCHMAKER_CLUSTER_LOGO": "", "MATCHMAKER_CLUSTER_CONTACT_NAME": "",
                      "MATCHMAKER_CLUSTER_CONTACT_EMAIL": "post@solor.example",
                      "MATCHMAKER_CLUSTER_CONTACT_PHONE": ""})
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "· Solør Næringsklynge</title>" in page
    assert '<a class="brand" href="/">Solør Næringsklynge</a>' in page  # no logo set: none shown
    landing = app.test_client().get("/").get_data(as_text=True)
    assert "mailto:post@solor.example" in landing and "tel:" not in landing
    app.extensions["matchmaker_engine"].dispose()


def test_production_shows_no_made_up_contact(tmp_path):
    cluster = Settings.from_env({"MATCHMAKER_ENV": "production"}, tmp_path).cluster
    assert (cluster.contact_name, cluster.contact_email, cluster.contact_phone) == ("", "", "")
    cluster = Settings.from_env({"MATCHMAKER_ENV": "production",
                                 "MATCHMAKER_CLUSTER_CONTACT_EMAIL": "post@klynge.example"},
                                tmp_path).cluster
    assert cluster.contact_email == "post@klynge.example"


def test_a_logo_from_another_site_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        Settings.from_env({"MATCHMAKER_CLUSTER_LOGO": "https://cdn.example/logo.png"}, tmp_path)


def test_the_favicon_is_linked_and_served(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    for url in ("/static/favicon.svg", "/favicon.ico"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data
