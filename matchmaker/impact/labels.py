"""Display names of the impact page's stages, tables and units, translated at render time."""

from flask_babel import lazy_gettext as _l

from matchmaker.config import DEFAULT_CO2_SOURCE

LABELS = {
    "suggested": _l("Suggested"),
    "answered": _l("Answered"),
    "introduced": _l("Introduced"),
    "agreement": _l("Agreement made"),
    "no_deal": _l("No deal"),
    "agreed": _l("Agreed"),
    "members": _l("Members"),
    "agreements": _l("Agreements"),
    "pairs": _l("Pairs"),
    "unknown": _l("Not stated"),
    "reference": _l("Reference"),
    "t": _l("tonnes"),
    "m3": _l("cubic metres"),
    "MWh": _l("MWh"),
}
TABLE_TITLES = {
    "summary": _l("Key figures"),
    "listings": _l("Active listings by kind"),
    "funnel": _l("From suggestion to agreement"),
    "months": _l("Per month"),
    "volumes": _l("Agreed volumes by material"),
    "potential": _l("What could be processed within the region"),
    "transport": _l("Transport distance"),
    "co2": _l("Transport CO₂ of the agreements"),
    "municipalities": _l("By municipality"),
    "trades": _l("By trade"),
}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def co2_source(text: str) -> str:
    """The default factor's source in the reader's language; one set in
    MATCHMAKER_IMPACT_CO2_SOURCE is shown as the coordinator wrote it."""
    if text != DEFAULT_CO2_SOURCE:
        return text
    return str(_l("UK Government GHG conversion factors (DESNZ/DEFRA 2023), freighting goods, "
                  "HGV all diesel, average laden: about 0.1 kg CO2e per tonne-km (rounded; "
                  "check the current table)"))
