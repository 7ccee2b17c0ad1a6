from flask import current_app, render_template, request
from flask_login import current_user

from matchmaker.auth.membership import members_only
from matchmaker.db import get_session
from matchmaker.directory import bp
from matchmaker.services import companies as company_service


@bp.route("/directory")
@members_only
def index():
    session = get_session()
    text = request.args.get("q", "")[:100]
    municipality = request.args.get("municipality", "")[:100]
    matcher = current_app.extensions["matchmaker_matcher"]
    entries = company_service.directory(session, text=text, municipality=municipality,
                                        include_confidential=current_user.is_coordinator,
                                        search=lambda query: matcher.search(session, query))
    return render_template("directory/index.html", entries=entries, q=text,
                           municipality=municipality,
                           municipalities=company_service.municipalities(session))
