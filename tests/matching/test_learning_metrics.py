"""Raw and filtered ranks: a listing's other true partners above the partner count only raw."""

import math

from matchmaker.learning.labelled import TruePair
from matchmaker.learning.metrics import measure, ranks, true_partners

# need 10 has two documented suppliers, 1 and 2; supplier 3's only partner is need 11
PAIRS = [TruePair(1, 10, "supply", "tuning"), TruePair(2, 10, "supply", "tuning"),
         TruePair(3, 11, "supply", "tuning")]
RANKING = {10: [2, 5, 1], 1: [10], 2: [10], 3: [12, 11], 11: []}


def test_raw_ranks_count_every_listing_above() -> None:
    assert ranks(RANKING, PAIRS) == [1.0, 3.0, 1.0, 1.0, 2.0, math.inf]


def test_filtered_ranks_skip_the_listings_other_true_partners_only() -> None:
    known = true_partners(PAIRS)
    assert known[10] == {1, 2}
    # supplier 1 in need 10's list: supplier 2 above it is a true partner (skipped), 5 is not
    assert ranks(RANKING, PAIRS, known) == [1.0, 2.0, 1.0, 1.0, 2.0, math.inf]
    assert measure(RANKING, PAIRS, known).mrr > measure(RANKING, PAIRS).mrr
