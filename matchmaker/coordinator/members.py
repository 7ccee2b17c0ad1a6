"""`/coordinator/members`: companies that registered themselves, waiting for approval."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from matchmaker import security_log
from matchmaker.coordinator import bp
from matchmaker.coordinator.routes import coordinator_required
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict
from matchmaker.services import membership
from matchmaker.services.listings import company_listings


@bp.route("/members")
@coordinator_required
def members():
    session = get_session()
    waiting = [(c, company_listings(session, c.id)) for c in membership.pending_companies(session)]
    return render_template("coordinator/members.html", waiting=waiting)


def _decide(company_id: int, approve: bool):
    session = get_session()
    try:
        company = (membership.approve(session, company_id,
                                      current_app.extensions["matchmaker_matcher"])
                   if approve else membership.reject(session, company_id))
    except Conflict:
        flash(_("This company has been decided on already."), "info")
        return redirect(url_for("coordinator.members"))
    security_log.event("membership approved" if approve else "membership rejected",
                       member=company.id)
    flash(_("%(company)s is now a member.", company=company.name) if approve
          else _("%(company)s was not approved.", company=company.name), "success")
    return redirect(url_for("coordinator.members"))


@bp.route("/members/<int:company_id>/approve", methods=["POST"])
@coordinator_required
def approve_member(company_id: int):
    return _decide(company_id, approve=True)


@bp.route("/members/<int:company_id>/reject", methods=["POST"])
@coordinator_required
def reject_member(company_id: int):
    return _decide(company_id, approve=False)
