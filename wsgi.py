"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from matchmaker import serving_app

app = serving_app()
