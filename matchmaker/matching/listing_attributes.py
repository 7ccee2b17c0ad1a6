"""What a listing states beyond its concepts, for the grade comparison (``compare_grades``).

``AttributeReader.read`` adds to what ``attributes.parse_attributes`` reads from the text
(temperatures and pressures only where the listing is energy or names a carrier) the kinds
its title names ("gran", "bjørk": kinds of one family) and its place in a value chain: an
offered good's sources (flour is made from grain) or what a need wants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from matchmaker.matching.attributes import (
    CARRIER_ROOTS,
    NO_ATTRIBUTES,
    WASTE_FUEL_ROOTS,
    Attributes,
    parse_attributes,
)
from matchmaker.matching.records import GOODS_KINDS, ListingRecord
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus

if TYPE_CHECKING:
    from matchmaker.matching.features import ConceptHit, ProcessEntry

MAX_KINDS = 3  # kinds (species, origin) a title names that the grade comparison keeps
# value-chain direction (``Attributes.made_from``): at most this many goods an offer's title
# names, concepts it is (goods and their broader ones) and concepts a need wants; a listing
# with more states no direction (the grade comparison keeps fixed-width columns)
MAX_PRODUCTS, MAX_GOODS, MAX_WANTS = 3, 10, 12
_CACHE_LIMIT = 50_000  # value-chain answers cached before the cache is emptied


class AttributeReader:
    """One per analyser: the thesaurus's carriers, and a cache of value-chain answers."""

    def __init__(self, thesaurus: Thesaurus, settings: MatchSettings, weak: frozenset[str]) -> None:
        self.thesaurus = thesaurus
        self.depth = settings.max_broader_depth
        self.weak = weak
        self.carriers: frozenset[str] = thesaurus.under(CARRIER_ROOTS)
        self.waste_fuels: frozenset[str] = thesaurus.under(WASTE_FUEL_ROOTS)
        self._chain_cache: dict[tuple[object, ...], Attributes] = {}

    def read(self, record: ListingRecord, direct: Mapping[str, ConceptHit],
             process_inputs: tuple[ProcessEntry, ...], fuel: bool = False) -> Attributes:
        """What the text states, the kinds its title names (a pair of different kinds of one
        family falls short) and its place in a value chain (``value_chain``). A need for fuel
        (``fuel``) other than waste fuel requires untreated wood unless it says otherwise:
        treated wood is hazardous waste."""
        found = parse_attributes(record.title or "", record.description or "", record.direction)
        if fuel and record.direction == "need" and not found.treated and direct.keys().isdisjoint(
            self.waste_fuels
        ):  # (a need for waste fuel takes treated wood)
            found = replace(found, untreated=True)
        if not found.empty and record.kind != "energy" and not any(c in self.carriers for c in direct):
            found = replace(found, temp_low=None, temp_high=None, pressure_bar=None)
        th = self.thesaurus
        # a kind is a modifier that is a kind *of* something (spruce of wood, cod of fish); a
        # form or a quality ("rundball", "fôrkvalitet") shared by straw and silage is no kind
        kinds = sorted(c for c, h in direct.items()
                       if h.in_title and th.is_modifier(c) and th.concepts[c].broader)[:MAX_KINDS]
        if kinds:
            found = replace(found, kinds=tuple(kinds), families=tuple(sorted({th.family(c) for c in kinds})))
        titled = tuple(sorted(c for c, h in direct.items()
                              if h.in_title and c not in self.weak and c not in th.processes))
        key = (record.direction, record.kind, titled, tuple(e.concept for e in process_inputs if e.in_title))
        # many listings share a title's concepts: one answer (and one object when nothing else
        # is stated) per key
        chain = self._chain_cache.get(key)
        if chain is None:
            if len(self._chain_cache) >= _CACHE_LIMIT:
                self._chain_cache.clear()
            chain = self._chain_cache[key] = self.value_chain(*key)
        if chain is NO_ATTRIBUTES:
            return found
        return chain if found is NO_ATTRIBUTES else replace(
            found, made_from=chain.made_from, goods=chain.goods, wants=chain.wants)

    def value_chain(
        self, direction: str, kind: str, titled: tuple[str, ...], inputs: tuple[str, ...]
    ) -> Attributes:
        """An offered good's sources, or what a need wants (``Attributes.made_from``), from the
        concepts its title names and the inputs of a use it names in the title.

        Goods are the title's own concepts (no weak word, process or energy carrier: heat is
        made from every fuel); a need wants its title's concepts, their broader ones and the
        inputs of its use."""
        th, depth = self.thesaurus, self.depth
        if direction == "offer" and kind in ("material", "by-product"):
            products = [c for c in titled if c not in self.carriers][:MAX_PRODUCTS]
            made_from = tuple((c, w) for c in products for w in th.made_from(c))
            goods = sorted({*products, *(a for c in products for a, _ in th.ancestors(c, depth))})
            if made_from and len(goods) <= MAX_GOODS:
                return Attributes(made_from=made_from, goods=tuple(goods))
        elif direction == "need" and kind in GOODS_KINDS:  # a need of goods wants them
            # most specific first: the reason names the first wanted source
            wants = dict.fromkeys([*titled, *(a for c in titled for a, _ in th.ancestors(c, depth)), *inputs])
            if len(wants) <= MAX_WANTS and not th.sources.isdisjoint(wants):
                return Attributes(wants=tuple(wants))
        return NO_ATTRIBUTES
