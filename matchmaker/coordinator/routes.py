from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import security_log
from matchmaker.coordinator import bp
from matchmaker.coordinator.forms import OverviewFilterForm, StaffUserForm
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict
from matchmaker.domain.vocab import Role
from matchmaker.forms import password_message
from matchmaker.page_cache import cached_page
from matchmaker.services import accounts
from matchmaker.services import companies as company_service
from matchmaker.services import projects as project_service

PAGE_SIZE = 12


def coordinator_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_coordinator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/")
@cached_page
@coordinator_required
def overview():
    session = get_session()
    form = OverviewFilterForm(formdata=request.args)
    form.set_municipalities(company_service.municipalities(session))
    form.validate()
    page = company_service.directory(session, form.filters(
        PAGE_SIZE, include_confidential=True, missing_location=bool(form.missing.data)))
    return render_template("coordinator/overview.html", form=form, page=page,
                           missing=company_service.missing_locations(session),
                           projects=project_service.projects(session))


@bp.route("/users/new", methods=["GET", "POST"])
@coordinator_required
def new_staff_user():
    if not current_user.is_admin:
        abort(403)
    form = StaffUserForm()
    if form.validate_on_submit():
        try:
            accounts.create_user(get_session(), email=form.email.data,
                                 password=form.password.data, role=Role(form.role.data),
                                 name=form.name.data)
        except accounts.WeakPassword as exc:
            form.password.errors.append(password_message(exc.weakness))
        except Conflict:
            form.email.errors.append(_("A user with this email exists already."))
        else:
            security_log.event("role granted", account=form.email.data, role=form.role.data)
            flash(_("User created."), "success")
            return redirect(url_for("coordinator.overview"))
    return render_template("coordinator/new_user.html", form=form)
