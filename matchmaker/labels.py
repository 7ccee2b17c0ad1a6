"""Display names for the closed vocabularies, and what a field breaking one of the domain's
rules is told, translated at render time (the API tells it in English: ``english``)."""

from collections.abc import Callable

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.domain.listing_rules import ListingProblem, Problem
from matchmaker.domain.vocab import UNITS, Direction, Frequency, Kind, Role, Visibility

DIRECTION = {Direction.OFFER.value: _l("Offer"), Direction.NEED.value: _l("Need")}
KIND = {
    Kind.MATERIAL.value: _l("Raw material"),
    Kind.BY_PRODUCT.value: _l("By-product / residual stream"),
    Kind.CAPABILITY.value: _l("Processing capability"),
    Kind.SERVICE.value: _l("Service (transport, storage …)"),
    Kind.ENERGY.value: _l("Energy (surplus heat, steam …)"),
}
FREQUENCY = {
    Frequency.ONCE.value: _l("once"),
    Frequency.WEEK.value: _l("per week"),
    Frequency.MONTH.value: _l("per month"),
    Frequency.YEAR.value: _l("per year"),
    Frequency.CONTINUOUS.value: _l("continuous"),
}
VISIBILITY = {
    Visibility.PUBLIC.value: _l("Public (all logged-in members)"),
    Visibility.COORDINATOR.value: _l("Confidential (coordinator only)"),
}
# Units as a reader writes them: SI symbols as they are, codes like "pcs" in words.
UNIT = {
    **{unit: unit for unit in UNITS}, "m3": "m³", "m2": "m²",
    "pcs": _l("pieces"), "pallets": _l("pallets"), "h": _l("hours"),
}
# Suggestions for the unit box, per language (any writing domain.units reads is accepted).
UNIT_EXAMPLES = {
    "nb": ("t", "t/år", "tonn/år", "kg", "m3", "m3/år", "m³/mnd", "lm3", "fm3", "l", "m2", "stk",
           "paller", "kWh/år", "MWh/år", "kW", "MW", "timer"),
    "en": ("t", "t/yr", "kg", "m3", "m3/yr", "m³/month", "lm3", "fm3", "l", "m2", "pieces",
           "pallets", "kWh/yr", "MWh/yr", "kW", "MW", "hours"),
}
ROLE = {Role.MEMBER.value: _l("Company member"), Role.COORDINATOR.value: _l("Coordinator"),
        Role.ADMIN.value: _l("Administrator")}

# For a field breaking a rule of domain.rules (PATTERN, half_coordinates).
RULE_MESSAGE = {
    "country": _l("Two letters, e.g. NO or SE."),
    "nace_code": _l("A NACE code looks like 16.100."),
    "website": _l("Start with http:// or https://."),
    "phone": _l("Digits, spaces and + ( ) - only."),
    "coordinates": _l("Give both latitude and longitude, or neither."),
}


def english(message: Callable[[], str] | LazyString) -> str:
    """A message in English whoever reads it, as the API's other messages are."""
    with force_locale("en"):
        return str(message() if callable(message) else message)


def listing_problem(found: ListingProblem) -> str:
    """A listing's fields breaking a rule together (domain.listing_rules), in the reader's words."""
    if found.problem is Problem.FREQUENCY_CLASH:
        return _("The unit says %(frequency)s already.",
                 frequency=FREQUENCY.get(found.frequency or "", found.frequency))
    return str({
        Problem.UNIT_MISSING: _l("Choose the unit of the quantity."),
        Problem.UNIT_UNKNOWN: _l("Unknown unit. Write it as e.g. t, t/yr, m3/month, lm3, kWh/yr "
                                 "or pcs."),
        Problem.DATES_REVERSED: _l("Must not be before 'available from'."),
    }[found.problem])


def register(app) -> None:  # noqa: ANN001
    app.jinja_env.globals.update(
        DIRECTION_LABELS=DIRECTION, KIND_LABELS=KIND, FREQUENCY_LABELS=FREQUENCY,
        VISIBILITY_LABELS=VISIBILITY, ROLE_LABELS=ROLE, UNIT_LABELS=UNIT,
        UNIT_EXAMPLES=UNIT_EXAMPLES,
    )
