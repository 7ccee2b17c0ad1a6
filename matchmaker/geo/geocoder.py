"""An optional online geocoder (geopy + Nominatim), rate-limited and cached.

It does nothing unless MATCHMAKER_GEOCODER is set: the service never calls out by default.
"""

from __future__ import annotations

from functools import lru_cache

from matchmaker.geo.gazetteer import GeoHit


class OnlineGeocoder:
    def __init__(self, provider: str, user_agent: str):
        self.enabled = provider == "nominatim"
        self._geocode = None
        if self.enabled:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            # Nominatim's usage policy: at most one request a second.
            self._geocode = RateLimiter(
                Nominatim(user_agent=user_agent, timeout=5).geocode, min_delay_seconds=1.0
            )
            self.lookup = lru_cache(maxsize=4096)(self._lookup)

    def lookup(self, address: str, postcode: str, place: str, country: str) -> GeoHit | None:
        return None

    def _lookup(self, address: str, postcode: str, place: str, country: str) -> GeoHit | None:
        from geopy.exc import GeopyError

        query = ", ".join(part for part in (address, f"{postcode} {place}".strip(), country) if part)
        try:
            found = self._geocode(query)
        except GeopyError:
            return None
        if found is None:
            return None
        return GeoHit(found.latitude, found.longitude, found.address, "geocoder")
