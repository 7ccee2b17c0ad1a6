"""Display names the map needs: trades here, statuses and kinds from their own modules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.labels import KIND
from matchmaker.review.labels import PAIR_TYPE, STATUS

TRADE = {
    "agriculture": _l("Agriculture"),
    "forestry_wood": _l("Forestry and wood"),
    "food": _l("Food and drink"),
    "industry": _l("Manufacturing"),
    "energy": _l("Energy"),
    "recycling": _l("Waste and recycling"),
    "construction": _l("Construction and quarrying"),
    "transport": _l("Transport and storage"),
    "services": _l("Trade and services"),
    "other": _l("Other or unknown"),
}


def for_browser() -> dict[str, object]:
    """Every label the map's script shows, in the viewer's language, as plain strings."""
    return {
        "status": {k: str(v) for k, v in STATUS.items()},
        "kind": {k: str(v) for k, v in KIND.items()},
        "pair_type": {k: str(v) for k, v in PAIR_TYPE.items()},
        "trade": {k: str(v) for k, v in TRADE.items()},
        "open_company": str(_l("Open the company")),
        "open_match": str(_l("Open the match")),
        "your_company": str(_l("Your company")),
        "score": str(_l("Score")),
        "distance": str(_l("Distance")),
        "chain": str(_l("Value chain")),
    }
