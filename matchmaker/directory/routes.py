from flask import current_app, render_template, request
from flask_login import current_user

from matchmaker.auth.membership import members_only
from matchmaker.db import get_session
from matchmaker.directory import bp
from matchmaker.directory.forms import CompanyFilterForm
from matchmaker.page_cache import cached_page
from matchmaker.services import companies as company_service

PAGE_SIZE = 12


@bp.route("/directory")
@cached_page
@members_only
def index():
    session = get_session()
    form = CompanyFilterForm(formdata=request.args)
    form.set_municipalities(company_service.municipalities(session))
    form.validate()
    matcher = current_app.extensions["matchmaker_matcher"]
    page = company_service.directory(
        session, form.filters(PAGE_SIZE, include_confidential=current_user.is_coordinator),
        search=lambda query: matcher.search(session, query))
    return render_template("directory/index.html", form=form, page=page)
