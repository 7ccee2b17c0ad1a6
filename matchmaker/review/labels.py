"""Display names for statuses, answers and pair types, translated at render time."""

import math
import re

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from matchmaker.domain.workflow import Status
from matchmaker.matching.settings import COMPONENTS
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
# What a pair is, in words: a processing pair joins two offers (a material and a capability
# that takes it), which "offer ⇄ offer" would not explain.
PAIR_TYPE = {"supply": _l("Supply"), "processing": _l("Raw material for processing"),
             "service": _l("Service"), "product": _l("Product to a customer")}
SIDE = {"offer": _l("Supplier"), "need": _l("Receiver")}
# The audit log's actions (services.review writes them).
EVENT = {"answer": _l("Answer from a company"), "transition": _l("Status changed"),
         "note": _l("Note"), "created": _l("Paired by hand"), "reopened": _l("Reopened")}
# The score's parts (matching.settings.COMPONENTS), named and explained: the one place they
# are named for people.
COMPONENT = {
    "text": (_l("Shared words"), _l("the titles and descriptions use the same words")),
    "concept": (_l("Same thing"), _l("both name the same material or thing, also in other words")),
    "distance": (_l("Proximity"), _l("the shorter the way between the companies, the higher")),
    "kind": (_l("Kinds fit"), _l("the two kinds of listing go together, e.g. by-product to raw "
                                 "material")),
    "quantity": (_l("Quantity"), _l("how much of the need the offer covers")),
    "semantic": (_l("Similar meaning"), _l("the texts mean much the same, judged by a language "
                                           "model")),
    "grade": (_l("Quality"), _l("stated quality requirements, e.g. untreated or dry, are met")),
}
_ANSWER_NOTE = re.compile(r"^(offer|need): (\w+)(?: \((\w+)\))?$")
ORIGIN = {"engine": _l("Engine"), "manual": _l("By hand")}
STRENGTH = {"strong": _l("strong"), "medium": _l("medium"), "weak": _l("weak")}
# The partner page's groups: what the company should do next (services.partner_page).
GROUP = {"answer": _l("To answer"), "waiting": _l("Waiting for the coordinator"),
         "introduced": _l("Introduced"), "closed": _l("Concluded")}
# The score in words, as people say it: "86 of 100 – strong match".
STRENGTH_MATCH = {"strong": _l("strong match"), "medium": _l("medium match"),
                  "weak": _l("weak match")}


def component_label(name: str) -> str:
    return str(COMPONENT[name][0]) if name in COMPONENT else name


def _score_parts(components: dict | None) -> list[tuple[str, int]]:
    """Known component values as (label, 0..100), in the engine's order; unknown (NaN) left out."""
    values = components or {}
    return [(component_label(name), round(float(values[name]) * 100)) for name in COMPONENTS
            if isinstance(values.get(name), int | float) and math.isfinite(values[name])]


def _strength(suggestion: object) -> str:
    """The evidence of a suggestion as a word (a partner view carries it already)."""
    known = getattr(suggestion, "strength", None)
    if known is not None:
        return str(known)
    return evidence_strength(getattr(suggestion, "origin", "engine"), getattr(suggestion, "components", None))


def event_note(event: object) -> str:
    """An event's note for reading: a company's answer is stored as "need: not_relevant
    (wrong_quality)" (kept so in the export) and shown as "Mottaker: Ikke relevant (Feil kvalitet)"."""
    note = str(getattr(event, "note", "") or "")
    found = _ANSWER_NOTE.match(note) if getattr(event, "action", "") == "answer" else None
    if found is None or found[2] not in ANSWER:
        return note
    text = f"{SIDE[found[1]]}: {ANSWER[found[2]]}"
    if found[3]:
        text += f" ({ANSWER_REASON.get(found[3], found[3])})"
    return text


def _reason(reason: dict) -> str:
    return reason_text(reason, str(get_locale() or "nb"))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        STATUS_LABELS=STATUS, ACTION_LABELS=ACTION, ANSWER_LABELS=ANSWER,
        ANSWER_REASON_LABELS=ANSWER_REASON, PAIR_TYPE_LABELS=PAIR_TYPE, ORIGIN_LABELS=ORIGIN,
        STRENGTH_LABELS=STRENGTH, STRENGTH_MATCH_LABELS=STRENGTH_MATCH, GROUP_LABELS=GROUP,
        EVENT_LABELS=EVENT, COMPONENT_LABELS=COMPONENT, SIDE_LABELS=SIDE,
    )
    app.jinja_env.filters["event_note"] = event_note
    app.jinja_env.filters["score_parts"] = _score_parts
    app.jinja_env.filters["strength"] = _strength
    app.jinja_env.filters["reason_text"] = _reason
