"""The audit log: every move of every suggestion, as pages and as CSV/JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from matchmaker.models import SuggestionEvent
from matchmaker.services.partners import csv_text

AUDIT_COLUMNS = ("id", "created_at", "suggestion_id", "pair", "actor", "action", "from_status",
                 "to_status", "note")


@dataclass(frozen=True)
class AuditPage:
    events: list[SuggestionEvent]
    total: int
    page: int
    pages: int


def audit_page(session: Session, page: int = 1, per_page: int = 100,
               suggestion_id: int | None = None) -> AuditPage:
    conds = [SuggestionEvent.suggestion_id == suggestion_id] if suggestion_id else []
    total = session.exec(select(func.count(SuggestionEvent.id)).where(*conds)).one()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    events = list(session.exec(
        select(SuggestionEvent).where(*conds)
        .order_by(col(SuggestionEvent.created_at).desc(), col(SuggestionEvent.id).desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(events, total, page, pages)


def audit_export(session: Session, fmt: str) -> str:
    """The whole audit log, oldest first, as CSV (cells neutralised) or JSON."""
    events = session.exec(select(SuggestionEvent)
                          .order_by(col(SuggestionEvent.created_at), col(SuggestionEvent.id)))
    records = [{name: getattr(e, name) for name in AUDIT_COLUMNS} for e in events]
    for record in records:
        record["created_at"] = record["created_at"].isoformat()
    if fmt == "json":
        return json.dumps({"format": "matchmaker/audit-v1", "events": records},
                          ensure_ascii=False, indent=2) + "\n"
    return csv_text(AUDIT_COLUMNS, ([r[name] for name in AUDIT_COLUMNS] for r in records))
