"""The level values of the comparisons (what "broader", "unit mismatch", "missing" are worth),
chosen on the tuning parts.

The weights are fitted by regression on the component values (``fit``); the values each
level gives a component are inputs of that fit, so they are chosen around it: coordinate
search over ``LEVEL_GRID``, one setting at a time, keeping a candidate only when it raises
the tuning parts' mean MRR. Held-out parts are never looked at here. Pure: no Flask, no
database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from matchmaker.matching import MatchSettings

#: the settings searched and the candidates of each (the current value is always one more)
LEVEL_GRID: Mapping[str, tuple[float, ...]] = {
    "missing_concept_value": (0.1, 0.25, 0.4),
    "missing_quantity_value": (0.3, 0.5, 0.7),
    "unit_mismatch_value": (0.3, 0.45, 0.6),
    "grade_boost_value": (0.4, 0.6, 0.8),
    "falls_short_factor": (0.3, 0.5, 0.7),
    "broader_weight": (0.4, 0.6, 0.8),
    "related_weight": (0.2, 0.4, 0.6),
    "named_input_weight": (0.6, 0.8, 1.0),
    "unnamed_input_weight": (0.5, 0.7, 1.0),
    "purpose_weight": (0.6, 0.8, 1.0),
    "description_weight": (0.5, 0.7, 0.9),
    "weak_concept_weight": (0.15, 0.3, 0.5),
    "distance_half_decay_km": (25.0, 40.0, 60.0),
}
ROUNDS = 2
#: a candidate must raise the mean tuning MRR by more than this (ties keep the current value)
MIN_GAIN = 1e-4


@dataclass
class LevelSearch:
    start_mrr: float
    mrr: float
    settings: MatchSettings
    changed: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (before, after)
    tried: int = 0


def search_levels(
    base: MatchSettings, tuning_mrr: Callable[[MatchSettings], float],
    grid: Mapping[str, tuple[float, ...]] = LEVEL_GRID, rounds: int = ROUNDS,
) -> LevelSearch:
    """Coordinate search: for each setting in turn, the best of its candidates if it beats the
    current settings' tuning MRR; ``rounds`` passes over all of them."""
    best = tuning_mrr(base)
    out = LevelSearch(best, best, base)
    for _ in range(rounds):
        moved = False
        for name, candidates in grid.items():
            current = getattr(out.settings, name)
            scored = []
            for value in candidates:
                if value != current:
                    trial = out.settings.with_changes(**{name: value})
                    scored.append((tuning_mrr(trial), value, trial))
                    out.tried += 1
            if not scored:
                continue
            mrr, _value, trial = max(scored, key=lambda t: t[0])
            if mrr > out.mrr + MIN_GAIN:
                out.mrr, out.settings, moved = mrr, trial, True
        if not moved:
            break
    out.changed = {name: (getattr(base, name), getattr(out.settings, name)) for name in grid
                   if getattr(out.settings, name) != getattr(base, name)}
    return out
