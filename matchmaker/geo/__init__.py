"""Where companies are: an offline gazetteer first, an online geocoder only when configured."""

from matchmaker.geo.gazetteer import Gazetteer, GeoHit, default_gazetteer
from matchmaker.geo.geocoder import OnlineGeocoder

__all__ = ["Gazetteer", "GeoHit", "OnlineGeocoder", "default_gazetteer"]
