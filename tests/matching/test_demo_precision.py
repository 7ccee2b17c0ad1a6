"""Precision floor on the demo cluster (seed_data/demo_cluster.json).

``tests/data/demo_expectations.json`` transcribes the pairs the demo data's author designed
from domain knowledge (``must_suggest``) and the distractors / nonsense pairs that must not
be suggested (``must_not_suggest``). The index is built straight from the JSON, no database,
with the listings' sentence vectors and the companies' locations as the service stores them.
Weak pairs are suggested as weak (a need gets its best candidates unless nothing is
related), so a distractor may be suggested — but the receiving listing must not rank it first.
``python bench/evaluate_demo.py --list`` prints the full report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "seed_data" / "demo_cluster.json"
EXPECT = ROOT / "tests" / "data" / "demo_expectations.json"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (2026.12-5: the heating plants' needs for fuel compare as goods, so "Granbark" is suggested
# again, 6th for "Flis og biobrensle til varmesentralen" behind dry wood residues; 2026.12-6:
# 5th, and one weak pair by meaning more, "Energiflis G30" for "Keramiske fliser til ombruk",
# 0.44: both say "flis", read as chips and as tiles, and the refit weights count nearness more;
# 2026.12-7, local scaling: all 68 needs)
MUST_SUGGESTED_FLOOR = 70  # of 70 designed pairs suggested at all (product pairs included)
MUST_TOP5_FLOOR = 70  # ... and within the top 5 of the offer listing's own ranking
MUST_TOP5_RECEIVER_FLOOR = 66  # ... and of the receiving listing's
NEED_TOP5_FLOOR = 68  # of 68 designed pairs into a need: in the need's top 5, its other designed
# partners skipped (the criterion)
MUST_NOT_FIRST_CEILING = 1  # of 24 distractor / nonsense pairs ranked first by the receiver (goal: 0)
MUST_NOT_CEILING = 8  # ... suggested at all, as weak pairs


@pytest.fixture(scope="module")
def demo_report():  # type: ignore[no-untyped-def]
    if not DEMO.exists() or not EXPECT.exists():
        pytest.skip("demo cluster or its expectations are not there")
    from bench.evaluate_demo import evaluate_demo, load_demo

    demo = load_demo(DEMO)
    expect = json.loads(EXPECT.read_text(encoding="utf-8"))
    report, _, index = evaluate_demo(demo, expect)
    return demo, expect, report, index


def test_demo_records_come_from_the_json(demo_report) -> None:  # type: ignore[no-untyped-def]
    demo, expect, _, _ = demo_report
    names = set(demo.ids)
    for a, b in expect["must_suggest"] + expect["must_not_suggest"]:
        assert a in names and b in names, (a, b)
    assert all(r.lat is not None and r.lon is not None for r in demo.records)
    # two companies give no coordinates: placed by their postcodes, as `matchmaker demo` does
    granli = next(r for r in demo.records if r.listing_id == demo.ids["granli-sag/l1"])
    assert (granli.lat, granli.lon) == (60.16, 12.08)  # 2210 Granli


def test_designed_pairs_are_suggested(demo_report) -> None:  # type: ignore[no-untyped-def]
    _, _, report, _ = demo_report
    assert report.must_suggested >= MUST_SUGGESTED_FLOOR, report.missed
    assert report.must_top5 >= MUST_TOP5_FLOOR, report.not_top5
    assert report.must_top5_receiver >= MUST_TOP5_RECEIVER_FLOOR
    assert report.need_pairs == 68 and report.need_top5 >= NEED_TOP5_FLOOR, report.need_misses


def test_distractors_and_nonsense_pairs_are_not_suggested(demo_report) -> None:  # type: ignore[no-untyped-def]
    _, _, report, _ = demo_report
    assert report.must_not_suggested <= MUST_NOT_CEILING, report.bad
    assert report.must_not_first <= MUST_NOT_FIRST_CEILING


@pytest.mark.parametrize(
    ("offer", "need"),
    [
        ("granli-sag/l1", "abogen-emballasje/l2"),  # species words carried it
        ("nordsiden-riving/l4", "grundset-bakeri/l2"),  # teglstein ~ stone-ground
        ("finnskogen-villsau/l1", "solor-biogass/l2"),  # wool ~ manure via sheep
        ("sagstua-molle/l1", "sander-bryggeri/l4"),  # rye flour ~ malting barley
        ("vinger-kjetting/l1", "flisa-naervarme/l1"),  # steel "kapp" ~ wood residue
        ("sagstua-molle/l2", "flisa-frakt/l4"),  # "egnet til fôr eller biogass"
        ("gardvik-snekkeri/l2", "mjos-metallretur/l1"),  # sponplatekapp ~ platekapp
        ("gardvik-snekkeri/l2", "skotterud-pellets/l1"),  # "ikke egnet til pellets"
        ("sagstua-molle/l4", "sander-bryggeri/l4"),  # feed barley for malting: feed grade falls short
        # siblings under one concept are still ranked first: a known gap (issue 8)
        pytest.param("brandval-gardsdrift/l3", "finnskogen-villsau/l2", marks=pytest.mark.xfail(strict=True)),
    ],
)
def test_known_nonsense_pairs_are_never_ranked_first(demo_report, offer: str, need: str) -> None:  # type: ignore[no-untyped-def]
    demo, expect, _, index = demo_report
    assert [offer, need] in expect["must_not_suggest"]
    first = index.ranked_for(demo.ids[need], limit=1)
    assert not (first and first[0].involves(demo.ids[offer]))
