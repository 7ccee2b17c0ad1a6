"""Stored suggestions as data (the `export-matches` command)."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from matchmaker.domain.interchange import neutralise
from matchmaker.models import Company, Listing, Suggestion
from matchmaker.services.matching import reason_text


def _side(company: Company, listing: Listing) -> dict[str, object]:
    listing_part = {"id": listing.id, "title": listing.title, "direction": listing.direction,
                    "kind": listing.kind}
    return {"company": {"id": company.id, "external_id": company.external_id,
                        "name": company.name},
            "listing": listing_part, **listing_part}


def export_matches(session: Session, lang: str = "nb") -> list[dict[str, object]]:
    """Every stored suggestion, best first. `offer` supplies; `need` receives (a need, or the
    processor's capability in a supplier→processor pair)."""
    offer_l, need_l = aliased(Listing), aliased(Listing)
    offer_c, need_c = aliased(Company), aliased(Company)
    rows = session.exec(
        select(Suggestion, offer_l, offer_c, need_l, need_c)
        .join(offer_l, offer_l.id == Suggestion.offer_listing_id)
        .join(offer_c, offer_c.id == Suggestion.offer_company_id)
        .join(need_l, need_l.id == Suggestion.need_listing_id)
        .join(need_c, need_c.id == Suggestion.need_company_id)
        .order_by(Suggestion.score.desc(), Suggestion.id))
    return [{
        "id": s.id, "score": round(s.score, 4),
        "distance_km": None if s.distance_km is None else round(s.distance_km, 1),
        "status": s.status, "pair_type": s.pair_type, "origin": s.origin,
        "settings_version": s.settings_version,
        "reasons": [reason_text(r, lang) for r in s.reasons],
        "offer": _side(oc, ol), "need": _side(nc, nl),
    } for s, ol, oc, nl, nc in rows]


CSV_COLUMNS = (
    "id", "score", "distance_km", "status", "pair_type", "origin", "settings_version",
    "offer_company_id", "offer_company_external_id", "offer_company_name", "offer_listing_id",
    "offer_title", "offer_direction", "offer_kind",
    "need_company_id", "need_company_external_id", "need_company_name", "need_listing_id",
    "need_title", "need_direction", "need_kind", "reasons",
)


def matches_csv(matches: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in matches:
        cells: list[object] = [m[k] for k in CSV_COLUMNS[:7]]
        for side in ("offer", "need"):
            part = m[side]
            cells += [part["company"]["id"], part["company"]["external_id"] or "",
                      part["company"]["name"], part["id"], part["title"], part["direction"],
                      part["kind"]]
        cells.append(" | ".join(m["reasons"]))
        writer.writerow(["" if c is None else neutralise(str(c)) for c in cells])
    return out.getvalue()
