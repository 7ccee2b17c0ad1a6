"""Settings: frozen, fingerprinted, and the version must change with the numbers."""

from __future__ import annotations

import dataclasses

import pytest

from matchmaker.matching.settings import PINNED_FINGERPRINTS, MatchSettings, Weights


def test_default_settings_match_their_pinned_fingerprint() -> None:
    s = MatchSettings()
    assert PINNED_FINGERPRINTS.get(s.version) == s.fingerprint(), (
        "A default changed: bump MatchSettings.version and pin the new fingerprint "
        f"({s.version!r}: {s.fingerprint()!r}) in PINNED_FINGERPRINTS."
    )
    assert s.version_label() == s.version


def test_fingerprint_is_stable_and_sensitive() -> None:
    a, b = MatchSettings(), MatchSettings()
    assert a.fingerprint() == b.fingerprint()
    changed = a.with_changes(weights=Weights(text=0.3))
    assert changed.fingerprint() != a.fingerprint()
    assert changed.version_label().startswith(a.version + "+")
    assert a.with_changes(radius_km=100).fingerprint() != a.fingerprint()


def test_settings_are_frozen_and_validated() -> None:
    s = MatchSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.radius_km = 10  # type: ignore[misc]
    with pytest.raises(ValueError):
        MatchSettings(top_n=0)
    with pytest.raises(ValueError):
        MatchSettings(weights=Weights(0, 0, 0, 0, 0, 0, 0))
    with pytest.raises(ValueError):
        MatchSettings(semantic_low=0.9, semantic_high=0.8)
    with pytest.raises(ValueError):
        MatchSettings(min_score=1.5)


def test_the_shipped_settings_file_is_the_defaults() -> None:
    """The released version is stored as a settings file too; the two cannot drift apart."""
    from pathlib import Path

    import matchmaker.matching.settings as settings_module

    shipped = Path(settings_module.__file__).parent / "data" / "settings" / f"{MatchSettings().version}.json"
    assert MatchSettings.load(shipped) == MatchSettings()


def test_the_version_names_a_thesaurus_other_than_the_released_one(mini_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """A suggestion made with a coordinator's extra thesaurus says so in its version."""
    from matchmaker.matching import MatchIndex, Thesaurus
    from matchmaker.matching.records import ListingRecord

    s = MatchSettings()
    assert s.version_label(Thesaurus.load().fingerprint()) == s.version
    other = s.version_label(mini_thesaurus.fingerprint())
    assert other.startswith(s.version + "+t") and other != s.version
    records = [
        ListingRecord(1, 1, "offer", "by-product", "Sagflis"),
        ListingRecord(2, 2, "need", "material", "Sagflis"),
    ]
    (found,) = MatchIndex.build(records, s, mini_thesaurus).match_all()
    assert found.settings_version == other
