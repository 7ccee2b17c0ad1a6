"""Shared fixtures for the matching tests: a small, stable test thesaurus and record helpers.

The unit tests use ``data/mini_thesaurus.json`` (so they do not move when the packaged
thesaurus grows); tests marked as integration use the packaged one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from matching_places import KONGSVINGER

from matchmaker.matching import ListingRecord, MatchSettings, Thesaurus

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini_thesaurus() -> Thesaurus:
    return Thesaurus.load(DATA / "mini_thesaurus.json")


@pytest.fixture(scope="session")
def real_thesaurus() -> Thesaurus:
    return Thesaurus.load()


@pytest.fixture
def settings() -> MatchSettings:
    return MatchSettings()


RecordFactory = Callable[..., ListingRecord]


@pytest.fixture
def make() -> RecordFactory:
    """``make(company, direction, kind, title, ...)``: unique listing ids, Kongsvinger by default."""
    counter = itertools.count(1)

    def _make(
        company: int,
        direction: str,
        kind: str,
        title: str,
        description: str = "",
        place: tuple[float, float] | None = KONGSVINGER,
        **kw: Any,
    ) -> ListingRecord:
        lat, lon = place if place is not None else (None, None)
        return ListingRecord(
            listing_id=kw.pop("listing_id", next(counter)),
            company_id=company,
            direction=direction,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            title=title,
            description=description,
            lat=lat,
            lon=lon,
            **kw,
        )

    return _make
