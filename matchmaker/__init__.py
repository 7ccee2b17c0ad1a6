"""matchmaker: local value-chain matchmaking for an industrial cluster."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from flask import Flask, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker import (
    db,
    page_cache,
    ratelimit_storage,  # noqa: F401 -- registers the database limiter storage
    security_headers,
    security_log,
    web_input,
)
from matchmaker.config import DATABASE_LIMITER_URI, Settings
from matchmaker.extensions import babel, csrf, limiter, login_manager
from matchmaker.geo import OnlineGeocoder, default_gazetteer
from matchmaker.geo.locator import Locator
from matchmaker.matching.settings import MatchSettings
from matchmaker.services.matcher import default_matcher
from matchmaker.worker.wake import deferring

PACKAGE_DIR = Path(__file__).parent


def _resource_dir(name: str) -> Path:
    """Top-level folders in a checkout; copied into the package in a built wheel."""
    in_checkout = PACKAGE_DIR.parent / name
    return in_checkout if in_checkout.is_dir() else PACKAGE_DIR / name


TEMPLATES_DIR = _resource_dir("templates")
SEED_DIR = _resource_dir("seed_data")


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in ("nb", "en"):
        return chosen
    if current_user and current_user.is_authenticated:
        return current_user.language
    return "nb"


def serving_app() -> Flask:
    """The app for a server process (gunicorn's workers): everything made while it starts
    lives as long as the process, so it is moved out of the garbage collector's way, where
    each full collection walked its 190,000 objects (100-200 ms, a slow page now and then).
    A web process whose matching a worker does makes its search analyser now (before the
    fork, with `--preload`)."""
    app = create_app()
    matcher = app.extensions["matchmaker_matcher"]
    if matcher.defer is not None:
        matcher.search_analyser()
    gc.freeze()
    return app


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    environ = dict(os.environ)
    if test_config:
        environ.update({k: str(v) for k, v in test_config.items() if k.startswith("MATCHMAKER_")})
    settings = Settings.from_env(environ, Path(app.instance_path))
    settings.check()
    app.config.from_mapping(settings.flask_config())
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if not k.startswith("MATCHMAKER_")})

    if settings.trusted_proxies > 0:  # the client's address and scheme as the proxy saw them
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    db.init_app(app, settings.database_url)
    page_cache.init_app(app, settings.page_cache_entries)  # its before_request goes first
    security_log.init_app(app, settings.security_log)
    app.extensions["matchmaker_locate"] = Locator(
        default_gazetteer, OnlineGeocoder(settings.geocoder, settings.geocoder_user_agent)
    )

    base = MatchSettings.load(settings.match_settings) if settings.match_settings else MatchSettings()
    app.extensions["matchmaker_matcher"] = default_matcher(
        base.with_changes(top_n=settings.match_top_n, radius_km=settings.match_radius_km),
        settings.thesaurus_extra, semantic=settings.semantic, freeze=settings.env != "testing")
    if settings.matching == "worker":  # requests record changes; `matchmaker worker` matches
        app.extensions["matchmaker_matcher"].defer = deferring(settings)

    web_input.init_app(app)  # before the blueprints: their routes use its int converter
    security_headers.init_app(app, production=settings.env == "production",
                              img_origin=settings.map_tile_origin)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    if app.config["RATELIMIT_STORAGE_URI"] == DATABASE_LIMITER_URI:
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"engine": app.extensions["matchmaker_engine"]}
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(cookie_id: str):
        from matchmaker.services.accounts import load_user

        return load_user(db.get_session(), cookie_id)

    from matchmaker import auth, companies, coordinator, directory, errors, impact, listings, main, review
    from matchmaker import map as cluster_map
    from matchmaker.chains import routes as chains
    from matchmaker.notifications import routes as notifications

    for module in (main, auth, companies, listings, directory, coordinator, impact, review, chains,
                   cluster_map, notifications, errors):
        app.register_blueprint(module.bp)

    from matchmaker import api

    api.init_app(app)

    from matchmaker import commands, formatting, labels
    from matchmaker.api import commands as api_commands
    from matchmaker.chains import commands as chain_commands
    from matchmaker.learning import commands as learning_commands
    from matchmaker.review import commands as review_commands
    from matchmaker.worker import commands as worker_commands
    from matchmaker.worker import pages as worker_pages

    commands.init_app(app)
    review_commands.init_app(app)
    learning_commands.init_app(app)
    chain_commands.init_app(app)
    api_commands.init_app(app)
    worker_commands.init_app(app)
    worker_pages.init_app(app)
    labels.register(app)
    formatting.register(app)
    app.jinja_env.globals.update(LANGUAGES={"nb": "Norsk", "en": "English"},
                                 current_language=lambda: str(get_locale() or "nb"))
    return app
