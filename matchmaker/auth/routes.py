from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import security_log
from matchmaker.auth import bp, throttle
from matchmaker.auth.forms import LoginForm, RegisterForm
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict
from matchmaker.extensions import limiter
from matchmaker.models import Company
from matchmaker.services import accounts
from matchmaker.services.companies import place_company


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would make our login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
        target).netloc:
        return target
    return None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("companies.mine"))
    form = RegisterForm()
    if form.validate_on_submit():
        company = Company(name=form.company_name.data, org_number=form.org_number.data or None,
                          postcode=form.postcode.data or "", city=form.city.data or "",
                          contact_person=form.name.data, email=form.email.data.lower())
        place_company(company, None, None, current_app.extensions["matchmaker_locate"])
        try:
            user = accounts.register_company(
                get_session(), company=company, email=form.email.data,
                password=form.password.data, name=form.name.data, language=form.language.data)
        except Conflict as exc:
            field = form.org_number if "organisation" in str(exc) else form.email
            field.errors.append(_("Already registered. Log in instead, or ask the coordinator."))
        else:
            login_user(user)
            session["lang"] = user.language
            flash(_("Welcome! Complete your profile and add what you offer and need."), "success")
            return redirect(url_for("companies.edit"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@throttle.per_address
@throttle.per_account
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(get_session(), form.email.data, form.password.data)
        if user is None:
            security_log.event("login failed", account=form.email.data)
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(user, remember=form.remember.data)
            security_log.event("login")
            session["lang"] = user.language
            return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_all_sessions(get_session(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
