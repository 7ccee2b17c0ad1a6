"""The impact figures as the API shows them: the very tables behind the dashboard and its CSVs
(``impact.tables``), each row an object keyed by the CSV's columns, plus the assumptions."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session

from matchmaker.config import Settings
from matchmaker.impact.tables import tables
from matchmaker.services import impact as impact_service


def impact(session: Session, settings: Settings) -> dict:
    figures = impact_service.impact(session, settings)
    return {"assumptions": asdict(figures.assumptions),
            **{t.name: [dict(zip(t.columns, row, strict=True)) for row in t.rows]
               for t in tables(figures)}}
