from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import security_log
from matchmaker.auth import bp, throttle
from matchmaker.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict
from matchmaker.extensions import has_remember_cookie, limiter
from matchmaker.forms import password_message
from matchmaker.models import Company
from matchmaker.services import accounts
from matchmaker.services.companies import place_company


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would make our login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
        target).netloc:
        return target
    return None


def _start_session(user, remember: bool = False) -> None:  # noqa: ANN001
    """Log in on a fresh session: nothing the anonymous visitor (or whoever planted the cookie)
    put into the session survives the login. The account's language replaces the visitor's."""
    session.clear()
    login_user(user, remember=remember)
    session["lang"] = user.language


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
                password=form.password.data, name=form.name.data, language=form.language.data,
                self_registered=True)
        except accounts.WeakPassword as exc:
            form.password.errors.append(password_message(exc.weakness))
        except Conflict as exc:
            field = form.org_number if "organisation" in str(exc) else form.email
            field.errors.append(_("Already registered. Log in instead, or ask the coordinator."))
        else:
            _start_session(user)
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
            _start_session(user, remember=form.remember.data)
            security_log.event("login")
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


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"])
def change_password():
    """Change the password; every other session of the account ends, this one stays."""
    db = get_session()
    user = current_user._get_current_object()
    form = ChangePasswordForm(user_inputs=accounts.user_inputs(db, user))
    if form.validate_on_submit():
        try:
            accounts.change_password(db, user, form.current_password.data, form.password.data)
        except accounts.WrongPassword:
            security_log.event("password change failed", reason="wrong current password")
            form.current_password.errors.append(_("Wrong password."))
        except accounts.WeakPassword as exc:
            form.password.errors.append(password_message(exc.weakness))
        else:
            # The old token is gone, so is the old login cookie: log this browser in again,
            # with a new remember-me cookie if it had one.
            login_user(user, remember=has_remember_cookie())
            security_log.event("password changed")
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password():
    """Ask for a reset link. The answer is the same whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        settings = current_app.config["MATCHMAKER"]
        base = settings.base_url.rstrip("/")
        queued = accounts.request_password_reset(
            get_session(), form.email.data, settings=settings,
            link=lambda token: base + url_for("auth.reset_password", token=token))
        security_log.event("password reset requested", account=form.email.data,
                           mailed=queued is not None)
        flash(_("If an account uses this address, we have sent it a link to choose a new "
                "password. The link works once, for %(minutes)d minutes.",
                minutes=_reset_minutes()), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _reset_minutes() -> int:
    return int(accounts.PASSWORD_RESET_MAX_AGE.total_seconds() // 60)


# The token is in this page's address; the app-wide Referrer-Policy "same-origin" keeps it
# from ever reaching another site as a Referer.
@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    db = get_session()
    user = accounts.user_for_reset_token(db, token, current_app.config["SECRET_KEY"])
    if user is None:
        return render_template("auth/reset_invalid.html", minutes=_reset_minutes()), 400
    form = ResetPasswordForm(user_inputs=accounts.user_inputs(db, user))
    if form.validate_on_submit():
        try:
            accounts.reset_password(db, user, form.password.data)
        except accounts.WeakPassword as exc:
            form.password.errors.append(password_message(exc.weakness))
        else:
            security_log.event("password reset", account=user.email)
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, email=user.email)
