"""Numbers, quantities and dates in the reader's locale, as Jinja filters (`1,2 MW`,
`40 000 m³`, `30. nov. 2026`); templates use these instead of '%g'|format or strftime."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from matchmaker import labels
from matchmaker.domain.units import parse_written_unit


def number(value: float | int | None, digits: int = 2) -> str:
    """A number with the locale's grouping and decimal sign, at most `digits` decimals
    (quantities are entered by hand, so more would only show float noise)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern)


def unit_label(unit: str | None) -> str:
    return str(labels.UNIT.get(unit, unit)) if unit else ""


def quantity(value: float | None, unit: str | None, frequency: str | None = None,
             written: str | None = None) -> str:
    """`40 000 m³ per år`; a unit the member wrote themselves ("lm3/år") is shown as written."""
    if value is None:
        return ""
    parts = [number(value), written or unit_label(unit)]
    parsed = parse_written_unit(written)
    if frequency and not (parsed and parsed.frequency):  # "t/år per år" says it twice
        parts.append(str(labels.FREQUENCY.get(frequency, "")))
    return " ".join(p for p in parts if p)


def listing_quantity(listing: object) -> str:
    return quantity(getattr(listing, "quantity", None), getattr(listing, "unit", None),
                    getattr(listing, "frequency", None), getattr(listing, "unit_written", None))


def day(value: date | datetime | None) -> str:
    """`30. nov. 2026` / `Nov 30, 2026`."""
    return format_date(value, "medium") if value else ""


def moment(value: datetime | None, seconds: bool = False) -> str:
    """`30.11.2026, 09:57` (with seconds for the audit log, where order within a minute matters)."""
    if value is None:
        return ""
    return format_datetime(value, "medium" if seconds else "short")


def month(value: str) -> str:
    """A "2026-11" month key as `nov. 2026` / `Nov 2026`."""
    try:
        year, number_ = (int(part) for part in value.split("-"))
        return format_date(date(year, number_, 1), "MMM y")
    except (ValueError, AttributeError):
        return value


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        number=number, unit_label=unit_label, listing_quantity=listing_quantity, day=day,
        moment=moment, month=month,
    )
    app.jinja_env.globals.update(format_quantity=quantity)
