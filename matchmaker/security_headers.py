"""Security headers on every response, error pages included (Flask-Talisman).

The policy allows scripts, styles, images and fonts from our own origin only (the app serves
its own assets; no inline script or style), no plugins, and no framing by any site, so the
coordinator's forms cannot be clickjacked. HSTS is sent in production on HTTPS requests
(directly or behind a proxy that sets ``X-Forwarded-Proto: https``); TLS itself is the
proxy's job, so nothing here redirects to HTTPS.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_SECONDS = 365 * 24 * 3600

talisman = Talisman()


def init_app(app: Flask, production: bool) -> None:
    talisman.init_app(
        app,
        force_https=False,
        strict_transport_security=production,
        strict_transport_security_max_age=HSTS_SECONDS,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        # no Referer to other sites (a reset link's token stays here); same-origin requests
        # keep it, which Flask-WTF's CSRF check needs on HTTPS
        referrer_policy="same-origin",
        session_cookie_secure=production,
        session_cookie_http_only=True,
    )
