"""The impact figures: one list per table of the dashboard (the CSV's columns as fields, units in
the names or descriptions) and the assumptions behind the transport and CO₂ figures."""

from __future__ import annotations

from marshmallow import Schema, fields

from matchmaker.impact.figures import FUNNEL_STAGES


def _float(description: str, nullable: bool = False) -> fields.Float:
    return fields.Float(required=True, allow_none=nullable, metadata={"description": description})


def _count(description: str = "") -> fields.Integer:
    return fields.Integer(required=True, metadata={"description": description} if description else {})


class ImpactAssumptionsSchema(Schema):
    reference_km = _float("the usual haul to a processor outside the region, km")
    co2_kg_per_tkm = _float("road freight emission factor, kg CO2e per tonne-km")
    co2_source = fields.String(required=True, metadata={"description": "where that factor comes from"})
    radius_km = _float("the matching engine's search radius, km: 'local' means within it")


class ImpactSummaryRowSchema(Schema):
    measure = fields.String(required=True)
    value = fields.Raw(required=True, metadata={"description": "a number (co2_source: text)"})
    unit = fields.String(required=True, metadata={"description": "t, t/year, t CO2e, km, kg "
                                                                 "CO2e/tkm, or empty for a count"})


class ImpactListingCountSchema(Schema):
    direction = fields.String(required=True)
    kind = fields.String(required=True)
    active_listings = _count()


class ImpactFunnelSchema(Schema):
    stage = fields.String(required=True, metadata={"description": ", ".join(FUNNEL_STAGES)})
    pairs = _count("pairs that reached the stage")


ImpactMonthSchema = Schema.from_dict(
    {"month": fields.String(required=True, metadata={"description": "YYYY-MM, Oslo time"}),
     **{stage: _count(f"pairs {stage} that month") for stage in FUNNEL_STAGES}},
    name="ImpactMonth")


class ImpactVolumeSchema(Schema):
    material = fields.String(required=True, metadata={"description": "the offer's title"})
    unit = fields.String(required=True, metadata={"description": "t, m3 or MWh (or another unit as stated)"})
    agreements = _count()
    volume = _float("agreed volume, in unit")


class ImpactPotentialSchema(Schema):
    unit = fields.String(required=True, metadata={"description": "t, m3 or MWh"})
    offered_per_year = _float("offered raw materials and by-products, unit per year")
    local_per_year = _float("of those, with a partner within the radius, unit per year")
    offers = _count()
    local_offers = _count()


class ImpactTransportSchema(Schema):
    pairs = fields.String(required=True, metadata={"description": "suggested or agreed"})
    count = _count()
    total_km = _float("straight-line distance, km")
    average_km = _float("km; null without pairs", nullable=True)
    reference_km = _float("km")
    shorter_km = _float("reference_km - average_km; null without pairs", nullable=True)


class ImpactCo2Schema(Schema):
    agreements_counted = _count("agreements with tonnes and a distance")
    agreements_not_counted = _count("agreements without a mass volume or a distance")
    tonnes = _float("t")
    tkm = _float("transport work, tonne-km")
    reference_tkm = _float("the same tonnes over the reference haul, tonne-km")
    co2_t = _float("t CO2e")
    reference_co2_t = _float("t CO2e")
    saved_co2_t = _float("t CO2e")
    kg_per_tkm = _float("kg CO2e per tonne-km")


class _ImpactGroupSchema(Schema):
    members = _count()
    active_listings = _count()
    pairs = _count()
    agreements = _count()
    tonnes_supplied = _float("t agreed, as supplier")
    tonnes_received = _float("t agreed, as receiver")


class ImpactMunicipalitySchema(_ImpactGroupSchema):
    municipality = fields.String(required=True, metadata={"description": "empty: not stated"})


class ImpactTradeSchema(_ImpactGroupSchema):
    trade = fields.String(required=True, metadata={"description": "industry, else NACE code; "
                                                                 "empty: not stated"})


def _rows(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema), required=True)


class ImpactSchema(Schema):
    """Every figure of the coordinator's dashboard. Volumes are reported in t, m3 and MWh; a
    listing's quantity is made annual from its frequency; distances are straight lines."""

    assumptions = fields.Nested(ImpactAssumptionsSchema, required=True)
    summary = _rows(ImpactSummaryRowSchema)
    listings = _rows(ImpactListingCountSchema)
    funnel = _rows(ImpactFunnelSchema)
    months = _rows(ImpactMonthSchema)
    volumes = _rows(ImpactVolumeSchema)
    potential = _rows(ImpactPotentialSchema)
    transport = _rows(ImpactTransportSchema)
    co2 = _rows(ImpactCo2Schema)
    municipalities = _rows(ImpactMunicipalitySchema)
    trades = _rows(ImpactTradeSchema)
