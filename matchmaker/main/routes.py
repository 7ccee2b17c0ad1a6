from flask import current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user

from matchmaker.auth.routes import _safe_next
from matchmaker.db import get_session
from matchmaker.domain.vocab import LANGUAGES
from matchmaker.main import bp
from matchmaker.page_cache import cached_page
from matchmaker.services import impact
from matchmaker.services.accounts import set_language


@bp.app_context_processor
def cluster() -> dict[str, object]:
    """The cluster's name, logo and contact (settings) on every page."""
    return {"cluster": current_app.config["MATCHMAKER"].cluster}


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for it whatever the page links: answer, rather than log a 404 per visitor.
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml",
                               max_age=86400)


@bp.route("/")
@cached_page
def index():
    if current_user.is_authenticated:
        if current_user.is_coordinator:
            return redirect(url_for("coordinator.overview"))
        return redirect(url_for("companies.mine"))
    return render_template("main/index.html", figures=impact.public_figures(get_session()))


@bp.route("/language/<code>", methods=["GET", "POST"])
def language(code: str):
    """A plain link (GET) switches the language of this session only and changes nothing
    stored; a logged-in user's form (POST, with CSRF) also keeps it on the account, where
    e-mails read it."""
    if code in LANGUAGES:
        session["lang"] = code
        if request.method == "POST" and current_user.is_authenticated:
            set_language(get_session(), current_user._get_current_object(), code)
    return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
