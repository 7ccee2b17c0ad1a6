"""Suggested partners for companies; review, introductions and the audit log for coordinators."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from matchmaker.review import introductions, labels, routes  # noqa: E402, F401

bp.record_once(lambda state: labels.register(state.app))
