"""Labelled sets: listings in the interchange format plus the pairs a person marked true.

A labelled set is a ``matchmaker/v1``-style document with ``companies`` (each with its
``listings``) and ``true_pairs`` (``{"offer": "c01/l1", "need": "c03/l1", "type": ...,
"split": "tuning" | "holdout", "tags": [...]}``). Listings no true pair names are
distractors. Every pair belongs to one part: the **tuning** part may be looked at and
fitted on; the **holdout** part is frozen (its checksum is pinned in the tests) and is
only ever measured.

Pure: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matchmaker.matching.records import ListingRecord

PARTS: tuple[str, ...] = ("tuning", "holdout")
DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
#: the labelled sets shipped with the project: name -> file in ``DATA_DIR``
SETS: Mapping[str, str] = {
    "regional": "match_eval.json",
    "symbiosis": "symbiosis_eval.json",
    "unseen": "unseen_eval.json",  # all held out: measured, never tuned on
    "symbiosis2": "symbiosis2_eval.json",  # eight more networks, half of them held out
    # eight more, half held out; the thesaurus is never extended from it (see its hints' README)
    "symbiosis3": "symbiosis3_eval.json",
    "symbiosis4": "symbiosis4_eval.json",  # likewise
}


@dataclass(frozen=True)
class TruePair:
    offer: int  # listing id of the supplying side
    need: int  # listing id of the receiving side (a need, or a capability for processing)
    type: str
    split: str
    tags: tuple[str, ...] = ()
    label: str = ""  # "c01/l1->c03/l1"
    group: str = ""  # pairs of one group (a network, else a connected component) stay together


@dataclass
class LabelledSet:
    name: str
    records: list[ListingRecord]
    pairs: list[TruePair]
    names: dict[int, str] = field(default_factory=dict)  # listing id -> "c01/l1"

    def part(self, split: str | None) -> list[TruePair]:
        """The true pairs of one part (``None``: all)."""
        return [p for p in self.pairs if split is None or p.split == split]

    def tags(self) -> list[str]:
        return sorted({t for p in self.pairs for t in p.tags} | {p.type for p in self.pairs})


def records_from_document(data: Mapping[str, Any]) -> tuple[list[ListingRecord], dict[str, int]]:
    """Listings of an interchange-style document as engine records, with ids 1..n and a map
    from "company-id/listing-id" to those ids (company ids are 1..m in file order)."""
    records: list[ListingRecord] = []
    ids: dict[str, int] = {}
    for ci, company in enumerate(data["companies"], start=1):
        for listing in company["listings"]:
            lid = len(records) + 1
            ids[f"{company['id']}/{listing['id']}"] = lid
            records.append(
                ListingRecord(
                    listing_id=lid,
                    company_id=ci,
                    direction=listing["direction"],
                    kind=listing["kind"],
                    title=listing.get("title") or "",
                    description=listing.get("description") or "",
                    quantity=listing.get("quantity"),
                    unit=listing.get("unit"),
                    frequency=listing.get("frequency"),
                    lat=company.get("lat"),
                    lon=company.get("lon"),
                    active=listing.get("active", True),
                )
            )
    return records, ids


def load_set(path: str | Path, name: str | None = None) -> LabelledSet:
    """Read a labelled set; every true pair must name listings of the file and a part."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    records, ids = records_from_document(data)
    pairs: list[TruePair] = []
    component = _components(data["true_pairs"])
    for i, p in enumerate(data["true_pairs"], start=1):
        split = p.get("split", "")
        if split not in PARTS:
            raise ValueError(f"{path.name}: true pair {i}: split must be one of {PARTS}, not {split!r}")
        for side in ("offer", "need"):
            if p[side] not in ids:
                raise ValueError(f"{path.name}: true pair {i}: unknown listing {p[side]!r}")
        pairs.append(
            TruePair(
                ids[p["offer"]],
                ids[p["need"]],
                p.get("type", ""),
                split,
                tuple(p.get("tags", ())),
                f"{p['offer']}->{p['need']}",
                str(p.get("network") or component[p["offer"]]),
            )
        )
    return LabelledSet(name or path.stem, records, pairs, {lid: key for key, lid in ids.items()})


def _components(pairs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Listing key -> its connected component over the true pairs (named by a member)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[root(p["offer"])] = root(p["need"])
    return {x: root(x) for x in parent}


def load_shipped(names: Iterable[str] | None = None, data_dir: Path = DATA_DIR) -> list[LabelledSet]:
    """The project's labelled sets (all, or those named) that exist in ``data_dir``."""
    out = []
    for name in names if names is not None else SETS:
        path = data_dir / SETS[name]
        if path.exists():
            out.append(load_set(path, name))
    return out


def holdout_checksum(ls: LabelledSet) -> str:
    """Hash of the held-out pairs and the full text of every listing they name.

    Pinned in the tests: editing a held-out listing or moving a pair between parts changes
    it, so the frozen part cannot drift towards whatever the engine gets right."""
    by_id = {r.listing_id: r for r in ls.records}
    rows: list[Sequence[object]] = []
    for p in sorted(ls.part("holdout"), key=lambda p: p.label):
        rows.append((p.label, p.type))
        for lid in (p.offer, p.need):
            r = by_id[lid]
            rows.append((ls.names[lid], r.direction, r.kind, r.title, r.description, r.quantity, r.unit,
                         r.frequency, r.lat, r.lon))
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
