"""One call that answers 'where is this address?' from the sources in the order we trust them."""

from __future__ import annotations

from collections.abc import Callable

from matchmaker.geo.gazetteer import Gazetteer, GeoHit
from matchmaker.geo.geocoder import OnlineGeocoder


class Locator:
    def __init__(self, gazetteer: Callable[[], Gazetteer], geocoder: OnlineGeocoder | None = None):
        # The gazetteer is a factory so that an app which never geocodes never loads GeoNames.
        self._gazetteer = gazetteer
        self._geocoder = geocoder

    def __call__(self, *, address: str = "", postcode: str = "", city: str = "",
                 country: str = "NO") -> GeoHit | None:
        hit = self._gazetteer().lookup(postcode=postcode, place=city, country=country)
        if hit is None and self._geocoder is not None and self._geocoder.enabled:
            hit = self._geocoder.lookup(address, postcode, city, country)
        return hit


Locate = Callable[..., GeoHit | None]
