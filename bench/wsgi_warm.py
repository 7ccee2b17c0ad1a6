"""`gunicorn --preload bench.wsgi_warm:app`: the app with its matching index built once, before
gunicorn forks its workers, so that they share it (copy-on-write) instead of each building
its own on its first listing write or directory search (20-30 s and 0.5 GB each at 10k).
The engine's connections are closed before the fork; every worker opens its own.
"""

from sqlmodel import Session

from matchmaker import serving_app

app = serving_app()
_engine = app.extensions["matchmaker_engine"]
_matcher = app.extensions["matchmaker_matcher"]
if _matcher.defer is None:  # MATCHMAKER_MATCHING=inline; with a matching worker there is none to share
    with app.app_context(), Session(_engine) as _session:
        _matcher.current(_session)
_engine.dispose()
