"""The impact charts, drawn on the server by matplotlib as SVG: no script, no CDN.

The page loads them with <img>, so the strict content security policy of the page stays as it is
and each SVG travels with its own narrow policy (styles inline, nothing else). Text stays text
(`svg.fonttype: none`) so the charts print sharply and are searchable; ids are seeded
(`svg.hashsalt`) and the date left out, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from matchmaker.impact.figures import FUNNEL_STAGES, REPORTED_UNITS, Impact

matplotlib.use("Agg")  # never a GUI backend in a web worker
matplotlib.rcParams.update({"svg.hashsalt": "matchmaker", "svg.fonttype": "none",
                            "font.family": "sans-serif", "font.size": 10})

ACCENT = "#2f6b4f"
PALETTE = ("#2f6b4f", "#7fb89a", "#3d6fb6", "#b7791f", "#b42318")

Labels = Callable[[str], str]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _counts(axis) -> None:  # noqa: ANN001
    """Counts of pairs and members: whole numbers on the axis."""
    axis.set_major_locator(MaxNLocator(integer=True))


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _empty(fig: Figure, text: str) -> str:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", color="#5b6b63")
    return _svg(fig)


def _value(value: float) -> str:
    """A bar's label: up to ten digits, thousands apart (1 500 000, 43.33)."""
    return f"{value:,.10g}".replace(",", "\u202f")


def _barh(ax, names: Sequence[str], values: Sequence[float], color: str = ACCENT) -> None:  # noqa: ANN001
    positions = range(len(names))
    bars = ax.barh(list(positions), list(values), color=color)
    ax.set_yticks(list(positions), list(names))
    ax.invert_yaxis()
    ax.bar_label(bars, fmt=_value, padding=3)
    ax.spines[["top", "right"]].set_visible(False)


def funnel(impact: Impact, label: Labels, empty: str) -> str:
    fig = _figure(7, 3)
    if not impact.funnel["suggested"]:
        return _empty(fig, empty)
    ax = fig.add_subplot()
    _barh(ax, [label(s) for s in FUNNEL_STAGES], [impact.funnel[s] for s in FUNNEL_STAGES])
    _counts(ax.xaxis)
    return _svg(fig)


def months(impact: Impact, label: Labels, empty: str) -> str:
    fig = _figure(8, 3.5)
    if not impact.months:
        return _empty(fig, empty)
    ax = fig.add_subplot()
    width = 0.8 / len(FUNNEL_STAGES)
    for n, stage in enumerate(FUNNEL_STAGES):
        ax.bar([i + n * width for i in range(len(impact.months))],
               [m.counts[stage] for m in impact.months], width, label=label(stage), color=PALETTE[n])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(impact.months))],
                  [m.month for m in impact.months], rotation=45 if len(impact.months) > 6 else 0)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _counts(ax.yaxis)
    return _svg(fig)


def volumes(impact: Impact, label: Labels, empty: str) -> str:
    """One panel per unit: tonnes, m³ and MWh are never added up on one axis."""
    units = [u for u in (*REPORTED_UNITS, *sorted({v.unit for v in impact.volumes})) if any(
        v.unit == u for v in impact.volumes)]
    units = list(dict.fromkeys(units))
    rows = sum(len([v for v in impact.volumes if v.unit == u]) for u in units)
    fig = _figure(7, 1 + 0.4 * rows + 0.6 * len(units))
    if not units:
        return _empty(fig, empty)
    axes = fig.subplots(len(units), 1, squeeze=False)[:, 0]
    for ax, unit, color in zip(axes, units, PALETTE, strict=False):
        shown = [v for v in impact.volumes if v.unit == unit]
        _barh(ax, [v.material for v in shown], [round(v.volume, 2) for v in shown], color)
        ax.set_xlabel(label(unit))
    return _svg(fig)


def municipalities(impact: Impact, label: Labels, empty: str) -> str:
    groups = impact.by_municipality
    fig = _figure(7, 1 + 0.6 * len(groups))
    if not groups:
        return _empty(fig, empty)
    ax = fig.add_subplot()
    measures = (("members", [g.members for g in groups]), ("pairs", [g.suggestions for g in groups]),
                ("agreements", [g.agreements for g in groups]))
    height = 0.8 / len(measures)
    for n, (name, values) in enumerate(measures):
        bars = ax.barh([i + n * height for i in range(len(groups))], values, height,
                       label=label(name), color=PALETTE[n])
        ax.bar_label(bars, fmt=_value, padding=2, fontsize=8)
    ax.set_yticks([i + height for i in range(len(groups))],
                  [g.key or label("unknown") for g in groups])
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _counts(ax.xaxis)
    return _svg(fig)


def transport(impact: Impact, label: Labels, empty: str) -> str:
    shown = [t for t in impact.transport if t.average_km is not None]
    fig = _figure(7, 2.2)
    if not shown:
        return _empty(fig, empty)
    ax = fig.add_subplot()
    _barh(ax, [label(t.pairs) for t in shown], [round(t.average_km or 0.0, 1) for t in shown])
    reference = impact.assumptions.reference_km
    ax.axvline(reference, color=PALETTE[4], linestyle="--")
    ax.text(reference, -0.6, f" {label('reference')} {reference:g} km", color=PALETTE[4],
            va="bottom", fontsize=8)
    ax.set_xlim(0, max(reference, *(t.average_km or 0.0 for t in shown)) * 1.15)
    ax.set_xlabel("km")
    return _svg(fig)


CHARTS: dict[str, Callable[[Impact, Labels, str], str]] = {
    "funnel": funnel, "months": months, "volumes": volumes, "municipalities": municipalities,
    "transport": transport,
}
