"""Flask extensions, created unbound here and bound to the app in create_app."""

from functools import cached_property

from flask import current_app, g, request
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_login.config import COOKIE_NAME
from flask_wtf import CSRFProtect


class RequestDomain(Domain):
    """Flask-Babel's domain, which finds the translations once per request and locale, not
    once per string: a page translates some hundreds of strings, and the lookup (request
    context, locale, its name, the catalogue cache) cost three times the translating."""

    def get_translations(self):  # noqa: ANN201
        try:  # the common case in one proxy look-up: locale already chosen for this request
            ctx = g._get_current_object()._flask_babel
            locale = ctx.babel_locale
        except (RuntimeError, AttributeError):
            ctx = locale = None
        if locale is None:
            if not g:  # outside a request or app context: Flask-Babel's own answer
                return super().get_translations()
            locale = get_locale()  # chooses it; force_locale (mails) changes it within a request
            ctx = g._flask_babel
        found = getattr(ctx, "matchmaker_translations", None)
        if found is None or found[0] is not locale:
            found = (locale, super().get_translations())
            ctx.matchmaker_translations = found
        return found[1]


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)

    def init_app(self, app, *args, **kwargs) -> None:  # noqa: ANN001
        """Flask-Babel's, with template gettext that asks this domain directly (its own asks
        for the domain first, three request-context look-ups per string)."""
        super().init_app(app, *args, **kwargs)

        def translations():  # noqa: ANN202
            return self.domain_instance.get_translations()

        app.jinja_env.install_gettext_callables(
            gettext=lambda s: translations().ugettext(s),
            ngettext=lambda s, p, n: translations().ungettext(s, p, n),
            pgettext=lambda c, s: translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
            newstyle=True,
        )


babel = RequestBabel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def has_remember_cookie() -> bool:
    """The request carries Flask-Login's remember-me cookie (under the configured name)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
