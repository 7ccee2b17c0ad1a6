"""A small registry of value chains for the chain tests (pages, CLI and API).

Granli Sag (a) sells sawdust to Vinger Pellets (b), whose pellets go to Lia Veksthus (c);
Lia's confidential compost goes to Odal Jord (d).
"""

from __future__ import annotations

from tests.conftest import make_company
from tests.review_support import add_listing, add_suggestion


def make_registry(session, two_companies) -> dict:
    a, b = two_companies
    c = make_company(session, "Lia Veksthus AS", "c@lia.example", municipality="Grue")
    d = make_company(session, "Odal Jord AS", "d@odal.example", municipality="Sør-Odal")
    sawdust = add_listing(session, a, "offer", "by-product", "=Sagflis fra gran")
    wants_sawdust = add_listing(session, b, "need", "by-product", "Sagflis til pellets")
    pellets = add_listing(session, b, "offer", "material", "Trepellets")
    wants_pellets = add_listing(session, c, "need", "material", "Pellets til fyring")
    compost = add_listing(session, c, "offer", "by-product", "Kompost fra veksthus",
                          visibility="coordinator")
    wants_compost = add_listing(session, d, "need", "material", "Kompost til jord")
    s1 = add_suggestion(session, sawdust, wants_sawdust, score=0.8, distance_km=30)
    s2 = add_suggestion(session, pellets, wants_pellets, score=0.7, distance_km=20)
    s3 = add_suggestion(session, compost, wants_compost, score=0.9, distance_km=10)
    return {"a": a, "b": b, "c": c, "d": d, "s": (s1.id, s2.id, s3.id),
            "pellets": pellets, "compost": compost}
