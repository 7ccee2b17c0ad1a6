"""The impact figures as plain tables: the rows behind every chart, for the page and for CSV.

One CSV per table (its own columns), and one CSV of all tables: a first column `table` names the
table a row belongs to, followed by the union of all tables' columns in order of first use; a row
leaves the other tables' columns empty. That keeps one file filterable in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matchmaker.impact.figures import FUNNEL_STAGES, GroupRow, Impact

TABLE_NAMES: tuple[str, ...] = ("summary", "listings", "funnel", "months", "volumes", "potential",
                                "transport", "co2", "municipalities", "trades")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


def number(value: object) -> object:
    """Floats rounded to 3 decimals without trailing zeros, so CSVs compare and read cleanly."""
    if isinstance(value, float):
        text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return value


def _summary(i: Impact) -> Table:
    a = i.assumptions
    rows: list[tuple[object, ...]] = [
        ("members", i.members, ""),
        ("municipalities", i.municipalities, ""),
        ("active_offers", i.active_offers, ""),
        ("active_needs", i.active_needs, ""),
        *((f"pairs_{stage}", i.funnel[stage], "") for stage in FUNNEL_STAGES),
        ("agreed_tonnes", i.agreed_tonnes, "t"),
    ]
    pot = i.potential_in("t")
    rows += [("offered_tonnes_per_year", pot.offered if pot else 0.0, "t/year"),
             ("local_tonnes_per_year", pot.local if pot else 0.0, "t/year"),
             ("co2_saved", i.co2.saved_t, "t CO2e"),
             ("reference_km", a.reference_km, "km"),
             ("radius_km", a.radius_km, "km"),
             ("co2_kg_per_tkm", a.co2_kg_per_tkm, "kg CO2e/tkm"),
             ("co2_source", a.co2_source, "")]
    return Table("summary", ("measure", "value", "unit"), rows)


def _group(name: str, key: str, groups: Sequence[GroupRow]) -> Table:
    return Table(name, (key, "members", "active_listings", "pairs", "agreements", "tonnes_supplied",
                        "tonnes_received"),
                 [(g.key, g.members, g.listings, g.suggestions, g.agreements, g.tonnes_supplied,
                   g.tonnes_received) for g in groups])


def tables(i: Impact) -> list[Table]:
    c = i.co2
    return [
        _summary(i),
        Table("listings", ("direction", "kind", "active_listings"),
              [(d, k, n) for (d, k), n in i.listings.items()]),
        Table("funnel", ("stage", "pairs"), [(s, i.funnel[s]) for s in FUNNEL_STAGES]),
        Table("months", ("month", *FUNNEL_STAGES),
              [(m.month, *(m.counts[s] for s in FUNNEL_STAGES)) for m in i.months]),
        Table("volumes", ("material", "unit", "agreements", "volume"),
              [(v.material, v.unit, v.agreements, v.volume) for v in i.volumes]),
        Table("potential", ("unit", "offered_per_year", "local_per_year", "offers", "local_offers"),
              [(p.unit, p.offered, p.local, p.listings, p.local_listings) for p in i.potential]),
        Table("transport", ("pairs", "count", "total_km", "average_km", "reference_km", "shorter_km"),
              [(t.pairs, t.count, t.total_km, t.average_km, t.reference_km, t.shorter_km)
               for t in i.transport]),
        Table("co2", ("agreements_counted", "agreements_not_counted", "tonnes", "tkm",
                      "reference_tkm", "co2_t", "reference_co2_t", "saved_co2_t", "kg_per_tkm"),
              [(c.agreements, c.not_counted, c.tonnes, c.tkm, c.reference_tkm, c.co2_t,
                c.reference_co2_t, c.saved_t, c.kg_per_tkm)]),
        _group("municipalities", "municipality", i.by_municipality),
        _group("trades", "trade", i.by_trade),
    ]


def table(i: Impact, name: str) -> Table | None:
    return next((t for t in tables(i) if t.name == name), None)


def combined(all_tables: Sequence[Table]) -> Table:
    """Every table in one: `table` + the union of the columns (see the module docstring)."""
    columns: list[str] = []
    for t in all_tables:
        columns += [c for c in t.columns if c not in columns]
    rows = []
    for t in all_tables:
        where = {c: n for n, c in enumerate(t.columns)}
        rows += [(t.name, *(row[where[c]] if c in where else None for c in columns)) for row in t.rows]
    return Table("all", ("table", *columns), rows)
