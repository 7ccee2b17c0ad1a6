"""/api/v1/listings: the listings the caller may see (as the web shows them), and a company's
own listings written as the web's listing form writes them."""

from __future__ import annotations

from flask import current_app, url_for

from matchmaker.api import bp
from matchmaker.api.auth import user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.listings import (
    ListingChangeSchema,
    ListingDetailSchema,
    ListingInSchema,
    ListingPageSchema,
    ListingQuerySchema,
)
from matchmaker.db import get_session
from matchmaker.services import api_listings
from matchmaker.services import listings as listing_service

_LOCATION = {"Location": {"description": "the new listing", "schema": {"type": "string"}}}


def _matcher():  # noqa: ANN202
    return current_app.extensions["matchmaker_matcher"]


@bp.route("/listings")
@bp.arguments(ListingQuerySchema, location="query")
@bp.response(200, ListingPageSchema)
@errors(422)
def list_listings(query: dict):
    """A company's own listings (confidential and inactive ones too) and the other members'
    public, active ones; every listing for the coordinator."""
    return api_listings.listings(get_session(), user(), query["page"], query["per_page"],
                                 mine=query["mine"], direction=query.get("direction", ""),
                                 company_id=query.get("company_id"))


@bp.route("/listings", methods=["POST"])
@bp.arguments(ListingInSchema)
@bp.response(201, ListingDetailSchema, headers=_LOCATION)
@errors(400, 413, 415, 422)
def create_listing(body: dict):
    """A new listing of the caller's company (403 for a user without one). Matching is run
    again for it."""
    listing = api_listings.create(get_session(), user(), body, _matcher())
    return listing, {"Location": url_for("api.get_listing", listing_id=listing.id)}


@bp.route("/listings/<int:listing_id>")
@bp.response(200, ListingDetailSchema)
@errors(404)
def get_listing(listing_id: int):
    """One listing the caller may see."""
    return listing_service.visible_listing(get_session(), user(), listing_id)


@bp.route("/listings/<int:listing_id>", methods=["PATCH"])
@bp.arguments(ListingChangeSchema)
@bp.response(200, ListingDetailSchema)
@errors(400, 404, 413, 415, 422)
def change_listing(body: dict, listing_id: int):
    """Change some fields of the caller's own listing (403 for another company's)."""
    return api_listings.update(get_session(), user(), listing_id, body, _matcher())


@bp.route("/listings/<int:listing_id>/deactivate", methods=["POST"])
@bp.response(200, ListingDetailSchema)
@errors(404, 413, 415)
def deactivate_listing(listing_id: int):
    """Hide the caller's own listing from the others and from matching, without deleting it."""
    return listing_service.set_listing_active(get_session(), user(), listing_id, False, _matcher())


@bp.route("/listings/<int:listing_id>/activate", methods=["POST"])
@bp.response(200, ListingDetailSchema)
@errors(404, 413, 415)
def activate_listing(listing_id: int):
    return listing_service.set_listing_active(get_session(), user(), listing_id, True, _matcher())


@bp.route("/listings/<int:listing_id>", methods=["DELETE"])
@bp.response(204)
@errors(404)
def delete_listing(listing_id: int):
    """Delete the caller's own listing."""
    listing_service.delete_listing(get_session(), user(), listing_id, _matcher())
