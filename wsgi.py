"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from matchmaker import create_app

app = create_app()
