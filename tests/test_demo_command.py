"""`matchmaker demo`, the first command a newcomer runs: it says what it is doing, seeds with one
password hash for every demo login, and prints the logins it made, an admin's among them."""

import json

import pytest
from sqlmodel import select

from matchmaker import commands
from matchmaker.commands import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_PASSWORD
from matchmaker.embedding import Embedder
from matchmaker.models import Listing, ListingEmbedding, User
from tests.conftest import login


def test_demo_speaks_while_it_seeds_and_prints_every_login(runner, session, client, monkeypatch):
    embedded = []  # texts the model had to embed: the demo ships its listings' vectors
    model_embed = Embedder.embed
    monkeypatch.setattr(Embedder, "embed", lambda self, texts: (
        embedded.extend(texts), model_embed(self, texts))[1])
    served = []
    monkeypatch.setattr(commands, "_serve", lambda app, host, port, workers, quiet=False:
                        served.append((port, quiet)))
    result = runner.invoke(args=["demo", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served == [(8123, True)]  # the demo serves without an access log
    assert embedded == []
    stored = session.exec(select(ListingEmbedding)).all()
    assert len(stored) == len(session.exec(select(Listing).where(Listing.active)).all())
    steps = ["Migrating the database…", "Loading 43 companies and", "Computing suggestions…",
             "Creating demo accounts…", "Serving at http://127.0.0.1:8123/"]
    positions = [result.output.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), result.output
    for email in (DEMO_COORDINATOR, DEMO_ADMIN, "@"):
        assert f"{email}" in result.output
    assert f"demo admin login:       {DEMO_ADMIN} / {DEMO_PASSWORD}" in result.output

    # the admin login works and may do what only an admin may
    assert login(client, DEMO_ADMIN, DEMO_PASSWORD).status_code == 302
    assert client.get("/coordinator/users/new").status_code == 200
    # one Argon2 hash for the shared demo password, not one per account (seconds, not tens)
    hashes = {user.password_hash for user in session.exec(select(User))}
    assert len(hashes) == 1
    assert len(session.exec(select(User)).all()) == 45

    # a second run finds the demo there: no reseeding, the logins printed again
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "Loading" not in again.output
    assert DEMO_ADMIN in again.output


def test_the_shipped_demo_vectors_are_the_models_own(app):
    from matchmaker import SEED_DIR
    from matchmaker.embedding import listing_text
    from matchmaker.services.embeddings import load_known_vectors, text_key

    model = app.extensions["matchmaker_matcher"].embedder
    if model is None:
        pytest.skip("no embedding model installed")
    known = load_known_vectors(SEED_DIR / "demo_vectors.npz", model.name)
    document = json.loads((SEED_DIR / "demo_cluster.json").read_text(encoding="utf-8"))
    texts = [listing_text(listing.get("title", ""), listing.get("description", ""))
             for company in document["companies"] for listing in company["listings"]]
    assert all(text_key(text) in known for text in texts)  # run bench/make_demo_vectors.py
    for text, vector in zip(texts[:3], model.embed(texts[:3]), strict=True):
        assert abs(known[text_key(text)] - vector).max() < 1e-2  # float16, as stored
