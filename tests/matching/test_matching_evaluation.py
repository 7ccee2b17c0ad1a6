"""Quality floor on the hand-labelled evaluation set (tests/data/match_eval.json).

Run ``python bench/evaluate.py --by-tag --misses`` for the full report. The floors sit a
little below what the engine reaches, so a change that loses real matches fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "data" / "match_eval.json"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RECALL_AT_5_FLOOR = 0.92
MRR_FLOOR = 0.75


@pytest.fixture(scope="module")
def evaluated():  # type: ignore[no-untyped-def]
    if not EVAL.exists():
        pytest.skip("tests/data/match_eval.json is not there")
    from bench.evaluate import engine_rankings, load_eval, metrics, naive_rankings, ranks

    ev = load_eval(EVAL)
    return ev, metrics(ranks(ev, engine_rankings(ev))), metrics(ranks(ev, naive_rankings(ev)))


def test_recall_at_5_stays_above_the_floor(evaluated) -> None:  # type: ignore[no-untyped-def]
    ev, engine, _ = evaluated
    assert engine.n == 2 * len(ev.pairs) > 0
    assert engine.recall[5] >= RECALL_AT_5_FLOOR, engine.line("engine")
    assert engine.mrr >= MRR_FLOOR, engine.line("engine")


def test_engine_beats_the_naive_baseline(evaluated) -> None:  # type: ignore[no-untyped-def]
    _, engine, naive = evaluated
    assert engine.recall[5] > naive.recall[5] + 0.2
    assert engine.mrr > naive.mrr
