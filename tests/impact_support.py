"""A known cluster for the impact tests (dashboard and API): its figures are worked out by hand
in tests/test_impact.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from matchmaker.models import SuggestionEvent
from tests.conftest import make_company
from tests.review_support import add_listing, add_suggestion


def at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, 0, tzinfo=UTC)


@dataclass
class Cluster:
    ids: dict[str, int]


def build(session, coordinator) -> Cluster:
    """Four companies in three municipalities, ten listings, eight pairs, twelve log entries.

    Kongsvinger: A (sawmill), D (foundry, no trade given); Grue: B (pellets);
    Nord-Odal: C (biogas, only a NACE code).
    """
    a = make_company(session, "Granli Sag AS", "a@granli.example", industry="Sagbruk")
    b = make_company(session, "Vinger Pellets AS", "b@vinger.example", municipality="Grue",
                     industry="Pellets")
    c = make_company(session, "Odal Biogass AS", "c@odal.example", municipality="Nord-Odal",
                     nace_code="35.210")
    d = make_company(session, "Kongsvinger Støperi AS", "d@stoperi.example")
    L = add_listing  # noqa: N806
    oa1 = L(session, a, "offer", "by-product", "Sagflis", quantity=400.0, unit="m3", frequency="year")
    oa2 = L(session, a, "offer", "by-product", "Bark", quantity=50.0, unit="t", frequency="month")
    oa3 = L(session, a, "offer", "material", "Hemmelig flis", quantity=1000.0, unit="tonn",
            visibility="coordinator")
    od1 = L(session, d, "offer", "by-product", "Støpesand", quantity=2000.0, unit="kg",
            frequency="week")
    od2 = L(session, d, "offer", "energy", "Spillvarme", quantity=5.0, unit="GWh", frequency="year")
    L(session, a, "offer", "material", "Gammelt lager", quantity=999.0, unit="t", active=False)
    nb1 = L(session, b, "need", "by-product", "Sawdust for pellets")
    nb2 = L(session, b, "need", "material", "Sand")
    nc1 = L(session, c, "need", "by-product", "Bark til biogass")
    nc2 = L(session, c, "need", "material", "Flis til fyring")
    S = add_suggestion  # noqa: N806
    s = {
        1: S(session, oa1, nb1, distance_km=30.0, status="agreement", offer_answer="interested",
             outcome_volume=350.0, outcome_unit="m3", created_at=at(1, 15)),
        2: S(session, oa2, nc1, distance_km=40.0, status="agreement", outcome_volume=500.0,
             outcome_unit="t", created_at=at(1, 15)),
        3: S(session, oa3, nc2, distance_km=20.0, status="rejected", created_at=at(1, 15)),
        4: S(session, oa3, nb2, distance_km=200.0, created_at=at(1, 15)),
        5: S(session, od1, nb2, distance_km=10.0, status="introduced", need_answer="interested",
             created_at=at(3, 10)),
        6: S(session, od1, nc1, distance_km=50.0, status="no_deal", created_at=at(3, 10)),
        7: S(session, oa2, nb2, distance_km=60.0, status="agreement", outcome_volume=20000.0,
             outcome_unit="kg", created_at=at(3, 10)),
        8: S(session, od2, nc2, distance_km=None, status="agreement", outcome_volume=2.0,
             outcome_unit="GWh", created_at=at(3, 10)),
    }
    log = [(1, "answer", None, at(1, 20)), (1, "answer", None, at(1, 21)),
           (1, "transition", "introduced", at(1, 25)), (1, "note", None, at(2, 2)),
           (1, "transition", "agreement", at(3, 5)),
           (2, "transition", "introduced", at(2, 1)), (2, "transition", "agreement", at(2, 20)),
           (5, "answer", None, at(3, 12)), (5, "transition", "introduced", at(3, 15)),
           (6, "transition", "introduced", at(3, 11)), (6, "transition", "no_deal", at(3, 20)),
           (7, "transition", "introduced", at(3, 11)), (7, "transition", "agreement", at(3, 25)),
           (8, "transition", "introduced", at(3, 11)), (8, "transition", "agreement", at(3, 26))]
    for n, action, to_status, when in log:
        session.add(SuggestionEvent(suggestion_id=s[n].id, action=action, to_status=to_status,
                                    created_at=when, actor="koordinator@example.no"))
    session.commit()
    return Cluster({"a": a, "b": b, "c": c, "d": d})
