"""Refit the score weights and the suggestion threshold, and say what it changes.

``learn`` takes labelled sets (fitted on their **tuning** parts only) and, optionally,
look-ups from the coordinator's decisions; it cross-validates the regularisation, fits the
weights (``fit``), then picks ``min_score`` from ``MIN_SCORE_GRID`` by the tuning parts' MRR
(ties: the higher threshold, fewer weak suggestions). The report measures both parts of
every set with the current and the learned settings — the held-out part is measured, never
fitted on. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matchmaker.learning.fit import CrossValidation, Lookup, cross_validate, fit_weights
from matchmaker.learning.labelled import PARTS, LabelledSet
from matchmaker.learning.lookups import labelled_lookups
from matchmaker.learning.metrics import Metrics, measure
from matchmaker.learning.rankers import engine_rankings
from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Thesaurus, Weights
from matchmaker.matching.settings import COMPONENTS

MIN_SCORE_GRID: tuple[float, ...] = (0.2, 0.25, 0.3, 0.35, 0.4)


@dataclass
class LearnReport:
    base: MatchSettings
    learned: MatchSettings
    cv: CrossValidation
    lookups: int
    silent: int  # look-ups whose true partner is no candidate at all (no weight can help)
    decisions: int
    measured: list[tuple[str, str, str, Metrics]] = field(default_factory=list)  # set, part, which, m

    def lines(self) -> list[str]:
        out = [
            f"look-ups: {self.lookups} from tuning parts, {self.decisions} from decisions; "
            f"{self.silent} without their partner among the candidates",
            "cross-validated MRR by C: "
            + ", ".join(f"{c:g}: {v:.3f}" for c, v in sorted(self.cv.mrr_by_c.items()))
            + f"  -> C={self.cv.c:g} ({self.cv.folds} folds)",
            "weights:   " + "  ".join(f"{c}={self.learned.weights.as_dict()[c]:.3f}" for c in COMPONENTS),
            f"min_score: {self.base.min_score:g} -> {self.learned.min_score:g}",
        ]
        for name, part, which, m in self.measured:
            out.append(f"{name:<10} {part:<8} " + m.line(which))
        return out


def learn(
    sets: Sequence[tuple[LabelledSet, list[ListingRecord]]],
    base: MatchSettings,
    thesaurus: Thesaurus,
    decisions: Sequence[Lookup] = (),
    version: str | None = None,
) -> LearnReport:
    """Fit on the tuning parts (records may carry vectors), measure every part."""
    lookups: list[Lookup] = list(decisions)
    silent = 0
    for ls, records in sets:
        found, missed = labelled_lookups(ls, MatchIndex.build(records, base, thesaurus))
        lookups += found
        silent += missed
    cv = cross_validate(lookups)
    w = fit_weights(lookups, cv.c)
    weights = Weights(**{c: round(float(v), 4) for c, v in zip(COMPONENTS, w, strict=True)})
    fitted = base.with_changes(weights=weights, version=version or f"learned-{date.today().isoformat()}")

    def tuning_mrr(s: MatchSettings) -> float:
        per_set = [measure(engine_rankings(r, s, thesaurus), ls.part("tuning")) for ls, r in sets]
        return float(np.mean([m.mrr for m in per_set]))

    best = max(MIN_SCORE_GRID, key=lambda t: (round(tuning_mrr(fitted.with_changes(min_score=t)), 4), t))
    learned = fitted.with_changes(min_score=best)
    report = LearnReport(base, learned, cv, len(lookups) - len(decisions), silent, len(decisions))
    for ls, records in sets:
        for which, s in (("current", base), ("learned", learned)):
            ranking = engine_rankings(records, s, thesaurus)
            for part in PARTS:
                report.measured.append((ls.name, part, which, measure(ranking, ls.part(part))))
    return report
