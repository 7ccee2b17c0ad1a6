from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import security_log
from matchmaker.auth.membership import members_only
from matchmaker.coordinator.routes import coordinator_required
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict, InvalidData
from matchmaker.domain.workflow import TransitionNotAllowed
from matchmaker.forms import options
from matchmaker.page_cache import cached_page
from matchmaker.review import bp, labels
from matchmaker.review.decisions import decision_choices
from matchmaker.review.forms import (
    AnswerForm,
    BulkForm,
    DigestForm,
    ManualPairForm,
    NoteForm,
    PartnerFilterForm,
    QueueFilterForm,
    TransitionForm,
)
from matchmaker.services import audit as audit_log
from matchmaker.services import review
from matchmaker.services.partner_page import partner_page
from matchmaker.web_input import db_id

QUEUE_PAGE_SIZE = 15
AUDIT_PAGE_SIZE = 15
PARTNER_ARGS = ("group", "listing", "strength", "q", "page")  # kept when a company answers


def _language() -> str:
    return str(get_locale() or "nb")


def _refusal(error: TransitionNotAllowed) -> str:
    return _("Match #%(id)s is “%(current)s” and cannot become “%(target)s”. Nothing was changed.",
             id=error.suggestion_id, current=labels.STATUS.get(error.from_status, error.from_status),
             target=labels.STATUS.get(error.to_status, error.to_status))


def _decision_message(decision: review.Decision) -> str:
    if decision.mails_waiting:
        return ngettext("Saved. %(num)s email could not be sent yet; it is queued and will be "
                        "retried.", "Saved. %(num)s emails could not be sent yet; they are queued "
                        "and will be retried.", decision.mails_waiting)
    if decision.mails_logged:
        return ngettext("Saved. No mail server is configured: %(num)s email was written to the "
                        "server log, not sent.", "Saved. No mail server is configured: %(num)s "
                        "emails were written to the server log, not sent.", decision.mails_logged)
    if decision.mails_sent:
        return ngettext("Saved; %(num)s email sent.", "Saved; %(num)s emails sent.",
                        decision.mails_sent)
    return _("Saved.")


# --- companies ---------------------------------------------------------------------------------

def _partners_page(status: int = 200):
    form = PartnerFilterForm(formdata=request.args)
    form.validate()
    page = partner_page(get_session(), current_user, form.filters())
    form.listing.choices = options([("", "–"), *((str(i), t) for i, t in page.own_listings)])
    # what an answer form sends back, so the company returns to the same group, filters and page
    keep = {k: v for k, v in request.args.items() if k in PARTNER_ARGS}
    keep.update(group=page.group, page=page.cards.page)
    return render_template("review/partners.html", page=page, filter_form=form, args=keep,
                           answer_form=AnswerForm(formdata=None),
                           digest_form=DigestForm(formdata=None,
                                                  enabled=current_user.digest_enabled)), status


def _back_to_partners() -> str:
    """The partner page as the company left it (group, filters, page)."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k in PARTNER_ARGS}
    return url_for("review.partners", **args)


@bp.route("/partners")
@cached_page
@members_only
def partners():
    if current_user.company_id is None:
        flash(_("Suggested partners are shown to company users."), "warning")
        return redirect(url_for("main.index"))
    return _partners_page()


@bp.route("/partners.<any(csv, json):fmt>")
@members_only
def partners_export(fmt: str):
    text = review.partner_export(get_session(), current_user, fmt, _language())
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(text, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=suggested-partners.{fmt}"})


@bp.route("/partners/<int:suggestion_id>/answer", methods=["POST"])
@login_required
def answer(suggestion_id: int):
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("That answer could not be saved."), "danger")
        return redirect(_back_to_partners())
    try:
        review.answer(get_session(), current_user, suggestion_id, form.answer.data,
                      form.reason.data or None)
    except Conflict:
        flash(_("The coordinator has already decided on this match; answers are closed."),
              "danger")
        return _partners_page(409)
    flash(_("Thank you; the coordinator sees your answer."), "success")
    return redirect(_back_to_partners())


@bp.route("/account/digest", methods=["POST"])
@login_required
def digest():
    form = DigestForm()
    if form.validate_on_submit():
        review.set_digest(get_session(), current_user, form.enabled.data)
        flash(_("Digest emails turned on.") if form.enabled.data
              else _("Digest emails turned off."), "success")
    return redirect(url_for("review.partners"))


# --- coordinators ------------------------------------------------------------------------------

def _queue_page(bulk_form: BulkForm, status: int = 200):
    session = get_session()
    form = QueueFilterForm(formdata=request.args)
    choices = review.queue_choices(session, db_id(request.args.get("company")))
    form.municipality.choices = options([("", "–"), *((m, m) for m in choices["municipalities"])])
    form.company.choices = options([("", "–"),
                                    *((str(i), name) for i, name in choices["companies"])])
    form.validate()
    page = review.review_queue(session, form.filters(QUEUE_PAGE_SIZE))
    return render_template("review/queue.html", form=form, page=page, bulk_form=bulk_form), status


@bp.route("/coordinator/matches")
@cached_page
@coordinator_required
def queue():
    return _queue_page(BulkForm(formdata=None))


@bp.route("/coordinator/matches/bulk", methods=["POST"])
@coordinator_required
def bulk():
    form = BulkForm()
    if not form.validate_on_submit():
        return _queue_page(form, 422)
    try:
        decision = review.bulk_transition(get_session(), current_user, form.ids.data,
                                          form.action.data, note=form.note.data or "",
                                          settings=current_app.config["MATCHMAKER"])
    except TransitionNotAllowed as error:
        flash(_refusal(error), "danger")
        return _queue_page(form, 409)
    security_log.event("decision", suggestions=[x.id for x in decision.suggestions], to=form.action.data)
    flash(ngettext("%(num)s match changed.", "%(num)s matches changed.",
                   len(decision.suggestions)) + " " + _decision_message(decision), "success")
    return redirect(url_for("review.queue", **request.args.to_dict(flat=False)))


def _detail_page(suggestion_id: int, status: int = 200, transition_form: TransitionForm | None = None,
                 note_form: NoteForm | None = None):
    detail = review.match_detail(get_session(), suggestion_id)
    return render_template(
        "review/detail.html", detail=detail, row=detail.row, s=detail.row.suggestion,
        choices=decision_choices(detail.row.suggestion.status, detail.targets),
        transition_form=transition_form or TransitionForm(formdata=None),
        note_form=note_form or NoteForm(formdata=None)), status


@bp.route("/coordinator/matches/<int:suggestion_id>")
@cached_page
@coordinator_required
def detail(suggestion_id: int):
    return _detail_page(suggestion_id)


@bp.route("/coordinator/matches/<int:suggestion_id>/transition", methods=["POST"])
@coordinator_required
def transition(suggestion_id: int):
    form = TransitionForm()
    if not form.validate_on_submit():
        return _detail_page(suggestion_id, 422, transition_form=form)
    outcome = review.Outcome(float(form.volume.data) if form.volume.data is not None else None,
                             form.unit.data or None)
    try:
        decision = review.transition(get_session(), current_user, suggestion_id, form.to.data,
                                     note=form.note.data or "", outcome=outcome,
                                     settings=current_app.config["MATCHMAKER"])
    except TransitionNotAllowed as error:
        flash(_refusal(error), "danger")
        return _detail_page(suggestion_id, 409)
    except InvalidData as error:
        form.note.errors.extend(error.problems)
        return _detail_page(suggestion_id, 422, transition_form=form)
    security_log.event("decision", suggestions=[suggestion_id], to=form.to.data)
    flash(_decision_message(decision), "success")
    return redirect(url_for("review.detail", suggestion_id=suggestion_id))


@bp.route("/coordinator/matches/<int:suggestion_id>/note", methods=["POST"])
@coordinator_required
def note(suggestion_id: int):
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail_page(suggestion_id, 422, note_form=form)
    review.add_note(get_session(), current_user, suggestion_id, form.note.data)
    flash(_("Note saved."), "success")
    return redirect(url_for("review.detail", suggestion_id=suggestion_id) + "#history")


@bp.route("/coordinator/matches/new", methods=["GET", "POST"])
@coordinator_required
def new_match():
    session = get_session()
    form = ManualPairForm()
    suppliers, receivers = review.pairing_choices(session)
    form.offer.choices, form.receiver.choices = options(suppliers), options(receivers)
    if form.validate_on_submit():
        try:
            suggestion, created = review.create_manual(session, current_user, form.offer.data,
                                                       form.receiver.data, form.note.data or "")
        except InvalidData:
            form.receiver.errors.append(_("These two listings cannot be paired: they belong to "
                                          "the same company, or neither can supply the other."))
        else:
            if created:
                flash(_("Match created by hand; it goes through the usual review."), "success")
            else:
                flash(_("This pair exists already."), "info")
            return redirect(url_for("review.detail", suggestion_id=suggestion.id))
    return render_template("review/new.html", form=form)


@bp.route("/coordinator/audit")
@coordinator_required
def audit():
    page = audit_log.audit_page(get_session(), page=request.args.get("page", 1, type=int),
                                per_page=AUDIT_PAGE_SIZE,
                                suggestion_id=db_id(request.args.get("suggestion")))
    return render_template("review/audit.html", page=page)


@bp.route("/coordinator/audit.<any(csv, json):fmt>")
@coordinator_required
def audit_export(fmt: str):
    text = audit_log.audit_export(get_session(), fmt)
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(text, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=audit-log.{fmt}"})
