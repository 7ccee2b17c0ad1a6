"""The user's API tokens page: create (the secret is shown once, on the answer to the POST,
never put in the session or a redirect), list and revoke."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.auth import bp
from matchmaker.auth.forms import ApiTokenForm, RevokeTokenForm
from matchmaker.db import get_session
from matchmaker.domain.errors import InvalidData
from matchmaker.services import api_tokens


def _page(form: ApiTokenForm, secret: str = "", status: int = 200):
    tokens = api_tokens.list_for(get_session(), current_user)
    return render_template("auth/api_tokens.html", form=form, tokens=tokens, secret=secret,
                           revoke_form=RevokeTokenForm()), status


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def api_token_list():
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create(get_session(), current_user, form.name.data,
                                               form.expires_in_days.data)
        except InvalidData:
            form.name.errors.append(_("You have too many tokens: revoke one first."))
        else:
            return _page(ApiTokenForm(formdata=None), secret)
    return _page(form, status=400 if form.errors else 200)


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    if RevokeTokenForm().validate_on_submit():
        api_tokens.revoke(get_session(), current_user, token_id)  # NotFound: another user's
        flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("auth.api_token_list"))
