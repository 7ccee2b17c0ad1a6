"""Refitting the engine from the labelled sets and from the coordinator's decisions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from matchmaker.domain.workflow import Status
from matchmaker.embedding import CachedEmbedder, with_vectors
from matchmaker.learning.labelled import LabelledSet
from matchmaker.learning.learn import LearnReport, learn
from matchmaker.learning.lookups import decision_lookups
from matchmaker.models import Suggestion
from matchmaker.services.matching import Matcher

#: a person's decision that the pair is right, and that it is wrong
ACCEPTED: frozenset[str] = frozenset({Status.INTRODUCED, Status.IN_DIALOGUE, Status.AGREEMENT})
REJECTED: frozenset[str] = frozenset({Status.REJECTED})


def decided_pairs(session: Session) -> list[tuple[int, int, bool]]:
    """(offer listing, need listing, accepted?) of every engine pair a person has decided."""
    rows = session.exec(
        select(Suggestion.offer_listing_id, Suggestion.need_listing_id, Suggestion.status)
        .where(col(Suggestion.status).in_(sorted(ACCEPTED | REJECTED)))
    )
    return [(offer, need, status in ACCEPTED) for offer, need, status in rows]


def refit(session: Session, matcher: Matcher, sets: Sequence[LabelledSet], *, use_decisions: bool,
          cache: Path, version: str | None = None, levels: bool = False) -> LearnReport:
    """Fit weights and threshold on the sets' tuning parts (+ decisions); nothing is written."""
    embedder = matcher.embedder
    cached = None if embedder is None else CachedEmbedder(embedder, cache)
    labelled = [(ls, ls.records if cached is None else with_vectors(ls.records, cached)) for ls in sets]
    decisions = []
    if use_decisions:
        decided = decided_pairs(session)
        if decided:
            decisions = decision_lookups(matcher.current(session), decided)
    return learn(labelled, matcher.settings, matcher.thesaurus, decisions, version, levels=levels)


def write_settings(path: Path, report: LearnReport) -> None:
    """A settings file (``MATCHMAKER_MATCH_SETTINGS``) with how it was fitted beside it."""
    data = report.learned.to_dict()
    data["fit"] = {
        "date": date.today().isoformat(),
        "from_version": report.base.version_label(),
        "lookups": report.lookups,
        "decisions": report.decisions,
        "cross_validated_mrr_by_c": {str(c): round(v, 4) for c, v in report.cv.mrr_by_c.items()},
        "c": report.cv.c,
        "levels": None if report.levels is None else {
            "tried": report.levels.tried, "changed": {k: list(v) for k, v in report.levels.changed.items()}},
        "measured": [
            {"set": s, "part": part, "settings": which, "lookups": m.n, "mrr": round(m.mrr, 4),
             **{f"recall@{k}": round(v, 4) for k, v in m.recall.items()}}
            for s, part, which, m in report.measured
        ],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")



