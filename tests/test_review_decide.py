"""The coordinator's decision looks like what it does: one form per decision with one note,
introduce the primary choice, defer secondary, reject a danger choice that asks first and,
without script, is refused by the server until it has a reason."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from matchmaker.models import Suggestion
from tests.conftest import login
from tests.review_support import fresh, make_pair


class _Forms(HTMLParser):
    """Each form's action with its radio choices, options, text areas and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action", ""), "radios": [],
                               "options": [], "textareas": [], "buttons": []})
        elif self.forms and tag == "input" and attributes.get("type") == "radio":
            self.forms[-1]["radios"].append(attributes)
        elif self.forms and tag == "option":
            self.forms[-1]["options"].append(attributes)
        elif self.forms and tag == "textarea":
            self.forms[-1]["textareas"].append(attributes)
        elif self.forms and tag == "button":
            self.forms[-1]["buttons"].append(attributes)


def _forms(html: str, action_part: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if action_part in form["action"]]


@pytest.fixture
def pair(session, two_companies):
    return make_pair(session, two_companies)


def test_one_decision_form_whose_choices_look_like_what_they_do(client, pair, coordinator):
    login(client, "koordinator@example.no")
    page = client.get(f"/coordinator/matches/{pair.suggestion.id}").get_data(as_text=True)
    decisions = [form for form in _forms(page, "/transition") if form["radios"]]
    assert len(decisions) == 1
    form = decisions[0]
    assert len(form["textareas"]) == 1  # one note, whatever the decision
    choices = {radio["value"]: radio for radio in form["radios"]}
    assert set(choices) == {"introduced", "deferred", "rejected"}
    assert choices["introduced"]["data-style"] == "primary" and "checked" in choices["introduced"]
    assert choices["deferred"]["data-style"] == "secondary" and "data-confirm" not in choices["deferred"]
    assert choices["rejected"]["data-style"] == "danger"
    assert choices["rejected"]["data-confirm"] and "data-note-required" in choices["rejected"]
    assert choices["rejected"]["data-note-label"] == "Begrunnelse (påkrevd)"
    assert "primary" in form["buttons"][0]["class"]
    assert "Introduser bedriftene" in page


def test_a_rejection_without_reason_is_refused_and_comes_back_chosen(client, session, pair,
                                                                     coordinator):
    login(client, "koordinator@example.no")
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    response = client.post(url, data={"to": "rejected", "note": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Oppgi en begrunnelse for avvisningen." in page
    form = next(form for form in _forms(page, "/transition") if form["radios"])
    checked = [radio["value"] for radio in form["radios"] if "checked" in radio]
    assert checked == ["rejected"]  # the choice is kept; the label asks for the reason
    assert '<label for="decision-note">Begrunnelse (påkrevd)</label>' in page
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"

    response = client.post(url, data={"to": "rejected", "note": "Feil kvalitet"})
    assert response.status_code == 302
    assert fresh(session, Suggestion, pair.suggestion.id).status == "rejected"


def test_the_queue_bulk_choices_carry_their_look_and_rejection_asks_first(client, pair,
                                                                         coordinator):
    login(client, "koordinator@example.no")
    page = client.get("/coordinator/matches").get_data(as_text=True)
    form = _forms(page, "/coordinator/matches/bulk")[0]
    options = {option["value"]: option for option in form["options"]}
    assert [option["value"] for option in form["options"]] == ["introduced", "deferred", "rejected"]
    assert options["introduced"]["data-style"] == "primary"
    assert options["deferred"]["data-style"] == "secondary"
    assert options["rejected"]["data-style"] == "danger" and options["rejected"]["data-confirm"]
    assert "data-decision-submit" in form["buttons"][-1]
