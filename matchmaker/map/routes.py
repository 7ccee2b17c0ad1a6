"""`/map` (the page), `/map/data.json` (what it draws) and the map library's files.

The page carries no data: its script fetches the JSON, so nothing user-written is ever inlined
into a script, and the Content-Security-Policy needs no exception.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, request, send_from_directory, url_for
from flask_login import current_user

from matchmaker.auth.membership import members_only
from matchmaker.db import get_session
from matchmaker.map import bp, labels, vendor
from matchmaker.page_cache import cached_page
from matchmaker.services.cluster_map import KINDS, ClusterMap, MapFilters, cluster_map, statuses_for


def _filters() -> MapFilters:
    """From the filter form; `f` marks a sent form, so unticking everything shows no links."""
    sent = "f" in request.args
    return MapFilters.parse(current_user, request.args.getlist("status") if sent else None,
                            request.args.getlist("kind") if sent else None)


def _payload(data: ClusterMap) -> dict[str, object]:
    """The service's data plus where each click leads, the labels and the optional tiles."""
    payload = data.to_dict()
    for company in payload["companies"]:
        company["url"] = url_for("companies.show", company_id=company["id"])
    for link in payload["links"]:
        link["url"] = (url_for("review.detail", suggestion_id=link["id"])
                       if current_user.is_coordinator
                       else url_for("review.partners", show=link["id"], _anchor=f"s{link['id']}"))
    settings = current_app.config["MATCHMAKER"]
    payload["tiles"] = ({"url": settings.map_tile_url, "attribution": settings.map_attribution}
                        if settings.map_tile_url else None)
    payload["labels"] = labels.for_browser()
    return payload


@bp.route("/map")
@cached_page
@members_only
def index():
    filters = _filters()
    query = {"f": "1", "status": sorted(filters.statuses), "kind": sorted(filters.kinds)}
    return render_template(
        "map/index.html", filters=filters, statuses=statuses_for(current_user), kinds=KINDS,
        trades=labels.TRADE, data_url=url_for("map.data", **query),
        leaflet=vendor.LEAFLET, markercluster=vendor.MARKERCLUSTER)


@bp.route("/map/data.json")
@members_only
def data():
    response = jsonify(_payload(cluster_map(get_session(), current_user, _filters())))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/map/vendor/<package>/<path:filename>")
def vendor_file(package: str, filename: str):
    folder = vendor.PACKAGES.get(package)
    if folder is None:
        abort(404)
    return send_from_directory(folder, filename, max_age=vendor.CACHE_SECONDS)
