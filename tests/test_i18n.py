"""Bokmål is the default, English is one click away, and no visible string lacks a translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("matchmaker/**.py", "python"), ("templates/**.html", "jinja2"),
           ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "lazy_gettext": None, "gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2), "N_": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_visible_string_has_a_bokmal_translation():
    mo = ROOT / "matchmaker/translations/nb/LC_MESSAGES/messages.mo"
    with mo.open("rb") as handle:
        catalog = read_mo(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id and m.string and all(m.string if isinstance(
                      m.string, tuple) else [m.string])}
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"untranslated (run `make translations`): {missing}"


def test_norwegian_by_default_and_english_on_request(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn" in page and 'lang="nb"' in page
    client.get("/language/en")
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page


def test_language_choice_is_kept_on_the_user(client, session, two_companies):
    from sqlmodel import select

    from matchmaker.models import User
    from tests.conftest import login

    login(client, "a@granli.example")
    client.get("/language/en?next=/company")  # a link: this session only
    session.expire_all()
    user = session.exec(select(User).where(User.email == "a@granli.example")).one()
    assert user.language == "nb"
    assert "Our listings" in client.get("/company").get_data(as_text=True)
    client.post("/language/en?next=/company")  # the logged-in user's form keeps it
    session.expire_all()
    assert session.get(User, user.id).language == "en"


def test_language_switch_does_not_redirect_offsite(client):
    response = client.get("/language/en?next=//evil.example/")
    assert "evil.example" not in response.location
