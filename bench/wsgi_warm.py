"""`gunicorn --preload bench.wsgi_warm:app`: the app with its matching index built once, before
gunicorn forks its workers, so that they share it (copy-on-write) instead of each building
its own on its first listing write or directory search (20-30 s and 0.5 GB each at 10k).
The engine's connections are closed before the fork; every worker opens its own.
"""

from sqlmodel import Session

from matchmaker import serving_app

app = serving_app()
_engine = app.extensions["matchmaker_engine"]
with app.app_context(), Session(_engine) as _session:
    app.extensions["matchmaker_matcher"].current(_session)
_engine.dispose()
