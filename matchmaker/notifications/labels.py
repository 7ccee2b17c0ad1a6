"""A notification as a sentence in the reader's language, and where to act on it."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from matchmaker.models import Notification
from matchmaker.review.labels import ANSWER, STATUS
from matchmaker.services import notifications as kinds


def text(n: Notification) -> str:
    p = n.params or {}
    if n.kind == kinds.SUGGESTIONS:
        count = int(p.get("count", 0))
        return ngettext("%(num)s new suggested partner.", "%(num)s new suggested partners.", count)
    if n.kind == kinds.ANSWER:
        answer = ANSWER.get(str(p.get("answer")), "")
        return _("%(company)s answered a suggestion: %(answer)s.", company=p.get("company", ""),
                 answer=answer)
    if n.kind == kinds.INTRODUCED:
        return _("The coordinator has introduced you to %(partner)s.", partner=p.get("partner", ""))
    if n.kind == kinds.OUTCOME:
        status = STATUS.get(str(p.get("status")), "")
        return _("%(company)s reported how an introduction went: %(status)s.",
                 company=p.get("company", ""), status=status)
    if n.kind == kinds.REGISTERED:
        return _("%(company)s has registered and waits for your approval.",
                 company=p.get("company", ""))
    return _("Something changed.")


def target(n: Notification, coordinator: bool) -> str:
    """Where the reader acts on it."""
    if n.kind == kinds.REGISTERED:
        return url_for("coordinator.members")
    if n.kind in (kinds.ANSWER, kinds.OUTCOME) and coordinator and n.subject_id:
        return url_for("review.detail", suggestion_id=n.subject_id)
    if n.kind == kinds.INTRODUCED and n.subject_id:
        return url_for("review.partner", suggestion_id=n.subject_id)
    return url_for("review.partners")
