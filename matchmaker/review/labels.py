"""Display names for statuses, answers and pair types, translated at render time."""

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from matchmaker.domain.workflow import Status
from matchmaker.services.partners import evidence_strength
from matchmaker.services.review import reason_text

STATUS = {
    Status.SUGGESTED.value: _l("Suggested"),
    Status.DEFERRED.value: _l("Deferred"),
    Status.REJECTED.value: _l("Rejected"),
    Status.INTRODUCED.value: _l("Introduced"),
    Status.IN_DIALOGUE.value: _l("In dialogue"),
    Status.AGREEMENT.value: _l("Agreement made"),
    Status.NO_DEAL.value: _l("No deal"),
}
# The button that leads to each status.
ACTION = {
    Status.SUGGESTED.value: _l("Reopen"),
    Status.DEFERRED.value: _l("Defer"),
    Status.REJECTED.value: _l("Reject"),
    Status.INTRODUCED.value: _l("Introduce"),
    Status.IN_DIALOGUE.value: _l("In dialogue"),
    Status.AGREEMENT.value: _l("Agreement made"),
    Status.NO_DEAL.value: _l("No deal"),
}
ANSWER = {"interested": _l("Interested"), "not_relevant": _l("Not relevant")}
ANSWER_REASON = {
    "too_far": _l("Too far away"),
    "wrong_quality": _l("Wrong quality"),
    "wrong_volume": _l("Wrong volume"),
    "already_partner": _l("Already a partner"),
    "other": _l("Other"),
}
PAIR_TYPE = {"supply": _l("Supply"), "processing": _l("Processing"), "service": _l("Service"),
             "product": _l("Product")}
ORIGIN = {"engine": _l("Engine"), "manual": _l("By hand")}
STRENGTH = {"strong": _l("strong"), "medium": _l("medium"), "weak": _l("weak")}


def _strength(suggestion: object) -> str:
    """The evidence of a suggestion as a word (a partner view carries it already)."""
    known = getattr(suggestion, "strength", None)
    if known is not None:
        return str(known)
    return evidence_strength(getattr(suggestion, "origin", "engine"), getattr(suggestion, "components", None))


def _reason(reason: dict) -> str:
    return reason_text(reason, str(get_locale() or "nb"))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        STATUS_LABELS=STATUS, ACTION_LABELS=ACTION, ANSWER_LABELS=ANSWER,
        ANSWER_REASON_LABELS=ANSWER_REASON, PAIR_TYPE_LABELS=PAIR_TYPE, ORIGIN_LABELS=ORIGIN,
        STRENGTH_LABELS=STRENGTH,
    )
    app.jinja_env.filters["strength"] = _strength
    app.jinja_env.filters["reason_text"] = _reason
