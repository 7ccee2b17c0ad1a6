"""The state machine on its own: which moves exist, and that every other move is refused."""

import itertools

import pytest

from matchmaker.domain import workflow
from matchmaker.domain.errors import Conflict, InvalidData
from matchmaker.domain.workflow import Status, TransitionNotAllowed

ALLOWED = {
    ("suggested", "introduced"), ("suggested", "rejected"), ("suggested", "deferred"),
    ("deferred", "suggested"), ("deferred", "introduced"), ("deferred", "rejected"),
    ("rejected", "suggested"),
    ("introduced", "in_dialogue"), ("introduced", "agreement"), ("introduced", "no_deal"),
    ("introduced", "suggested"),  # an introduction withdrawn
    ("in_dialogue", "agreement"), ("in_dialogue", "no_deal"),
}


def test_the_transition_table_is_exactly_the_documented_one():
    statuses = [s.value for s in Status]
    for a, b in itertools.product(statuses, statuses):
        assert workflow.can_transition(a, b) == ((a, b) in ALLOWED), (a, b)


@pytest.mark.parametrize("a,b", [("suggested", "agreement"), ("rejected", "introduced"),
                                 ("introduced", "rejected"), ("agreement", "no_deal"),
                                 ("no_deal", "suggested"), ("suggested", "suggested"),
                                 ("bogus", "suggested"), ("suggested", "bogus")])
def test_illegal_moves_raise_a_conflict_that_names_both_statuses(a, b):
    with pytest.raises(TransitionNotAllowed) as caught:
        workflow.check_transition(a, b)
    assert isinstance(caught.value, Conflict)
    assert (caught.value.from_status, caught.value.to_status) == (a, b)


def test_contact_details_open_from_the_introduction_on():
    assert {s for s in Status if workflow.is_introduced(s)} == {
        Status.INTRODUCED, Status.IN_DIALOGUE, Status.AGREEMENT, Status.NO_DEAL}


def test_answers_until_the_coordinator_decides():
    assert workflow.check_answer("suggested", "interested", "too_far") is None
    assert workflow.check_answer("deferred", "not_relevant", "too_far") == "too_far"
    assert workflow.check_answer("suggested", "not_relevant", "") is None
    with pytest.raises(InvalidData):
        workflow.check_answer("suggested", "maybe", None)
    with pytest.raises(InvalidData):
        workflow.check_answer("suggested", "not_relevant", "boring")
    with pytest.raises(Conflict):
        workflow.check_answer("introduced", "interested", None)
