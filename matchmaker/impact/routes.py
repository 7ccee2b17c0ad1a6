"""/coordinator/impact: the page, its charts (SVG) and its tables (CSV). Coordinators only."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template
from flask_babel import gettext as _

from matchmaker.coordinator.routes import coordinator_required
from matchmaker.db import get_session
from matchmaker.impact import bp, charts
from matchmaker.impact import tables as impact_tables
from matchmaker.impact.labels import LABELS, TABLE_TITLES, co2_source, label
from matchmaker.page_cache import cached_page
from matchmaker.security_headers import view_policy
from matchmaker.services import impact as impact_service
from matchmaker.services.partners import csv_text

# An SVG we drew ourselves: inline styles (matplotlib writes them), nothing else at all.
SVG_POLICY = {"default-src": "'none'", "style-src": "'unsafe-inline'"}
CHART_NAMES = ",".join(charts.CHARTS)
TABLE_NAMES = ",".join(impact_tables.TABLE_NAMES)


def _impact():
    return impact_service.impact(get_session(), current_app.config["MATCHMAKER"])


def _csv(table: impact_tables.Table, filename: str) -> Response:
    text = csv_text(table.columns, ([impact_tables.number(v) for v in row] for row in table.rows))
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.route("/impact")
@cached_page
@coordinator_required
def page():
    impact = _impact()
    return render_template("coordinator/impact.html", impact=impact, LABELS=LABELS,
                           TABLE_TITLES=TABLE_TITLES, co2_source=co2_source)


@bp.route("/impact.csv")
@coordinator_required
def export_all():
    return _csv(impact_tables.combined(impact_tables.tables(_impact())), "impact.csv")


@bp.route(f"/impact/<any({TABLE_NAMES}):name>.csv")
@coordinator_required
def export_table(name: str):
    table = impact_tables.table(_impact(), name)
    if table is None:
        abort(404)
    return _csv(table, f"impact-{name}.csv")


@bp.route(f"/impact/<any({CHART_NAMES}):name>.svg")
@view_policy(content_security_policy=SVG_POLICY)
@coordinator_required
def chart(name: str):
    svg = charts.CHARTS[name](_impact(), label, _("No data yet"))
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})
