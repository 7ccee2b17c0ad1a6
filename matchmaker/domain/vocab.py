"""Closed vocabularies shared by forms, the interchange format and the matching engine."""

from enum import StrEnum


class Direction(StrEnum):
    OFFER = "offer"
    NEED = "need"


class Kind(StrEnum):
    MATERIAL = "material"
    BY_PRODUCT = "by-product"
    CAPABILITY = "capability"
    SERVICE = "service"
    ENERGY = "energy"


class Frequency(StrEnum):
    ONCE = "once"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    CONTINUOUS = "continuous"


class Visibility(StrEnum):
    PUBLIC = "public"
    COORDINATOR = "coordinator"


class Role(StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Membership(StrEnum):
    """A self-registered company waits for the coordinator before it sees other members."""

    APPROVED = "approved"
    PENDING = "pending"
    REJECTED = "rejected"


class LocationSource(StrEnum):
    USER = "user"
    GAZETTEER = "gazetteer"
    GEOCODER = "geocoder"


# Units a listing may state its quantity in; the matching engine converts within a dimension.
UNITS: tuple[str, ...] = (
    "t", "kg", "m3", "l", "m2", "m", "pcs", "pallets",
    "kWh", "MWh", "GWh", "kW", "MW", "h",
)

LANGUAGES: tuple[str, ...] = ("nb", "en")
