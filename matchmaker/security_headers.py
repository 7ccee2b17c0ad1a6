"""Security headers on every response, error pages included (Flask-Talisman).

The policy allows scripts, styles, images and fonts from our own origin only (the app serves
its own assets; no inline script or style), no plugins, and no framing by any site, so the
coordinator's forms cannot be clickjacked. HSTS is sent in production on HTTPS requests
(directly or behind a proxy that sets ``X-Forwarded-Proto: https``); TLS itself is the
proxy's job, so nothing here redirects to HTTPS. Only a configured map tile server
(``MATCHMAKER_MAP_TILE_URL``) widens the policy, and only for images.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from flask_talisman import Talisman

F = TypeVar("F", bound=Callable[..., Any])

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


def policy(img_origin: str = "") -> dict[str, str]:
    """The policy; `img_origin` (a tile server) is added to img-src alone."""
    if not img_origin:
        return CONTENT_SECURITY_POLICY
    return {**CONTENT_SECURITY_POLICY,
            "img-src": f"{CONTENT_SECURITY_POLICY['img-src']} {img_origin}"}


def view_policy(**options: object) -> Callable[[F], F]:
    """Per-view header options (e.g. a narrower policy for a generated SVG). Talisman reads
    them from the view function, whichever app's instance set them."""
    return Talisman()(**options)  # type: ignore[no-any-return]


def init_app(app: Flask, production: bool, img_origin: str = "") -> None:
    # One Talisman per app: it keeps its policy on the instance, and apps may differ in tiles.
    Talisman().init_app(
        app,
        force_https=False,
        strict_transport_security=production,
        strict_transport_security_max_age=HSTS_SECONDS,
        content_security_policy=policy(img_origin),
        frame_options="DENY",
        # no Referer to other sites (a reset link's token stays here); same-origin requests
        # keep it, which Flask-WTF's CSRF check needs on HTTPS
        referrer_policy="same-origin",
        session_cookie_secure=production,
        session_cookie_http_only=True,
    )
