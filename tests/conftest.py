"""Fixtures in the flaskr style: `app`, `client`, `runner`, plus a few logged-in helpers.

The suite runs on SQLite by default; set MATCHMAKER_TEST_DATABASE_URL to a PostgreSQL URL to run
the very same tests on PostgreSQL (each run uses its own schema there).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, SQLModel

from matchmaker import create_app, db
from matchmaker.domain.vocab import Role
from matchmaker.models import Company
from matchmaker.services import accounts
from tests.smtp_server import SmtpServer, point_mail_at

PASSWORD = "riktig-passord-123"


def _postgres_url_with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def fresh_database_url(tmp_path_factory: pytest.TempPathFactory, label: str) -> str:
    """An empty database: a new SQLite file, or a new schema in the PostgreSQL test database."""
    base = os.environ.get("MATCHMAKER_TEST_DATABASE_URL", "")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp(label) / 'test.sqlite3'}"
    schema = f"mm_{label}_{uuid.uuid4().hex[:8]}"
    engine = db.make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return _postgres_url_with_schema(base, schema)


def drop_database(url: str) -> None:
    if "search_path" in url:
        schema = url.rsplit("%3D", 1)[1]
        base = url.split("?options=")[0].split("&options=")[0]
        engine = db.make_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def migrated_database(tmp_path_factory: pytest.TempPathFactory, label: str) -> Iterator[str]:
    """A fresh database at the newest schema, dropped afterwards."""
    url = fresh_database_url(tmp_path_factory, label)
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from migrated_database(tmp_path_factory, "suite")


def app_for(database_url: str, **settings: object) -> Iterator:
    """The suite's app on `database_url` (more `settings` over the defaults); every table is
    emptied afterwards."""
    app = create_app({
        "MATCHMAKER_ENV": "testing",
        "MATCHMAKER_DATABASE_URL": database_url,
        "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        **settings,
    })
    yield app
    engine = app.extensions["matchmaker_engine"]
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def app(database_url: str):
    yield from app_for(database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs from now on (clear it to watch one action)."""
    seen: list[str] = []
    engine = app.extensions["matchmaker_engine"]

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def session(app) -> Iterator[Session]:
    with Session(app.extensions["matchmaker_engine"], expire_on_commit=False) as s:
        yield s


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port, and the app sending its mail there."""
    with SmtpServer() as server:
        point_mail_at(app, server.port)
        yield server


def make_company(session: Session, name: str, email: str, **fields) -> Company:
    company = Company(name=name, email=email, contact_person=f"Kontakt {name}",
                      phone="+47 62 00 00 00", city=fields.pop("city", "Kongsvinger"),
                      municipality=fields.pop("municipality", "Kongsvinger"),
                      lat=fields.pop("lat", 60.19), lon=fields.pop("lon", 11.99), **fields)
    return accounts.register_company(session, company=company, email=email, password=PASSWORD,
                                     name=f"Bruker {name}").company_id


@pytest.fixture
def two_companies(session):
    """Two member companies; returns their ids as (a, b)."""
    a = make_company(session, "Granli Sag AS", "a@granli.example")
    b = make_company(session, "Vinger Pellets AS", "b@vinger.example", city="Kirkenær",
                     municipality="Grue", lat=60.46, lon=12.06)
    return a, b


@pytest.fixture
def coordinator(session):
    return accounts.create_user(session, email="koordinator@example.no", password=PASSWORD,
                                role=Role.COORDINATOR, name="Kari Koordinator")


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


# listing forms as a member posts them: a sawmill's sawdust and a pellet maker's need of it
SAWDUST = {"direction": "offer", "kind": "by-product", "title": "Sagflis fra gran og furu",
           "quantity": "400", "unit": "m3", "frequency": "year", "visibility": "public",
           "active": "y"}
PELLETS_NEED = {"direction": "need", "kind": "by-product", "title": "Sawdust for pellets",
                "description": "Dry sawdust and shavings", "quantity": "500", "unit": "m3",
                "frequency": "year", "visibility": "public", "active": "y"}


def post_listing(client, email: str, data: dict) -> None:
    """Log in as ``email``, add a listing through the form, log out."""
    login(client, email)
    assert client.post("/listings/new", data=data).status_code == 302
    client.post("/logout")
