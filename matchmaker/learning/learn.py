"""Refit the score weights and the suggestion threshold, and say what it changes.

``learn`` takes labelled sets (fitted on their **tuning** parts only) and, optionally,
look-ups from the coordinator's decisions; with ``levels`` it first chooses the comparisons'
level values (``levels``); it cross-validates the regularisation, fits the weights (``fit``),
keeps them only if they rank the tuning parts better than the current ones, and picks
``min_score`` from ``MIN_SCORE_GRID`` by the tuning parts' MRR among the thresholds that keep
their recall@10 (ties: the current threshold, else the higher one). The report measures both parts of
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
from matchmaker.learning.levels import LevelSearch, search_levels
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
    levels: LevelSearch | None = None  # with ``levels=True``: the level values chosen first
    weights_kept: bool = False  # the refit ranked the tuning parts no better: weights unchanged

    def lines(self) -> list[str]:
        out = []
        if self.levels is not None:
            found = self.levels
            changes = ", ".join(f"{k} {a:g} -> {b:g}" for k, (a, b) in found.changed.items()) or "none"
            out.append(f"levels ({found.tried} tried, tuning MRR {found.start_mrr:.3f} -> {found.mrr:.3f}"
                       f" before refitting the weights): {changes}")
        out += [
            f"look-ups: {self.lookups} from tuning parts, {self.decisions} from decisions; "
            f"{self.silent} without their partner among the candidates",
            "cross-validated MRR by C: "
            + ", ".join(f"{c:g}: {v:.3f}" for c, v in sorted(self.cv.mrr_by_c.items()))
            + f"  -> C={self.cv.c:g} ({self.cv.folds} folds)",
            "weights:   " + "  ".join(f"{c}={self.learned.weights.as_dict()[c]:.3f}" for c in COMPONENTS)
            + ("  (kept: the refit ranked the tuning parts no better)" if self.weights_kept else "  (refit)"),
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
    levels: bool = False,
) -> LearnReport:
    """Fit on the tuning parts (records may carry vectors), measure every part. With
    ``levels``, the comparisons' level values are chosen first (``levels.search_levels``)."""

    tuned = [(ls, r) for ls, r in sets if ls.part("tuning")]  # a set held out whole has none

    def tuning(s: MatchSettings) -> tuple[float, float]:
        """Mean MRR and mean recall@10 of the tuning parts."""
        per_set = [measure(engine_rankings(r, s, thesaurus), ls.part("tuning")) for ls, r in tuned]
        return float(np.mean([m.mrr for m in per_set])), float(np.mean([m.recall[10] for m in per_set]))

    searched = search_levels(base, lambda s: tuning(s)[0]) if levels else None
    start = base if searched is None else searched.settings
    lookups: list[Lookup] = list(decisions)
    silent = 0
    for ls, records in sets:
        found, missed = labelled_lookups(ls, MatchIndex.build(records, start, thesaurus))
        lookups += found
        silent += missed
    cv = cross_validate(lookups)
    w = fit_weights(lookups, cv.c)
    weights = Weights(**{c: round(float(v), 4) for c, v in zip(COMPONENTS, w, strict=True)})
    name = version or f"learned-{date.today().isoformat()}"
    # the regression fits a pairwise loss, not the ranking itself: its weights are kept only
    # when they rank the tuning parts better than the weights the search started from. A
    # higher threshold must not silence a true partner the lowest one suggests (weak evidence
    # is shown as weak, not hidden): it is chosen by MRR among those that keep recall@10.
    options = []
    for kept, s in ((False, start.with_changes(weights=weights, version=name)),
                    (True, start.with_changes(version=name))):
        measured = [(t, *tuning(s.with_changes(min_score=t))) for t in MIN_SCORE_GRID]
        floor = round(measured[0][2], 4)
        options += [(round(m, 4), t == base.min_score, t, kept, s)
                    for t, m, r10 in measured if round(r10, 4) >= floor]
    # ties keep the current threshold (as the level search keeps a value the data does not
    # ask to change), then the higher one, then the current weights
    *_, threshold, kept, chosen = max(options, key=lambda o: o[:4])
    learned = chosen.with_changes(min_score=threshold)
    report = LearnReport(base, learned, cv, len(lookups) - len(decisions), silent, len(decisions),
                         levels=searched, weights_kept=kept)
    for ls, records in sets:
        for which, s in (("current", base), ("learned", learned)):
            ranking = engine_rankings(records, s, thesaurus)
            for part in PARTS:
                if ls.part(part):  # (a set held out whole has no tuning part)
                    report.measured.append((ls.name, part, which, measure(ranking, ls.part(part))))
    return report
