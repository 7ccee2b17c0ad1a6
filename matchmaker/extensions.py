"""Flask extensions, created unbound here and bound to the app in create_app."""

from functools import cached_property

from flask import g
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect


class RequestDomain(Domain):
    """Flask-Babel's domain, which finds the translations once per request and locale, not
    once per string: a page translates some hundreds of strings, and the lookup (request
    context, locale, its name, the catalogue cache) cost three times the translating."""

    def get_translations(self):  # noqa: ANN201
        if not g:  # outside a request or app context: Flask-Babel's own answer
            return super().get_translations()
        locale = get_locale()  # force_locale (mails) changes it within a request
        found = g.get("_babel_translations")
        if found is None or found[0] is not locale:
            found = (locale, super().get_translations())
            g._babel_translations = found
        return found[1]


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)


babel = RequestBabel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
