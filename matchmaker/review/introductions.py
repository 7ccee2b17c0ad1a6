"""A company's page for one suggested partner (`/partners/<id>`): the pair, the coordinator's
introduction message, the partner's contact once introduced, and the outcome report."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import security_log
from matchmaker.auth.membership import members_only
from matchmaker.db import get_session
from matchmaker.domain.errors import InvalidData
from matchmaker.domain.workflow import TransitionNotAllowed
from matchmaker.review import bp
from matchmaker.review.forms import OutcomeForm
from matchmaker.services import introductions


def _page(suggestion_id: int, form: OutcomeForm | None = None, status: int = 200):
    detail = introductions.partner_detail(get_session(), current_user, suggestion_id)
    form = form or OutcomeForm(formdata=None)
    form.outcome.choices = [c for c in form.outcome.choices if c.value in detail.targets]
    return render_template("review/partner.html", detail=detail, s=detail.suggestion,
                           form=form), status


@bp.route("/partners/<int:suggestion_id>")
@members_only
def partner(suggestion_id: int):
    return _page(suggestion_id)


@bp.route("/partners/<int:suggestion_id>/outcome", methods=["POST"])
@members_only
def outcome(suggestion_id: int):
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _page(suggestion_id, form, 422)
    try:
        introductions.report_outcome(
            get_session(), current_user, suggestion_id, form.outcome.data,
            volume=float(form.volume.data) if form.volume.data is not None else None,
            unit=form.unit.data or None, note=form.note.data or "",
            settings=current_app.config["MATCHMAKER"])
    except TransitionNotAllowed:
        flash(_("This outcome can no longer be reported: the match has moved on. Nothing was "
                "changed."), "danger")
        return _page(suggestion_id, status=409)
    except InvalidData as error:
        form.note.errors.extend(error.problems)
        return _page(suggestion_id, form, 422)
    security_log.event("outcome reported", suggestions=[suggestion_id], to=form.outcome.data)
    flash(_("Thank you; the coordinator sees how it went."), "success")
    return redirect(url_for("review.partner", suggestion_id=suggestion_id))
